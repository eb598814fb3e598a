"""An intake's FHIR Bundle from the database, and the audit of handing it out.

intake/fhir is pure; this reads what it needs (the visit's answers, the
latest screening's flags) and records who took a Bundle (ids only, never an
answer): the staff download and `intake fhir export` both come here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit, clock
from intake.documents.collect import flag_dict, screening_for
from intake.fhir import IntakeRecord, bundle
from intake.i18n import known
from intake.models import Intake
from intake.questionnaire import load_definition
from intake.questionnaire.identity import typed_name_of


def bundle_of(session: Session, intake: Intake, *, now: datetime | None = None) -> dict:
    """The submitted intake as a Bundle: its visit answers (a follow-up's merged
    set), the latest screening's flags, the consent."""
    if not intake.is_submitted:
        raise ValueError(f"intake {intake.id} is not submitted")
    screening = screening_for(session, intake.id, latest=True)
    return bundle(IntakeRecord(
        intake_id=intake.id, definition=load_definition(),
        answers=dict(intake.visit_answers or {}),
        flags=[flag_dict(flag) for flag in screening.flags] if screening else [],
        submitted_at=intake.submitted_at,
        screened_at=screening.created_at if screening else None,
        rules_version=screening.rules_version if screening else None,
        generated_at=now or clock.now(), language=intake.language,
        consent_text_version=intake.consent_text_version,
    ))


def submitted_since(session: Session, since: datetime) -> Iterable[Intake]:
    return session.scalars(select(Intake).where(
        Intake.is_submitted.is_(True), Intake.submitted_at >= since).order_by(Intake.id))


def downloaded(session: Session, intake_id: int, *, actor_id: int, ip: str | None) -> None:
    audit.record(session, action="fhir.download", actor_id=actor_id, intake_id=intake_id,
                 ip=ip, detail={"format": "fhir+json"})


def exported(session: Session, *, since: str, intake_ids: list[int]) -> None:
    audit.record(session, action="fhir.export", actor_id=None,
                 detail={"since": since, "intakes": intake_ids})


def prefill(session: Session, intake: Intake, answers: dict, *,
            language: str | None = None) -> None:
    """A new intake's draft holds ``answers`` (checked by intake.fhir.prefill)
    and, when given, the response's ``language``. No step is complete and the
    intake stays invited, so the patient's first page still offers the language
    (preselected) and then the patient walks each step and confirms it."""
    if intake.is_submitted or intake.answers or intake.completed_steps:
        raise ValueError(f"intake {intake.id} is not a new intake")
    intake.answers = dict(answers)
    intake.typed_name = typed_name_of(intake.answers)
    detail = {"answers": len(answers), "source": "fhir"}
    if known(language):
        intake.language = detail["language"] = language
    session.flush()
    audit.record(session, action="intake.prefill", actor_id=None, intake_id=intake.id,
                 detail=detail)
