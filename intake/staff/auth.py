"""Who is signed in, for how long, and in which role.

- A server-side record of each signed-in browser (operations/sessions.py):
  the cookie carries a random token, and a request whose token names no live
  session is anonymous. Signing out, a timeout, a password change or reset
  and deactivation end the record, so a copied cookie stops working.
- Strong session protection, whatever `session.permanent` says (Flask-Login
  turns "strong" into "basic" for permanent sessions): a session presented
  from another address or User-Agent than it was opened from is refused.
- A session on a temporary password can do nothing but change it (or sign
  out): every staff view, PDF downloads included, redirects to the change page.
- Idle sign-out after IDLE_TIMEOUT without a request, and an absolute limit
  of PERMANENT_SESSION_LIFETIME after signing in, both checked on the server
  (a cookie's expiry alone can be replayed).
- Default deny: every staff endpoint must name its roles with
  `roles_required`; one that does not is refused for everyone.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user

from intake.db import get_session
from intake.models.staff import Role, StaffSession, StaffUser
from intake.models.types import utcnow
from intake.operations import sessions
from intake.staff import PUBLIC_ENDPOINTS, bp

SEEN_KEY = "staff_seen"
SINCE_KEY = "staff_since"
TOKEN_KEY = "staff_session"  # noqa: S105  (a session key name, not a secret)
#: What a session on a temporary password may still do.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"staff.change_password", "staff.logout"})
ALL_ROLES = frozenset(Role)
CLINICAL = frozenset({Role.ADMIN, Role.PRACTITIONER})
ADMIN = frozenset({Role.ADMIN})

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # the lazy message, in the page's language
login_manager.session_protection = "strong"


def now() -> float:
    """Seconds since the epoch; tests move time by patching this."""
    return time.time()


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    """The user of this request's live session, checked by _check_session."""
    row = current_session()
    if row is None or str(row.user_id) != user_id:
        return None
    return row.user


def current_session() -> StaffSession | None:
    """This request's live server-side session, if it has one."""
    return g.get("staff_session")


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
            if current_user.must_change_password and \
                    request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
                flash(_("Please choose a new password before you continue."), "info")
                return redirect(url_for("staff.change_password"))
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.staff_roles = allowed
        return wrapper

    return decorate


def start_session(user: StaffUser) -> None:
    """After a good password: a fresh session, recorded on the server, with its
    clocks started."""
    from flask_login import login_user

    session.clear()
    session.permanent = True
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    token = sessions.open_session(get_session(), user, client_hash=client_hash(),
                                  prune_before=utcnow() - lifetime)
    g.pop("staff_session", None)
    login_user(user, remember=False)
    session[TOKEN_KEY] = token
    session[SINCE_KEY] = session[SEEN_KEY] = now()


def end_session() -> None:
    """Forget the session in this browser (the caller ends its record)."""
    g.pop("staff_session", None)
    logout_user()
    session.clear()


def client_ip() -> str | None:
    return request.remote_addr


def client_hash() -> str:
    """Who the session was opened by: address and User-Agent (hashed)."""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha256(f"{client_ip()}\0{agent}".encode()).hexdigest()


def throttle_secret() -> str:
    """The key of the sign-in throttle's hashes (operations/throttle.py)."""
    return current_app.config["SECRET_KEY"]


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_check_session)


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
    return None


def _check_session():
    """Find this request's live server-side session, or make the request anonymous.

    Also signs out a session that has been idle, or open, for too long."""
    if (request.endpoint or "") == "static" or not (
            session.get(TOKEN_KEY) or session.get("_user_id") or session.get(SEEN_KEY)):
        return None
    db = get_session()
    row = sessions.find_session(db, session.get(TOKEN_KEY))
    user_id = _session_user_id()
    if row is None or not row.live or row.user_id != user_id or not row.user.active:
        end_session()  # signed out elsewhere, timed out, or a password changed
        return None
    if row.client_hash != client_hash():
        if row.refused_at is None:  # recorded once; later replays only read
            sessions.refuse_client(get_session(write=True), row, ip=client_ip())
        end_session()  # this browser's copy only: the owner's session goes on
        return None
    seen = session.get(SEEN_KEY)
    if seen is None:
        end_session()
        return None
    t = now()
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    since = session.get(SINCE_KEY, seen)
    if t - seen > idle or t - since > lifetime:
        end_session()
        _record_timeout(row, "idle" if t - seen > idle else "lifetime")
        flash(_("You were signed out after a period of inactivity. Please sign in again."),
              "info")
        return redirect(url_for("staff.login"))
    session[SEEN_KEY] = t
    g.staff_session = row
    return None


def _session_user_id() -> int | None:
    raw = str(session.get("_user_id") or "")
    head = raw.partition(":")[0]
    return int(head) if head.isdigit() else None


def _record_timeout(row: StaffSession, why: str) -> None:
    from intake.operations import accounts

    # Any request, a GET too, may end a session: ask for the write intent.
    user_id = row.user_id
    accounts.record_timeout(get_session(write=True), user_id, why, row=row, ip=client_ip())
