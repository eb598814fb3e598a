"""The second step of signing in, and what keeps a session tied to its factor.

After a right password that needs a second factor (the account has one, or
the clinic requires one for its role: `twofactor.second_step`, asked by
`accounts.sign_in`), `defer` sends the person to it. They are NOT signed in:
the session holds only "password accepted for this account at this time"
(PENDING_KEY: the account's session id and a time, no secret), for
PENDING_SECONDS. Only the two-factor pages (routes_twofactor)
turn that into a signed-in session, through `complete`.

A session signed in with a factor carries the enrolment's id (MARK_KEY).
`gate`, run before every staff view, ends a session whose mark is not the
account's current enrolment: one opened before the person enrolled, or with
a factor an admin has since reset. It also sends an admin or practitioner
whom the clinic requires to use a second factor, and who has none, to set
one up before anything else.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake.db import get_session
from intake.models import StaffUser
from intake.operations import twofactor
from intake.staff import auth, bp

PENDING_KEY = "staff_2fa_pending"
MARK_KEY = "staff_2fa"
PENDING_SECONDS = 300
#: Where a signed-in person who must set up a second factor may still go.
SETUP_ENDPOINTS = frozenset({"staff.two_factor_setup", "staff.logout"})


def now() -> float:
    """Seconds since the epoch; tests move time by patching this."""
    return time.time()


def secret_key() -> str:
    return current_app.config["SECRET_KEY"]


def defer(user: StaffUser, next_step: str, target: str):
    """After a right password that needs a second step ("code" or "set_up",
    intake.operations.twofactor.second_step): the redirect to it."""
    session.clear()
    session[PENDING_KEY] = {"id": user.id, "stamp": _password_stamp(user), "at": now(),
                            "next": target}
    endpoint = "staff.two_factor_code" if next_step == "code" else "staff.two_factor_setup"
    return redirect(url_for(endpoint))


def _password_stamp(user: StaffUser) -> int:
    """A password change between the two steps voids the first one."""
    return int(user.password_changed_at.timestamp() * 1000)


def pending_user() -> StaffUser | None:
    """The account whose password was accepted moments ago, if still valid."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    at = pending.get("at")
    if not isinstance(at, int | float) or not 0 <= now() - at <= PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user_id = pending.get("id")
    user = get_session().get(StaffUser, user_id) if type(user_id) is int else None
    if user is None or not user.active or _password_stamp(user) != pending.get("stamp"):
        session.pop(PENDING_KEY, None)
        return None
    return user


def complete(user: StaffUser) -> str:
    """Both factors passed: sign in, tied to the enrolment; returns where to go next."""
    target = (session.get(PENDING_KEY) or {}).get("next") or url_for("staff.dashboard")
    auth.start_session(user)
    session[MARK_KEY] = twofactor.confirmed_id(get_session(), user.id)
    if user.must_change_password:
        return url_for("staff.change_password")
    return target


def mark_changed(user: StaffUser) -> None:
    """A signed-in person just enrolled or turned two-factor off: this session
    stays tied to what the account has now."""
    session[MARK_KEY] = twofactor.confirmed_id(get_session(), user.id)


def account_key() -> str:
    """The rate-limit key for the account a two-factor request is about."""
    if current_user.is_authenticated:
        return f"2fa:{current_user.id}"
    pending = session.get(PENDING_KEY)
    who = str(pending.get("id", "")).partition(":")[0] if isinstance(pending, dict) else ""
    return f"2fa:{who or request.remote_addr}"


@bp.before_request
def gate():
    if not current_user.is_authenticated:
        return None
    db = get_session()
    current = twofactor.confirmed_id(db, current_user.id)
    if session.get(MARK_KEY) != current:
        user_id = current_user.id
        auth.end_session()
        twofactor.session_ended(get_session(write=True), user_id, ip=auth.client_ip())
        flash(_("Two-factor sign-in for your account changed. Please sign in again."), "info")
        return redirect(url_for("staff.login"))
    if current is None and (request.endpoint or "") not in SETUP_ENDPOINTS \
            and twofactor.is_required(db, current_user):
        flash(_("The clinic requires two-factor sign-in. Please set it up to continue."), "info")
        return redirect(url_for("staff.two_factor_setup"))
    return None
