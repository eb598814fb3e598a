"""Patients: find one by name and date of birth, see their visits, and answer
a submitted intake's possible match (intake.operations.patients).

Finding and the patient page are for every staff role (front desk books the
returning patient); they show visit dates and status, never answers or flags.
Confirming a match puts another visit's clinical history beside this one, so
it is for the clinical roles. Every page and answer is audited by ids.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake import audit
from intake.db import get_session, writes
from intake.models import Intake, Patient
from intake.operations import patients
from intake.operations.invites import get_clinic
from intake.staff import auth, bp, presenter, visit_views
from intake.staff.forms_patients import FindPatientForm, MatchForm


def _of_this_clinic(model, row_id: int):
    """A patient or intake of this installation's clinic (404 for any other)."""
    db = get_session()
    row = db.get(model, row_id)
    clinic = get_clinic(db)
    if row is None or clinic is None or row.clinic_id != clinic.id:
        abort(404)
    return row


def load_patient(patient_id: int) -> Patient:
    return _of_this_clinic(Patient, patient_id)


def load_clinic_intake(intake_id: int) -> Intake:
    return _of_this_clinic(Intake, intake_id)


@bp.get("/patients")
@auth.roles_required(auth.ALL_ROLES)
@writes  # each search is audited
def find_patients():
    form = FindPatientForm(request.args)
    searched = bool(request.args.get("name") or request.args.get("dob"))
    found = []
    db = get_session()
    clinic = get_clinic(db)
    if searched and form.validate() and clinic is not None:
        found = patients.find_patients(db, clinic, name=form.name.data or "",
                                       date_of_birth=form.dob.data)
        audit.record(db, action="patient.search", actor_id=current_user.id,
                     ip=auth.client_ip(), detail={"patients": [f.patient.id for f in found]})
    return (render_template("staff/patients.html", form=form, found=found, searched=searched),
            400 if form.errors else 200)


@bp.get("/patients/<int:patient_id>")
@auth.roles_required(auth.ALL_ROLES)
@writes  # each view of a patient is audited
def patient_page(patient_id: int):
    patient = load_patient(patient_id)
    db = get_session()
    visits = patients.visits(db, patient)
    audit.record(db, action="patient.view", actor_id=current_user.id, ip=auth.client_ip(),
                 detail={"patient_id": patient.id, "intakes": [i.id for i in visits]})
    clinical = current_user.is_clinical
    # pain scores and questionnaire totals are clinical: front desk sees the visits only
    charts = (visit_views.patient_progress(db, patient, visits, presenter.page_definition())
              if clinical else [])
    return render_template("staff/patient.html", patient=patient, visits=visits,
                           visit_time=patients.visit_time, clinical=clinical, charts=charts)


@bp.app_template_global()
def patient_match(intake: Intake) -> dict | None:
    """For the intake page: the possible match and its form, or None."""
    match = patients.possible_match(get_session(), intake)
    if match is None:
        return None
    form = MatchForm(formdata=None, patient_id=match.patient.id)
    return {"patient": match.patient, "visits": match.visits, "form": form}


@bp.post("/intakes/<int:intake_id>/patient-match")
@auth.roles_required(auth.CLINICAL)
def answer_patient_match(intake_id: int):
    db = get_session()
    intake = load_clinic_intake(intake_id)
    back = redirect(url_for("staff.intake_page", intake_id=intake.id))
    form = MatchForm()
    if not form.validate_on_submit():
        return back
    try:
        if form.confirm.data:
            patients.confirm_match(db, intake, form.patient_id.data,
                                   actor_id=current_user.id, ip=auth.client_ip())
            flash(_("This visit is now on the patient's record."), "success")
        else:
            patients.dismiss_match(db, intake, form.patient_id.data,
                                   actor_id=current_user.id, ip=auth.client_ip())
            flash(_("The match was dismissed: this patient keeps their own record."), "success")
    except patients.NoMatch:
        flash(_("That match is no longer offered: look at the page again."), "error")
    return back
