"""The questionnaire steps: every answer type valid and invalid, drafts saved
on every button, hidden questions never stored, resume, back, revisiting."""

from __future__ import annotations

from datetime import date

import pytest
from answers import clinic_today, step_post, valid_answers
from patient_helpers import fill_steps, post_step, stored

pytest_plugins = ["patient_fixtures"]

NEXT_YEAR = str(date.today().year + 1)
TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_every_step_accepts_a_complete_valid_answer_set(client_nocsrf, token, definition,
                                                       answers, db):
    done = fill_steps(client_nocsrf, token, definition, answers)
    assert "pregnancy" not in done  # not asked of a man
    intake = stored(db, token)
    assert intake.answers == answers
    assert set(intake.completed_steps) == set(done)
    assert client_nocsrf.get(f"/i/{token}").location.endswith("/review")


@pytest.mark.parametrize("step_id", ["about", "pain", "symptoms", "history", "conditions",
                                     "medications", "needling", "wellbeing", "consent"])
def test_each_step_renders_and_refuses_an_empty_post(client_nocsrf, token, definition, answers,
                                                     step_id):
    fill_steps(client_nocsrf, token, definition, answers, until=step_id)
    page = client_nocsrf.get(f"/i/{token}/step/{step_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert definition.step(step_id).title in html
    response = post_step(client_nocsrf, token, step_id, {"action": "next"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and "Please" in html
    assert "<title>Error:" in html


INVALID = [
    # (step, question, raw posted values, expected message)
    ("about", "about.date_of_birth", {"about.date_of_birth-year": NEXT_YEAR},
     "cannot be in the future"),
    ("about", "about.date_of_birth", {"about.date_of_birth-day": "31",
                                      "about.date_of_birth-month": "2"}, "real date"),
    ("about", "about.date_of_birth", {"about.date_of_birth-year": "1850"}, "check the year"),
    ("about", "about.date_of_birth", {"about.date_of_birth-month": ""}, "enter the month"),
    ("about", "about.full_name", {"about.full_name": "A" * 121}, "120 characters or fewer"),
    ("about", "about.full_name", {"about.full_name": "   "}, "Please answer this question"),
    ("about", "about.email", {"about.email": "not-an-email"}, "email address"),
    ("about", "about.phone", {"about.phone": "call me maybe"}, "phone number"),
    ("about", "about.height_cm", {"about.height_cm": "tall"}, "whole number"),
    ("about", "about.height_cm", {"about.height_cm": "400"}, "from 50 to 250 cm"),
    ("about", "about.height_cm", {"about.height_cm": "1_70"}, "whole number"),
    ("about", "about.weight_kg", {"about.weight_kg": "1e2"}, "Please enter a number"),
    ("about", "about.weight_kg", {"about.weight_kg": "nan"}, "Please enter a number"),
    ("about", "about.sex_at_birth", {"about.sex_at_birth": "robot"}, "options shown"),
    ("pain", "pain.back_now", {"pain.back_now": "11"}, "from 0 to 10"),
    ("pain", "pain.back_now", {"pain.back_now": "-1"}, "from 0 to 10"),
    ("pain", "pain.back_now", {"pain.back_now": ""}, "Please choose an answer"),
    ("pain", "pain.regions", {"pain.regions": ["left_knee", "left_tail"]}, "options shown"),
    ("pain", "pain.regions", {"pain.regions": []}, "tick at least one"),
    ("pain", "pain.notes", {"pain.notes": "x" * 1001}, "1000 characters or fewer"),
    ("history", "history.vascular", {"history.vascular": ["none", "varicose_veins"]},
     "cannot be ticked together"),
    ("history", "history.vascular", {"history.vascular": ["sometimes"]}, "options shown"),
    ("consent", "consent.read_understood", {"consent.read_understood": []}, "tick the box"),
    ("consent", "consent.drawn_signature", {"consent.drawn_signature": "javascript:alert(1)"},
     "could not be read"),
    ("consent", "consent.drawn_signature",
     {"consent.drawn_signature": TINY_PNG + "A" * 210_000}, "too large"),
]


@pytest.mark.parametrize(("step_id", "qid", "raw", "message"), INVALID,
                         ids=[f"{c[1]}-{c[3][:20]}" for c in INVALID])
def test_invalid_answers_are_refused_with_a_message_and_not_stored(
        client_nocsrf, token, definition, answers, db, step_id, qid, raw, message):
    fill_steps(client_nocsrf, token, definition, answers, until=step_id)
    data = step_post(definition, step_id, answers, extra=raw)
    response = post_step(client_nocsrf, token, step_id, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    field = "q-" + qid.replace(".", "-")
    assert f'href="#{field}' in html  # the summary links to the field
    assert f'id="{field}-error"' in html
    intake = stored(db, token)
    assert step_id not in (intake.completed_steps or [])
    if qid != "about.full_name":
        # the rest of the step was valid: it is saved as a draft
        others = [q.id for q in definition.step(step_id).questions
                  if q.id != qid and q.id in answers]
        assert all(intake.answers.get(k) == answers[k] for k in others)
    assert intake.answers.get(qid) in (None, answers.get(qid))


def test_a_pain_score_of_zero_is_an_answer(client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers, until="pain")
    data = step_post(definition, "pain", {**answers, "pain.back_now": 0, "pain.back_worst_24h": 0})
    assert post_step(client_nocsrf, token, "pain", data).status_code == 303
    assert stored(db, token).answers["pain.back_now"] == 0


def test_a_decimal_comma_is_read_as_a_point(client_nocsrf, token, definition, answers, db):
    data = step_post(definition, "about", answers, extra={"about.weight_kg": "68,5"})
    assert post_step(client_nocsrf, token, "about", data).status_code == 303
    assert stored(db, token).answers["about.weight_kg"] == 68.5


def test_a_valid_drawn_signature_is_kept(client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers, until="consent")
    data = step_post(definition, "consent", {**answers, "consent.drawn_signature": TINY_PNG})
    assert post_step(client_nocsrf, token, "consent", data).status_code == 303
    assert stored(db, token).answers["consent.drawn_signature"] == TINY_PNG


def test_a_mistake_keeps_everything_typed_on_the_page(client_nocsrf, token, definition, answers):
    data = step_post(definition, "about", answers,
                     extra={"about.date_of_birth-year": NEXT_YEAR, "about.email": "nope"})
    html = post_step(client_nocsrf, token, "about", data).get_data(as_text=True)
    assert 'value="Alex Example"' in html
    assert f'value="{NEXT_YEAR}"' in html and 'value="nope"' in html
    assert "There are problems with 2 answers" in html
    assert 'autofocus' in html


def test_data_posted_for_a_hidden_question_is_dropped(client_nocsrf, token, definition, answers,
                                                      db):
    data = step_post(definition, "about", answers,
                     extra={"about.interpreter_language": "French"})
    assert answers["about.needs_interpreter"] == "no"
    assert post_step(client_nocsrf, token, "about", data).status_code == 303
    assert "about.interpreter_language" not in stored(db, token).answers
    # Asked once the answer calls for it, and required then.
    data = step_post(definition, "about", {**answers, "about.needs_interpreter": "yes"})
    response = post_step(client_nocsrf, token, "about", data)
    assert response.status_code == 422
    assert "q-about-interpreter_language-error" in response.get_data(as_text=True)


def test_changing_an_earlier_answer_drops_the_answers_it_hides(client_nocsrf, token, definition,
                                                              answers, db):
    fill_steps(client_nocsrf, token, definition, answers)
    before = stored(db, token).answers
    assert before["pain.back_pain"] == "yes" and "wellbeing.startback_5" in before
    data = step_post(definition, "pain", {**answers, "pain.back_pain": "no"})
    assert post_step(client_nocsrf, token, "pain", data).status_code == 303
    after = stored(db, token).answers
    assert after["pain.back_pain"] == "no"
    assert not any(k.startswith("wellbeing.startback") for k in after)
    assert "pain.back_now" not in after and "pain.first_episode" not in after
    assert after["about.full_name"] == "Alex Example"


def test_a_newly_asked_question_sends_the_patient_back_to_that_step(
        client_nocsrf, token, definition, answers):
    fill_steps(client_nocsrf, token, definition, answers)
    data = step_post(definition, "about", {**answers, "about.sex_at_birth": "female"})
    response = post_step(client_nocsrf, token, "about", {**data.to_dict(flat=False),
                                                         "from": "review"})
    # the pregnancy question is now asked, so that step comes before the review
    assert response.location.endswith("/step/pregnancy")
    assert client_nocsrf.get(f"/i/{token}").location.endswith("/step/pregnancy")


def test_resume_goes_to_the_first_unfinished_step_with_answers_filled_in(
        client_nocsrf, token, definition, answers):
    first = client_nocsrf.get(f"/i/{token}")  # nothing saved: the language choice first
    assert first.status_code == 200 and 'name="language"' in first.get_data(as_text=True)
    chosen = client_nocsrf.post(f"/i/{token}/language", data={"language": "en", "next": "start"})
    assert chosen.status_code == 303 and chosen.location.endswith("/step/about")
    fill_steps(client_nocsrf, token, definition, answers, until="symptoms")
    assert client_nocsrf.get(f"/i/{token}").location.endswith("/step/symptoms")
    html = client_nocsrf.get(f"/i/{token}/step/about").get_data(as_text=True)
    assert 'value="Alex Example"' in html and 'value="1980"' in html
    assert 'value="male" checked' in html
    html = client_nocsrf.get(f"/i/{token}/step/pain").get_data(as_text=True)
    assert 'value="left_buttock" checked' in html and 'value="4" checked' in html


def test_back_saves_valid_answers_never_blocks_and_goes_to_the_previous_step(
        client_nocsrf, token, definition, answers, db):
    fill_steps(client_nocsrf, token, definition, answers, until="pain")
    data = step_post(definition, "pain", answers, action="back",
                     extra={"pain.back_now": "11"})
    response = post_step(client_nocsrf, token, "pain", data)
    assert response.status_code == 303 and response.location.endswith("/step/about")
    intake = stored(db, token)
    assert intake.answers["pain.started_when"] == answers["pain.started_when"]
    assert "pain.back_now" not in intake.answers
    assert "pain" not in intake.completed_steps


def test_save_and_finish_later_keeps_the_draft_and_says_so(client_nocsrf, token, definition,
                                                          answers, db):
    data = step_post(definition, "about", {"about.full_name": "Alex Example"}, action="later")
    response = post_step(client_nocsrf, token, "about", data)
    assert response.status_code == 303
    page = client_nocsrf.get(response.location).get_data(as_text=True)
    assert "Your answers are saved" in page
    assert stored(db, token).answers == {"about.full_name": "Alex Example"}


def test_progress_and_step_list(client_nocsrf, token, definition, answers):
    fill_steps(client_nocsrf, token, definition, answers, until="symptoms")
    html = client_nocsrf.get(f"/i/{token}/step/symptoms").get_data(as_text=True)
    today = clinic_today(client_nocsrf.application)
    total = len([s for s in definition.steps if definition.visible_questions(s, answers, today)])
    assert f"Step 3 of {total}" in html
    assert f'<progress class="progress__bar" max="{total}" value="3"' in html
    assert 'aria-current="step">Other symptoms' in html
    assert f'href="/i/{token}/step/about"' in html


def test_same_step_conditions_are_carried_for_the_script_and_said_in_words(
        client_nocsrf, token, definition, answers):
    fill_steps(client_nocsrf, token, definition, answers, until="pain")
    html = client_nocsrf.get(f"/i/{token}/step/pain").get_data(as_text=True)
    assert "data-show-if='{\"equals\": \"yes\", \"question\": \"pain.back_pain\"}'" in html
    assert "Answer only if you answered “Yes” to “Do you have back pain?”." in html


def test_the_body_diagram_and_the_region_list(client_nocsrf, token, definition):
    html = client_nocsrf.get(f"/i/{token}/step/pain").get_data(as_text=True)
    for region in definition.regions.ids:
        assert f'data-region="{region}"' in html
        assert f'value="{region}"' in html
    assert '<svg class="body-diagram__svg"' in html and 'aria-hidden="true"' in html
    assert "Your left<span class=\"visually-hidden\"> knee</span>" in html
    assert "<legend class=\"region-area__legend\">Knee</legend>" in html


def test_questions_hidden_by_earlier_steps_are_not_shown(client_nocsrf, token, definition,
                                                         answers):
    fill_steps(client_nocsrf, token, definition, answers, until="consent")
    html = client_nocsrf.get(f"/i/{token}/step/consent").get_data(as_text=True)
    assert "consent.guardian_name" not in html  # an adult
    assert client_nocsrf.get(f"/i/{token}/step/pregnancy").status_code == 303  # a man


def test_a_minor_is_asked_for_a_guardian(client_nocsrf, token, definition, db):
    young = valid_answers(definition, overrides={"about.date_of_birth": "2015-06-01",
                                                 "consent.guardian_present": "yes",
                                                 "consent.guardian_name": "Pat Example",
                                                 "consent.guardian_relationship": "parent",
                                                 "consent.guardian_agrees": "yes",
                                                 "consent.minor_agrees": "yes"})
    fill_steps(client_nocsrf, token, definition, young, until="consent")
    data = step_post(definition, "consent", {k: v for k, v in young.items()
                                             if not k.startswith("consent.guardian_")
                                             or k == "consent.guardian_present"})
    response = post_step(client_nocsrf, token, "consent", data)
    assert response.status_code == 422
    assert "q-consent-guardian_name-error" in response.get_data(as_text=True)
    response = post_step(client_nocsrf, token, "consent", step_post(definition, "consent", young))
    assert response.status_code == 303
    assert stored(db, token).answers["consent.guardian_name"] == "Pat Example"


def test_a_minor_with_no_guardian_can_say_so_and_types_no_name(client_nocsrf, token,
                                                                definition, db):
    young = valid_answers(definition, overrides={"about.date_of_birth": "2015-06-01",
                                                 "consent.guardian_present": "no",
                                                 "consent.minor_agrees": "yes"})
    assert "consent.guardian_name" not in young
    fill_steps(client_nocsrf, token, definition, young, until="consent")
    html = client_nocsrf.get(f"/i/{token}/step/consent").get_data(as_text=True)
    assert "no parent or guardian is with me or has agreed" in html
    response = post_step(client_nocsrf, token, "consent", step_post(definition, "consent", young))
    assert response.status_code == 303
    answers = stored(db, token).answers
    assert answers["consent.guardian_present"] == "no"
    assert not any(k in answers for k in ("consent.guardian_name", "consent.guardian_agrees"))


def test_unknown_step_is_a_404_page(client_nocsrf, token):
    response = client_nocsrf.get(f"/i/{token}/step/nonsense")
    assert response.status_code == 404
    assert "could not find that page" in response.get_data(as_text=True)
