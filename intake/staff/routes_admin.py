"""Admin pages: staff accounts and the audit log.

A temporary password is shown once, in the response to the POST that made
it, and never put in the session cookie or a log.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from intake.db import get_session, writes
from intake.models import AuditEvent, Intake, StaffUser
from intake.operations import access, accounts
from intake.passwords import generate_password
from intake.request_limits import bounded_int
from intake.staff import auth, bp
from intake.staff.forms import ActionForm, CreateUserForm

AUDIT_PAGE = 100


def _user(user_id: int) -> StaffUser:
    user = get_session().get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/admin/users")
@auth.roles_required(auth.ADMIN)
def users():
    rows = get_session().scalars(select(StaffUser).order_by(StaffUser.email)).all()
    return render_template("staff/users.html", users=rows, form=ActionForm(formdata=None))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@auth.roles_required(auth.ADMIN)
def create_user():
    form = CreateUserForm()
    if form.validate_on_submit():
        db = get_session()
        temporary = generate_password()
        try:
            user = accounts.create_user(
                db, email=form.email.data, role=form.role.data, name=form.name.data or "",
                password=temporary, actor_id=current_user.id, ip=auth.client_ip(),
                must_change=True)
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            return render_template("staff/temporary_password.html", user=user,
                                   password=temporary, created=True)
    return render_template("staff/user_new.html", form=form), 400 if form.errors else 200


@bp.post("/admin/users/<int:user_id>/reset")
@auth.roles_required(auth.ADMIN)
def reset_password(user_id: int):
    user = _user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    db = get_session()
    temporary = accounts.reset_password(db, user, actor_id=current_user.id, ip=auth.client_ip())
    return render_template("staff/temporary_password.html", user=user, password=temporary,
                           created=False)


@bp.post("/admin/users/<int:user_id>/active")
@auth.roles_required(auth.ADMIN)
def set_active(user_id: int):
    user = _user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    db = get_session()
    try:
        accounts.set_active(db, user, active, actor_id=current_user.id, ip=auth.client_ip())
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(email)s is active.", email=user.email) if active
              else _("%(email)s is deactivated.", email=user.email), "success")
    return redirect(url_for("staff.users"))


@bp.get("/admin/audit")
@auth.roles_required(auth.ADMIN)
@writes  # reading the log is itself logged
def audit_log():
    db = get_session()
    intake_id = request.args.get("intake", type=bounded_int)
    before = request.args.get("before", type=bounded_int)
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE + 1)
    if intake_id is not None:
        stmt = stmt.where(AuditEvent.intake_id == intake_id)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    events = list(db.scalars(stmt))
    more = len(events) > AUDIT_PAGE
    events = events[:AUDIT_PAGE]
    intake = db.get(Intake, intake_id) if intake_id is not None else None
    access.viewed_audit_log(db, actor_id=current_user.id, ip=auth.client_ip(),
                            intake_id=intake_id)
    return render_template("staff/audit.html", events=events, intake=intake,
                           intake_id=intake_id,
                           next_before=events[-1].id if more and events else None)
