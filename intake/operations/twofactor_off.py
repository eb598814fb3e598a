"""Turning two-factor sign-in off: by the account's holder, or from the command line.

The holder shows it is them twice over, in this order:

1. Refused before anything is checked while the clinic requires a second
   factor for the account's role (TwoFactorRequired): an admin's reset is
   the way then.
2. Their password. A wrong one counts like one on the password-change page
   (throttled, the holder told after a burst, the third in one session ends
   it: accounts.WrongCurrentPassword), and no code is spent on it.
3. A current authenticator code, or an unused recovery code: each counts
   once, like at sign-in; a refused one is `auth.two_factor_failed` with
   purpose "turn_off" (WrongSecondFactor).

Then the enrolment and the recovery codes go, and the account's other
sessions end (the holder's own browser stays signed in). From the command
line (`reset_from_cli`) every session ends. Both are audited with ids only:
`account.two_factor_off` (the holder, and which second factor they used) and
`account.two_factor_reset` with no actor.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from intake import audit, totp
from intake.models.staff import StaffSession, StaffUser
from intake.operations import accounts, sessions, twofactor

PURPOSE = "turn_off"


class TwoFactorRequired(accounts.AccountError):
    """The clinic requires a second factor for this account's role."""

    def __init__(self) -> None:
        super().__init__(_("The clinic requires two-factor sign-in for your role, so it "
                           "cannot be turned off. An administrator can reset it if you lost "
                           "your phone."))


class NotSetUp(accounts.AccountError):
    """There is no confirmed enrolment to turn off."""

    def __init__(self) -> None:
        super().__init__(_("Two-factor sign-in is not set up for your account."))


class WrongSecondFactor(accounts.AccountError):
    """The code or recovery code was not accepted; `reason` as in twofactor.Check."""

    def __init__(self, reason: str) -> None:
        if reason == "unreadable":
            message = _("Your two-factor set-up cannot be read. Use a recovery code instead.")
        else:
            message = _("That code is not right, or it was already used. Type the code your "
                        "app shows now, or one of your unused recovery codes.")
        super().__init__(message)
        self.reason = reason


def turn_off(session: Session, user: StaffUser, *, password: str, code: str, key: str,
             now: float, row: StaffSession | None, ip: str | None = None,
             secret: str = "") -> int:
    """The holder turns their own second factor off; returns how many of their
    other sessions were ended. Raises one of the AccountErrors above (or
    accounts.WrongCurrentPassword) and changes nothing but the counts then."""
    if twofactor.is_required(session, user):
        raise TwoFactorRequired
    if twofactor.confirmed_id(session, user.id) is None:
        raise NotSetUp
    accounts.check_current_password(session, user, password, row=row, ip=ip, secret=secret,
                                    purpose="turn_off_two_factor")
    method = "code" if totp.normalise_code(code) is not None else "recovery_code"
    if method == "code":
        check = twofactor.check_code(session, user, code, key=key, now=now, purpose=PURPOSE,
                                     ip=ip)
        if not check.ok:
            raise WrongSecondFactor(check.reason)
    elif twofactor.use_recovery_code(session, user, code, purpose=PURPOSE, ip=ip) is None:
        raise WrongSecondFactor("wrong_code")
    twofactor.remove(session, user)
    ended = sessions.end_user_sessions(session, user, "two_factor_off", keep=row)
    audit.record(session, action="account.two_factor_off", actor_id=user.id, ip=ip,
                 detail={"user_id": user.id, "method": method, "sessions_ended": ended})
    return ended


def reset_from_cli(session: Session, user: StaffUser) -> tuple[bool, int]:
    """`intake user reset-two-factor`: the enrolment and codes go and every session
    of the account ends; (whether it was set up, how many sessions ended)."""
    had = twofactor.remove(session, user)
    ended = sessions.end_user_sessions(session, user, "two_factor_reset")
    audit.record(session, action="account.two_factor_reset", actor_id=None,
                 detail={"user_id": user.id, "was_set_up": had, "sessions_ended": ended,
                         "from": "cli"})
    return had, ended
