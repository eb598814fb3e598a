"""Recording and checking the audit log (see intake.models.audit).

`record` appends one event to the hash chain and flushes; the caller's
transaction commits it with the change it describes, so an action and its
audit entry land together or not at all.

Concurrency: "read the last row, append the next" must not interleave
between writers, in one process or several. On SQLite a writing transaction
starts with BEGIN IMMEDIATE (intake.db), so it holds the database's write
lock before it reads the head (a reading request cannot get this far: its
session refuses to write). On PostgreSQL a transaction-scoped advisory lock,
taken before the head is read and released at commit or rollback, does the
same across every process and machine.

The key (INTAKE_AUDIT_KEY, or a file in the instance folder in development)
lives outside the database: `init_app` puts it in every session's `info`, so
any session the app makes (requests, CLI, worker, tests) can sign. Only ids,
rule ids, choices and staff labels go into events; never a patient's name or
answers.

Verifying (`verify`), for installations that had a log before the key:
rows whose hash is the old unkeyed SHA-256 ("legacy") are accepted only as
an unbroken run at the start of the log; the first keyed row links to the
last legacy row's hash, so editing a legacy row breaks that link. An
unkeyed row after a keyed one, or a log with rows but none keyed, is what a
rewrite without the key looks like, and fails. `intake db upgrade` writes
one keyed row when the log ends in legacy rows (`start_keyed_chain`).

Removed newest rows leave a shorter chain that is still intact: only a head
kept outside the database (`intake audit head`, then
`intake audit verify --expect-head HASH`) shows them.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from intake.models.audit import GENESIS, HASHED_FIELDS, AuditEvent, chain_hash, keyed_hash
from intake.models.types import utcnow

if TYPE_CHECKING:
    from flask import Flask

_PG_LOCK_KEY = 0x1A7D17  # any constant shared by every writer of the log
_KEY_INFO = "audit_key"  # the session.info entry holding the key


class AuditKeyMissing(RuntimeError):
    """A session that may write the log was made without the audit key."""


def init_app(app: Flask) -> None:
    """Give every session of this app the audit key (see the module docstring)."""
    from intake.config import ConfigError

    key = app.config.get("AUDIT_KEY")
    if not key:
        raise ConfigError("INTAKE_AUDIT_KEY is not set (see the README's audit log section).")
    maker = app.extensions["intake_sessionmaker"]
    maker.configure(info={**maker.kw.get("info", {}), _KEY_INFO: key.encode()})


def _key(session: Session) -> bytes:
    key = session.info.get(_KEY_INFO)
    if not key:
        raise AuditKeyMissing("this session has no audit key: make it with the app's "
                              "sessionmaker (intake.audit.init_app)")
    return key


def record(
    session: Session, *, action: str, actor_id: int | None,
    intake_id: int | None = None, detail: dict | None = None, ip: str | None = None,
) -> AuditEvent:
    """Append an event to the chain and flush it (the caller commits)."""
    key = _key(session)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    event = AuditEvent(
        id=(last.id + 1) if last else 1,
        at=_now(),
        actor_id=actor_id,
        actor_label=_actor_label(session, actor_id),
        action=action,
        intake_id=intake_id,
        detail=dict(detail or {}),
        ip=ip,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event.compute_hash(key)
    session.add(event)
    session.flush()
    return event


def _now() -> datetime:
    return utcnow()


def _actor_label(session: Session, actor_id: int | None) -> str:
    if actor_id is None:
        return "system"
    from intake.models.staff import StaffUser

    user = session.get(StaffUser, actor_id)
    return user.label if user is not None else f"staff #{actor_id}"


def verify(session: Session, *, expect_head: str | None = None) -> list[str]:
    """Problems in the chain (altered, inserted or removed rows, rows not signed
    with the key, a kept head that is gone); empty when intact."""
    key = _key(session)
    problems: list[str] = []
    prev_hash, expected_id = GENESIS, 1
    keyed = legacy = 0
    head_seen = expect_head is None
    for event in _iter_events(session):
        if event.id != expected_id:
            problems.append(f"event {event.id}: expected id {expected_id} (rows missing)")
        if event.prev_hash != prev_hash:
            problems.append(f"event {event.id}: prev_hash does not match the event before")
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if hmac.compare_digest(keyed_hash(fields, key), event.hash):
            keyed += 1
        elif hmac.compare_digest(chain_hash(fields), event.hash):
            if keyed:
                problems.append(f"event {event.id}: not signed with the audit key, after "
                                "signed events (rewritten without the key)")
            legacy += 1
        else:
            problems.append(f"event {event.id}: hash does not match its contents (altered)")
        head_seen = head_seen or hmac.compare_digest(event.hash, expect_head)
        prev_hash, expected_id = event.hash, event.id + 1
    if legacy and not keyed:
        problems.append(f"none of the {legacy} events is signed with the audit key: the log "
                        "was rewritten without it, or `intake db upgrade` has not run since "
                        "the key was set")
    if not head_seen:
        problems.append(f"the kept head {expect_head} is not in the log: events after it "
                        "were removed, or the log was rewritten")
    return problems


def legacy_count(session: Session) -> int:
    """How many rows at the start of the log predate the key (for the CLI's report)."""
    key, count = _key(session), 0
    for event in _iter_events(session):
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if hmac.compare_digest(keyed_hash(fields, key), event.hash):
            break
        count += 1
    return count


def start_keyed_chain(session: Session) -> bool:
    """After upgrading an installation whose log predates the key: append one keyed
    event that links to the last legacy row, so a log with no keyed row at all can
    only be a rewrite. True when it wrote one."""
    last = head(session)
    if last is None:
        return False
    row = session.execute(
        select(*[getattr(AuditEvent, name) for name in HASHED_FIELDS], AuditEvent.hash)
        .where(AuditEvent.id == last[0])).one()
    fields = {name: getattr(row, name) for name in HASHED_FIELDS}
    if hmac.compare_digest(keyed_hash(fields, _key(session)), row.hash):
        return False
    record(session, action="audit.keyed", actor_id=None, detail={"legacy_head": last[1]})
    return True


def head(session: Session) -> tuple[int, str] | None:
    """The last event's id and hash: keep it elsewhere to detect a removed tail."""
    row = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (row.id, row.hash) if row else None


def _iter_events(session: Session, batch: int = 1000) -> Iterator:
    """Rows as plain tuples, in id order, a batch at a time (no ORM identity map)."""
    columns = [getattr(AuditEvent, name) for name in HASHED_FIELDS]
    after = 0
    while True:
        rows = session.execute(
            select(*columns, AuditEvent.hash).where(AuditEvent.id > after)
            .order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id
