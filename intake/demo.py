"""Synthetic demo data: a clinic, invited and submitted intakes. No real people."""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake.models import Clinic


def seed(session: Session, config) -> Clinic:
    clinic = Clinic(name=config["CLINIC_NAME"], phone="555-0100")
    session.add(clinic)
    session.flush()
    return clinic


def reset_login(session: Session) -> tuple[str, str] | None:
    """Create or re-key the demo practitioner; None until staff accounts exist."""
    return None
