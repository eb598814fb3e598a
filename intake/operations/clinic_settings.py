"""Clinic settings an admin changes on the clinic settings page, audited.

The follow-up interval: PHQ-2 and STarT Back are asked at the follow-ups
before visits 1 + N, 1 + 2N, 1 + 3N, ... (the intake is visit 1;
FollowUpDefinition.steps_for_visit). The default, 4, asks them at visits 5,
9 and 13 (the 4th, 8th and 12th follow-up); 1 asks them at every follow-up.
A follow-up already started keeps the steps it had: its visit number does
not change, only the setting read when a step is shown.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake import audit
from intake.models import Clinic

#: bounds of the interval (the database CHECK of migration 0015 says the same)
EVERY_MIN, EVERY_MAX = 1, 52


def questionnaire_visits(every: int, count: int = 3) -> list[int]:
    """The first visit numbers at which PHQ-2 and STarT Back are asked."""
    return [1 + k * every for k in range(1, count + 1)]


def set_follow_up_interval(session: Session, clinic: Clinic, every: int, *, actor_id: int,
                           ip: str | None = None) -> bool:
    """Set how often the questionnaires are asked; False when unchanged."""
    if not EVERY_MIN <= every <= EVERY_MAX:
        raise ValueError(f"the interval must be {EVERY_MIN} to {EVERY_MAX}")
    before = clinic.follow_up_questionnaires_every
    if before == every:
        return False
    clinic.follow_up_questionnaires_every = every
    session.flush()
    audit.record(session, action="clinic.follow_up_interval", actor_id=actor_id, ip=ip,
                 detail={"from": before, "to": every})
    return True
