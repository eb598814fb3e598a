"""How often follow-ups ask PHQ-2 and STarT Back: the clinic's setting, its
admin page (validation next to the field, roles, audit) and the steps asked."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from visit_helpers import visit

from intake.models import AuditEvent, Clinic, utcnow
from intake.operations.clinic_settings import questionnaire_visits
from intake.operations.follow_ups import definition_for, visit_number
from intake.operations.invites import create_invite

pytest_plugins = ["staff_fixtures"]


def _chain(db, clinic, follow_ups: int):
    """A first intake and `follow_ups` follow-ups, each following the one before;
    the last one is not submitted."""
    previous = visit(db, clinic)
    for n in range(follow_ups):
        intake, _ = create_invite(db, clinic, name="ignored", days=14, follows=previous)
        if n < follow_ups - 1:
            intake.merged_answers = dict(previous.visit_answers)
            intake.mark_submitted({}, utcnow())
        previous = intake
    db.commit()
    return previous


def _steps(app, intake):
    with app.test_request_context():
        return [s.id for s in definition_for(intake).steps]


@pytest.mark.parametrize(("follow_ups", "every", "asked"), [
    (1, 4, False), (3, 4, False), (4, 4, True), (5, 4, False), (8, 4, True),
    (1, 1, True), (2, 2, True), (3, 2, False),
])
def test_the_questionnaires_are_asked_at_the_clinics_interval(app, db, clinic, follow_ups,
                                                              every, asked):
    clinic.follow_up_questionnaires_every = every
    last = _chain(db, clinic, follow_ups)
    assert visit_number(last) == follow_ups + 1
    steps = _steps(app, last)
    assert steps[:2] == ["changes", "today"]
    assert ("questionnaires" in steps) is asked


def test_the_default_asks_at_visits_5_9_and_13(db, clinic):
    assert db.get(Clinic, clinic.id).follow_up_questionnaires_every == 4
    assert questionnaire_visits(4) == [5, 9, 13]
    assert questionnaire_visits(1) == [2, 3, 4]


def test_the_wizard_asks_the_questionnaires_at_the_fifth_visit(app, db, clinic, client):
    third = _chain(db, clinic, 3).follows  # visit 3, submitted
    _, at_visit_4 = create_invite(db, clinic, name="x", days=14, follows=third)
    db.commit()
    assert client.get(f"/i/{at_visit_4}/recheck/step/questionnaires").status_code == 404
    last = _chain(db, clinic, 4)
    _, at_visit_5 = create_invite(db, clinic, name="x", days=14, follows=last.follows)
    db.commit()
    page = client.get(f"/i/{at_visit_5}/recheck/step/questionnaires")
    assert page.status_code == 200
    assert "How you have been feeling" in page.get_data(as_text=True)


def test_admin_sets_the_interval_and_it_is_audited(signed_in, db, clinic):
    admin = signed_in("admin")
    page = admin.get("/staff/admin/clinic")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="4"' in html
    assert "visits 5, 9, 13" in html
    response = admin.post("/staff/admin/clinic", data={"follow_up_every": "2"})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Clinic, clinic.id).follow_up_questionnaires_every == 2
    event = db.scalars(select(AuditEvent).where(
        AuditEvent.action == "clinic.follow_up_interval")).one()
    assert event.detail == {"from": 4, "to": 2}
    db.rollback()
    assert "visits 3, 5, 7" in admin.get("/staff/admin/clinic").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["0", "53", "-1", "two", "", "1.5", "9" * 40])
def test_a_bad_interval_is_refused_next_to_the_field(signed_in, db, clinic, typed):
    admin = signed_in("admin")
    response = admin.post("/staff/admin/clinic", data={"follow_up_every": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="follow_up_every-error"' in html and 'aria-invalid="true"' in html
    db.expire_all()
    assert db.get(Clinic, clinic.id).follow_up_questionnaires_every == 4


@pytest.mark.parametrize("role", ["front_desk", "practitioner"])
def test_only_admins_change_clinic_settings(signed_in, db, clinic, role):
    staff = signed_in(role)
    assert staff.get("/staff/admin/clinic").status_code == 403
    assert staff.post("/staff/admin/clinic", data={"follow_up_every": "1"}).status_code == 403
    db.expire_all()
    assert db.get(Clinic, clinic.id).follow_up_questionnaires_every == 4


def test_the_database_refuses_an_interval_out_of_range(db, clinic):
    from sqlalchemy.exc import IntegrityError

    clinic.follow_up_questionnaires_every = 0
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
