"""Inviting a patient from the staff side: the link is shown once.

After the POST the new link waits in the session for the redirect's GET,
which takes it out: a reload does not show it again, and it is never
logged. A lost link is replaced by issuing a new one (the old stops working).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from intake import clock, jobs, mail
from intake.db import get_session
from intake.models import AuditEvent, utcnow
from intake.operations.invites import get_clinic, invite_patient, reissue_link
from intake.staff import auth, bp
from intake.staff.forms import ActionForm, InviteForm
from intake.staff.routes_intake import load_intake

PENDING_KEY = "staff_new_link"


def _link(token: str) -> str:
    base = current_app.config.get("BASE_URL") or request.url_root
    return f"{base.rstrip('/')}/i/{token}"


@bp.route("/invites/new", methods=["GET", "POST"])
@auth.roles_required(auth.ALL_ROLES)
def new_invite():
    form = InviteForm()
    if form.validate_on_submit():
        db = get_session()
        clinic = get_clinic(db, create_name=current_app.config["CLINIC_NAME"])
        intake, token = invite_patient(
            db, clinic, name=form.name.data, email=form.email.data or None,
            appointment_at=clock.from_local(form.day.data, form.at.data),
            days=current_app.config["INVITE_DAYS"], actor_id=current_user.id,
            ip=auth.client_ip(),
        )
        _after_link(intake, token, form.email.data)
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    if not form.is_submitted():
        form.day.data = clock.today()
    return render_template("staff/invite_new.html", form=form), 400 if form.errors else 200


def _after_link(intake, token: str, email: str | None) -> None:
    """Queue the email (sent after the commit, retried by the worker) and keep
    the link for the next page only."""
    emailed = bool(email and mail.configured(current_app.config))
    if emailed:
        jobs.queue_invite_email(current_app._get_current_object(), get_session(), intake.id,
                                _link(token), current_user.id)
    session[PENDING_KEY] = {"intake_id": intake.id, "token": token, "emailed": emailed,
                            "at": utcnow().isoformat()}


def _email_outcome(intake_id: int, since: str) -> bool | None:
    """True/False once the worker has sent the email or given up; None while queued."""
    event = get_session().scalars(
        select(AuditEvent).where(AuditEvent.intake_id == intake_id,
                                 AuditEvent.action == "invite.email",
                                 AuditEvent.at >= datetime.fromisoformat(since))
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    return None if event is None else bool(event.detail.get("sent"))


@bp.get("/invites/<int:intake_id>")
@auth.roles_required(auth.ALL_ROLES)
def invite_link(intake_id: int):
    intake = load_intake(intake_id)
    pending = session.get(PENDING_KEY) or {}
    link = sent = None
    if pending.get("intake_id") == intake.id:
        session.pop(PENDING_KEY, None)
        link = _link(pending["token"])
        if pending.get("emailed"):
            sent = _email_outcome(intake.id, pending["at"])
            sent = "queued" if sent is None else sent
    return render_template("staff/invite_link.html", intake=intake, link=link, sent=sent,
                           form=ActionForm(formdata=None),
                           mail_configured=mail.configured(current_app.config))


@bp.post("/invites/<int:intake_id>/reissue")
@auth.roles_required(auth.ALL_ROLES)
def reissue_invite(intake_id: int):
    intake = load_intake(intake_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    if intake.is_submitted:
        flash("This intake is already submitted: no new link is needed.", "error")
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    token = reissue_link(get_session(), intake, days=current_app.config["INVITE_DAYS"],
                         actor_id=current_user.id, ip=auth.client_ip())
    _after_link(intake, token, intake.patient.email if intake.patient else None)
    flash("A new link was made; the old link no longer works.", "success")
    return redirect(url_for("staff.invite_link", intake_id=intake.id))
