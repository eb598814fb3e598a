"""The follow-up re-check through the patient routes: dispatch from the link,
steps saved as drafts, resume, invalid input kept, carried-forward answers,
the review "as of this visit", and the submission that merges and re-screens."""

from __future__ import annotations

import re

import pytest
from answers import step_post
from patient_helpers import stored
from sqlalchemy import select
from staff_helpers import submitted_intake
from visits_support import first_intake, follow_up_answers

from intake.models import AuditEvent, FlagRecord, ScreeningRecord
from intake.operations.follow_ups import definition_for
from intake.operations.invites import create_invite

pytest_plugins = ["patient_fixtures"]


@pytest.fixture
def first(db, clinic):
    return submitted_intake(db, clinic, answers=first_intake(**{
        "medications.current": ["sertraline", "ibuprofen"]}))


@pytest.fixture
def follow(db, clinic, first):
    intake, token = create_invite(db, clinic, name="ignored", days=14, follows=first)
    db.commit()
    return intake, token


def _definition(app, db, token):
    with app.test_request_context():
        definition = definition_for(stored(db, token))
    db.commit()  # end the test session's transaction: the requests write
    return definition


def _post(client, token, definition, step_id, answers, **kw):
    return client.post(f"/i/{token}/recheck/step/{step_id}",
                       data=step_post(definition, step_id, answers, **kw))


def _fill(client, app, db, token, answers):
    definition = _definition(app, db, token)
    for step in definition.steps:
        response = _post(client, token, definition, step.id, answers)
        assert response.status_code == 303, (step.id, response.get_data(as_text=True)[:3000])
    return definition


def test_a_follow_up_link_opens_the_re_check(client_nocsrf, follow):
    _, token = follow
    response = client_nocsrf.get(f"/i/{token}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/i/{token}/recheck")
    response = client_nocsrf.get(f"/i/{token}/recheck")
    assert response.headers["Location"].endswith(f"/i/{token}/recheck/step/changes")
    page = client_nocsrf.get(f"/i/{token}/recheck/step/changes").get_data(as_text=True)
    assert "Has anything changed in your health since your last visit on" in page
    assert "{last_visit}" not in page
    # the intake's steps are not reachable with a follow-up link
    response = client_nocsrf.get(f"/i/{token}/step/about")
    assert response.status_code == 303 and "/recheck" in response.headers["Location"]


def test_a_first_intake_link_does_not_open_a_re_check(client_nocsrf, token):
    response = client_nocsrf.get(f"/i/{token}/recheck/step/changes")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/i/{token}")


def test_a_wrong_token_is_the_link_problem_page(client_nocsrf):
    response = client_nocsrf.get("/i/" + "x" * 43 + "/recheck/step/changes")
    assert response.status_code == 404
    assert "link" in response.get_data(as_text=True).lower()


def test_steps_save_a_draft_and_resume(app, db, client_nocsrf, follow):
    intake, token = follow
    definition = _definition(app, db, token)
    answers = follow_up_answers()
    response = _post(client_nocsrf, token, definition, "changes", answers)
    assert response.headers["Location"].endswith("/recheck/step/today")
    saved = stored(db, token)
    assert saved.answers["changes.anything_changed"] == "no"
    assert saved.completed_steps == ["changes"]
    assert client_nocsrf.get(f"/i/{token}/recheck").headers["Location"].endswith(
        "/recheck/step/today")
    response = _post(client_nocsrf, token, definition, "today", answers, action="later")
    assert response.headers["Location"].endswith("/recheck/step/today?saved=1")
    assert stored(db, token).answers["symptoms.saddle_numbness"] == "no"
    page = client_nocsrf.get(f"/i/{token}/recheck/step/today?saved=1").get_data(as_text=True)
    assert "Your answers are saved" in page


def test_invalid_input_is_kept_with_its_message(app, db, client_nocsrf, follow):
    _, token = follow
    definition = _definition(app, db, token)
    _post(client_nocsrf, token, definition, "changes", follow_up_answers())
    typed = "Fainted in the car park. " * 50  # over the 1,000 characters allowed
    answers = follow_up_answers(**{"today.session_reaction": "fainted"})
    response = _post(client_nocsrf, token, definition, "today", answers,
                     extra={"today.session_reaction_details": typed})
    assert response.status_code == 422
    saved = stored(db, token)
    assert "today.session_reaction_details" in saved.draft_invalid
    assert "today.session_reaction_details" not in saved.answers
    assert saved.answers["symptoms.saddle_numbness"] == "no"  # the valid part is kept
    page = client_nocsrf.get(f"/i/{token}/recheck/step/today").get_data(as_text=True)
    assert typed.strip() in page
    assert 'class="error-summary' in page or "There is a problem" in page


def test_the_stopped_medicines_offer_only_what_was_taken(app, db, client_nocsrf, follow):
    _, token = follow
    definition = _definition(app, db, token)
    stopped = definition.question("changes.medicines_stopped")
    assert {o.value for o in stopped.options} == {"sertraline", "ibuprofen"}
    page = client_nocsrf.get(f"/i/{token}/recheck/step/changes").get_data(as_text=True)
    assert "What you told us last time" in page


def test_submission_merges_and_re_screens(app, db, client_nocsrf, follow, first):
    intake, token = follow
    answers = follow_up_answers(**{
        "changes.medicines_changed": "yes",
        "changes.medicines_started": ["rivaroxaban"],
        "changes.medicines_stopped": ["ibuprofen"],
        "medications.anticoagulant_last_dose": "today",
        "symptoms.saddle_numbness": "new",
        "today.session_reaction": "serious",
        "today.session_reaction_details": "Came over very faint and needed help.",
    })
    _fill(client_nocsrf, app, db, token, answers)
    review = client_nocsrf.get(f"/i/{token}/recheck/review")
    assert review.status_code == 200, review.get_data(as_text=True)[:2000]
    page = review.get_data(as_text=True)
    assert "Your answers as of this visit" in page and "Changed today" in page
    response = client_nocsrf.post(f"/i/{token}/recheck/submit")
    assert response.status_code == 303 and response.headers["Location"].endswith("/done")
    saved = stored(db, token)
    assert saved.is_submitted
    merged = saved.merged_answers
    assert "rivaroxaban" in merged["medications.current"]
    assert "ibuprofen" not in merged["medications.current"]
    assert "sertraline" in merged["medications.current"]
    assert merged["needling.previous_reaction"] == "serious"
    assert merged["about.full_name"] == first.answers["about.full_name"]
    assert "changes.anything_changed" not in merged
    assert saved.visit_answers == merged
    record = db.scalars(select(ScreeningRecord).where(
        ScreeningRecord.intake_id == saved.id)).one()
    fired = set(db.scalars(select(FlagRecord.rule_id).where(
        FlagRecord.screening_id == record.id)))
    assert {"rf_ces_saddle_anaesthesia", "dn_anticoagulant",
            "dn_previous_adverse_reaction"} <= fired
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "follow_up.submit")).one()
    assert event.intake_id == saved.id and event.detail["follows_id"] == first.id
    assert "Came over" not in str(event.detail)
    db.commit()
    # submitted: the steps and the submit go to the done page
    done = client_nocsrf.get(f"/i/{token}/recheck/step/today")
    assert done.headers["Location"].endswith("/done")
    again = client_nocsrf.post(f"/i/{token}/recheck/submit")
    assert again.headers["Location"].endswith("/done")
    assert "Please get medical advice today" in client_nocsrf.get(
        f"/i/{token}/done").get_data(as_text=True)


def test_an_unfinished_re_check_cannot_be_submitted(app, db, client_nocsrf, follow):
    _, token = follow
    definition = _definition(app, db, token)
    _post(client_nocsrf, token, definition, "changes", follow_up_answers())
    response = client_nocsrf.post(f"/i/{token}/recheck/submit")
    assert response.status_code == 303
    assert re.search(r"/recheck/step/today\?check=1$", response.headers["Location"])
    assert not stored(db, token).is_submitted


def test_submit_needs_the_csrf_token(app, client, follow):
    _, token = follow
    assert client.post(f"/i/{token}/recheck/submit").status_code == 400
