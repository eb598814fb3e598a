"""Staff accounts: creating them, signing in with lockout, changing passwords.

Lockout: after 5 wrong passwords in a row an account is locked for 15
minutes; each further run of 5 doubles the lock, capped at 1 hour. While
locked, every attempt is refused without checking the password (a correct
one too), and attempts during the lock are not counted. A lock always
expires by itself.

The trade-off: someone who knows a practitioner's email can keep the
account locked for up to an hour at a time by sending 5 wrong passwords
each time the lock ends. Locks that never expire would let them lock the
practitioner out for good, and no lock at all would let them guess freely;
the per-IP rate limit on the sign-in form (intake.staff.routes_auth) slows
the first, and an admin reset (`reset_password`) clears a lock at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake import audit
from intake.models.staff import Role, StaffUser
from intake.models.types import utcnow
from intake.staff.passwords import (
    generate_password,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)

LOCK_AFTER = 5
LOCK_BASE = timedelta(minutes=15)
LOCK_MAX = timedelta(hours=1)


class AccountError(ValueError):
    """A request the account rules refuse; the message is safe to show."""


@dataclass(frozen=True)
class SignInResult:
    user: StaffUser | None
    reason: str  # "ok", "unknown", "inactive", "locked", "wrong_password"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(session: Session, email: str) -> StaffUser | None:
    return session.scalars(
        select(StaffUser).where(StaffUser.email == normalise_email(email))
    ).first()


def create_user(
    session: Session, *, email: str, role: str, password: str, name: str = "",
    actor_id: int | None = None, ip: str | None = None, must_change: bool = False,
) -> StaffUser:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("Enter a valid email address.")
    if role not in set(Role):
        raise AccountError(f"Role must be one of: {', '.join(r.value for r in Role)}.")
    if find_user(session, email) is not None:
        raise AccountError("An account with this email already exists.")
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise AccountError(problems[0])
    user = StaffUser(email=email, name=name.strip(), role=role,
                     password_hash=hash_password(password), active=True,
                     must_change_password=must_change, failed_attempts=0,
                     password_changed_at=utcnow())
    session.add(user)
    session.flush()
    audit.record(session, action="account.create", actor_id=actor_id,
                 detail={"user_id": user.id, "email": email, "role": role}, ip=ip)
    return user


def sign_in(
    session: Session, email: str, password: str, *, ip: str | None = None,
    now: datetime | None = None,
) -> SignInResult:
    """Check a sign-in and record it in the audit log (never the password)."""
    now = now or utcnow()
    user = find_user(session, email)
    if user is None or not user.active:
        verify_password(None, password)  # same time as a real check
        reason = "unknown" if user is None else "inactive"
        _failed(session, user, reason, email, ip)
        return SignInResult(None, reason)
    if user.is_locked(now):
        _failed(session, user, "locked", email, ip)
        return SignInResult(None, "locked")
    if not verify_password(user.password_hash, password):
        # Counted in SQL: two wrong passwords at once are two attempts, and
        # exactly one of them reaches the multiple of LOCK_AFTER and locks.
        user.failed_attempts = StaffUser.failed_attempts + 1
        session.flush()
        _failed(session, user, "wrong_password", email, ip)
        if user.failed_attempts % LOCK_AFTER == 0:
            user.locked_until = now + lock_duration(user.failed_attempts // LOCK_AFTER)
            audit.record(session, action="auth.locked", actor_id=None, ip=ip,
                         detail={"user_id": user.id, "until": user.locked_until.isoformat()})
        session.flush()
        return SignInResult(None, "wrong_password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    audit.record(session, action="auth.login", actor_id=user.id, ip=ip)
    return SignInResult(user, "ok")


def sign_out(session: Session, user: StaffUser, *, ip: str | None = None) -> None:
    audit.record(session, action="auth.logout", actor_id=user.id, ip=ip)


def record_timeout(session: Session, user_id: int | None, why: str, *,
                   ip: str | None = None) -> None:
    """A session ended by the idle or lifetime limit (`why`: "idle" or "lifetime")."""
    audit.record(session, action="auth.timeout", actor_id=user_id, detail={"why": why}, ip=ip)


def lock_duration(lock_number: int) -> timedelta:
    """15 minutes for the first lock, doubling, never more than an hour."""
    return min(LOCK_BASE * (2 ** max(lock_number - 1, 0)), LOCK_MAX)


def _failed(session: Session, user: StaffUser | None, reason: str, email: str,
            ip: str | None) -> None:
    audit.record(session, action="auth.login_failed", actor_id=None, ip=ip,
                 detail={"reason": reason, "email": normalise_email(email)[:254],
                         "user_id": user.id if user else None})


def change_password(
    session: Session, user: StaffUser, *, current: str, new: str, ip: str | None = None,
) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not right.")
    if new == current:
        raise AccountError("Choose a password different from the current one.")
    set_password(session, user, new, actor_id=user.id, ip=ip)


def set_password(
    session: Session, user: StaffUser, new: str, *, actor_id: int | None,
    ip: str | None = None, temporary: bool = False,
) -> None:
    """Set a password (own change, admin reset or CLI); ends other sessions."""
    problems = password_problems(new, email=user.email, name=user.name)
    if problems:
        raise AccountError(problems[0])
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = temporary
    user.failed_attempts = 0
    user.locked_until = None
    session.flush()
    action = "account.password_reset" if actor_id != user.id else "account.password_change"
    audit.record(session, action=action, actor_id=actor_id, ip=ip,
                 detail={"user_id": user.id, "temporary": temporary})


def reset_password(
    session: Session, user: StaffUser, *, actor_id: int, ip: str | None = None,
) -> str:
    """An admin reset: a random temporary password, to be changed at next sign-in."""
    temporary = generate_password()
    set_password(session, user, temporary, actor_id=actor_id, ip=ip, temporary=True)
    return temporary


def set_active(
    session: Session, user: StaffUser, active: bool, *, actor_id: int, ip: str | None = None,
) -> None:
    if user.id == actor_id and not active:
        raise AccountError("You cannot deactivate your own account.")
    if not active and user.role == Role.ADMIN and _active_admins(session) <= 1:
        raise AccountError("At least one active administrator must remain.")
    user.active = active
    if not active:
        # A new stamp ends the user's open sessions at their next request.
        user.password_changed_at = utcnow()
    session.flush()
    audit.record(session, action="account.activate" if active else "account.deactivate",
                 actor_id=actor_id, ip=ip, detail={"user_id": user.id})


def _active_admins(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(StaffUser)
        .where(StaffUser.role == Role.ADMIN, StaffUser.active.is_(True))
    ) or 0
