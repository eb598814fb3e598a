"""Synthetic demo data: a clinic, invited and submitted intakes. No real people."""

from __future__ import annotations

from datetime import time

from sqlalchemy.orm import Session

from intake import clock
from intake.models import Clinic

#: (synthetic name, rule whose first firing example gives the answers, local hour today)
DEMO_PATIENTS = (
    ("Avery Demo", "rf_ces_bladder_dysfunction", 9),
    ("Blake Sample", "dn_anticoagulant", 10),
    ("Casey Placeholder", "dn_lymphoedema", 11),
    ("Drew Example", None, 12),
)


def seed(session: Session, config) -> Clinic:
    # Two-factor sign-in is offered (each person's Two-factor page), not required.
    clinic = Clinic(name=config["CLINIC_NAME"], phone="555-0100", require_two_factor=False)
    session.add(clinic)
    session.flush()
    seed_submitted(session, clinic, days=config.get("INVITE_DAYS", 14))
    seed_course(session, clinic)
    return clinic


def seed_course(session: Session, clinic: Clinic) -> list:
    """A returning patient: a first intake and three follow-ups (intake.demo_visits)."""
    from intake.demo_visits import seed_course as seed
    from intake.screening import load_rules

    return seed(session, clinic, dict(load_rules().baseline))


def course_patient(session: Session):
    """The demo's returning patient, or None (a clinic seeded before there was one)."""
    from sqlalchemy import select

    from intake.demo_visits import COURSE_NAME
    from intake.models import Patient

    return session.scalars(select(Patient).where(Patient.display_name == COURSE_NAME)
                           .order_by(Patient.id).limit(1)).first()


def seed_submitted(session: Session, clinic: Clinic, *, days: int) -> list:
    """A few submitted intakes for today's dashboard, with answers taken from
    the rules' own examples (so they are valid and fire the named rule)."""
    from intake.operations.invites import create_invite
    from intake.operations.submissions import submit_intake
    from intake.screening import load_rules
    from intake.screening.examples import example_answers

    rules = load_rules()
    today = clock.today()
    intakes = []
    for name, rule_id, hour in DEMO_PATIENTS:
        answers = dict(rules.baseline)
        if rule_id is not None:
            example = next(e for e in rules.rule(rule_id).examples if e.fires)
            answers = example_answers(rules, example)
        answers[rules.definition.role("full_name").id] = name
        intake, _ = create_invite(session, clinic, name=name, days=days,
                                  appointment_at=clock.from_local(today, time(hour)))
        intake.answers = answers
        submit_intake(session, intake)
        intakes.append(intake)
    session.flush()
    return intakes


DEMO_EMAIL = "demo.practitioner@example.org"


def reset_login(session: Session) -> tuple[str, str] | None:
    """Create the demo practitioner, or give it a new random password.

    There is no default account: the password is made here, printed once by
    `intake demo`, and a later `intake demo --refresh` replaces it.
    """
    from intake.operations.accounts import create_user, find_user, set_password
    from intake.passwords import generate_password

    password = generate_password()
    user = find_user(session, DEMO_EMAIL)
    if user is None:
        create_user(session, email=DEMO_EMAIL, role="practitioner", name="Demo Practitioner",
                    password=password)
    else:
        user.active = True
        set_password(session, user, password, actor_id=None)
    return DEMO_EMAIL, password
