"""Shared data for the follow-up tests: a first intake and a calm follow-up."""

from __future__ import annotations

from datetime import date
from typing import Any

from answers import valid_answers

INTAKE_DAY = date(2026, 11, 2)
FOLLOW_UP_DAY = date(2026, 11, 16)

#: a follow-up where nothing changed and nothing new is reported
CALM_FOLLOW_UP: dict[str, Any] = {
    "changes.anything_changed": "no",
    "changes.medicines_changed": "no",
    "changes.new_events": ["none"],
    "symptoms.saddle_numbness": "no",
    "symptoms.bladder": "no",
    "symptoms.bowel": "no",
    "symptoms.sexual_function": "no",
    "symptoms.both_legs": "no",
    "pain.leg_symptoms": "none",
    "symptoms.leg_weakness": "no",
    "symptoms.weight_loss": "no",
    "pain.night": "none",
    "symptoms.calf": "no",
    "symptoms.fever": "no",
    "symptoms.unwell": "no",
    "symptoms.new_infection": "no",
    "history.injects_drugs": "no",
    "today.session_reaction": "soreness_or_bruise",
    "pain.back_now": 3,
    "pain.back_worst_24h": 4,
}


def first_intake(**overrides: Any) -> dict[str, Any]:
    return valid_answers(today=INTAKE_DAY, overrides=overrides)


def follow_up_answers(**changes: Any) -> dict[str, Any]:
    return {**CALM_FOLLOW_UP, **changes}
