"""Synthetic visits for the patient-record tests: a known patient's submitted
intake, and a walk-in who may be the same person."""

from __future__ import annotations

from staff_helpers import baseline_answers, submitted_intake

from intake.models import Patient, utcnow
from intake.operations import patients
from intake.operations.invites import start_intake


def visit(db, clinic, name="Robin Synthetic", born="1980-04-02", **kw):
    """A submitted intake whose patient's birth date is recorded, as submit does."""
    intake = submitted_intake(db, clinic, name=name, answers=baseline_answers(
        **{"about.full_name": name, "about.date_of_birth": born}), **kw)
    patients.record_date_of_birth(intake)
    db.commit()
    return intake


def walk_in(db, clinic, name="Robin Synthetic", born="1980-04-02"):
    """A walk-in submitted with a record of their own (as step 1 makes one)."""
    intake, _ = start_intake(db, clinic, days=1)
    intake.patient = Patient(clinic=clinic, display_name=name)
    intake.mark_submitted(baseline_answers(
        **{"about.full_name": name, "about.date_of_birth": born}), utcnow())
    patients.record_date_of_birth(intake)
    db.commit()
    return intake
