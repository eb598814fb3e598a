"""Gather one document's SummaryData from the database (short, read-only).

Kept apart from rendering so the write lock SQLite takes for the session's
transaction is held only while reading, never while WeasyPrint works.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.documents.summary import SummaryData
from intake.documents.visit_context import collect_visit
from intake.i18n import locale_for
from intake.models import Document, DocumentKind, FlagRecord, Intake, ScreeningRecord


def flag_dict(flag: FlagRecord) -> dict[str, Any]:
    """A stored flag in the shape of `Flag.to_dict()`."""
    detail = flag.detail or {}
    evidence = list(flag.evidence or [])
    return {
        "rule_id": flag.rule_id, "level": flag.level, "urgency": flag.urgency,
        "title": flag.title, "why": detail.get("why", ""), "action": flag.action,
        "sources": list(flag.sources or []), "evidence": evidence,
        "site": detail.get("site"),
        "uncertain": bool(detail.get("uncertain"))
        or any(isinstance(e, dict) and e.get("uncertain") for e in evidence),
    }


def screening_dict(record: ScreeningRecord | None) -> dict[str, Any]:
    if record is None:
        return {"rules_version": None, "flags": [], "plan": None, "missing": True}
    return {
        "screening_id": record.id,
        "rules_version": record.rules_version,
        "questionnaire_version": record.questionnaire_version,
        "overall_level": record.overall_level,
        "plan": record.plan or None,
        "created_at": record.created_at.isoformat() if record.created_at else None,
        "flags": [flag_dict(flag) for flag in record.flags],
    }


def screening_for(session: Session, intake_id: int, *, latest: bool) -> ScreeningRecord | None:
    """The submission's screening (first) or the one the review ended on (latest)."""
    order = ScreeningRecord.id.desc() if latest else ScreeningRecord.id.asc()
    return session.scalars(
        select(ScreeningRecord).where(ScreeningRecord.intake_id == intake_id)
        .order_by(order).limit(1)
    ).first()


def collect(session: Session, document: Document, config) -> SummaryData:
    intake = session.get(Intake, document.intake_id)
    reviewed = document.kind == DocumentKind.REVIEWED_SUMMARY
    record = screening_for(session, intake.id, latest=reviewed)
    review = None
    if reviewed:
        from intake.documents.review import review_dict

        review = review_dict(session, intake)
    return SummaryData(
        answers=dict(intake.visit_answers or {}),
        screening=screening_dict(record),
        intake_id=intake.id, version=document.version, kind=document.kind,
        clinic_name=intake.clinic.name if intake.clinic else config.get("CLINIC_NAME", ""),
        clinic_phone=intake.clinic.phone if intake.clinic else None,
        patient_name=intake.patient.display_name if intake.patient else "",
        appointment_at=intake.appointment_at, submitted_at=intake.submitted_at,
        questionnaire_version=intake.questionnaire_version,
        review=review, generated_at=document.created_at,
        visit=collect_visit(session, intake, ZoneInfo(config["TIMEZONE"])),
        timezone=config["TIMEZONE"],  # INTAKE_TIMEZONE, checked by load_config
        # in the clinic's language, else the deployment's (INTAKE_LOCALE, likewise)
        locale=locale_for(intake.clinic.language if intake.clinic else None, config["LOCALE"]),
        patient_language=intake.language or "en",
        consent_text_version=intake.consent_text_version,
    )


def patient_copy_data(intake: Intake, config, now) -> SummaryData:
    """The patient's copy of a submitted intake: its answers (a follow-up's as
    of that visit), in the patient's language and locale; no screening."""
    return SummaryData(
        answers=dict(intake.visit_answers or {}), screening={}, intake_id=intake.id,
        kind="patient_copy",
        clinic_name=intake.clinic.name if intake.clinic else config.get("CLINIC_NAME", ""),
        clinic_phone=intake.clinic.phone if intake.clinic else None,
        patient_name=intake.patient.display_name if intake.patient else "",
        appointment_at=intake.appointment_at, submitted_at=intake.submitted_at,
        questionnaire_version=intake.questionnaire_version, generated_at=now,
        timezone=config["TIMEZONE"], locale=locale_for(intake.language, config["LOCALE"]),
        patient_language=intake.language or "en",
        consent_text_version=intake.consent_text_version,
    )
