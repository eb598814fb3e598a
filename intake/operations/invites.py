"""Creating intakes: staff or CLI invites, and the clinic's public start link.

Staff may edit an invite (name, email, appointment) and cancel it until the
patient submits. Both lock the intake's row first, so a patient's submit and
a cancel take turns: whichever comes second sees the other's result.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit
from intake.models import Clinic, Intake, IntakeStatus, Patient, hash_token, new_token, utcnow


class InviteClosed(Exception):
    """The intake is submitted or cancelled: its invite can no longer change."""


class DraftNotForStaff(Exception):
    """A link that staff would see was asked for an intake with saved answers."""


def get_clinic(session: Session, *, create_name: str | None = None) -> Clinic | None:
    """The installation's clinic (one clinic per installation for now)."""
    clinic = session.scalars(select(Clinic).order_by(Clinic.id).limit(1)).first()
    if clinic is None and create_name:
        clinic = Clinic(name=create_name)
        session.add(clinic)
        session.flush()
    return clinic


def create_invite(
    session: Session, clinic: Clinic, *, name: str, days: int,
    appointment_at: datetime | None = None, email: str | None = None,
    now: datetime | None = None, patient: Patient | None = None,
    follows: Intake | None = None,
) -> tuple[Intake, str]:
    """An invited patient and their intake; returns the token for the link.

    `patient`: a returning patient (their record is linked, not duplicated;
    `name` is then ignored, and `email` only fills in a missing one); `follows`:
    the submitted intake a follow-up re-checks (its patient is the one invited)."""
    if follows is not None:
        patient = follows.patient
    if patient is not None and email and not patient.email:
        patient.email = email  # a known patient's missing email, typed now
    if patient is None:
        patient = Patient(clinic=clinic, display_name=name.strip(), email=email or None)
    intake, token = Intake.invite(
        clinic, patient, days=days, appointment_at=appointment_at, now=now, follows=follows,
    )
    session.add_all([patient, intake])
    session.flush()
    return intake, token


def invite_patient(
    session: Session, clinic: Clinic, *, name: str, days: int, actor_id: int,
    ip: str | None = None, appointment_at: datetime | None = None, email: str | None = None,
    patient: Patient | None = None, follows: Intake | None = None,
) -> tuple[Intake, str]:
    """A staff member's invite: `create_invite` plus its audit record; returns the
    token for the link."""
    intake, token = create_invite(session, clinic, name=name, days=days,
                                  appointment_at=appointment_at, email=email,
                                  patient=patient, follows=follows)
    audit.record(session, action="invite.create", actor_id=actor_id, intake_id=intake.id,
                 ip=ip, detail={"email_given": bool(email)}
                 | ({"patient_id": intake.patient_id} if patient or follows else {})
                 | ({"follows_id": follows.id} if follows else {}))
    return intake, token


def reissue_link(session: Session, intake: Intake, *, days: int, actor_id: int,
                 ip: str | None = None, token: str | None = None,
                 clear_draft: bool = False, delivery: str = "shown") -> str:
    """A new link for an unsubmitted intake; the old one stops working at once.

    `delivery` ("shown" or "email") says who gets the link; a draft is never
    handed to staff: "shown" needs an intake without saved answers, or
    `clear_draft` (the patient starts again). The routes decide, this refuses.
    """
    intake = _locked_open(session, intake)
    if clear_draft:
        intake.clear_draft()
    if delivery != "email" and intake.has_draft:
        raise DraftNotForStaff("a link for an intake with saved answers goes only by email")
    token = token or new_token()
    intake.token_hash = hash_token(token)
    intake.token_expires_at = utcnow() + timedelta(days=days)
    session.flush()
    audit.record(session, action="invite.reissue", actor_id=actor_id, intake_id=intake.id,
                 ip=ip, detail={"delivery": delivery, "draft_cleared": clear_draft})
    return token


def edit_invite(session: Session, intake: Intake, *, name: str, email: str | None,
                appointment_at: datetime, actor_id: int, ip: str | None = None) -> list[str]:
    """Change the invite's name, email and appointment; returns what changed
    (audited by field name only: the values are the patient's)."""
    intake = _locked_open(session, intake)
    changed = []
    patient = intake.patient
    if patient is None:  # a walk-in: staff now know who it is
        patient = Patient(clinic=intake.clinic, display_name=name.strip(), email=email or None)
        intake.patient = patient
        session.add(patient)
        changed += ["name", "email"] if email else ["name"]
    else:
        if patient.display_name != name.strip():
            patient.display_name = name.strip()
            changed.append("name")
        if (patient.email or None) != (email or None):
            patient.email = email or None
            changed.append("email")
    if intake.appointment_at != appointment_at:
        intake.appointment_at = appointment_at
        changed.append("appointment")
    session.flush()
    if changed:
        audit.record(session, action="invite.edit", actor_id=actor_id, intake_id=intake.id,
                     ip=ip, detail={"changed": changed})
    return changed


def cancel_invite(session: Session, intake: Intake, *, actor_id: int,
                  ip: str | None = None) -> None:
    """The link stops working (the patient is told it was cancelled) and the intake
    leaves the dashboard; a submitted intake cannot be cancelled."""
    intake = _locked_open(session, intake)
    had_draft = intake.has_draft
    intake.status = IntakeStatus.CANCELLED
    session.flush()
    audit.record(session, action="invite.cancel", actor_id=actor_id, intake_id=intake.id,
                 ip=ip, detail={"had_draft": had_draft})


def _locked_open(session: Session, intake: Intake) -> Intake:
    """The intake re-read under a row lock; InviteClosed once submitted or cancelled."""
    locked = session.scalars(
        select(Intake).where(Intake.id == intake.id).with_for_update()
        .execution_options(populate_existing=True)).one()
    if locked.is_submitted or locked.is_cancelled:
        raise InviteClosed(locked.id)
    return locked


def record_invite_email(session: Session, intake: Intake, *, sent: bool | None,
                        actor_id: int | None, ip: str | None = None,
                        error: str | None = None) -> None:
    """`error`: the type of the last failure only (SMTP errors quote addresses)."""
    audit.record(session, action="invite.email", actor_id=actor_id, intake_id=intake.id,
                 ip=ip, detail={"sent": sent} | ({"error": error} if error else {}))


def issue_start_token(session: Session, clinic: Clinic) -> str:
    """A new public start link for the clinic (the old one stops working)."""
    token = new_token()
    clinic.start_token_hash = hash_token(token)
    session.flush()
    return token


def clinic_for_start_token(session: Session, token: str) -> Clinic | None:
    return session.scalars(
        select(Clinic).where(Clinic.start_token_hash == hash_token(token))
    ).first()


def start_intake(session: Session, clinic: Clinic, *, days: int) -> tuple[Intake, str]:
    """A walk-in intake from the clinic start link; the patient names themselves."""
    intake, token = Intake.invite(clinic, None, days=days)
    intake.walk_in = True
    session.add(intake)
    session.flush()
    return intake, token


def intake_for_token(session: Session, token: str, *, lock: bool = False) -> Intake | None:
    """The intake a link names; `lock` for a write that reads the row first.

    With `lock` the row is selected FOR UPDATE (a row lock on PostgreSQL;
    SQLite's writing transaction already holds the database's write lock), so
    two saves of one draft take turns and neither loses the other's answers.
    """
    if not token or len(token) > 200:
        return None
    stmt = select(Intake).where(Intake.token_hash == hash_token(token))
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).first()
