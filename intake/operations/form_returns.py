"""Keep a refused staff form for the page it redirects to, and take it back once.

See intake.models.form_return: the values wait in the database (a decision
note is clinical text, the session cookie is only signed), for one user and
one intake, read once and deleted, and never kept past a few minutes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake.models import FormReturn, utcnow

#: Long enough for the redirect that follows; a tab left for longer shows a clean page.
KEEP_FOR = timedelta(minutes=10)


def keep(session: Session, *, user_id: int, intake_id: int, form: str,
         data: dict[str, Any]) -> None:
    """Keep one form's values and messages; replaces what this user kept for it."""
    now = utcnow()
    session.execute(delete(FormReturn).where(FormReturn.created_at < now - KEEP_FOR))
    session.execute(delete(FormReturn).where(FormReturn.staff_user_id == user_id,
                                             FormReturn.intake_id == intake_id,
                                             FormReturn.form == form))
    session.add(FormReturn(staff_user_id=user_id, intake_id=intake_id, form=form, data=data,
                           created_at=now))
    session.flush()


def take(session: Session, *, user_id: int, intake_id: int) -> dict[str, dict[str, Any]]:
    """This user's kept forms for the intake, by form name; deleted as they are read."""
    rows = list(session.scalars(select(FormReturn).where(
        FormReturn.staff_user_id == user_id, FormReturn.intake_id == intake_id,
        FormReturn.created_at >= utcnow() - KEEP_FOR).order_by(FormReturn.id)))
    if rows:
        session.execute(delete(FormReturn).where(FormReturn.id.in_([r.id for r in rows])))
        session.flush()
    return {row.form: dict(row.data or {}) for row in rows}
