"""Creating intakes: staff or CLI invites, and the clinic's public start link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Clinic, Intake, Patient, hash_token, new_token


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
    now: datetime | None = None,
) -> tuple[Intake, str]:
    """An invited patient and their intake; returns the token for the link."""
    patient = Patient(clinic=clinic, display_name=name.strip(), email=email or None)
    intake, token = Intake.invite(
        clinic, patient, days=days, appointment_at=appointment_at, now=now,
    )
    session.add_all([patient, intake])
    session.flush()
    return intake, token


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
    session.add(intake)
    session.flush()
    return intake, token


def intake_for_token(session: Session, token: str) -> Intake | None:
    if not token or len(token) > 200:
        return None
    return session.scalars(select(Intake).where(Intake.token_hash == hash_token(token))).first()
