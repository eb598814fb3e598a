"""Audit records of reading: who opened which page or downloaded which file.

Reading clinical data is itself an event the clinic must be able to show,
so these GET-side records are operations like any write (they flush; the
request commits, see intake.db). Their views are marked `@writes`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake import audit


def viewed_intake(session: Session, intake_id: int, *, actor_id: int, ip: str | None,
                  page: str | None = None) -> None:
    audit.record(session, action="intake.view", actor_id=actor_id, intake_id=intake_id,
                 ip=ip, detail={"page": page} if page else None)


def viewed_dashboard(session: Session, *, actor_id: int, ip: str | None, filtered: bool,
                     intake_ids: list[int]) -> None:
    audit.record(session, action="dashboard.view", actor_id=actor_id, ip=ip,
                 detail={"filtered": filtered, "intakes": intake_ids})


def viewed_audit_log(session: Session, *, actor_id: int, ip: str | None,
                     intake_id: int | None) -> None:
    audit.record(session, action="audit.view", actor_id=actor_id, intake_id=intake_id, ip=ip)


def downloaded(session: Session, intake_id: int, detail: dict, *, actor_id: int,
               ip: str | None) -> None:
    audit.record(session, action="document.download", actor_id=actor_id,
                 intake_id=intake_id, detail=detail, ip=ip)


def download_refused(session: Session, intake_id: int, detail: dict, *, problem: str,
                     actor_id: int, ip: str | None) -> None:
    """An archived file failed its check: recorded even though nothing was sent."""
    audit.record(session, action="document.integrity_error", actor_id=actor_id,
                 intake_id=intake_id, detail={**detail, "problem": problem}, ip=ip)


def download_unavailable(session: Session, intake_id: int, detail: dict, *, problem: str,
                         actor_id: int, ip: str | None) -> None:
    """The file is missing here or the archive unreachable: an availability
    event, deliberately not an integrity error (no false tamper alarm)."""
    audit.record(session, action="document.unavailable", actor_id=actor_id,
                 intake_id=intake_id, detail={**detail, "problem": problem}, ip=ip)


def patient_copy_downloaded(session: Session, intake_id: int, *, language: str,
                            pages: int) -> None:
    """The patient took a copy of their answers: ids and the language only
    (no address, no token, nothing they answered)."""
    audit.record(session, action="patient.copy", actor_id=None, intake_id=intake_id,
                 detail={"language": language, "pages": pages})
