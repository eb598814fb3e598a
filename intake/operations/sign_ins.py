"""What a sign-in writes to the audit log, step by step.

A sign-in is one `auth.login` row, written when the session really starts:
at the password for an account without a second factor, else after the code,
the recovery code or the first code of a set-up. A right password that must
still be followed by a second factor writes `auth.password_ok` instead (the
person is not signed in yet, and may never be).

`method` in `auth.login` says what the last step was: "password", "code" or
"recovery_code" (with how many are left); `enrolled` marks a sign-in that set
up two-factor on the way.

Rows written before this split keep their names (the audit chain is
immutable): there, `auth.login` was written at every right password, before
any second factor, and `auth.two_factor_login` marked the session's start
after one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from intake import audit
from intake.models.staff import StaffUser
from intake.models.types import utcnow

PASSWORD_OK = "auth.password_ok"  # noqa: S105  (an audit action, not a secret)
LOGIN = "auth.login"
#: Written by releases before the split, read still: the start of a session after
#: a second factor (`auth.login` then came earlier, at the password).
LEGACY_TWO_FACTOR_LOGIN = "auth.two_factor_login"
#: The second steps a right password can lead to.
NEXT_STEPS = ("code", "set_up")


def password_accepted(session: Session, user: StaffUser, next_step: str, *,
                      ip: str | None = None) -> None:
    """The password was right and a second factor must follow (`next_step`)."""
    if next_step not in NEXT_STEPS:
        raise ValueError(f"unknown second step {next_step!r}")
    audit.record(session, action=PASSWORD_OK, actor_id=user.id, ip=ip,
                 detail={"second_factor": "pending", "next_step": next_step})


def started(session: Session, user: StaffUser, method: str, *, ip: str | None = None,
            at: datetime | None = None, **detail) -> None:
    """The session starts now: the one `auth.login` row of this sign-in."""
    user.last_login_at = at or utcnow()
    session.flush()
    audit.record(session, action=LOGIN, actor_id=user.id, ip=ip,
                 detail={"method": method, **detail})
