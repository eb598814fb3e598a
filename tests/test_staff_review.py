"""Reviewing an intake: the page, the treatment plan, decisions and sign-off."""

from __future__ import annotations

import pytest
from database_support import raw_execute
from sqlalchemy.exc import IntegrityError
from staff_helpers import baseline_answers, flagged_intake, submitted_intake

from intake import signals
from intake.models import AuditEvent, Decision, IntakeStatus, ScreeningRecord, SignOff
from intake.operations import review


@pytest.fixture
def nocsrf(app):
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def practitioner(make_staff, auth, nocsrf, db):
    user = make_staff(role="practitioner", email="p@example.org", name="Pat Practitioner")
    auth.login("p@example.org")
    db.rollback()
    return user


def _refused(client, response, intake_id) -> str:
    """A refusal redirects to the intake page's error summary (post-redirect-get);
    the page it leads to, with the summary."""
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/intakes/{intake_id}#error-summary")
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert '<div class="error-summary" id="error-summary"' in page
    return page


def _latest_flags(db, intake_id):
    record = review.latest_screening(db, intake_id)
    return {f.rule_id: f for f in record.flags}


def test_intake_page_shows_flags_with_evidence_answers_and_consent(client, db, clinic,
                                                                   practitioner):
    answers = baseline_answers(**{"history.diabetes": "type_2"})
    intake = submitted_intake(db, clinic, name="Dana Diabetes", answers=answers)
    intake_id = intake.id
    db.rollback()
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert "Dana Diabetes" in page
    assert "dn_diabetes" in page and "Precaution" in page
    # Why it fired: the question label and the patient's own answer, by label.
    from intake.questionnaire import load_definition

    definition = load_definition()
    label = definition.question("history.diabetes").label
    assert label in page
    assert definition.option_label("history.diabetes", "type_2") in page
    # Every answer by step with the step titles, and the consent record.
    for step in definition.steps:
        if any(q.id in answers for q in step.questions):
            assert step.title in page
    assert "Consent record" in page
    assert "Left lower back" in page or "left lower back" in page.lower()
    # Flags come before the answers.
    assert page.index("dn_diabetes") < page.index('id="answers-h"')


def test_viewing_an_intake_is_audited(client, db, clinic, practitioner):
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    intake_id = intake.id
    db.rollback()
    client.get(f"/staff/intakes/{intake_id}")
    event = db.query(AuditEvent).filter_by(action="intake.view").one()
    assert event.intake_id == intake_id and event.actor_id == practitioner.id


def test_unsubmitted_intake_shows_no_answers(client, db, make_invite, practitioner):
    intake, _ = make_invite(name="Ivy Invited")
    page = client.get(f"/staff/intakes/{intake.id}").get_data(as_text=True)
    assert "has not submitted" in page and "Ivy Invited" in page
    assert client.post(f"/staff/intakes/{intake.id}/plan", data={
        "electrical_stimulation": "no"}).status_code == 302


def test_decision_note_is_required_for_contraindications_and_red_flags(client, db, clinic,
                                                                       practitioner):
    intake = flagged_intake(db, clinic, [
        ("rf_suspected_dvt", "red_flag", "urgent"),
        ("dn_cosmetic_implant", "contraindication", None),
        ("dn_diabetes", "precaution", None),
        ("info_phq2_positive", "note", None),
    ])
    flags = _latest_flags(db, intake.id)
    ids = {k: f.id for k, f in flags.items()}
    intake_id = intake.id
    db.rollback()
    for rule in ("rf_suspected_dvt", "dn_cosmetic_implant"):
        fid = ids[rule]
        response = client.post(f"/staff/intakes/{intake_id}/flags/{fid}/decision",
                               data={f"f{fid}-choice": "refer", f"f{fid}-note": "  "})
        page = _refused(client, response, intake_id)
        summary = page.split('id="error-summary"')[1].split("</div>")[0]
        assert f'<a href="#f{fid}-note">' in summary and "A note is required" in summary
        assert f'id="f{fid}-note"' in page
    fid = ids["dn_diabetes"]
    ok = client.post(f"/staff/intakes/{intake_id}/flags/{fid}/decision",
                     data={f"f{fid}-choice": "proceed_modified"})
    assert ok.status_code == 302
    # Notes need no decision.
    fid = ids["info_phq2_positive"]
    _refused(client, client.post(f"/staff/intakes/{intake_id}/flags/{fid}/decision",
                                 data={f"f{fid}-choice": "proceed"}), intake_id)
    assert db.query(Decision).count() == 1


def test_cannot_sign_off_until_every_flag_has_a_decision(client, db, clinic, practitioner):
    received = []

    def on_signed_off(sender, intake_id):
        received.append(intake_id)

    signals.intake_signed_off.connect(on_signed_off)
    try:
        intake = flagged_intake(db, clinic, [
            ("rf_suspected_dvt", "red_flag", "urgent"), ("dn_diabetes", "precaution", None),
            ("info_phq2_positive", "note", None)])
        ids = {k: f.id for k, f in _latest_flags(db, intake.id).items()}
        intake_id = intake.id
        db.rollback()
        url = f"/staff/intakes/{intake_id}/sign-off"
        page = _refused(client, client.post(url, data={"confirm": "y"}), intake_id)
        assert '<a href="#confirm">2 flags still need a decision.</a>' in page
        fid = ids["rf_suspected_dvt"]
        client.post(f"/staff/intakes/{intake_id}/flags/{fid}/decision",
                    data={f"f{fid}-choice": "refer", f"f{fid}-note": "GP today"})
        page = _refused(client, client.post(url, data={"confirm": "y"}), intake_id)
        assert "1 flag still needs a decision" in page
        fid = ids["dn_diabetes"]
        client.post(f"/staff/intakes/{intake_id}/flags/{fid}/decision",
                    data={f"f{fid}-choice": "proceed_modified"})
        for unticked in ({}, {"confirm": "false"}, {"confirm": ""}):  # the box must be ticked
            page = _refused(client, client.post(url, data=unticked), intake_id)
            assert '<a href="#confirm">Tick the box to confirm.</a>' in page
        assert received == []
        done = client.post(url, data={"confirm": "y"})
        assert done.status_code == 302
        assert received == [intake_id]
    finally:
        signals.intake_signed_off.disconnect(on_signed_off)
    db.expire_all()
    signed = db.query(SignOff).one()
    assert signed.by_id == practitioner.id and signed.intake_id == intake_id
    assert signed.intake_id == intake_id
    from intake.models import Intake

    assert db.get(Intake, intake_id).status == IntakeStatus.REVIEWED
    db.rollback()
    page = client.get(f"/staff/intakes/{intake_id}")
    assert "Signed off as reviewed by Pat Practitioner" in page.get_data(as_text=True)
    assert f'action="/staff/intakes/{intake_id}/sign-off"' not in page.get_data(as_text=True)
    actions = [e.action for e in db.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions.count("review.decision") == 2 and "review.sign_off" in actions


def test_decisions_are_appended_and_history_shown(client, db, clinic, practitioner, app):
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    fid = _latest_flags(db, intake.id)["dn_diabetes"].id
    intake_id = intake.id
    db.rollback()
    url = f"/staff/intakes/{intake_id}/flags/{fid}/decision"
    client.post(url, data={f"f{fid}-choice": "proceed"})
    client.post(url, data={f"f{fid}-choice": "defer", f"f{fid}-note": "wait for GP"})
    rows = db.query(Decision).order_by(Decision.id).all()
    assert [d.choice for d in rows] == ["proceed", "defer"]
    db.rollback()
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert "Decision history (2)" in page and "wait for GP" in page
    assert "<strong>Decision:</strong> Defer" in page
    # the current decision's note is on the card, not only inside the history
    card = page.split("<strong>Decision:</strong> Defer")[1].split('<details class="history">')[0]
    assert '<strong>Note:</strong> <span class="note">wait for GP</span>' in card
    url = app.config["DATABASE_URL"]
    with pytest.raises(IntegrityError, match="append-only"):
        raw_execute(url, "UPDATE decisions SET choice = 'proceed'")
    with pytest.raises(IntegrityError, match="append-only"):
        raw_execute(url, "DELETE FROM decisions")


def test_front_desk_cannot_decide(app, db, clinic, make_staff, nocsrf):
    from staff_helpers import AuthActions

    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    fid = _latest_flags(db, intake.id)["dn_diabetes"].id
    intake_id = intake.id
    client = app.test_client()
    AuthActions(client).login(make_staff(role="front_desk").email)
    db.rollback()
    response = client.post(f"/staff/intakes/{intake_id}/flags/{fid}/decision",
                           data={f"f{fid}-choice": "proceed"})
    assert response.status_code == 403


def test_plan_rescreens_and_shows_what_changed(client, db, clinic, practitioner):
    answers = baseline_answers(**{"history.bleeding": ["haemophilia"]})
    intake = submitted_intake(db, clinic, answers=answers)
    before = {f.rule_id: f.level for f in review.latest_screening(db, intake.id).flags}
    intake_id = intake.id
    db.rollback()
    assert "dn_thoracic_needling_planned" not in before
    form = client.get(f"/staff/intakes/{intake_id}/plan").get_data(as_text=True)
    assert 'value="left_lower_back"' in form and "checked" in form
    response = client.post(f"/staff/intakes/{intake_id}/plan", data={
        "regions": ["left_upper_back", "left_lower_back"],
        "electrical_stimulation": "yes", "targets": ["psoas"]})
    assert response.status_code == 302 and response.headers["Location"].endswith("#changes")
    record = review.latest_screening(db, intake_id)
    assert record.created_by_id == practitioner.id
    assert record.plan == {"regions": ["left_upper_back", "left_lower_back"],
                           "electrical_stimulation": True,
                           "noncompressible_targets": ["psoas"]}
    after = {f.rule_id for f in record.flags}
    assert {"dn_thoracic_needling_planned", "dn_bleeding_risk_noncompressible_target"} <= after
    assert db.query(ScreeningRecord).filter_by(intake_id=intake_id).count() == 2
    db.rollback()
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert "What changed with the latest plan" in page
    assert "Added:" in page and "thorax" in page.lower()


def test_plan_refuses_unknown_regions(client, db, clinic, practitioner):
    intake = submitted_intake(db, clinic)
    intake_id = intake.id
    db.rollback()
    response = client.post(f"/staff/intakes/{intake_id}/plan", data={
        "regions": ["left_tail"], "electrical_stimulation": "no"})
    assert response.status_code == 400
    assert db.query(ScreeningRecord).filter_by(intake_id=intake_id).count() == 1


def test_diff_reports_added_removed_and_changed(db, clinic):
    old = flagged_intake(db, clinic, [("a", "precaution", None), ("b", "note", None),
                                      ("c", "red_flag", "prompt")])
    new = flagged_intake(db, clinic, [("a", "contraindication", None), ("d", "note", None),
                                      ("c", "red_flag", "emergency")])
    diff = review.diff_screenings(review.latest_screening(db, old.id),
                                  review.latest_screening(db, new.id))
    assert [c.rule_id for c in diff.added] == ["d"]
    assert [c.rule_id for c in diff.removed] == ["b"]
    assert {(c.rule_id, c.before, c.after) for c in diff.changed} == {
        ("a", "precaution", "contraindication"),
        ("c", "red_flag (prompt)", "red_flag (emergency)")}


def test_a_decision_for_an_older_level_does_not_count(db, clinic, make_staff):
    user = make_staff()
    intake = flagged_intake(db, clinic, [("dn_lymph", "precaution", None)])
    flag = review.latest_screening(db, intake.id).flags[0]
    review.record_decision(db, intake, flag, choice="proceed", note="", actor_id=user.id)
    assert review.undecided(db, intake, review.latest_screening(db, intake.id)) == []
    # A new screening where the same rule is now a contraindication needs a new decision.
    record = ScreeningRecord(intake=intake, rules_version="x", plan={"regions": []})
    from intake.models import FlagRecord

    record.flags.append(FlagRecord(position=0, rule_id="dn_lymph", level="contraindication",
                                   urgency=None, title="t", action="a", sources=[],
                                   evidence=[], detail={}))
    db.add(record)
    db.flush()
    assert review.undecided(db, intake, record) == ["dn_lymph"]
    with pytest.raises(review.ReviewError, match="earlier screening"):
        review.record_decision(db, intake, flag, choice="proceed", note="", actor_id=user.id)


def test_intake_heading_shows_the_typed_and_invited_names_and_the_age(client, db, clinic,
                                                                      practitioner):
    from intake import clock

    answers = baseline_answers(**{"about.full_name": "Samantha Sample",
                                  "about.date_of_birth": "1980-04-02"})
    intake = submitted_intake(db, clinic, name="Sam Sample", answers=answers)
    intake_id = intake.id
    db.rollback()
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert heading == "Samantha Sample"
    assert "<dt>Invited as</dt><dd>Sam Sample</dd>" in page
    with client.application.app_context():
        today = clock.today()
    age = today.year - 1980 - ((today.month, today.day) < (4, 2))
    assert f"<dd>2 April 1980 (age {age})</dd>" in page


EVERY_LEVEL = [("rf_suspected_dvt", "red_flag", "urgent"),
               ("dn_cosmetic_implant", "contraindication", None),
               ("dn_diabetes", "precaution", None),
               ("info_phq2_positive", "note", None)]
LEVEL_WORDS = ["Red flag: urgent", "Contraindication", "Precaution", "Note"]


def test_each_severity_reads_the_same_on_the_staff_page_and_in_the_pdf(client, db, clinic,
                                                                       practitioner):
    from documents_helpers import docs_definition

    from intake.documents.collect import screening_dict
    from intake.documents.render import render_html
    from intake.documents.samples import sample_summary

    intake = flagged_intake(db, clinic, EVERY_LEVEL)
    flags = screening_dict(review.latest_screening(db, intake.id))["flags"]
    intake_id = intake.id
    db.rollback()
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    html = render_html(sample_summary(flags=flags), docs_definition())
    for words in LEVEL_WORDS:
        assert f'">{words}</span>' in page, words
        assert f'">{words} · ' in html, words  # the PDF's flag heading
    staff = [page.index(f'">{w}</span>') for w in LEVEL_WORDS]
    pdf = [html.index(f'">{w} · ') for w in LEVEL_WORDS]
    assert staff == sorted(staff) and pdf == sorted(pdf)  # most severe first on both


def test_decision_choices_offered_accepted_and_refused(client, db, clinic, practitioner):
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    fid = _latest_flags(db, intake.id)["dn_diabetes"].id
    intake_id = intake.id
    db.rollback()
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    offered = {"proceed": "Proceed", "proceed_modified": "Proceed with modifications",
               "defer": "Defer", "refer": "Refer", "do_not_needle": "Do not needle"}
    for value, words in offered.items():
        assert f'value="{value}"' in page and f">{words}</label>" in page
    url = f"/staff/intakes/{intake_id}/flags/{fid}/decision"
    for bad in ("maybe", "PROCEED", ""):  # refused: back to the page's error summary
        refused = client.post(url, data={f"f{fid}-choice": bad})
        assert refused.status_code == 302, bad
        assert refused.headers["Location"].endswith("#error-summary"), bad
    assert db.query(Decision).count() == 0
    db.rollback()
    for value in offered:
        assert client.post(url, data={f"f{fid}-choice": value}).status_code == 302, value
    assert [d.choice_label for d in db.query(Decision).order_by(Decision.id)] == list(
        offered.values())


def test_an_unknown_decision_is_refused_below_the_form_too(db, clinic, make_staff):
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    flag = _latest_flags(db, intake.id)["dn_diabetes"]
    user = make_staff(role="practitioner")
    with pytest.raises(review.ReviewError, match="Choose one of the decisions"):
        review.record_decision(db, intake, flag, choice="maybe", note="", actor_id=user.id)
    db.add(Decision(intake_id=intake.id, screening_id=flag.screening_id, flag_id=flag.id,
                    rule_id=flag.rule_id, level=flag.level, choice="maybe", by_id=user.id))
    with pytest.raises(IntegrityError, match="choice_known"):
        db.flush()  # the database's own check, built from the same table


def test_a_refused_decision_keeps_the_typed_note_for_its_user_once(client, db, clinic,
                                                                   practitioner, app,
                                                                   make_staff):
    from datetime import timedelta

    from staff_helpers import AuthActions

    from intake.models import ShownOnce

    other_email = make_staff("practitioner").email
    intake = flagged_intake(db, clinic, [("rf_suspected_dvt", "red_flag", "urgent")])
    fid = _latest_flags(db, intake.id)["rf_suspected_dvt"].id
    intake_id = intake.id
    db.rollback()
    url = f"/staff/intakes/{intake_id}/flags/{fid}/decision"
    # no choice ticked: the note typed so far must not be lost
    page = _refused(client, client.post(url, data={f"f{fid}-note": "Calf swollen <b>"}),
                    intake_id)
    assert f'<a href="#f{fid}-choice-0">Choose a decision for' in page
    assert f'id="f{fid}-choice-0"' in page
    assert "Calf swollen &lt;b&gt;</textarea>" in page
    assert db.query(Decision).count() == 0
    db.rollback()
    # read once: a reload is a clean page, and nothing is left in the store
    again = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert "error-summary" not in again and "Calf swollen" not in again
    assert db.query(ShownOnce).count() == 0
    db.rollback()
    # another practitioner never sees what this one typed
    client.post(url, data={f"f{fid}-note": "Only mine"})
    other = app.test_client()
    AuthActions(other).login(other_email)
    assert "Only mine" not in other.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    # and a kept form expires within minutes
    db.rollback()
    for row in db.query(ShownOnce):
        row.expires_at = row.expires_at - timedelta(hours=1)
    db.commit()
    assert "Only mine" not in client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)


def test_a_decision_changed_after_sign_off_reopens_it(client, db, clinic, practitioner):
    intake = flagged_intake(db, clinic, [("dn_diabetes", "precaution", None)])
    fid = _latest_flags(db, intake.id)["dn_diabetes"].id
    intake_id = intake.id
    db.rollback()
    decide = f"/staff/intakes/{intake_id}/flags/{fid}/decision"
    client.post(decide, data={f"f{fid}-choice": "proceed"})
    assert client.post(f"/staff/intakes/{intake_id}/sign-off",
                       data={"confirm": "y"}).status_code == 302
    from intake.models import Intake

    assert db.get(Intake, intake_id).status == IntakeStatus.REVIEWED
    db.rollback()
    changed = client.post(decide, data={f"f{fid}-choice": "defer", f"f{fid}-note": "GP first"},
                          follow_redirects=True).get_data(as_text=True)
    assert "sign off again" in changed
    assert f'action="/staff/intakes/{intake_id}/sign-off"' in changed  # the form is back
    db.expire_all()
    assert db.get(Intake, intake_id).status == IntakeStatus.SUBMITTED
    event = db.query(AuditEvent).filter_by(action="review.decision").order_by(
        AuditEvent.id.desc()).first()
    assert event.detail["reopened"] is True
    db.rollback()
    assert client.post(f"/staff/intakes/{intake_id}/sign-off",
                       data={"confirm": "y"}).status_code == 302
    assert db.query(SignOff).count() == 2
