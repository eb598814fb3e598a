"""How unfinished summaries stand: for the staff page, `documents status` and verify.

A summary waiting longer than RENDER_OVERDUE_SECONDS, or failing, is never
shown as "being prepared": the page says it is delayed or failing and that
it is retried, and verify exits non-zero, so a stuck render is seen.

A State's words are Messages (intake.i18n.messages): English wherever they are
read as text (the CLI, logs), and shown in the reader's language by the staff
page that calls ``translate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.i18n.messages import N_, NN_, NP_
from intake.models import Document, DocumentStatus, utcnow


def overdue_after(config) -> timedelta:
    return timedelta(seconds=int(config.get("RENDER_OVERDUE_SECONDS", 600)))


ADVICE = N_("It is retried automatically; if this lasts, tell the clinic's administrator.")


@dataclass(frozen=True)
class State:
    name: str        #: "ready", "preparing", "delayed" or "failing"
    headline: str    #: a Message
    detail: str = ""  #: a Message, or empty


def state_of(document: Document, config=None, now: datetime | None = None) -> State:
    from flask import current_app

    config = config if config is not None else current_app.config
    now = now or utcnow()
    if document.status == DocumentStatus.READY:
        return State("ready", NP_("document state", "ready"))
    if document.status == DocumentStatus.FAILED:
        return State("failing", NN_("rendering failed (%(num)d attempt)",
                                    "rendering failed (%(num)d attempts)", document.attempts),
                     ADVICE)
    if now - document.created_at > overdue_after(config):
        return State("delayed", NP_("document state", "delayed"),
                     N_("Taking longer than usual. %(advice)s", advice=ADVICE))
    return State("preparing", N_("summary being prepared"))


@dataclass(frozen=True)
class Waiting:
    counts: dict[str, int]
    overdue: list[Document]          #: pending past the limit
    failed: list[Document]
    oldest: Document | None          #: the longest-waiting unfinished row


def waiting(session: Session, config, now: datetime | None = None) -> Waiting:
    now = now or utcnow()
    counts = {state.value: 0 for state in DocumentStatus}
    counts.update(dict(session.execute(
        select(Document.status, func.count()).group_by(Document.status)).all()))
    unfinished = select(Document).where(Document.status != DocumentStatus.READY)
    failed = list(session.scalars(unfinished.where(
        Document.status == DocumentStatus.FAILED).order_by(Document.id)))
    overdue = list(session.scalars(unfinished.where(
        Document.status == DocumentStatus.PENDING,
        Document.created_at < now - overdue_after(config)).order_by(Document.id)))
    oldest = session.scalars(unfinished.order_by(Document.created_at, Document.id)
                             .limit(1)).first()
    return Waiting(counts, overdue, failed, oldest)


def problems(session: Session, config, now: datetime | None = None) -> list[str]:
    """One line per failed or overdue document (verify's check of the queue)."""
    found = waiting(session, config, now)
    now = now or utcnow()
    lines = [f"failed: document {d.id} (intake {d.intake_id} v{d.version}), "
             f"{d.attempts} attempt(s), last error {d.last_error or 'unknown'}"
             for d in found.failed]
    lines += [f"overdue: document {d.id} (intake {d.intake_id} v{d.version}) pending for "
              f"{_age(now - d.created_at)}" for d in found.overdue]
    return lines


def _age(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def describe_oldest(found: Waiting, now: datetime | None = None) -> str:
    doc = found.oldest
    if doc is None:
        return "nothing waiting"
    now = now or utcnow()
    retry = ""
    if doc.next_attempt_at is not None:
        retry = f", next attempt in {_age(max(doc.next_attempt_at - now, timedelta()))}"
    return (f"oldest waiting: document {doc.id} (intake {doc.intake_id} v{doc.version}, "
            f"{doc.status}) for {_age(now - doc.created_at)}, {doc.attempts} attempt(s){retry}")
