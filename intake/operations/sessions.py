"""Signed-in staff sessions, kept on the server.

The cookie is signed, not encrypted, and a copy of it works from anywhere
until the server says otherwise: so each sign-in opens a staff_sessions row,
the cookie carries its random token, and every staff request checks that the
row is still live. Signing out ends the row; a password change or reset and
deactivation end every row of the user (a password change then opens a new
one for the browser that made it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from intake import audit
from intake.models import hash_token, new_token
from intake.models.staff import StaffSession, StaffUser
from intake.models.types import utcnow


def open_session(session: Session, user: StaffUser, *, client_hash: str,
                 prune_before: datetime | None = None) -> str:
    """A new live session for `user`; returns the token for the cookie."""
    now = utcnow()
    if prune_before is not None:  # this user's finished rows are of no further use
        session.execute(delete(StaffSession).where(
            StaffSession.user_id == user.id,
            or_(StaffSession.ended_at.is_not(None), StaffSession.created_at < prune_before)))
    token = new_token()
    session.add(StaffSession(user_id=user.id, token_hash=hash_token(token),
                             client_hash=client_hash, created_at=now, password_failures=0))
    session.flush()
    return token


def find_session(session: Session, token: str | None) -> StaffSession | None:
    """The session row for a cookie's token, live or ended (None if unknown)."""
    if not token or len(token) > 200:
        return None
    return session.scalars(
        select(StaffSession).where(StaffSession.token_hash == hash_token(token))
    ).first()


def end_session(session: Session, row: StaffSession, why: str) -> None:
    session.execute(update(StaffSession)
                    .where(StaffSession.id == row.id, StaffSession.ended_at.is_(None))
                    .values(ended_at=utcnow(), end_reason=why))
    session.expire(row)


def end_user_sessions(session: Session, user: StaffUser, why: str, *,
                      keep: StaffSession | None = None) -> int:
    """End every live session of `user` but `keep` (this browser's, when given);
    how many were ended."""
    stmt = update(StaffSession).where(StaffSession.user_id == user.id,
                                      StaffSession.ended_at.is_(None))
    if keep is not None:
        stmt = stmt.where(StaffSession.id != keep.id)
    result = session.execute(
        stmt
        .values(ended_at=utcnow(), end_reason=why)
        .execution_options(synchronize_session="fetch"))
    return result.rowcount or 0


def count_password_failure(session: Session, row: StaffSession) -> int:
    """One more wrong current password in this session (counted in SQL); the total."""
    session.execute(update(StaffSession).where(StaffSession.id == row.id)
                    .values(password_failures=StaffSession.password_failures + 1))
    session.expire(row)
    return row.password_failures


def refuse_client(session: Session, row: StaffSession, *, ip: str | None) -> bool:
    """A session cookie presented by another browser or address. Not ended
    (that would let whoever copied a cookie sign its owner out); audited the
    first time only, so replaying the copy does not write on every request.
    True when this call recorded it."""
    first = session.execute(
        update(StaffSession)
        .where(StaffSession.id == row.id, StaffSession.refused_at.is_(None))
        .values(refused_at=utcnow())).rowcount
    if first:
        audit.record(session, action="auth.session_refused", actor_id=row.user_id, ip=ip,
                     detail={"why": "client_changed"})
    return bool(first)
