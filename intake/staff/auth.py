"""Who is signed in, for how long, and in which role.

- Flask-Login with strong session protection; the session id is tied to the
  password stamp, so a password change or deactivation ends other sessions.
- Idle sign-out after IDLE_TIMEOUT without a request, and an absolute limit
  of PERMANENT_SESSION_LIFETIME after signing in, both checked on the server
  (a cookie's expiry alone can be replayed).
- Default deny: every staff endpoint must name its roles with
  `roles_required`; one that does not is refused for everyone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import wraps

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user

from intake.db import get_session
from intake.models.staff import Role, StaffUser
from intake.staff import PUBLIC_ENDPOINTS, bp

SEEN_KEY = "staff_seen"
SINCE_KEY = "staff_since"
ALL_ROLES = frozenset(Role)
CLINICAL = frozenset({Role.ADMIN, Role.PRACTITIONER})
ADMIN = frozenset({Role.ADMIN})

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


def now() -> float:
    """Seconds since the epoch; tests move time by patching this."""
    return time.time()


@login_manager.user_loader
def _load_user(session_id: str) -> StaffUser | None:
    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = get_session().get(StaffUser, int(user_id))
    if user is None or not user.active or user.get_id() != session_id:
        return None
    return user


def roles_required(*roles: Iterable[str] | str) -> Callable:
    """Allow a view to signed-in staff in `roles` (admin is always allowed)."""
    allowed = set()
    for role in roles:
        allowed |= {role} if isinstance(role, str) else set(role)
    allowed = frozenset(allowed | {Role.ADMIN})

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.staff_roles = allowed
        return wrapper

    return decorate


def start_session(user: StaffUser) -> None:
    """After a good password: a fresh session with its clocks started."""
    from flask_login import login_user

    session.clear()
    session.permanent = True
    login_user(user, remember=False)
    session[SINCE_KEY] = session[SEEN_KEY] = now()


def end_session() -> None:
    logout_user()
    session.clear()


def client_ip() -> str | None:
    return request.remote_addr


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_enforce_session_limits)


@bp.before_request
def _default_deny():
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    view = current_app.view_functions.get(endpoint)
    if view is None or not getattr(view, "staff_roles", None):
        abort(403)  # a staff view that forgot to name its roles
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.must_change_password and endpoint not in {
        "staff.change_password", "staff.logout",
    }:
        flash("Please choose a new password before you continue.", "info")
        return redirect(url_for("staff.change_password"))
    return None


def _enforce_session_limits():
    """Sign out a staff session that has been idle, or open, for too long."""
    seen = session.get(SEEN_KEY)
    if seen is None or (request.endpoint or "") == "static":
        return None
    t = now()
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    since = session.get(SINCE_KEY, seen)
    if t - seen > idle or t - since > lifetime:
        user_id = _session_user_id()
        end_session()
        _record_timeout(user_id, "idle" if t - seen > idle else "lifetime")
        flash("You were signed out after a period of inactivity. Please sign in again.",
              "info")
        return redirect(url_for("staff.login"))
    session[SEEN_KEY] = t
    return None


def _session_user_id() -> int | None:
    raw = str(session.get("_user_id") or "")
    head = raw.partition(":")[0]
    return int(head) if head.isdigit() else None


def _record_timeout(user_id: int | None, why: str) -> None:
    from intake.operations import accounts

    # Any request, a GET too, may end a session: ask for the write intent.
    accounts.record_timeout(get_session(write=True), user_id, why, ip=client_ip())
