"""A follow-up on the practitioner's intake page: what changed since the last
visit, side by side, and each visit's own decisions, sign-off and audit."""

from __future__ import annotations

import re

import pytest
import visits_staff_support as support
from visits_staff_support import RED_FLAG_CHANGES

from intake.models import AuditEvent, Decision, IntakeStatus, SignOff
from intake.operations import review

course = support.course


@pytest.fixture
def practitioner(app, make_staff, auth, db):
    app.config["WTF_CSRF_ENABLED"] = False
    user = make_staff(role="practitioner", email="p@example.org", name="Pat Practitioner")
    auth.login("p@example.org")
    db.rollback()
    return user


def _section(html: str) -> str:
    return html.split('id="since-last-visit"')[1].split("</section>")[0]


def test_the_follow_up_page_shows_what_changed_side_by_side(client, course, practitioner):
    first = course.first(**{"symptoms.fever": "last_48_hours"})
    second = course.follow_up(first, **RED_FLAG_CHANGES, **{"pain.back_now": 2})
    html = client.get(f"/staff/intakes/{second.id}").get_data(as_text=True)
    part = _section(html)
    assert "What changed since the last visit" in part
    assert f'href="/staff/intakes/{first.id}"' in part
    # headed columns, each with its visit's date
    heads = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<th scope="col"[^>]*>(.+?)</th>',
                                                              part)]
    assert heads[0] == "Flag"
    assert heads[1].startswith("Previous visit (") and heads[2].startswith("This visit (")
    assert heads[1].removeprefix("Previous visit") != heads[2].removeprefix("This visit")
    kinds = re.findall(r'<th scope="row"><span class="change-kind change-(\w+)">', part)
    assert "new" in kinds and "gone" in kinds
    assert kinds[0] == "new"  # the new red flag first
    assert "New red flag since last visit" in part
    assert "rf_ces_saddle_anaesthesia" in part and "dn_anticoagulant" in part
    assert "dn_acute_illness_or_fever" in part  # gone: the fever is over
    # changed answers: the label, then before and after as the patient saw them
    answers = part.split("Answers that changed")[1]
    assert re.search(r"<td>7</td><td>2</td>|<td>7 out of 10</td><td>2 out of 10</td>",
                     answers)
    assert "Answers as of this visit" in html
    # the re-check's own questions, not in the merged answers: the session reaction
    recheck = part.split("The re-check as the patient answered it")[1]
    assert "After your last needling session, did you have any reaction?" in recheck
    assert "Soreness, aching or a small bruise that settled" in recheck
    assert "{last_visit}" not in recheck


def test_a_first_intake_has_no_since_last_visit_section(client, course, practitioner):
    first = course.first()
    html = client.get(f"/staff/intakes/{first.id}").get_data(as_text=True)
    assert "since-last-visit" not in html and "Answers as of this visit" not in html


def test_a_calm_follow_up_says_nothing_changed_in_flags(client, course, practitioner):
    first = course.first(**{"pain.back_now": 3, "pain.back_worst_24h": 4})
    second = course.follow_up(first)
    part = _section(client.get(f"/staff/intakes/{second.id}").get_data(as_text=True))
    assert "No flag is new, gone or changed." in part
    assert "New red flag since last visit" not in part


def test_the_follow_up_page_is_for_clinical_staff_only(app, client, course, make_staff, auth):
    first = course.first()
    second = course.follow_up(first, **RED_FLAG_CHANGES)
    make_staff(role="front_desk", email="desk@example.org")
    auth.login("desk@example.org")
    response = client.get(f"/staff/intakes/{second.id}")
    assert response.status_code in (302, 403)
    assert "What changed since the last visit" not in response.get_data(as_text=True)


def test_each_visit_keeps_its_own_decisions_sign_off_and_audit(client, db, course,
                                                                practitioner):
    first = course.first(**{"history.diabetes": "type_2"})
    second = course.follow_up(first, **RED_FLAG_CHANGES)
    first_id, second_id = first.id, second.id
    flags_1 = {f.rule_id: f.id for f in review.latest_screening(db, first_id).flags}
    flags_2 = [(f.rule_id, f.id, f.level)
               for f in review.latest_screening(db, second_id).flags]
    db.rollback()
    # decide every flag of visit 2, then sign it off
    for rule_id, flag_id, level in flags_2:
        if level == "note":
            continue
        data = {f"f{flag_id}-choice": "refer" if level == "red_flag" else "proceed_modified",
                f"f{flag_id}-note": f"visit 2: {rule_id}"}
        response = client.post(f"/staff/intakes/{second_id}/flags/{flag_id}/decision", data=data)
        assert response.status_code == 302
    assert client.post(f"/staff/intakes/{second_id}/sign-off",
                       data={"confirm": "y"}).status_code == 302
    # visit 1's flags cannot be decided through visit 2's page
    other = flags_1["dn_diabetes"]
    assert client.post(f"/staff/intakes/{second_id}/flags/{other}/decision",
                       data={f"f{other}-choice": "proceed"}).status_code == 404
    decisions = db.query(Decision).all()
    assert decisions and all(d.flag.screening.intake_id == second_id for d in decisions)
    assert [s.intake_id for s in db.query(SignOff)] == [second_id]
    assert db.get(type(first), first_id).status == IntakeStatus.SUBMITTED
    assert db.get(type(second), second_id).status == IntakeStatus.REVIEWED
    assert review.undecided(db, db.get(type(first), first_id),
                            review.latest_screening(db, first_id)) != []
    audited = {(e.action, e.intake_id) for e in db.query(AuditEvent)
               if e.action.startswith("review.")}
    assert ("review.sign_off", second_id) in audited
    assert not any(intake_id == first_id for _, intake_id in audited)
    db.rollback()
    # visit 1's page shows no decision from visit 2
    html = client.get(f"/staff/intakes/{first_id}").get_data(as_text=True)
    assert "visit 2:" not in html and "Signed off as reviewed" not in html
