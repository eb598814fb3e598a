"""The clinic settings page (admins): how often follow-ups ask PHQ-2 and STarT Back."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from intake.db import get_session
from intake.operations.clinic_settings import questionnaire_visits, set_follow_up_interval
from intake.operations.invites import get_clinic
from intake.staff import auth, bp
from intake.staff.forms_clinic import ClinicSettingsForm


@bp.route("/admin/clinic", methods=["GET", "POST"])
@auth.roles_required(auth.ADMIN)
def clinic_settings():
    db = get_session()
    clinic = get_clinic(db, create_name=current_app.config["CLINIC_NAME"])
    form = ClinicSettingsForm()
    if form.validate_on_submit():
        changed = set_follow_up_interval(db, clinic, form.follow_up_every.data,
                                         actor_id=current_user.id, ip=auth.client_ip())
        flash("The clinic settings were saved." if changed else "Nothing was changed.",
              "success")
        return redirect(url_for("staff.clinic_settings"), 303)
    if not form.is_submitted():
        form.follow_up_every.data = clinic.follow_up_questionnaires_every
    every = clinic.follow_up_questionnaires_every
    return (render_template("staff/clinic_settings.html", form=form, every=every,
                            visits=questionnaire_visits(every)),
            400 if form.errors else 200)
