"""Review actions on an intake: the treatment plan, decisions and sign-off.

Each POST redirects (post-redirect-get) and its request commits once at the
end (intake.db). A refused decision or sign-off redirects too: what was
typed and the messages wait in intake.operations.shown_once, and the intake
page shows them in an error summary at the top that links to each field. The
operations refuse before they write, so a refusal leaves nothing else. (The
plan form, a page of its own, is still shown again in place.)
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired

from intake import signals
from intake.db import after_commit, get_session, writes
from intake.models import FlagRecord, IntakeStatus
from intake.operations import access, review, shown_once
from intake.screening.decisions import DECISIONS
from intake.screening.plan import TARGET_LABELS
from intake.staff import auth, bp, presenter
from intake.staff.forms import DecisionForm, SignOffForm, StaffForm, options
from intake.staff.labels import lazily
from intake.staff.routes_intake import load_intake, render_intake


class PlanForm(StaffForm):
    regions = SelectMultipleField(_l("Planned regions"), choices=[], validate_choice=True)
    electrical_stimulation = RadioField(
        _l("Electrical stimulation"), choices=options([("no", _l("No")), ("yes", _l("Yes"))]),
        default="no",
        validators=[InputRequired()])
    targets = SelectMultipleField(_l("Deep targets that cannot be compressed by hand"),
                                  choices=options((k, lazily(v)) for k, v in TARGET_LABELS.items()))
    submit = SubmitField(_l("Save plan and screen again"))


def _plan_form(definition, plan: dict | None = None) -> PlanForm:
    form = PlanForm() if request.method == "POST" else PlanForm(formdata=None)
    ids = [rid for _, regions in presenter.regions_by_area(definition) for rid, _ in regions]
    known = set(ids)
    # Keep any stored region the current regions file no longer knows, so it is not lost.
    extra = [r for r in (plan or {}).get("regions", []) if r not in known]
    form.regions.choices = options((r, r) for r in ids + extra)
    if plan is not None and request.method != "POST":
        form.regions.data = list(plan.get("regions", []))
        form.electrical_stimulation.data = "yes" if plan.get("electrical_stimulation") else "no"
        form.targets.data = list(plan.get("noncompressible_targets", []))
    return form


@bp.route("/intakes/<int:intake_id>/plan", methods=["GET", "POST"])
@auth.roles_required(auth.CLINICAL)
@writes  # the GET records that the page was viewed
def plan(intake_id: int):
    intake = load_intake(intake_id)
    db = get_session()
    definition = presenter.page_definition()
    form = _plan_form(definition, review.current_plan(db, intake))
    if not intake.is_submitted:
        flash(_("The patient has not submitted this intake yet."), "error")
        return redirect(url_for("staff.intake_page", intake_id=intake.id))
    if form.validate_on_submit():
        new_plan = {"regions": form.regions.data or [],
                    "electrical_stimulation": form.electrical_stimulation.data == "yes",
                    "noncompressible_targets": form.targets.data or []}
        try:
            review.rescreen(db, intake, new_plan, actor_id=current_user.id, ip=auth.client_ip())
        except review.ReviewError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Plan saved and screened again. Changes are shown below."), "success")
            return redirect(url_for("staff.intake_page", intake_id=intake.id) + "#changes")
    elif request.method == "GET":
        access.viewed_intake(db, intake.id, actor_id=current_user.id, ip=auth.client_ip(),
                             page="plan")
    painful = set(presenter.painful_regions(definition, intake.answers))
    return render_template(
        "staff/plan.html", intake=intake, form=form, painful=painful,
        areas=presenter.regions_by_area(definition), targets=TARGET_LABELS,
    ), 400 if form.errors else 200


#: A refused note is kept up to twice the allowed length, so it can be shortened.
NOTE_KEPT = 4000


def _refused(intake_id: int, form: str, data: dict) -> Response:
    """Keep the refused form for the intake page and go there (post-redirect-get):
    a reload shows the page again instead of sending the form a second time."""
    shown_once.keep(get_session(), secret_key=current_app.config["SECRET_KEY"],
                    purpose=shown_once.REFUSED_FORM, owner=shown_once.staff(current_user.id),
                    intake_id=intake_id, name=form, payload=data)
    return redirect(url_for("staff.intake_page", intake_id=intake_id) + "#error-summary")


@bp.post("/intakes/<int:intake_id>/flags/<int:flag_id>/decision")
@auth.roles_required(auth.CLINICAL)
def decide(intake_id: int, flag_id: int):
    intake = load_intake(intake_id)
    db = get_session()
    flag = db.get(FlagRecord, flag_id)
    if flag is None or flag.screening.intake_id != intake.id:
        return render_intake(intake, status=404)
    form = DecisionForm(prefix=f"f{flag.id}")
    if form.validate_on_submit():
        try:
            decision = review.record_decision(db, intake, flag, choice=form.choice.data,
                                              note=form.note.data or "",
                                              actor_id=current_user.id, ip=auth.client_ip())
        except review.ReviewError as exc:
            form.note.errors = [*form.note.errors, str(exc)]
        else:
            message = _("Decision recorded for “%(title)s”.", title=flag.title)
            if intake.status == IntakeStatus.SUBMITTED and review.sign_offs(db, intake.id):
                message += " " + _("The intake was signed off before: sign off again to "
                                   "archive a reviewed summary with this decision.")
            flash(message, "success")
            return redirect(url_for("staff.intake_page", intake_id=intake.id)
                            + f"#flag-{decision.flag_id}")
    return _refused(intake.id, f"decision-{flag.id}", {
        "choice": form.choice.data if form.choice.data in DECISIONS else None,
        "note": (form.note.data or "")[:NOTE_KEPT],
        "errors": {"choice": [str(e) for e in form.choice.errors],
                   "note": [str(e) for e in form.note.errors]},
    })


@bp.post("/intakes/<int:intake_id>/sign-off")
@auth.roles_required(auth.CLINICAL)
def sign_off(intake_id: int):
    intake = load_intake(intake_id)
    db = get_session()
    form = SignOffForm()
    if not form.validate_on_submit():
        return _refused(intake.id, "sign_off",
                        {"errors": [str(e) for e in form.confirm.errors]
                         or [_("Tick the box to confirm.")]})
    try:
        review.sign_off(db, intake, actor_id=current_user.id, ip=auth.client_ip())
    except review.ReviewError as exc:
        return _refused(intake.id, "sign_off", {"errors": [str(exc)]})
    app, signed_id = current_app._get_current_object(), intake.id
    after_commit(lambda: signals.intake_signed_off.send(app, intake_id=signed_id))
    flash(_("Intake signed off as reviewed."), "success")
    return redirect(url_for("staff.intake_page", intake_id=intake.id))
