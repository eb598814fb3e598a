"""The staff side of patient records: find, the patient page, inviting a
returning patient, and confirming or dismissing a walk-in's possible match."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from visit_helpers import visit, walk_in

from intake.models import AuditEvent, Clinic, Intake, Patient

pytest_plugins = ["staff_fixtures"]


def test_find_by_name_and_date_of_birth_for_front_desk(signed_in, db, clinic):
    robin = visit(db, clinic, name="Robin Synthetic", born="1980-04-02").patient_id
    visit(db, clinic, name="Robin Synthetic", born="1990-07-07")
    db.rollback()
    desk = signed_in("front_desk")
    page = desk.get("/staff/patients?name=robin&dob=1980-04-02")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 patient found" in html and f"/staff/patients/{robin}" in html
    assert "2 April 1980" in html and "1 visit" in html
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "patient.search")).one()
    assert event.detail == {"patients": [robin]}


def test_find_refuses_a_bad_date_and_needs_sign_in(signed_in, client, db, clinic):
    assert client.get("/staff/patients?name=robin").status_code in (302, 401)
    desk = signed_in("front_desk")
    assert desk.get("/staff/patients?dob=yesterday").status_code == 400
    assert db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == "patient.search")) == 0


def test_patient_page_lists_visits_newest_first(signed_in, db, clinic, runner):
    from intake.cli import main

    first = visit(db, clinic)
    first_id, patient_id = first.id, first.patient_id
    db.rollback()
    assert runner.invoke(main, ["invite", "--follow-up-of", str(first_id)]).exit_code == 0
    follow = db.scalars(select(Intake).where(Intake.id != first_id)).one().id
    db.rollback()
    desk = signed_in("front_desk")
    html = desk.get(f"/staff/patients/{patient_id}").get_data(as_text=True)
    assert html.index(f">Intake {follow}, follow-up of intake {first_id}</a>") < html.index(
        f">Intake {first_id}</a>")
    assert "Invited" in html and "Submitted" in html
    # front desk is sent to the invite page, never the clinical intake page
    assert f"/staff/intakes/{first_id}" not in html
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "patient.view")).one()
    assert event.detail == {"patient_id": patient_id, "intakes": [follow, first_id]}


def test_another_clinics_patient_is_not_found(signed_in, db, clinic):
    other = Clinic(name="Other Clinic")
    db.add(other)
    db.commit()
    theirs = visit(db, other).patient_id
    db.rollback()
    desk = signed_in("front_desk")
    assert desk.get(f"/staff/patients/{theirs}").status_code == 404
    assert desk.get(f"/staff/invites/new?patient={theirs}").status_code == 404


def test_inviting_a_returning_patient_links_their_record(signed_in, db, clinic):
    first = visit(db, clinic)
    first_id, patient_id = first.id, first.patient_id
    db.rollback()
    desk = signed_in("front_desk")
    form = desk.get(f"/staff/invites/new?patient={patient_id}").get_data(as_text=True)
    assert "returning patient" in form and 'value="Robin Synthetic"' in form
    response = desk.post(f"/staff/invites/new?patient={patient_id}", data={
        "name": "Robin Synthetic", "day": "2030-01-15", "at": "09:30"})
    assert response.status_code == 302
    again = db.scalars(select(Intake).where(Intake.id != first_id)).one()
    assert again.patient_id == patient_id
    assert db.scalar(select(func.count()).select_from(Patient)) == 1
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "invite.create")).one()
    assert event.detail == {"email_given": False, "patient_id": patient_id}


def test_walk_in_match_shown_confirmed_and_audited(signed_in, db, clinic):
    known = visit(db, clinic)
    arrived = walk_in(db, clinic)
    stray, known_patient, arrived_id = arrived.patient_id, known.patient_id, arrived.id
    db.rollback()
    practitioner = signed_in("practitioner")
    html = practitioner.get(f"/staff/intakes/{arrived_id}").get_data(as_text=True)
    assert "Possible match" in html and "Robin Synthetic, born 2 April 1980, 1 visit" in html
    response = practitioner.post(f"/staff/intakes/{arrived_id}/patient-match",
                                 data={"patient_id": known_patient, "confirm": "1"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Intake, arrived_id).patient_id == known_patient
    assert db.get(Patient, stray) is None
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "patient.link")).one()
    assert event.intake_id == arrived_id and event.actor_id is not None
    assert event.detail == {"patient_id": known_patient, "replaced_patient_id": stray}
    db.rollback()
    after = practitioner.get(f"/staff/intakes/{arrived_id}").get_data(as_text=True)
    assert "Possible match" not in after and "Patient record and visits" in after


def test_walk_in_match_dismissed(signed_in, db, clinic):
    known = visit(db, clinic)
    arrived = walk_in(db, clinic)
    known_patient, arrived_id = known.patient_id, arrived.id
    db.rollback()
    practitioner = signed_in("practitioner")
    practitioner.post(f"/staff/intakes/{arrived_id}/patient-match",
                      data={"patient_id": known_patient, "dismiss": "1"})
    db.expire_all()
    assert db.get(Intake, arrived_id).patient_id != known_patient
    assert db.scalars(select(AuditEvent)
                      .where(AuditEvent.action == "patient.match_dismissed")).one()
    db.rollback()
    html = practitioner.get(f"/staff/intakes/{arrived_id}").get_data(as_text=True)
    assert "Possible match" not in html


@pytest.mark.parametrize(("role", "post_other", "status"), [
    ("front_desk", False, 403),      # the wrong role
    ("practitioner", True, 302),     # a patient who is not the match offered
])
def test_a_refused_confirmation_changes_nothing(signed_in, db, clinic, role, post_other,
                                                 status):
    known = visit(db, clinic)
    other = visit(db, clinic, name="Kim Other")
    arrived = walk_in(db, clinic)
    posted = other.patient_id if post_other else known.patient_id
    arrived_id, own = arrived.id, arrived.patient_id
    db.rollback()
    user = signed_in(role)
    response = user.post(f"/staff/intakes/{arrived_id}/patient-match",
                         data={"patient_id": posted, "confirm": "1"})
    assert response.status_code == status
    db.expire_all()
    assert db.get(Intake, arrived_id).patient_id == own
    assert not db.scalars(select(AuditEvent).where(AuditEvent.action == "patient.link")).all()
    db.rollback()
    if status == 302:
        assert "no longer offered" in user.get(
            f"/staff/intakes/{arrived_id}").get_data(as_text=True)
