"""One patient, many visits: finding a patient, their visits, follow-ups, and
linking a walk-in to the patient the clinic already knows.

A patient is found by name and date of birth. The date of birth comes from a
submitted intake's answer (role date_of_birth) and is kept on the patient
(`record_date_of_birth`, called by the submission). A walk-in (or a second
record staff typed by mistake) whose name and date of birth match an
existing patient is offered to staff as a possible match; staff confirm the
link, which moves the intake to that patient, or dismiss it. Both are
audited by ids only: names and birth dates never go into the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake import audit
from intake.models import Clinic, Intake, Patient, utcnow
from intake.models.search import matching_ids_statement
from intake.questionnaire.identity import identity

FIND_LIMIT = 50


class FollowUpRefused(Exception):
    """A follow-up cannot be made of this intake; the message says why."""


class NoMatch(Exception):
    """The intake has no possible match (any more), or not the one named."""


@dataclass(frozen=True)
class Found:
    patient: Patient
    visits: int


def same_name(a: str | None, b: str | None) -> bool:
    """Names compared as people write them: case and spacing do not count."""
    def norm(s: str | None) -> str:
        return " ".join((s or "").split()).casefold()
    return bool(norm(a)) and norm(a) == norm(b)


def record_date_of_birth(intake: Intake, definition=None) -> None:
    """Copy the submitted answer's date of birth to the patient who has none yet
    (a later visit does not overwrite it: a differing date is for staff to see)."""
    patient = intake.patient
    if patient is None or patient.date_of_birth is not None:
        return
    born = identity(intake.answers, patient.display_name, definition).date_of_birth
    if born is not None:
        patient.date_of_birth = born


def backfill_dates_of_birth(session: Session) -> int:
    """Patients submitted before dates of birth were kept get theirs from their
    first submitted intake (run by `intake db upgrade`); returns how many."""
    stmt = (select(Intake).join(Intake.patient)
            .where(Patient.date_of_birth.is_(None), Intake.is_submitted.is_(True))
            .order_by(Intake.submitted_at, Intake.id))
    filled = 0
    for intake in session.scalars(stmt):
        if intake.patient.date_of_birth is None:
            record_date_of_birth(intake)
            filled += intake.patient.date_of_birth is not None
    session.flush()
    return filled


def _visit_counts(session: Session, patient_ids: list[int]) -> dict[int, int]:
    if not patient_ids:
        return {}
    rows = session.execute(select(Intake.patient_id, func.count(Intake.id))
                           .where(Intake.patient_id.in_(patient_ids))
                           .group_by(Intake.patient_id))
    return dict(rows.all())


def find_patients(session: Session, clinic: Clinic, *, name: str = "",
                  date_of_birth: date | None = None, limit: int = FIND_LIMIT) -> list[Found]:
    """Patients whose name contains `name` (through the name index of
    intake.models.search) and, if given, born on `date_of_birth`."""
    name = name.strip()
    if not name and date_of_birth is None:
        return []
    stmt = select(Patient).where(Patient.clinic_id == clinic.id)
    if name:
        dialect = session.get_bind().dialect.name
        stmt = stmt.where(Patient.id.in_(matching_ids_statement(dialect, name, None)))
    if date_of_birth is not None:
        stmt = stmt.where(Patient.date_of_birth == date_of_birth)
    patients = list(session.scalars(stmt.order_by(Patient.display_name, Patient.id)
                                    .limit(limit)))
    counts = _visit_counts(session, [p.id for p in patients])
    return [Found(p, counts.get(p.id, 0)) for p in patients]


def visit_time(intake: Intake) -> datetime:
    """When a visit happened, for ordering: submitted, else booked, else made."""
    return intake.submitted_at or intake.appointment_at or intake.created_at


def visits(session: Session, patient: Patient) -> list[Intake]:
    """The patient's intakes and follow-ups, newest first."""
    intakes = session.scalars(select(Intake).where(Intake.patient_id == patient.id))
    return sorted(intakes, key=lambda i: (visit_time(i), i.id), reverse=True)


def possible_match(session: Session, intake: Intake) -> Found | None:
    """An existing patient with this submitted intake's name and date of birth,
    when the intake's own patient is new (this is their only intake) and staff
    have not dismissed the match. The oldest such patient (older than the
    intake's own record) is offered."""
    if not intake.is_submitted:
        return None
    own = intake.patient
    if own is not None and own.match_dismissed_at is not None:
        return None
    who = identity(intake.answers, own.display_name if own else None)
    born = (own.date_of_birth if own else None) or who.date_of_birth
    if born is None:
        return None
    if own is not None and session.scalar(
            select(func.count(Intake.id)).where(Intake.patient_id == own.id,
                                                Intake.id != intake.id)):
        return None  # already a returning patient's record
    stmt = (select(Patient).where(Patient.clinic_id == intake.clinic_id,
                                  Patient.date_of_birth == born)
            .order_by(Patient.id))
    if own is not None:  # the newer record joins the older, never the other way
        stmt = stmt.where(Patient.id < own.id)
    names = {n for n in (who.typed_name, own.display_name if own else None) if n}
    for candidate in session.scalars(stmt):
        if any(same_name(candidate.display_name, n) for n in names):
            return Found(candidate, _visit_counts(session, [candidate.id]).get(candidate.id, 0))
    return None


def _locked(session: Session, intake: Intake) -> Intake:
    return session.scalars(select(Intake).where(Intake.id == intake.id).with_for_update()
                           .execution_options(populate_existing=True)).one()


def confirm_match(session: Session, intake: Intake, patient_id: int, *, actor_id: int,
                  ip: str | None = None) -> Patient:
    """Link the intake to the matching patient; the intake's own, now empty,
    patient record is removed (its email kept if the match has none)."""
    intake = _locked(session, intake)
    match = possible_match(session, intake)
    if match is None or match.patient.id != patient_id:
        raise NoMatch(intake.id)
    old = intake.patient
    intake.patient = match.patient
    session.flush()
    if old is not None:
        if old.email and not match.patient.email:
            match.patient.email = old.email
        session.delete(old)
        session.flush()
    audit.record(session, action="patient.link", actor_id=actor_id, intake_id=intake.id,
                 ip=ip, detail={"patient_id": match.patient.id,
                                "replaced_patient_id": old.id if old else None})
    return match.patient


def dismiss_match(session: Session, intake: Intake, patient_id: int, *, actor_id: int,
                  ip: str | None = None) -> None:
    """Staff say the match is another person: it is not offered again."""
    intake = _locked(session, intake)
    match = possible_match(session, intake)
    if match is None or match.patient.id != patient_id:
        raise NoMatch(intake.id)
    if intake.patient is None:  # a walk-in without a record yet: make theirs
        who = identity(intake.answers, None)
        intake.patient = Patient(clinic_id=intake.clinic_id, display_name=who.name or "",
                                 date_of_birth=who.date_of_birth)
        session.add(intake.patient)
    intake.patient.match_dismissed_at = utcnow()
    session.flush()
    audit.record(session, action="patient.match_dismissed", actor_id=actor_id,
                 intake_id=intake.id, ip=ip,
                 detail={"patient_id": intake.patient.id, "not_patient_id": patient_id})


def follow_up_of(session: Session, clinic: Clinic, intake_id: int) -> Intake:
    """The intake a follow-up would follow, or FollowUpRefused saying why not."""
    previous = session.get(Intake, intake_id)
    if previous is None or previous.clinic_id != clinic.id:
        raise FollowUpRefused(f"There is no intake {intake_id} in this clinic.")
    if not previous.is_submitted:
        raise FollowUpRefused(f"Intake {intake_id} is not submitted: a follow-up can only "
                              "follow a submitted intake.")
    if previous.patient is None:
        raise FollowUpRefused(f"Intake {intake_id} has no patient record to follow up.")
    return previous
