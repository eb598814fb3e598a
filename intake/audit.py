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

Only ids, rule ids, choices and staff labels go into events; never a
patient's name or answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from intake.models.audit import GENESIS, HASHED_FIELDS, AuditEvent, chain_hash
from intake.models.types import utcnow

_PG_LOCK_KEY = 0x1A7D17  # any constant shared by every writer of the log


def record(
    session: Session, *, action: str, actor_id: int | None,
    intake_id: int | None = None, detail: dict | None = None, ip: str | None = None,
) -> AuditEvent:
    """Append an event to the chain and flush it (the caller commits)."""
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
    event.hash = event.compute_hash()
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


def verify(session: Session) -> list[str]:
    """Problems in the chain (altered, inserted or removed rows); empty when intact.

    A removed tail cannot be seen from the chain alone: keep the head hash
    printed by `intake audit verify` somewhere else to detect that.
    """
    problems: list[str] = []
    prev_hash, expected_id = GENESIS, 1
    for event in _iter_events(session):
        if event.id != expected_id:
            problems.append(f"event {event.id}: expected id {expected_id} (rows missing)")
        if event.prev_hash != prev_hash:
            problems.append(f"event {event.id}: prev_hash does not match the event before")
        if chain_hash({name: getattr(event, name) for name in HASHED_FIELDS}) != event.hash:
            problems.append(f"event {event.id}: hash does not match its contents (altered)")
        prev_hash, expected_id = event.hash, event.id + 1
    return problems


def head(session: Session) -> tuple[int, str] | None:
    """The last event's id and hash: note it elsewhere to detect a removed tail."""
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
