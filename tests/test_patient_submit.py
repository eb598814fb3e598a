"""Review, submit and the done page; the submit operation and its screening."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from answers import valid_answers
from patient_helpers import fill_steps, stored
from sqlalchemy import select

from intake import signals
from intake.models import FlagRecord, Intake, ScreeningRecord
from intake.operations.submissions import (
    AlreadySubmitted,
    IncompleteIntake,
    submit_intake,
)

pytest_plugins = ["patient_fixtures"]


def screenings(db, intake_id: int) -> list[ScreeningRecord]:
    rows = db.scalars(select(ScreeningRecord).where(ScreeningRecord.intake_id == intake_id)).all()
    db.commit()
    return list(rows)


def test_review_shows_every_asked_answer_in_words_with_change_links(
        client_nocsrf, token, definition, answers):
    fill_steps(client_nocsrf, token, definition, answers)
    response = client_nocsrf.get(f"/i/{token}/review")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Alex Example", "2 April 1980", "Left buttock", "Left back of thigh",
                 "2 to 6 weeks ago", "4 out of 10", "175 cm", "72.5 kg", "None of these"):
        assert text in html, text
    assert "Interpreter" not in html and "Which language?" not in html  # not asked
    assert f'href="/i/{token}/step/pain?from=review"' in html
    assert "Read the consent information again" in html
    assert "Some answers are missing" not in html
    assert f'action="/i/{token}/submit"' in html


def test_review_points_out_unfinished_steps(client_nocsrf, token, definition, answers):
    fill_steps(client_nocsrf, token, definition, answers, until="history")
    html = client_nocsrf.get(f"/i/{token}/review").get_data(as_text=True)
    assert "Some answers are missing" in html
    assert "Not answered yet" in html


def test_submit_freezes_screens_and_sends_the_signal_after_commit(
        app, client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers)
    seen = []

    def receiver(sender, intake_id):
        # Runs after the commit: a fresh session already sees the submission.
        with app.app_context():
            other = app.extensions["intake_sessionmaker"]()
            seen.append((intake_id, other.get(Intake, intake_id).is_submitted))
            other.close()

    with signals.intake_submitted.connected_to(receiver):
        response = client_nocsrf.post(f"/i/{token}/submit")
    assert response.status_code == 303 and response.location.endswith("/done")
    intake = stored(db, token)
    assert seen == [(intake.id, True)]
    assert intake.is_submitted and intake.submitted_at is not None
    assert intake.status == "submitted"
    assert intake.questionnaire_version == definition.version
    assert intake.answers == answers
    records = screenings(db, intake.id)
    assert len(records) == 1 and records[0].overall_level is None
    assert intake.worst_rank == 0


def test_submitting_twice_makes_one_submission(client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers)
    first = client_nocsrf.post(f"/i/{token}/submit")
    second = client_nocsrf.post(f"/i/{token}/submit")
    assert first.location.endswith("/done") and second.location.endswith("/done")
    intake = stored(db, token)
    assert len(screenings(db, intake.id)) == 1
    # after submitting, the questionnaire pages lead to the done page
    assert client_nocsrf.get(f"/i/{token}").location.endswith("/done")
    assert client_nocsrf.get(f"/i/{token}/review").location.endswith("/done")
    response = client_nocsrf.post(f"/i/{token}/step/about", data={"about.full_name": "X"})
    assert response.location.endswith("/done")
    assert stored(db, token).answers["about.full_name"] == "Alex Example"


def test_a_concurrent_second_submit_is_refused_by_the_conditional_update(
        app, make_invite, definition):
    intake, _ = make_invite()
    maker = app.extensions["intake_sessionmaker"]
    first, second = maker(), maker()
    mine = first.get(Intake, intake.id)
    mine.answers = valid_answers(definition)
    first.commit()
    theirs = second.get(Intake, intake.id)  # loaded before the first submit
    second.commit()
    with app.app_context():  # the clinic's date comes from the app's clock
        submit_intake(first, mine, definition=definition)
    first.commit()
    assert theirs.is_submitted is False  # a stale copy, as in a second request
    with pytest.raises(AlreadySubmitted), app.app_context():
        submit_intake(second, theirs, definition=definition)
    second.rollback()
    assert len(second.scalars(select(ScreeningRecord)).all()) == 1
    second.commit()
    first.close()
    second.close()


def test_submit_with_missing_answers_goes_to_the_step_with_the_message(
        client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers)
    intake = stored(db, token)
    intake.answers = {k: v for k, v in intake.answers.items() if k != "about.phone"}
    db.commit()
    response = client_nocsrf.post(f"/i/{token}/submit")
    assert response.status_code == 303
    assert response.location.endswith("/step/about?check=1")
    html = client_nocsrf.get(response.location).get_data(as_text=True)
    assert "Before you can submit" in html
    assert 'id="q-about-phone-error"' in html and 'href="#q-about-phone"' in html
    assert not stored(db, token).is_submitted


def test_submit_intake_refuses_incomplete_answers(app, make_invite, db, definition):
    intake, _ = make_invite()
    intake.answers = {"about.full_name": "Alex Example"}
    db.commit()
    with pytest.raises(IncompleteIntake) as error, app.app_context():
        submit_intake(db, intake, definition=definition)
    assert any("about.phone" in p for p in error.value.problems)
    db.rollback()


def test_flags_are_stored_in_order_with_the_worst_rank(app, make_invite, db, definition):
    intake, _ = make_invite()
    intake.answers = valid_answers(definition, overrides={
        "symptoms.bladder": "new", "medications.current": ["apixaban"],
    })
    db.commit()
    now = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    with app.app_context():
        record = submit_intake(db, intake, now=now, definition=definition)
    db.commit()
    rule_ids = [f.rule_id for f in record.flags]
    assert rule_ids[0] == "rf_ces_bladder_dysfunction"
    assert "dn_anticoagulant" in rule_ids
    assert [f.position for f in record.flags] == list(range(len(rule_ids)))
    assert record.overall_level == "red_flag"
    assert len(record.rules_version) >= 12
    assert intake.worst_rank == 6 and intake.submitted_at == now
    first = record.flags[0]
    assert first.urgency == "emergency" and first.evidence and first.sources
    assert first.detail["why"]




def test_done_page_is_neutral_and_never_shows_flags(client_nocsrf, token, definition, db):
    answers = valid_answers(definition, overrides={"medications.current": ["apixaban"]})
    fill_steps(client_nocsrf, token, definition, answers)
    client_nocsrf.post(f"/i/{token}/submit")
    html = client_nocsrf.get(f"/i/{token}/done").get_data(as_text=True)
    assert "your answers have been sent" in html
    assert "medical advice today" not in html
    intake = stored(db, token)
    for flag in screenings(db, intake.id)[0].flags:
        assert flag.title not in html and flag.rule_id not in html


def test_done_page_gives_the_submission_time_in_clinic_time(
        app, client_nocsrf, token, definition, db):
    app.config["TIMEZONE"] = "Asia/Tokyo"
    fill_steps(client_nocsrf, token, definition, valid_answers(definition))
    client_nocsrf.post(f"/i/{token}/submit")
    html = client_nocsrf.get(f"/i/{token}/done").get_data(as_text=True)
    local = stored(db, token).submitted_at.astimezone(ZoneInfo("Asia/Tokyo"))
    # Babel's long date and short time, joined the clinic's locale's way (en_GB)
    assert f"received your answers on {local.day} {local:%B %Y}, {local:%H:%M}." in html


def test_done_page_asks_to_seek_care_today_for_an_emergency_red_flag(
        client_nocsrf, token, definition, db):
    answers = valid_answers(definition, overrides={"symptoms.bladder": "new"})
    fill_steps(client_nocsrf, token, definition, answers)
    client_nocsrf.post(f"/i/{token}/submit")
    html = client_nocsrf.get(f"/i/{token}/done").get_data(as_text=True)
    assert "Please get medical advice today" in html
    assert "emergency department" in html
    assert 'href="tel:555-0199"' in html
    assert "cauda equina" not in html.lower() and "bladder" not in html.lower()
    # one calm message: nothing suggests waiting for the visit, and it says when
    assert "before your visit" not in html and "What happens next" not in html
    submitted = stored(db, token).submitted_at.astimezone(ZoneInfo("UTC"))
    assert f"{submitted.day} {submitted:%B %Y}, {submitted:%H:%M}" in html


def test_done_page_reads_stored_flags(client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers)
    client_nocsrf.post(f"/i/{token}/submit")
    assert "medical advice today" not in client_nocsrf.get(f"/i/{token}/done").get_data(
        as_text=True)
    intake = stored(db, token)
    record = screenings(db, intake.id)[0]
    db.add(FlagRecord(screening=record, position=0, rule_id="rf_test", level="red_flag",
                      urgency="emergency", title="Test", action="Test"))
    db.commit()
    assert "medical advice today" in client_nocsrf.get(f"/i/{token}/done").get_data(
        as_text=True)


def test_done_before_submitting_goes_back_to_the_questionnaire(client_nocsrf, token):
    response = client_nocsrf.get(f"/i/{token}/done")
    assert response.status_code == 302 and response.location.endswith(f"/i/{token}")


def test_a_failing_signal_listener_does_not_hide_the_submission(
        client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers)

    def broken(sender, intake_id):
        raise RuntimeError("renderer down")

    with signals.intake_submitted.connected_to(broken):
        response = client_nocsrf.post(f"/i/{token}/submit")
    assert response.status_code == 303 and response.location.endswith("/done")
    assert stored(db, token).is_submitted
