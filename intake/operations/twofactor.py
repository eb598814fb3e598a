"""Two-factor sign-in use cases: enrol, check a code or a recovery code, reset.

Like the other operations these take the session, flush and audit, and never
commit. Nothing typed (a code, a recovery code) goes into the audit log,
only what happened: "auth.two_factor_failed" says which check failed and why,
and a second step that signs in writes the sign-in's one "auth.login"
(intake.operations.sign_ins).

Concurrency: accepting a code moves the enrolment's `last_step` forward in one
conditional UPDATE, and using a recovery code sets its `used_at` the same way;
of two requests with the same code at the same moment exactly one succeeds,
on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from intake import audit, totp
from intake.models import Clinic, RecoveryCode, StaffUser, TwoFactorEnrolment, utcnow
from intake.models.staff import CLINICAL_ROLES, StaffSession
from intake.operations import sessions, sign_ins
from intake.passwords import hash_password, verify_password

RECOVERY_CODES = 10


@dataclass(frozen=True)
class Check:
    ok: bool
    reason: str  # "ok", "malformed", "wrong_code", "replayed", "unreadable", "not_enrolled"


def enrolment(session: Session, user_id: int) -> TwoFactorEnrolment | None:
    """The user's enrolment, pending or confirmed."""
    return session.scalars(
        select(TwoFactorEnrolment).where(TwoFactorEnrolment.user_id == user_id)).first()


def confirmed_id(session: Session, user_id: int) -> int | None:
    """The id of the user's confirmed enrolment: what a signed-in session is tied to."""
    return session.scalar(
        select(TwoFactorEnrolment.id).where(TwoFactorEnrolment.user_id == user_id,
                                            TwoFactorEnrolment.confirmed_at.is_not(None)))


def clinic_requires(session: Session) -> bool:
    return bool(session.scalar(select(Clinic.require_two_factor).order_by(Clinic.id).limit(1)))


def is_required(session: Session, user: StaffUser) -> bool:
    """Admins and practitioners must use a second factor when the clinic says so."""
    return user.role in CLINICAL_ROLES and clinic_requires(session)


def second_step(session: Session, user: StaffUser) -> str | None:
    """After a right password: "code" (enrolled), "set_up" (required, not
    enrolled yet), or None (the password alone signs in)."""
    if confirmed_id(session, user.id) is not None:
        return "code"
    return "set_up" if is_required(session, user) else None


def set_required(session: Session, required: bool, *, actor_id: int,
                 ip: str | None = None, clinic_name: str = "Clinic") -> None:
    from intake.operations.invites import get_clinic

    clinic = get_clinic(session, create_name=clinic_name)
    if bool(clinic.require_two_factor) == required:
        return
    clinic.require_two_factor = required
    session.flush()
    audit.record(session, action="clinic.two_factor_required", actor_id=actor_id, ip=ip,
                 detail={"required": required})


def pending_secret(session: Session, user: StaffUser, *, key: str) -> str:
    """The secret to show for enrolment, made on first call; refused once confirmed."""
    row = enrolment(session, user.id)
    if row is not None and row.confirmed:
        raise ValueError("two-factor sign-in is already set up")
    if row is not None:
        try:
            return totp.unseal(key, row.secret_sealed)
        except totp.InvalidToken:
            session.delete(row)  # sealed under an old SECRET_KEY: start again
            session.flush()
    secret = totp.new_secret()
    session.add(TwoFactorEnrolment(user_id=user.id, secret_sealed=totp.seal(key, secret)))
    session.flush()
    return secret


def confirm(session: Session, user: StaffUser, code: str, *, key: str, now: float,
            ip: str | None = None, signing_in: bool = False) -> list[str] | None:
    """Finish enrolment with a first code; returns the recovery codes (shown once).
    `signing_in`: the set-up is the second step of a sign-in, whose session starts."""
    row = enrolment(session, user.id)
    if row is None or row.confirmed:
        _failed(session, user, "enrol", "not_enrolled", ip)
        return None
    result = _consume(session, row, code, key=key, now=now)
    if not result.ok:
        _failed(session, user, "enrol", result.reason, ip)
        return None
    row.confirmed_at = utcnow()
    session.flush()
    codes = _new_recovery_codes(session, user)
    audit.record(session, action="auth.two_factor_enrolled", actor_id=user.id, ip=ip,
                 detail={"user_id": user.id, "recovery_codes": len(codes)})
    if signing_in:
        sign_ins.started(session, user, "code", ip=ip, enrolled=True)
    return codes


def check_code(session: Session, user: StaffUser, code: str, *, key: str, now: float,
               purpose: str = "login", ip: str | None = None) -> Check:
    """An authenticator code for a confirmed enrolment; each time step counts once."""
    row = enrolment(session, user.id)
    if row is None or not row.confirmed:
        result = Check(False, "not_enrolled")
    else:
        result = _consume(session, row, code, key=key, now=now)
    if not result.ok:
        _failed(session, user, purpose, result.reason, ip)
    elif purpose == "login":
        sign_ins.started(session, user, "code", ip=ip)
    return result


def use_recovery_code(session: Session, user: StaffUser, typed: str, *,
                      purpose: str = "recovery", ip: str | None = None) -> int | None:
    """Use a recovery code once; returns how many are left, or None if refused.
    For signing in (`purpose` "recovery") the session starts: `auth.login`."""
    code = totp.normalise_recovery_code(typed)
    if code is None or confirmed_id(session, user.id) is None:
        _failed(session, user, purpose, "malformed" if code is None else "not_enrolled", ip)
        return None
    rows = session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all()
    match = next((row for row in rows if verify_password(row.code_hash, code)), None)
    used = match is not None and session.execute(
        update(RecoveryCode).where(RecoveryCode.id == match.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount == 1
    if not used:
        _failed(session, user, purpose, "wrong_code", ip)
        return None
    left = recovery_codes_left(session, user.id)
    if purpose == "recovery":
        sign_ins.started(session, user, "recovery_code", ip=ip, recovery_codes_left=left)
    return left


def recovery_codes_left(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))) or 0


def regenerate_recovery_codes(session: Session, user: StaffUser, code: str, *, key: str,
                              now: float, ip: str | None = None) -> list[str] | None:
    """New recovery codes for a current authenticator code; the old ones stop working."""
    if not check_code(session, user, code, key=key, now=now, purpose="new_recovery_codes",
                      ip=ip).ok:
        return None
    codes = _new_recovery_codes(session, user)
    audit.record(session, action="auth.recovery_codes_replaced", actor_id=user.id, ip=ip,
                 detail={"user_id": user.id, "recovery_codes": len(codes)})
    return codes


def reset(session: Session, user: StaffUser, *, actor_id: int, ip: str | None = None,
          keep: StaffSession | None = None) -> bool:
    """An admin's reset: enrolment and codes go, and every session of the
    account ends at once (but ``keep``, the admin's own browser when they reset
    themselves), as turning it off and the CLI reset do. Returns whether there
    was anything to reset."""
    had = remove(session, user)
    ended = sessions.end_user_sessions(session, user, "two_factor_reset", keep=keep)
    audit.record(session, action="account.two_factor_reset", actor_id=actor_id, ip=ip,
                 detail={"user_id": user.id, "was_set_up": had, "sessions_ended": ended})
    return had


def remove(session: Session, user: StaffUser) -> bool:
    """Delete the enrolment and recovery codes (not audited: the caller says why).
    Whether there was an enrolment."""
    had = enrolment(session, user.id) is not None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(TwoFactorEnrolment).where(TwoFactorEnrolment.user_id == user.id))
    session.expire_all()
    session.flush()
    return had


def session_ended(session: Session, user_id: int | None, *, ip: str | None = None) -> None:
    """A session opened with a factor that was since reset or replaced was ended."""
    audit.record(session, action="auth.two_factor_session_ended", actor_id=user_id, ip=ip)


def _consume(session: Session, row: TwoFactorEnrolment, code: str, *, key: str,
             now: float) -> Check:
    if totp.normalise_code(code) is None:
        return Check(False, "malformed")
    try:
        secret = totp.unseal(key, row.secret_sealed)
    except totp.InvalidToken:
        return Check(False, "unreadable")
    step = totp.matching_step(secret, code, now=now)
    if step is None:
        return Check(False, "wrong_code")
    moved = session.execute(
        update(TwoFactorEnrolment)
        .where(TwoFactorEnrolment.id == row.id,
               or_(TwoFactorEnrolment.last_step.is_(None), TwoFactorEnrolment.last_step < step))
        .values(last_step=step).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return Check(False, "replayed")
    session.expire(row, ["last_step"])
    return Check(True, "ok")


def _new_recovery_codes(session: Session, user: StaffUser) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [totp.new_recovery_code() for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id,
                                 code_hash=hash_password(totp.normalise_recovery_code(c)))
                    for c in codes)
    session.flush()
    return codes


def _failed(session: Session, user: StaffUser, purpose: str, reason: str,
            ip: str | None) -> None:
    audit.record(session, action="auth.two_factor_failed", actor_id=None, ip=ip,
                 detail={"user_id": user.id, "purpose": purpose, "reason": reason})

