"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from intake.db import get_session
from intake.extensions import limiter
from intake.operations import accounts
from intake.staff import auth, bp, second_factor
from intake.staff.forms import ActionForm, ChangePasswordForm, LoginForm

FAILED_MESSAGE = (
    "Sign-in failed: the email or password is not right. After 5 failed attempts an "
    "account is paused for 15 minutes or more; an administrator can reset it."
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
                                  ip=auth.client_ip())
        if result.user is not None:
            # A second factor, if the account has one or must: not signed in yet.
            deferred = second_factor.defer(result.user, _safe_next(request.args.get("next")))
            if deferred is not None:
                return deferred
            auth.start_session(result.user)
            if result.user.must_change_password:
                return redirect(url_for("staff.change_password"))
            return redirect(_safe_next(request.args.get("next")))
        flash(FAILED_MESSAGE, "error")
        return render_template("staff/login.html", form=form), 200
    return render_template("staff/login.html", form=form)


@bp.post("/logout")
@auth.roles_required(auth.ALL_ROLES)
def logout():
    form = ActionForm()
    if form.validate_on_submit():
        accounts.sign_out(get_session(), current_user, ip=auth.client_ip())
        auth.end_session()
        flash("You are signed out.", "info")
    return redirect(url_for("staff.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@auth.roles_required(auth.ALL_ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if form.new.data != form.repeat.data:
            form.repeat.errors.append("The two new passwords are not the same.")
        else:
            db = get_session()
            user = current_user._get_current_object()
            try:
                accounts.change_password(db, user, current=form.current.data,
                                         new=form.new.data, ip=auth.client_ip())
            except accounts.AccountError as exc:
                form.new.errors.append(str(exc))
            else:
                auth.start_session(user)  # the old session id no longer matches
                flash("Your password is changed.", "success")
                return redirect(url_for("staff.dashboard"))
    return render_template("staff/change_password.html", form=form)
