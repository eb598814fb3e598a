"""Synthetic demo data: a clinic, invited and submitted intakes. No real people."""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake.models import Clinic


def seed(session: Session, config) -> Clinic:
    clinic = Clinic(name=config["CLINIC_NAME"], phone="555-0100")
    session.add(clinic)
    session.flush()
    return clinic


DEMO_EMAIL = "demo.practitioner@example.org"


def reset_login(session: Session) -> tuple[str, str] | None:
    """Create the demo practitioner, or give it a new random password.

    There is no default account: the password is made here, printed once by
    `intake demo`, and a later `intake demo --refresh` replaces it.
    """
    from intake.operations.accounts import create_user, find_user, set_password
    from intake.staff.passwords import generate_password

    password = generate_password()
    user = find_user(session, DEMO_EMAIL)
    if user is None:
        create_user(session, email=DEMO_EMAIL, role="practitioner", name="Demo Practitioner",
                    password=password)
    else:
        user.active = True
        set_password(session, user, password, actor_id=None)
    return DEMO_EMAIL, password
