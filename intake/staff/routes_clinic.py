"""The clinic settings page (admins): how often follow-ups ask PHQ-2 and
STarT Back, and the clinic's language."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake.db import get_session
from intake.i18n import LANGUAGES, language_of
from intake.i18n.pages import use_language
from intake.operations.clinic_settings import (
    questionnaire_visits,
    set_clinic_language,
    set_follow_up_interval,
)
from intake.operations.invites import get_clinic
from intake.staff import auth, bp
from intake.staff.forms_clinic import ClinicSettingsForm
from intake.staff.forms_language import INHERIT, stored


@bp.route("/admin/clinic", methods=["GET", "POST"])
@auth.roles_required(auth.ADMIN)
def clinic_settings():
    db = get_session()
    clinic = get_clinic(db, create_name=current_app.config["CLINIC_NAME"])
    form = ClinicSettingsForm()
    if form.validate_on_submit():
        who = {"actor_id": current_user.id, "ip": auth.client_ip()}
        changed = set_follow_up_interval(db, clinic, form.follow_up_every.data, **who)
        if form.language.raw_data:
            changed |= set_clinic_language(db, clinic, stored(form.language.data), **who)
            use_language(current_user.language or clinic.language)
        flash(_("The clinic settings were saved.") if changed else _("Nothing was changed."),
              "success")
        return redirect(url_for("staff.clinic_settings"), 303)
    if not form.is_submitted():
        form.follow_up_every.data = clinic.follow_up_questionnaires_every
        form.language.data = clinic.language or INHERIT
    every = clinic.follow_up_questionnaires_every
    return (render_template("staff/clinic_settings.html", form=form, every=every,
                            visits=questionnaire_visits(every),
                            inherited=LANGUAGES[language_of(current_app.config["LOCALE"])]),
            400 if form.errors else 200)
