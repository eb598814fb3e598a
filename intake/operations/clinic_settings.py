"""Clinic settings an admin changes on the clinic settings page, audited:
how often follow-ups ask the questionnaires, and the clinic's language.

The follow-up interval: PHQ-2 and STarT Back are asked at the follow-ups
before visits 1 + N, 1 + 2N, 1 + 3N, ... (the intake is visit 1;
FollowUpDefinition.steps_for_visit). The default, 4, asks them at visits 5,
9 and 13 (the 4th, 8th and 12th follow-up); 1 asks them at every follow-up.
A follow-up already started keeps the steps it had: its visit number does
not change, only the setting read when a step is shown.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit
from intake.i18n import LANGUAGES
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
    return _change(session, clinic, "follow_up_questionnaires_every", every,
                   action="clinic.follow_up_interval", actor_id=actor_id, ip=ip)


def set_clinic_language(session: Session, clinic: Clinic, language: str | None, *,
                        actor_id: int, ip: str | None = None) -> bool:
    """The clinic's language ('en', 'fr'; None: the deployment's); False when unchanged."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return _change(session, clinic, "language", language, action="clinic.language",
                   actor_id=actor_id, ip=ip)


def _change(session: Session, clinic: Clinic, column: str, value, *, action: str,
            actor_id: int, ip: str | None) -> bool:
    """Set one setting and audit it as {"from", "to"}; False when unchanged."""
    before = getattr(clinic, column)
    if before == value:
        return False
    setattr(clinic, column, value)
    session.flush()
    audit.record(session, action=action, actor_id=actor_id, ip=ip,
                 detail={"from": before, "to": value})
    return True


def clinic_language(session: Session) -> str | None:
    """The installation's clinic's language (one clinic per installation for now)."""
    return session.scalar(select(Clinic.language).order_by(Clinic.id).limit(1))
