"""The review (decisions per flag, sign-off) of an intake, as plain data.

The staff area owns the Decision and SignOff models (append-only: a changed
decision is a new row). The reviewed summary shows the latest decision per
rule next to its flag; the attached JSON keeps every decision in order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models.review import Decision, SignOff
from intake.models.screening import ScreeningRecord
from intake.models.staff import StaffUser


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _who(user) -> str | None:
    if user is None:
        return None
    return user.name or user.email


def review_dict(session: Session, intake) -> dict[str, Any] | None:
    decisions = session.scalars(
        select(Decision).where(Decision.intake_id == intake.id).order_by(Decision.id)
    ).all()
    signoff = session.scalars(
        select(SignOff).where(SignOff.intake_id == intake.id).order_by(SignOff.id.desc())
    ).first()
    return {
        "decisions": [
            {
                "rule_id": d.rule_id, "title": d.flag.title if d.flag else None,
                "level": d.level, "urgency": d.urgency,
                "choice": d.choice,
                "decision": d.choice_label,
                "note": d.note or None, "decided_by": _who(d.by), "decided_at": _iso(d.at),
            }
            for d in decisions
        ],
        "signed_off_by": _who(signoff.by) if signoff else None,
        "signed_off_at": _iso(signoff.at) if signoff else None,
        "screening_id": signoff.screening_id if signoff else None,
        "plans": plan_history(session, intake.id),
    }


def plan_history(session: Session, intake_id: int) -> list[dict[str, Any]]:
    """Every screening's plan in order: the default (the painful regions) from
    the submission, then each plan a practitioner saved, with who and when."""
    records = session.scalars(
        select(ScreeningRecord).where(ScreeningRecord.intake_id == intake_id)
        .order_by(ScreeningRecord.id)
    ).all()
    ids = {r.created_by_id for r in records if r.created_by_id is not None}
    users = {u.id: u for u in session.scalars(select(StaffUser).where(StaffUser.id.in_(ids)))
             } if ids else {}
    return [{"screening_id": r.id, "default": r.created_by_id is None,
             "by": _who(users.get(r.created_by_id)), "at": _iso(r.created_at),
             "plan": dict(r.plan or {})} for r in records]
