"""Staff accounts: creating them, signing in, changing passwords.

No lockout: a lock that five wrong passwords close is one that anyone who
knows an email can keep closed. Instead a guesser is slowed per (email,
address) pair (`intake.operations.throttle`) and per address (the sign-in
form's rate limit), and the account holder is told: the NOTICE_AFTER-th
failed password check of a burst (failures less than BURST_GAP apart, ended
by a good password) asks for an email to them (the web layer queues it).
Wrong current passwords on the password-change page count the same way,
and SESSION_PASSWORD_FAILURES of them end that session.

The audit log never holds what was typed: a failed sign-in records the
account's id when the email names one, and nothing typed otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from intake import audit
from intake.i18n import LANGUAGES, language_of
from intake.models.clinic import Clinic
from intake.models.staff import Role, StaffSession, StaffUser
from intake.models.types import utcnow
from intake.operations import sessions, sign_ins, throttle, twofactor
from intake.passwords import (
    generate_password,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)

NOTICE_AFTER = 5
BURST_GAP = timedelta(days=1)
#: Wrong current passwords on the change page before that session is ended.
SESSION_PASSWORD_FAILURES = 3


class AccountError(ValueError):
    """A request the account rules refuse; the message is safe to show."""


class WrongCurrentPassword(AccountError):
    """The current password typed on the change page is not right."""

    def __init__(self, *, session_ended: bool, notice: bool) -> None:
        super().__init__(_("Your current password is not right.") + (
            "" if not session_ended else " " + _("You have been signed out to protect the "
                                                 "account.")))
        self.session_ended = session_ended
        self.notice = notice


@dataclass(frozen=True)
class SignInResult:
    user: StaffUser | None
    reason: str  # "ok", "unknown", "inactive", "throttled", "wrong_password"
    #: seconds to wait, when reason is "throttled"
    retry_after: int | None = None
    #: the account whose holder must be told of a burst of failures (once per burst)
    notify_user_id: int | None = None
    #: after a right password: None (signed in), or the second step that must
    #: follow before the session starts ("code" or "set_up")
    second_factor: str | None = None


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
        raise AccountError(_("Enter a valid email address."))
    if role not in set(Role):
        raise AccountError(_("Role must be one of: %(roles)s.",
                             roles=", ".join(r.value for r in Role)))
    if find_user(session, email) is not None:
        raise AccountError(_("An account with this email already exists."))
    problems = password_problems(password, email=email, name=name,
                                 clinic=clinic_name(session))
    if problems:
        raise AccountError(_in_page_language(problems[0]))
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
    now: datetime | None = None, secret: str = "",
) -> SignInResult:
    """Check a sign-in and record it in the audit log (never the password, and
    never the email as typed). `secret` keys the throttle's hash (the app's
    SECRET_KEY in the web).

    A right password is a sign-in (`auth.login`) only when no second factor
    must follow; otherwise it is `auth.password_ok` and the result names the
    second step (intake.operations.sign_ins)."""
    now = now or utcnow()
    key = throttle.key_for(secret, normalise_email(email), ip)
    user = find_user(session, email)
    wait = throttle.retry_after(session, key, now)
    if wait is not None:  # too soon after this pair's last failure: not even checked
        _failed(session, user, "throttled", ip)
        return SignInResult(None, "throttled", retry_after=wait)
    if user is None or not user.active:
        verify_password(None, password)  # same time as a real check
        reason = "unknown" if user is None else "inactive"
        throttle.record_failure(session, key, now)
        _failed(session, user, reason, ip)
        return SignInResult(None, reason)
    if not verify_password(user.password_hash, password):
        throttle.record_failure(session, key, now)
        notice = _count_failure(session, user, now)
        _failed(session, user, "wrong_password", ip)
        return SignInResult(None, "wrong_password",
                            notify_user_id=user.id if notice else None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.clear(session, key)
    user.failed_attempts = 0
    user.last_failed_at = None
    session.flush()
    next_step = twofactor.second_step(session, user)
    if next_step is not None:
        sign_ins.password_accepted(session, user, next_step, ip=ip)
    else:
        sign_ins.started(session, user, "password", ip=ip, at=now)
    return SignInResult(user, "ok", second_factor=next_step)


def sign_out(session: Session, user: StaffUser, row: StaffSession | None = None, *,
             ip: str | None = None) -> None:
    if row is not None:
        sessions.end_session(session, row, "sign_out")
    audit.record(session, action="auth.logout", actor_id=user.id, ip=ip)


def record_timeout(session: Session, user_id: int | None, why: str, *,
                   row: StaffSession | None = None, ip: str | None = None) -> None:
    """A session ended by the idle or lifetime limit (`why`: "idle" or "lifetime")."""
    if row is not None:
        sessions.end_session(session, row, why)
    audit.record(session, action="auth.timeout", actor_id=user_id, detail={"why": why}, ip=ip)


def _count_failure(session: Session, user: StaffUser, now: datetime) -> bool:
    """One more failed password check in the user's burst (in SQL: two at once
    are two); True for exactly the one that reaches NOTICE_AFTER."""
    session.execute(
        update(StaffUser).where(StaffUser.id == user.id).values(
            failed_attempts=case(
                (StaffUser.last_failed_at.is_(None), 1),
                (StaffUser.last_failed_at < now - BURST_GAP, 1),
                else_=StaffUser.failed_attempts + 1),
            last_failed_at=now))
    count = session.scalar(select(StaffUser.failed_attempts).where(StaffUser.id == user.id))
    session.expire(user, ["failed_attempts", "last_failed_at"])
    if count != NOTICE_AFTER:
        return False
    audit.record(session, action="auth.failure_notice", actor_id=None,
                 detail={"user_id": user.id, "failures": count})
    return True


def _failed(session: Session, user: StaffUser | None, reason: str, ip: str | None) -> None:
    audit.record(session, action="auth.login_failed", actor_id=None, ip=ip,
                 detail={"reason": reason, "user_id": user.id if user else None})


def change_password(
    session: Session, user: StaffUser, *, current: str, new: str, ip: str | None = None,
    row: StaffSession | None = None, secret: str = "",
) -> None:
    """Change one's own password. A wrong current one counts like a failed
    sign-in, and SESSION_PASSWORD_FAILURES of them end the session `row`."""
    check_current_password(session, user, current, row=row, ip=ip, secret=secret,
                           purpose="change_password")
    if new == current:
        raise AccountError("Choose a password different from the current one.")
    set_password(session, user, new, actor_id=user.id, ip=ip)


def check_current_password(session: Session, user: StaffUser, typed: str, *,
                           row: StaffSession | None, ip: str | None, secret: str,
                           purpose: str) -> None:
    """A signed-in person re-types their password to confirm a change (`purpose`,
    for the audit). A wrong one counts like a failed sign-in, and
    SESSION_PASSWORD_FAILURES of them in one session end it: WrongCurrentPassword."""
    if not verify_password(user.password_hash, typed):
        _wrong_current_password(session, user, row, ip=ip, secret=secret, purpose=purpose)


def _wrong_current_password(session: Session, user: StaffUser, row: StaffSession | None, *,
                            ip: str | None, secret: str, purpose: str) -> None:
    now = utcnow()
    throttle.record_failure(session, throttle.key_for(secret, user.email, ip), now)
    notice = _count_failure(session, user, now)
    failures = sessions.count_password_failure(session, row) if row is not None else 0
    ended = failures >= SESSION_PASSWORD_FAILURES
    audit.record(session, action="auth.password_check_failed", actor_id=user.id, ip=ip,
                 detail={"failures": failures, "session_ended": ended, "purpose": purpose})
    if ended:
        sessions.end_session(session, row, "password_guesses")
    raise WrongCurrentPassword(session_ended=ended, notice=notice)


def set_password(
    session: Session, user: StaffUser, new: str, *, actor_id: int | None,
    ip: str | None = None, temporary: bool = False,
) -> None:
    """Set a password (own change, admin reset or CLI); ends every session of the
    user (the web opens a new one for a browser that changed its own)."""
    problems = password_problems(new, email=user.email, name=user.name,
                                 clinic=clinic_name(session))
    if problems:
        raise AccountError(_in_page_language(problems[0]))
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = temporary
    user.failed_attempts = 0
    user.last_failed_at = None
    session.flush()
    action = "account.password_reset" if actor_id != user.id else "account.password_change"
    sessions.end_user_sessions(session, user, action.removeprefix("account."))
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
    session.flush()
    if not active:
        sessions.end_user_sessions(session, user, "deactivated")
    audit.record(session, action="account.activate" if active else "account.deactivate",
                 actor_id=actor_id, ip=ip, detail={"user_id": user.id})


def _active_admins(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(StaffUser)
        .where(StaffUser.role == Role.ADMIN, StaffUser.active.is_(True))
    ) or 0


def clinic_name(session: Session) -> str:
    """The clinic's name, for the password rules (one clinic per installation;
    before its row exists, the configured name it will be given)."""
    from flask import current_app, has_app_context

    name = session.scalar(select(Clinic.name).order_by(Clinic.id).limit(1))
    if not name and has_app_context():
        name = current_app.config.get("CLINIC_NAME")
    return name or ""


def set_language(session: Session, user: StaffUser, language: str | None, *,
                 ip: str | None = None) -> bool:
    """The language of the user's own staff pages ('en', 'fr'; None: the clinic's).

    False when unchanged; audited with the account's id and the two codes."""
    if language is not None and language not in LANGUAGES:
        raise AccountError(_("That language is not offered."))
    before = user.language
    if before == language:
        return False
    user.language = language
    session.flush()
    audit.record(session, action="account.language", actor_id=user.id, ip=ip,
                 detail={"from": before, "to": language})
    return True


def _in_page_language(message) -> str:
    """A password reason (an English Message) in the current page's language;
    English outside a request (the CLI)."""
    locale = get_locale()
    return message.in_language(language_of(str(locale))) if locale is not None else str(message)
