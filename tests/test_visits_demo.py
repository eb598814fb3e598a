"""`intake demo` seeds a returning patient: a first intake and three
follow-ups; the pain improves, and today's follow-up reports a new
anticoagulant and new saddle numbness, so it tops the day's list."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.cli import main
from intake.models import Intake, Patient
from intake.operations import review
from intake.staff import schedule


def test_the_demo_seeds_a_course_of_four_visits(runner, app, db):
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    found = re.search(r"Returning patient: +\S+/staff/patients/(\d+)", result.output)
    assert found
    patient = db.get(Patient, int(found.group(1)))
    assert patient.display_name == "Morgan Testcase (demo)"
    visits = sorted(db.scalars(select(Intake).where(Intake.patient_id == patient.id)),
                    key=lambda i: i.submitted_at)
    assert [v.kind for v in visits] == ["first", "follow_up", "follow_up", "follow_up"]
    assert all(v.is_submitted for v in visits)
    assert [v.follows_id for v in visits[1:]] == [v.id for v in visits[:-1]]
    assert [v.visit_answers["pain.back_now"] for v in visits] == [7, 6, 5, 3]
    assert [v.visit_answers["pain.leg_now"] for v in visits] == [6, 5, 3, 2]
    last = visits[-1]
    rules = {f.rule_id for f in review.latest_screening(db, last.id).flags}
    assert {"rf_ces_saddle_anaesthesia", "dn_anticoagulant"} <= rules
    assert last.new_red_flag and not any(v.new_red_flag for v in visits[:-1])
    assert "rivaroxaban" in last.visit_answers["medications.current"]
    with app.test_request_context():
        today = schedule.page(db, schedule.Filters(), clinical=True).days[0]
        assert today.section == "today" and today.intakes[0].id == last.id
    patient_id = patient.id
    db.rollback()
    # a refresh prints the same patient and seeds nothing again
    again = runner.invoke(main, ["demo", "--refresh"])
    assert again.exit_code == 0, again.output
    assert f"/staff/patients/{patient_id}" in again.output
    assert db.scalar(select(Patient.id).where(
        Patient.display_name == "Morgan Testcase (demo)", Patient.id != patient_id)) is None
