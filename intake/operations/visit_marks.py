"""A follow-up's mark for the day's list: a red flag new since the last visit.

Set with every screening of a follow-up (``record_screening`` calls
``mark_new_red_flag``): compared by rule id with the latest screening of the
visit it follows (intake.visits.changes), so a red flag that was there
before is not new, and a precaution that became a red flag is. Stored on the
intake (``Intake.new_red_flag``) so the dashboard sorts by it in SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import FlagRecord, Intake, ScreeningRecord
from intake.visits.changes import compare


def stored_flags(session: Session, intake_id: int) -> dict[str, Any] | None:
    """The latest screening of an intake as ``{"flags": [...]}`` (what
    ``changes.compare`` reads), or None when it has none: one statement."""
    latest = (select(ScreeningRecord.id).where(ScreeningRecord.intake_id == intake_id)
              .order_by(ScreeningRecord.id.desc()).limit(1).scalar_subquery())
    rows = session.execute(
        select(ScreeningRecord.id, FlagRecord.rule_id, FlagRecord.level, FlagRecord.urgency)
        .outerjoin(FlagRecord, FlagRecord.screening_id == ScreeningRecord.id)
        .where(ScreeningRecord.id == latest)).all()
    if not rows:
        return None
    return {"flags": [{"rule_id": r, "level": lv, "urgency": u}
                      for _, r, lv, u in rows if r is not None]}


def mark_new_red_flag(session: Session, intake: Intake, screening: Any) -> None:
    """Set ``intake.new_red_flag`` for this screening (False for a first intake)."""
    previous = None
    if intake.is_follow_up and intake.follows_id is not None:
        previous = stored_flags(session, intake.follows_id)
    intake.new_red_flag = previous is not None and compare(
        previous, screening, {}, {}).new_red_flag
