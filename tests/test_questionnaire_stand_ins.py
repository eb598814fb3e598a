"""Free text stands alone, and a long step is split in two (issue 12).

``required_unless_answered``: a pick list may be left blank when its "other"
free text is answered (a blood thinner typed under other medicines, with no
false "I don't take any of these" ticked). The loader checks the ids, the
form, the whole-intake check, the review page, the staff page and the PDF
all follow it, and the screening still fires on the typed drug.
``continues``: the health questions are two steps, and the second keeps
their "history." ids (rules, clinical cases and stored answers name them).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from answers import step_post, valid_answers
from documents_helpers import pdf_text
from test_answer_display import _review_page, _staff_page
from test_questionnaire_definition import BASE, load

from intake.documents.render import render_pdf
from intake.documents.samples import sample_summary
from intake.patient.wizard import process_step
from intake.questionnaire import DefinitionError, load_definition
from intake.questionnaire.answers import schema
from intake.questionnaire.types import AnswerFormat
from intake.screening import evaluate

TODAY = date(2026, 6, 1)
TYPED = "Xarelto 20 mg every evening"


def with_other(**changes: Any) -> dict[str, Any]:
    """BASE with history.meds answerable by a free-text history.meds_other."""
    data = copy.deepcopy(BASE)
    questions = data["steps"][1]["questions"]
    meds = next(q for q in questions if q["id"] == "history.meds")
    meds["required_unless_answered"] = ["history.meds_other"]
    index = questions.index(meds)
    questions.insert(index + 1, {"id": "history.meds_other", "type": "textarea",
                                 "label": "Other medicines", "required": False})
    meds.update(changes)
    return data


# --- the loader -------------------------------------------------------------------------


def test_a_pick_list_may_be_left_blank_when_its_free_text_is_answered(tmp_path):
    d = load(tmp_path, with_other())
    assert d.question("history.meds").required_unless_answered == ("history.meds_other",)
    answers = {"about.date_of_birth": "1980-01-01", "about.sex": "female",
               "history.swelling": "no", "history.pain": 3, "history.weight": 70,
               "history.ok": True}
    assert "history.meds: an answer is required" in d.check_answers(answers, TODAY)
    typed = {**answers, "history.meds_other": "rivaroxaban"}
    assert not [m for m in d.check_answers(typed, TODAY) if m.startswith("history.meds")]
    spaces = {**answers, "history.meds_other": "   "}  # blank text is no answer
    assert "history.meds: an answer is required" in d.check_answers(spaces, TODAY)
    described = schema(d)["steps"][1]["questions"]
    meds = next(q for q in described if q["id"] == "history.meds")
    assert meds["required_unless_answered"] == ["history.meds_other"]


@pytest.mark.parametrize("value, fragment", [
    (["history.nothing"], "names 'history.nothing', which is not a question of this file"),
    (["history.meds"], "names the question itself"),
    (["history.meds_other", "history.meds_other"], "distinct question ids"),
    ([], "non-empty list"),
    ("history.meds_other", "non-empty list"),
    ([3], "non-empty list"),
])
def test_bad_required_unless_answered_is_refused(tmp_path, value, fragment):
    with pytest.raises(DefinitionError, match="question 'history.meds'") as exc:
        load(tmp_path, with_other(required_unless_answered=value))
    assert fragment in str(exc.value)


def test_required_unless_answered_may_not_name_a_later_step_or_sit_on_an_optional_question(
        tmp_path):
    data = with_other(required_unless_answered=["later.notes"])
    data["steps"].append({"id": "later", "title": "Later", "questions": [
        {"id": "later.notes", "type": "text", "label": "N", "required": False}]})
    with pytest.raises(DefinitionError, match=r"'later.notes', which is asked on a later step"):
        load(tmp_path, data)
    with pytest.raises(DefinitionError, match="no meaning on an optional question"):
        load(tmp_path, with_other(required=False))


def test_an_earlier_steps_answer_may_stand_in(tmp_path):
    data = with_other(required_unless_answered=["about.name"])
    d = load(tmp_path, data)
    step = d.step("history")
    posted = step_post(d, "history", {"history.swelling": "no", "history.pain": 3,
                                      "history.weight": 70, "history.ok": True})
    saved = {"about.name": "Sam", "about.date_of_birth": "1980-01-01"}
    assert "history.meds" not in process_step(d, step, saved, posted, TODAY).errors
    without = process_step(d, step, {"about.date_of_birth": "1980-01-01"}, posted, TODAY)
    assert "history.meds" in without.errors


def test_a_step_continues_an_earlier_one_keeping_its_id_prefix(tmp_path):
    data = copy.deepcopy(BASE)
    data["steps"].append({"id": "more", "continues": "history", "title": "More", "questions": [
        {"id": "history.more", "type": "choice", "label": "More?", "options": "yes_no",
         "show_if": {"question": "history.swelling", "equals": "yes"}}]})
    d = load(tmp_path, data)
    assert d.step("more").continues == "history"
    assert d.question("history.more").step_id == "more"
    assert schema(d)["steps"][2]["continues"] == "history"
    for bad, fragment in ((["more.x", "history"], "must start with its step id, 'history.'"),
                          (["history.x", "more"], "continues must name an earlier step"),
                          (["history.x", "nowhere"], "continues must name an earlier step")):
        wrong = copy.deepcopy(data)
        wrong["steps"][2]["questions"][0]["id"] = bad[0]
        wrong["steps"][2]["continues"] = bad[1]
        with pytest.raises(DefinitionError, match=fragment):
            load(tmp_path, wrong)


# --- the shipped questionnaire ------------------------------------------------------------


@pytest.fixture(scope="module")
def definition():
    return load_definition()


def typed_alone(definition, typed: str = TYPED) -> dict[str, Any]:
    answers = valid_answers(definition, today=TODAY)
    answers.pop("medications.current")
    answers["medications.other"] = typed
    return answers


def test_the_medicines_pick_list_may_be_left_for_the_free_text(definition):
    assert definition.question("medications.current").required_unless_answered == (
        "medications.other",)
    answers = typed_alone(definition)
    assert definition.check_answers(answers, TODAY) == []
    answers.pop("medications.other")
    assert "medications.current: an answer is required" in definition.check_answers(
        answers, TODAY)


def test_the_medicines_step_accepts_free_text_alone_and_refuses_both_blank(definition):
    step = definition.step("medications")
    base = {"medications.allergies": "no"}
    alone = process_step(definition, step, {}, step_post(
        definition, "medications", {**base, "medications.other": TYPED}), TODAY)
    assert alone.valid, alone.errors
    assert alone.values["medications.other"] == TYPED
    assert "medications.current" not in alone.values  # nothing false is stored
    blank = process_step(definition, step, {}, step_post(definition, "medications", base), TODAY)
    message = blank.errors["medications.current"][0]
    assert message.startswith("Please tick at least one box, or fill in “Other medicines")
    both = process_step(definition, step, {}, step_post(
        definition, "medications", {**base, "medications.current": ["none"],
                                    "medications.other": TYPED}), TODAY)
    assert both.valid, both.errors  # the contradiction is the screening's to show


def test_the_screening_fires_on_the_typed_drug_with_the_list_blank(definition):
    screening = evaluate(typed_alone(definition), None, today=TODAY)
    fired = {f.rule_id for f in screening.flags}
    assert "dn_anticoagulant" in fired
    # "nothing ticked" is an answer: the other medicine rules do not fire on
    # an unknown pick list, and the evidence never says "not answered"
    assert not fired & {"dn_antiplatelet", "dn_info_minor_bleeding_meds", "dn_immunocompromised"}
    evidence = screening.flag("dn_anticoagulant").evidence
    assert [(e.question, e.note) for e in evidence] == [
        ("medications.other", "Xarelto (rivaroxaban): anticoagulant")]
    aspirin = evaluate(typed_alone(definition, "baby aspirin"), None, today=TODAY)
    assert {"dn_antiplatelet"} <= {f.rule_id for f in aspirin.flags}
    assert "dn_anticoagulant" not in {f.rule_id for f in aspirin.flags}


def test_a_list_left_for_its_free_text_reads_as_such(definition):
    fmt = AnswerFormat(definition, "en_GB")
    shown = fmt.show_in(definition.question("medications.current"), typed_alone(definition))
    assert shown.plain == f"Nothing ticked; typed instead: {TYPED}"
    neither = typed_alone(definition)
    neither.pop("medications.other")
    assert fmt.show_in(definition.question("medications.current"), neither) is None
    ticked = {"medications.current": ["warfarin"], "medications.other": TYPED}
    assert fmt.show_in(definition.question("medications.current"), ticked).items == (
        "Warfarin (Coumadin, Jantoven)",)


def test_review_page_staff_page_and_pdf_say_nothing_was_ticked(app, client, db, clinic,
                                                               make_invite, make_staff, auth,
                                                               definition):
    app.config["WTF_CSRF_ENABLED"] = False
    answers = typed_alone(definition)
    review = _review_page(client, db, make_invite, answers)
    client.get("/")
    staff = _staff_page(client, db, clinic, make_staff, auth, answers)
    with app.app_context():
        pdf = pdf_text(render_pdf(sample_summary(answers=answers, flags=[]), definition).pdf)
    label = definition.question("medications.current").label
    for reader, text in (("review page", review), ("staff page", staff),
                         ("PDF", " ".join(pdf.split()))):
        assert f"{label} Nothing ticked; typed instead: {TYPED}" in text, reader
        assert "Not answered yet" not in text, reader


def test_a_follow_up_that_uses_such_a_question_must_ask_its_free_text_too():
    from intake.questionnaire.parsing import ParseError, parse_questionnaire

    regions = load_definition().regions
    _, steps = parse_questionnaire(with_other(), regions)
    outside = {q["id"]: q for step in steps for q in step["questions"]}
    alone = {"version": "1", "steps": [{"id": "check", "title": "Check", "questions": [
        {"use": "history.meds"}]}]}
    with pytest.raises(ParseError, match="'history.meds_other', which is not asked in this "
                                         "file: ask it too"):
        parse_questionnaire(alone, regions, outside)
    alone["steps"][0]["questions"].append({"use": "history.meds_other"})
    _, used = parse_questionnaire(alone, regions, outside)
    assert used[0]["questions"][0]["required_unless_answered"] == ("history.meds_other",)


def test_a_draft_that_finished_the_old_health_step_goes_on_to_its_second_part(definition):
    from intake.patient.wizard import first_unfinished

    answers = valid_answers(definition, today=TODAY)
    done = ["about", "pain", "symptoms", "history"]  # saved before the split
    assert first_unfinished(definition, answers, done, TODAY).id == "conditions"
    assert first_unfinished(definition, answers, [*done, "conditions"], TODAY).id == (
        "medications")
