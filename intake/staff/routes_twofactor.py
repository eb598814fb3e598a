"""Two-factor sign-in pages: the second step of signing in, setting it up,
recovery codes, turning it off, and the admin's setting and reset.

The second step and set-up are reachable between the password and the
signed-in session (PUBLIC_ENDPOINTS; intake.staff.second_factor holds that
state). Every POST here is rate-limited like the sign-in form, per address
and per account. Recovery codes are shown once, in the response to the POST
that made them, and never kept in the session cookie.
"""

from __future__ import annotations

import segno
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from intake import totp
from intake.db import get_session, writes
from intake.extensions import limiter
from intake.jobs import queue_sign_in_notice
from intake.models import StaffUser, TwoFactorEnrolment
from intake.operations import accounts, twofactor, twofactor_off
from intake.staff import auth, bp, second_factor
from intake.staff.forms import ActionForm
from intake.staff.forms_twofactor import (
    TURN_OFF_PREFIX,
    CodeForm,
    NewRecoveryCodesForm,
    RecoveryForm,
    RequireForm,
    TurnOffForm,
)

WRONG_CODE = _l("That code is not right, or it was already used. Wait for the app to show "
                "a new code and type that one.")
WRONG_RECOVERY = _l("That recovery code is not right, or it was already used.")
EXPIRED = _l("Please sign in again: the sign-in was not finished within 5 minutes.")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _limited(view):
    """Rate-limit a view's POSTs like the sign-in form: per address and per account."""
    view = limiter.limit(_login_limit, methods=["POST"], key_func=second_factor.account_key)(view)
    return limiter.limit(_login_limit, methods=["POST"])(view)


def _restart():
    flash(str(EXPIRED), "info")
    return redirect(url_for("staff.login"))


def _second_step_user():
    """(the account whose password was accepted, or None; a redirect, or None)."""
    user = second_factor.pending_user()
    if user is None:
        return None, _restart()
    if twofactor.confirmed_id(get_session(), user.id) is None:
        return None, redirect(url_for("staff.two_factor_setup"))  # required, not set up
    return user, None


def qr_svg(uri: str) -> Markup:
    """The otpauth URI as an inline SVG QR code (no script, no image request)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff",
                                                svgclass="qr-code", lineclass=None)
    label = "QR code for your authenticator app"
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@bp.route("/login/code", methods=["GET", "POST"])
@_limited
def two_factor_code():
    user, elsewhere = _second_step_user()
    if elsewhere is not None:
        return elsewhere
    form = CodeForm()
    if form.validate_on_submit():
        db = get_session()
        check = twofactor.check_code(db, user, form.code.data, key=second_factor.secret_key(),
                                     now=second_factor.now(), ip=auth.client_ip())
        if check.ok:
            return redirect(second_factor.complete(user))
        form.code.errors.append(str(WRONG_CODE) if check.reason != "unreadable" else
                                _("Your two-factor set-up cannot be read. Use a recovery "
                                  "code, or ask an administrator to reset it."))
    return render_template("staff/twofactor_code.html", form=form)


@bp.route("/login/recovery", methods=["GET", "POST"])
@_limited
def two_factor_recovery():
    user, elsewhere = _second_step_user()
    if elsewhere is not None:
        return elsewhere
    form = RecoveryForm()
    if form.validate_on_submit():
        left = twofactor.use_recovery_code(get_session(), user, form.code.data,
                                           ip=auth.client_ip())
        if left is not None:
            target = second_factor.complete(user)
            flash(ngettext("You signed in with a recovery code; %(num)d of them left. Make "
                           "new ones under Two-factor sign-in if you are running out.",
                           "You signed in with a recovery code; %(num)d of them left. Make "
                           "new ones under Two-factor sign-in if you are running out.", left),
                  "info" if left > 2 else "error")
            return redirect(target)
        form.code.errors.append(str(WRONG_RECOVERY))
    return render_template("staff/twofactor_recovery.html", form=form)


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@_limited
@writes  # the first visit makes the secret to show
def two_factor_setup():
    signed_in = current_user.is_authenticated
    user = current_user._get_current_object() if signed_in else second_factor.pending_user()
    if user is None:
        return _restart()
    db = get_session()
    if twofactor.confirmed_id(db, user.id) is not None:
        return redirect(url_for("staff.two_factor" if signed_in else "staff.two_factor_code"))
    key = second_factor.secret_key()
    secret = twofactor.pending_secret(db, user, key=key)
    form = CodeForm()
    if form.validate_on_submit():
        codes = twofactor.confirm(db, user, form.code.data, key=key, now=second_factor.now(),
                                  ip=auth.client_ip(), signing_in=not signed_in)
        if codes is not None:
            if signed_in:
                second_factor.mark_changed(user)
                target = url_for("staff.two_factor")
            else:
                target = second_factor.complete(user)
            return render_template("staff/twofactor_codes.html", codes=codes, target=target,
                                   enrolled=True)
        form.code.errors.append(str(WRONG_CODE))
    uri = totp.provisioning_uri(secret, account=user.email,
                                issuer=current_app.config["CLINIC_NAME"])
    return render_template("staff/twofactor_setup.html", form=form, qr=qr_svg(uri),
                           secret=_grouped(secret), account=user.email,
                           required=twofactor.is_required(db, user), signed_in=signed_in)


@bp.get("/account/two-factor")
@auth.roles_required(auth.ALL_ROLES)
def two_factor():
    return _account_page()


def _account_page(form: NewRecoveryCodesForm | None = None,
                  off_form: TurnOffForm | None = None):
    db = get_session()
    user = current_user._get_current_object()
    row = twofactor.enrolment(db, user.id)
    return render_template(
        "staff/twofactor_account.html", enrolment=row if row and row.confirmed else None,
        left=twofactor.recovery_codes_left(db, user.id),
        required=twofactor.is_required(db, user),
        form=form or NewRecoveryCodesForm(formdata=None),
        off_form=off_form or TurnOffForm(formdata=None, prefix=TURN_OFF_PREFIX))


@bp.post("/account/two-factor/recovery-codes")
@auth.roles_required(auth.ALL_ROLES)
@_limited
def two_factor_new_codes():
    db = get_session()
    user = current_user._get_current_object()
    form = NewRecoveryCodesForm()
    if form.validate_on_submit():
        codes = twofactor.regenerate_recovery_codes(
            db, user, form.code.data, key=second_factor.secret_key(), now=second_factor.now(),
            ip=auth.client_ip())
        if codes is not None:
            return render_template("staff/twofactor_codes.html", codes=codes,
                                   target=url_for("staff.two_factor"), enrolled=False)
        form.code.errors.append(str(WRONG_CODE))
    return _account_page(form)


@bp.post("/account/two-factor/turn-off")
@auth.roles_required(auth.ALL_ROLES)
@_limited
def two_factor_turn_off():
    """The holder turns their own second factor off (operations/twofactor_off.py);
    their other sessions end, this one goes on."""
    user = current_user._get_current_object()
    form = TurnOffForm(prefix=TURN_OFF_PREFIX)
    if not form.validate_on_submit():
        return _account_page(off_form=form)
    try:
        ended = twofactor_off.turn_off(
            get_session(), user, password=form.password.data, code=form.code.data,
            key=second_factor.secret_key(), now=second_factor.now(),
            row=auth.current_session(), ip=auth.client_ip(), secret=auth.throttle_secret())
    except accounts.WrongCurrentPassword as exc:
        if exc.notice:
            queue_sign_in_notice(current_app, get_session(), user.id)
        if exc.session_ended:
            auth.end_session()
            flash(str(exc), "error")
            return redirect(url_for("staff.login"))
        form.password.errors.append(str(exc))
    except twofactor_off.NotSetUp as exc:  # turned off or reset in another tab
        flash(str(exc), "info")
        return redirect(url_for("staff.two_factor"))
    except twofactor_off.TwoFactorRequired as exc:
        form.password.errors.append(str(exc))
    except twofactor_off.WrongSecondFactor as exc:
        form.code.errors.append(str(exc))
    else:
        second_factor.mark_changed(user)
        flash(_("Two-factor sign-in is turned off for your account: your password alone "
                "signs you in now.") + (" " + ngettext(
                    "Your other session has ended.",
                    "Your %(num)d other sessions have ended.", ended) if ended else ""),
              "success")
        return redirect(url_for("staff.two_factor"))
    return _account_page(off_form=form)


@bp.route("/admin/two-factor", methods=["GET", "POST"])
@auth.roles_required(auth.ADMIN)
def two_factor_admin():
    db = get_session()
    form = RequireForm(data={"required": twofactor.clinic_requires(db)})
    if form.validate_on_submit():
        twofactor.set_required(db, bool(form.required.data), actor_id=current_user.id,
                               ip=auth.client_ip(),
                               clinic_name=current_app.config["CLINIC_NAME"])
        flash(_("Two-factor sign-in is now required for administrators and practitioners.")
              if form.required.data else _("Two-factor sign-in is now optional."), "success")
        return redirect(url_for("staff.two_factor_admin"))
    users = db.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    enrolled = dict(db.execute(select(TwoFactorEnrolment.user_id,
                                      TwoFactorEnrolment.confirmed_at)).all())
    return render_template("staff/twofactor_admin.html", form=form, users=users,
                           enrolled=enrolled, reset_form=ActionForm(formdata=None))


@bp.post("/admin/users/<int:user_id>/two-factor/reset")
@auth.roles_required(auth.ADMIN)
def two_factor_reset(user_id: int):
    db = get_session()
    user = db.get(StaffUser, user_id)
    if user is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    own = auth.current_session() if user.id == current_user.id else None
    twofactor.reset(db, user, actor_id=current_user.id, ip=auth.client_ip(), keep=own)
    if own is not None:  # an admin resetting themselves goes on in this browser
        second_factor.mark_changed(user)
    again = (_("They set it up again at their next sign-in.")
             if twofactor.is_required(db, user)
             else _("They may set it up again after signing in."))
    flash(_("Two-factor sign-in for %(email)s is reset and their sessions have ended.",
            email=user.email) + " " + again, "success")
    return redirect(url_for("staff.two_factor_admin"))
