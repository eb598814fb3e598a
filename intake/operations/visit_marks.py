"""A follow-up's mark for the day's list: a red flag new since the last visit.

Set with every screening of a follow-up (``record_screening`` calls
``mark_new_red_flag``): compared by rule id with the latest screening of the
visit it follows (intake.visits.changes), so a red flag that was there
before is not new, and a precaution that became a red flag is. Stored on the
intake (``Intake.new_red_flag``) so the dashboard sorts by it in SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from intake.documents.visit_context import latest_flags
from intake.models import Intake
from intake.visits.changes import compare


def mark_new_red_flag(session: Session, intake: Intake, screening: Any) -> None:
    """Set ``intake.new_red_flag`` for this screening (False for a first intake)."""
    if not intake.is_follow_up or intake.follows_id is None:
        intake.new_red_flag = False
        return
    previous = {"flags": latest_flags(session, intake.follows_id)}
    intake.new_red_flag = compare(previous, screening, {}, {}).new_red_flag
