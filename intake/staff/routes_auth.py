"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from intake.db import get_session, keep_writes
from intake.extensions import limiter
from intake.jobs import queue_sign_in_notice
from intake.operations import accounts
from intake.staff import auth, bp, second_factor
from intake.staff.forms import ActionForm, ChangePasswordForm, LoginForm

FAILED_MESSAGE = _l(
    "Sign-in failed: the email or password is not right. Accounts are never locked, "
    "but after a few failed attempts each new one has to wait a little longer; "
    "an administrator can reset a forgotten password."
)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only a path on this site under /staff: never an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/staff/") \
                and not target.startswith("//"):
            return target
    return url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        result = accounts.sign_in(db, form.email.data, form.password.data,
                                  ip=auth.client_ip(), secret=auth.throttle_secret())
        if result.user is not None:
            return _signed_in(result.user, result.second_factor)
        _tell_the_holder(result.notify_user_id)
        if result.reason == "throttled":
            return _throttled(form, result.retry_after)
        flash(str(FAILED_MESSAGE), "error")
        return render_template("staff/login.html", form=form), 200
    return render_template("staff/login.html", form=form)


def _signed_in(user, next_step: str | None):
    """The password was right: ask for the second factor if the account has
    one or must (`next_step`), else open the session and go on."""
    if next_step is not None:
        return second_factor.defer(user, next_step, _safe_next(request.args.get("next")))
    auth.start_session(user)
    if user.must_change_password:
        return redirect(url_for("staff.change_password"))
    return redirect(_safe_next(request.args.get("next")))


def _throttled(form: LoginForm, retry_after: int):
    """Too soon after failed attempts from this address: say how long to wait."""
    keep_writes()  # the refused attempt stays in the audit log
    wait = ngettext("%(num)d second", "%(num)d seconds", retry_after) if retry_after < 120 \
        else ngettext("%(num)d minute", "%(num)d minutes", -(-retry_after // 60))
    flash(_("Too many failed sign-ins for this email from your address. Please wait %(wait)s "
            "and try again. The account is not locked: it still opens with the right "
            "password, from here after the wait.", wait=wait), "error")
    response = make_response(render_template("staff/login.html", form=form), 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


def _tell_the_holder(user_id: int | None) -> None:
    """Email the account holder about a burst of failed attempts (once per burst)."""
    if user_id is not None:
        queue_sign_in_notice(current_app, get_session(), user_id)


@bp.post("/logout")
@auth.roles_required(auth.ALL_ROLES)
def logout():
    form = ActionForm()
    if form.validate_on_submit():
        accounts.sign_out(get_session(), current_user, auth.current_session(),
                          ip=auth.client_ip())
        auth.end_session()
        flash(_("You are signed out."), "info")
    return redirect(url_for("staff.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@auth.roles_required(auth.ALL_ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if form.new.data != form.repeat.data:
            form.repeat.errors.append(_("The two new passwords are not the same."))
        else:
            db = get_session()
            user = current_user._get_current_object()
            try:
                accounts.change_password(db, user, current=form.current.data,
                                         new=form.new.data, ip=auth.client_ip(),
                                         row=auth.current_session(),
                                         secret=auth.throttle_secret())
            except accounts.WrongCurrentPassword as exc:
                return _wrong_current_password(form, user, exc)
            except accounts.AccountError as exc:
                form.new.errors.append(str(exc))
            else:
                auth.start_session(user)  # every session was ended: this one goes on
                flash(_("Your password is changed."), "success")
                return redirect(url_for("staff.dashboard"))
    return render_template("staff/change_password.html", form=form)


def _wrong_current_password(form: ChangePasswordForm, user, exc):
    """Counted like a failed sign-in; enough of them end the session."""
    if exc.notice:
        _tell_the_holder(user.id)
    if exc.session_ended:
        auth.end_session()
        flash(str(exc), "error")
        return redirect(url_for("staff.login"))
    form.current.errors.append(str(exc))
    return render_template("staff/change_password.html", form=form)
