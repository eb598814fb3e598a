"""Retention: which archived summaries a clinic may destroy, and when.

Records are kept RETENTION_YEARS (INTAKE_RETENTION_YEARS, default 10) after the last visit
(the appointment, or the submission when later or when there was none); for
a patient who was a minor, until that many years after their 18th birthday
if that is later. The date of birth comes from the answers. Nothing is
removed unless asked explicitly, and every removal is audited. A removed
summary's file is destroyed; its row stays, marked expired (the database
refuses to delete a ready document's row), so nothing renders it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.audit import record as audit
from intake.models import Document, DocumentStatus, Intake
from intake.questionnaire.identity import date_of_birth

ADULT_AGE = 18


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Expiry:
    intake_id: int
    last_visit: date | None
    keep_until: date | None
    documents: tuple[Document, ...]

    @property
    def reason(self) -> str:
        return f"kept until {self.keep_until.isoformat()}" if self.keep_until else "no visit date"


def keep_until(intake: Intake, years: int, zone: ZoneInfo) -> tuple[date | None, date | None]:
    """The last visit and the day its summaries may go, as the clinic's dates."""
    visits = [d.astimezone(zone).date() for d in (intake.appointment_at, intake.submitted_at)
              if d]
    last = max(visits) if visits else None
    if last is None:
        return None, None
    until = add_years(last, years)
    born = date_of_birth(intake.answers)
    if born is not None:
        until = max(until, add_years(add_years(born, ADULT_AGE), years))
    return last, until


def expired(session: Session, *, years: int, today: date, zone: ZoneInfo) -> list[Expiry]:
    """Intakes whose summaries are past retention (no visit date: never);
    `today` and `zone` are the clinic's (intake.clock)."""
    rows = session.scalars(select(Document).where(Document.status != DocumentStatus.EXPIRED)
                           .order_by(Document.intake_id, Document.version))
    by_intake: dict[int, list[Document]] = {}
    for document in rows:
        by_intake.setdefault(document.intake_id, []).append(document)
    found = []
    for intake_id, documents in by_intake.items():
        intake = session.get(Intake, intake_id)
        last, until = keep_until(intake, years, zone)
        if until is not None and until < today:
            found.append(Expiry(intake_id, last, until, tuple(documents)))
    return found


def destroy(session: Session, archive, found: list[Expiry], *, years: int) -> None:
    """Destroy the listed summaries' files, each intake audited.

    The row stays as a tombstone, marked expired: ready rows are never deleted
    (migration 0004), and a missing row would make the catch-up job render the
    destroyed summary again. A file another live row still points at
    (identical bytes) is kept.
    """
    for item in found:
        for document in item.documents:
            if document.sha256 and not _shared(session, document):
                archive.delete(document.sha256)
            document.status = DocumentStatus.EXPIRED
        audit(session, action="document.expire", actor_id=None,
              intake_id=item.intake_id, detail={
                  "documents": [d.id for d in item.documents], "keep_until":
                  item.keep_until.isoformat(), "retention_years": years})


def _shared(session: Session, document: Document) -> bool:
    return session.scalar(select(Document.id).where(
        Document.sha256 == document.sha256, Document.id != document.id,
        Document.status != DocumentStatus.EXPIRED).limit(1)) is not None
