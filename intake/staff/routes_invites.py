"""Invites from the staff side: create, show the link once, edit, cancel, re-issue.

The new link is shown once on the page after the POST, to the staff member
who made it: it waits in intake.operations.shown_once (sealed, for ten
minutes), so the cookie never carries it. A re-issued link for an intake
whose patient has saved answers is never shown to staff: it goes only by
email, or staff clear the draft first (the patient starts again), so front
desk cannot read a clinical draft through a link. Links are built from
INTAKE_BASE_URL only, never from the request's Host header; outside
development, a missing setting refuses to make links.
"""

from __future__ import annotations

import hmac
from datetime import datetime

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from intake import clock, jobs, mail
from intake.db import get_session
from intake.models import AuditEvent, Intake, hash_token, utcnow
from intake.operations import patients, shown_once
from intake.operations.invites import (
    DraftNotForStaff,
    InviteClosed,
    cancel_invite,
    edit_invite,
    get_clinic,
    invite_patient,
    reissue_link,
)
from intake.request_limits import bounded_int
from intake.staff import auth, bp
from intake.staff.forms import ActionForm, EditInviteForm, InviteForm, ReissueForm
from intake.staff.routes_patients import load_patient


class NoBaseUrl(RuntimeError):
    """INTAKE_BASE_URL is not set outside development: links cannot be built."""


def patient_link(token: str) -> str:
    base = current_app.config.get("BASE_URL")
    if not base:
        raise NoBaseUrl()
    return f"{base.rstrip('/')}/i/{token}"


@bp.errorhandler(NoBaseUrl)
def _no_base_url(_error):
    return render_template(
        "errors/message.html", title=_("Patient links cannot be made"),
        message=_("This installation does not know the address patients use: an "
                  "administrator must set INTAKE_BASE_URL (for example "
                  "https://intake.example-clinic.org). No invite was changed.")), 503


def _require_base_url() -> None:
    """Before changing anything: a link that cannot be built must not be made."""
    patient_link("x")


def _load(intake_id: int) -> Intake:
    """An intake of this installation's clinic (404 for any other)."""
    intake = get_session().get(Intake, intake_id)
    clinic = get_clinic(get_session())
    if intake is None or clinic is None or intake.clinic_id != clinic.id:
        abort(404)
    return intake


def _followed() -> Intake | None:
    """`?follows=ID`: the submitted intake of this clinic a follow-up re-checks
    (404 for another clinic's or none; 409 for one not yet submitted)."""
    if "follows" not in request.args:
        return None
    intake = _load(request.args.get("follows", type=bounded_int) or 0)
    try:
        return patients.follow_up_of(get_session(), intake.clinic, intake.id)
    except patients.FollowUpRefused:
        abort(make_response(render_template(
            "errors/message.html", title=_("No follow-up can be made"),
            message=_("Only a submitted intake can be followed up: this one is not "
                      "submitted yet, or has no patient record.")), 409))


@bp.route("/invites/new", methods=["GET", "POST"])
@auth.roles_required(auth.ALL_ROLES)
def new_invite():
    """`?patient=ID` (from the patient page): invite a returning patient, whose
    record is linked, not duplicated; the name shown is their record's.
    `?follows=ID` (the patient or intake page): a follow-up re-check of that
    submitted intake, for the same patient."""
    form = InviteForm()
    follows = _followed()
    returning = (follows.patient if follows is not None
                 else load_patient(request.args.get("patient", type=int))
                 if request.args.get("patient") else None)
    if returning is not None:  # the record keeps its name: shown, not typed
        form.name.render_kw = {**(form.name.render_kw or {}), "readonly": True}
    if returning is not None and not form.is_submitted():
        form.name.data, form.email.data = returning.display_name, returning.email
    if form.validate_on_submit():
        _require_base_url()
        db = get_session()
        clinic = get_clinic(db, create_name=current_app.config["CLINIC_NAME"])
        intake, token = invite_patient(
            db, clinic, name=form.name.data, email=form.email.data or None,
            appointment_at=clock.from_local(form.day.data, form.at.data),
            days=current_app.config["INVITE_DAYS"], actor_id=current_user.id,
            ip=auth.client_ip(), patient=returning, follows=follows,
        )
        emailed = _email(intake, token, intake.patient.email)
        _show_next(intake, token, emailed=emailed)
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    if not form.is_submitted():
        form.day.data = clock.today()
    return (render_template("staff/invite_new.html", form=form, returning=returning,
                            follows=follows),
            400 if form.errors else 200)


def _email(intake: Intake, token: str, email: str | None) -> bool:
    """Queue the email (sent after the commit, retried by the worker); True if queued."""
    emailed = bool(email and mail.configured(current_app.config))
    if emailed:
        jobs.queue_invite_email(current_app._get_current_object(), get_session(), intake.id,
                                patient_link(token), current_user.id)
    return emailed


def _show_next(intake: Intake, token: str | None, *, emailed: bool) -> None:
    """For the next page, to this staff member only: the link (None: it is not to
    be shown, only the email's outcome), and whether an email was queued."""
    shown_once.keep(get_session(), secret_key=current_app.config["SECRET_KEY"],
                    purpose=shown_once.INVITE_LINK, owner=shown_once.staff(current_user.id),
                    intake_id=intake.id,
                    payload={"token": token, "emailed": emailed, "at": utcnow().isoformat()})


def _take_shown(intake: Intake) -> tuple[str | None, dict | None]:
    """(the link's token or None, what waited or None), taken once. A page with
    nothing waiting stays a reading request; the token is shown only while it is
    still the intake's current link."""
    where = {"purpose": shown_once.INVITE_LINK, "owner": shown_once.staff(current_user.id),
             "intake_id": intake.id}
    if not shown_once.waiting(get_session(), **where):
        return None, None
    pending = shown_once.take_one(get_session(write=True),
                                  secret_key=current_app.config["SECRET_KEY"], **where)
    if pending is None:  # another tab took it first
        return None, None
    token = pending.pop("token", None)
    if token and not hmac.compare_digest(hash_token(token), intake.token_hash or ""):
        token = None  # replaced since: the old link opens nothing
    return token, pending


def _email_outcome(intake_id: int, since: str) -> bool | None:
    """True/False once the worker has sent the email or given up; None while queued."""
    event = get_session().scalars(
        select(AuditEvent).where(AuditEvent.intake_id == intake_id,
                                 AuditEvent.action == "invite.email",
                                 AuditEvent.at >= datetime.fromisoformat(since))
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    return None if event is None else bool(event.detail.get("sent"))


def _can_email(intake: Intake) -> bool:
    return bool(intake.patient and intake.patient.email
                and mail.configured(current_app.config))


@bp.get("/invites/<int:intake_id>")
@auth.roles_required(auth.ALL_ROLES)
def invite_link(intake_id: int):
    intake = _load(intake_id)
    token, pending = _take_shown(intake)
    link = patient_link(token) if token else None
    sent = None
    if pending and pending.get("emailed"):
        sent = _email_outcome(intake.id, pending["at"])
        sent = "queued" if sent is None else sent
    return render_template("staff/invite_link.html", intake=intake, link=link, sent=sent,
                           hidden_link=bool(pending) and link is None and bool(sent),
                           form=ActionForm(formdata=None),
                           reissue=ReissueForm(formdata=None),
                           can_email=_can_email(intake),
                           mail_configured=mail.configured(current_app.config))


@bp.post("/invites/<int:intake_id>/reissue")
@auth.roles_required(auth.ALL_ROLES)
def reissue_invite(intake_id: int):
    intake = _load(intake_id)
    form = ReissueForm()
    back = redirect(url_for("staff.invite_link", intake_id=intake.id))
    if not form.validate_on_submit():
        return back
    if intake.is_submitted or intake.is_cancelled:
        flash(_("This intake is submitted or cancelled: no new link can be made."), "error")
        return back
    _require_base_url()
    clear = form.clear_draft.data == "1"
    by_email = intake.has_draft and not clear
    if by_email and not _can_email(intake):
        flash(_("This patient has saved answers, so a new link can only be sent by email, "
                "and no email can be sent. To give the patient a link yourself, make a new "
                "link and clear the saved answers: the patient starts again."), "error")
        return back
    try:
        token = reissue_link(get_session(), intake, days=current_app.config["INVITE_DAYS"],
                             actor_id=current_user.id, ip=auth.client_ip(),
                             clear_draft=clear, delivery="email" if by_email else "shown")
    except InviteClosed:
        flash(_("This intake is submitted or cancelled: no new link can be made."), "error")
        return back
    except DraftNotForStaff:  # the patient saved answers a moment ago
        flash(_("The patient has just saved answers: look at the choices again."), "error")
        return back
    emailed = _email(intake, token, intake.patient.email if intake.patient else None)
    # With saved answers the link goes only by email: the page never gets it.
    _show_next(intake, None if by_email else token, emailed=emailed)
    flash(_("A new link was made; the old link no longer works.")
          + (" " + _("It was sent to the patient by email only, to keep their saved answers "
                     "private.") if by_email else ""), "success")
    return back


@bp.route("/invites/<int:intake_id>/edit", methods=["GET", "POST"])
@auth.roles_required(auth.ALL_ROLES)
def edit_invite_page(intake_id: int):
    intake = _load(intake_id)
    if intake.is_submitted or intake.is_cancelled:
        flash(_("A submitted or cancelled intake's invite cannot be changed."), "error")
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    form = EditInviteForm()
    if form.validate_on_submit():
        try:
            changed = edit_invite(
                get_session(), intake, name=form.name.data, email=form.email.data or None,
                appointment_at=clock.from_local(form.day.data, form.at.data),
                actor_id=current_user.id, ip=auth.client_ip())
        except InviteClosed:
            flash(_("A submitted or cancelled intake's invite cannot be changed."), "error")
        else:
            flash(_("The invite was changed.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    if not form.is_submitted():
        _fill(form, intake)
    return (render_template("staff/invite_edit.html", form=form, intake=intake),
            400 if form.errors else 200)


def _fill(form: EditInviteForm, intake: Intake) -> None:
    form.name.data = intake.patient.display_name if intake.patient else ""
    form.email.data = intake.patient.email if intake.patient else ""
    if intake.appointment_at is not None:
        local = clock.local(intake.appointment_at)
        form.day.data, form.at.data = local.date(), local.time().replace(second=0,
                                                                         microsecond=0)
    else:
        form.day.data = clock.today()


@bp.post("/invites/<int:intake_id>/cancel")
@auth.roles_required(auth.ALL_ROLES)
def cancel_invite_page(intake_id: int):
    intake = _load(intake_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    try:
        cancel_invite(get_session(), intake, actor_id=current_user.id, ip=auth.client_ip())
    except InviteClosed:
        flash(_("A submitted or cancelled intake cannot be cancelled."), "error")
        return redirect(url_for("staff.invite_link", intake_id=intake.id))
    flash(_("The invite was cancelled: its link no longer works, and the patient is told "
            "to call the clinic."), "success")
    return redirect(url_for("staff.dashboard"))
