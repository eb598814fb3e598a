"""The patient's language: chosen on the first page, changed from any step.

Kept on the intake (`intakes.language`, migration 0017) so every page, the
confirmation, the patient's copy and the consent are in it. It may change
only while the intake is a draft: the database's submitted-intake guard
refuses a change after submission, and this refuses it first with
`LanguageLocked` so the patient sees a plain message, not an error. Audited
with ids and the language code only (never an answer).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit
from intake.i18n import known
from intake.models import Intake


class LanguageLocked(Exception):
    """The intake is submitted (or cancelled): its language stays as it was."""


class UnknownLanguage(ValueError):
    """A code the app does not speak (intake.i18n.LANGUAGES)."""


def choose_language(session: Session, intake: Intake, language: str | None, *,
                    ip: str | None = None) -> bool:
    """Set a draft intake's language under its row lock; returns whether it
    changed. Flushes, never commits."""
    code = known(language)
    if code is None:
        raise UnknownLanguage(language)
    locked = session.scalars(
        select(Intake).where(Intake.id == intake.id).with_for_update()
        .execution_options(populate_existing=True)).one()
    if locked.is_submitted or locked.is_cancelled:
        raise LanguageLocked(locked.id)
    if locked.language == code:
        return False
    before = locked.language
    locked.language = code
    session.flush()
    audit.record(session, action="intake.language", actor_id=None, intake_id=locked.id,
                 ip=ip, detail={"from": before, "to": code})
    return True
