"""Inviting for a follow-up from the staff side: from the patient and intake
pages, linked to the patient and the intake it follows, the link shown once,
audited; only a submitted intake of this clinic, front desk sees nothing clinical."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from visit_helpers import visit

from intake.models import AuditEvent, Clinic, Intake, IntakeKind, Patient
from intake.operations.invites import create_invite

pytest_plugins = ["staff_fixtures"]

LINK = re.compile(r"/i/([A-Za-z0-9_-]{40,})")
FORM = {"name": "ignored", "day": "2030-01-15", "at": "09:30"}


@pytest.mark.parametrize("role", ["front_desk", "practitioner", "admin"])
def test_invite_for_a_follow_up_links_patient_and_intake(signed_in, db, clinic, role):
    first = visit(db, clinic)
    first_id, patient_id = first.id, first.patient_id
    db.rollback()
    staff = signed_in(role)
    page = staff.get(f"/staff/patients/{patient_id}").get_data(as_text=True)
    assert f"/staff/invites/new?follows={first_id}" in page
    form = staff.get(f"/staff/invites/new?follows={first_id}")
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Invite for a follow-up" in html
    assert "saddle" not in html.lower() and "flag" not in html.lower()  # nothing clinical
    response = staff.post(f"/staff/invites/new?follows={first_id}", data=FORM)
    assert response.status_code == 302
    follow = db.scalars(select(Intake).where(Intake.id != first_id)).one()
    assert follow.kind == IntakeKind.FOLLOW_UP and follow.follows_id == first_id
    assert follow.patient_id == patient_id
    assert db.scalar(select(func.count()).select_from(Patient)) == 1
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "invite.create")).one()
    assert event.detail == {"email_given": False, "patient_id": patient_id,
                            "follows_id": first_id}
    db.rollback()
    shown = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert LINK.search(shown)
    again = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert not LINK.search(again)  # shown once


def test_the_intake_page_offers_a_follow_up(signed_in, db, clinic):
    first = visit(db, clinic)
    first_id = first.id
    db.rollback()
    html = signed_in("practitioner").get(f"/staff/intakes/{first_id}").get_data(as_text=True)
    assert f"/staff/invites/new?follows={first_id}" in html


def test_a_typed_email_fills_in_a_missing_one(signed_in, db, clinic):
    first = visit(db, clinic)
    first_id, patient_id = first.id, first.patient_id
    db.rollback()
    staff = signed_in("front_desk")
    response = staff.post(f"/staff/invites/new?follows={first_id}",
                          data={**FORM, "email": "robin@example.org"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Patient, patient_id).email == "robin@example.org"


def test_an_unsubmitted_intake_cannot_be_followed(signed_in, db, clinic, make_invite):
    open_intake, _ = make_invite()
    open_id = open_intake.id
    db.rollback()
    staff = signed_in("practitioner")
    assert staff.get(f"/staff/invites/new?follows={open_id}").status_code == 409
    assert staff.post(f"/staff/invites/new?follows={open_id}", data=FORM).status_code == 409
    assert db.scalar(select(func.count()).select_from(Intake)) == 1


def test_another_clinics_or_no_intake_is_not_found(signed_in, db, clinic):
    other = Clinic(name="Other Clinic")
    db.add(other)
    db.flush()
    theirs, _ = create_invite(db, other, name="Kim Other", days=14)
    theirs.mark_submitted({}, theirs.created_at)
    db.commit()
    theirs_id = theirs.id
    staff = signed_in("admin")
    assert staff.get(f"/staff/invites/new?follows={theirs_id}").status_code == 404
    assert staff.get("/staff/invites/new?follows=99999").status_code == 404
    assert staff.get("/staff/invites/new?follows=" + "9" * 30).status_code == 404
    assert staff.get("/staff/invites/new?follows=abc").status_code == 404


def test_signed_out_is_refused(client, db, clinic):
    first = visit(db, clinic)
    first_id = first.id
    db.rollback()
    assert client.get(f"/staff/invites/new?follows={first_id}").status_code in (302, 401)
