"""Answers as a QuestionnaireResponse and back: the clinical cases read back
to the same answers and screen to the same flags; what does not fit is
refused with every problem named and nothing returned."""

from __future__ import annotations

import copy
import json

import pytest
from clinical_helpers import load_cases
from fhir_helpers import DEFINITION, RULES, SUBMITTED, by_link, case_answers

from intake.fhir import ResponseError, canonical, read_response, response
from intake.fhir.validate import validate
from intake.screening import evaluate

CASES = load_cases(RULES)
TODAY = SUBMITTED.date()


def flags(screening) -> list[tuple]:
    return [(f.rule_id, f.level, f.urgency, f.title, f.why) for f in screening.flags]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_clinical_case_reads_back_and_screens_to_the_same_flags(case):
    answers = case_answers(case.answers, case.today)
    resource = json.loads(json.dumps(response(DEFINITION, answers, authored=SUBMITTED)))
    back = read_response(DEFINITION, resource, case.today)
    assert back == answers
    before = evaluate(answers, case.plan, rules=RULES, today=case.today)
    after = evaluate(back, case.plan, rules=RULES, today=case.today)
    assert flags(after) == flags(before)


def test_the_cases_fire_flags_at_all():
    fired = {f.rule_id for case in CASES[:40]
             for f in evaluate(case_answers(case.answers, case.today), case.plan,
                               rules=RULES, today=case.today).flags}
    assert len(fired) > 10


def test_a_response_validates_and_names_the_questionnaire_by_url_and_version():
    answers = case_answers({"wellbeing.phq2_interest": "several_days",
                            "wellbeing.phq2_down": "nearly_every_day"}, TODAY)
    resource = response(DEFINITION, answers, authored=SUBMITTED)
    validate(resource)
    assert resource["questionnaire"] == canonical(DEFINITION)
    assert resource["questionnaire"].endswith("|" + DEFINITION.version)
    items = by_link(resource)
    assert items["wellbeing.phq2_total"]["answer"] == [{"valueInteger": 4}]
    assert items["wellbeing.phq2_down"]["answer"][0]["valueCoding"]["code"] == "LA6571-9"
    assert set(items) - set(DEFINITION.questions) <= {
        s.id for s in DEFINITION.steps} | {"wellbeing.phq2", "wellbeing.startback",
                                           "wellbeing.phq2_total"}


def test_hidden_and_blank_questions_are_not_in_the_response():
    answers = case_answers({"pain.back_pain": "no"}, TODAY)
    items = by_link(response(DEFINITION, answers))
    assert "wellbeing.startback_1" not in items and "wellbeing.startback" not in items
    assert "pain.first_episode" not in items


def test_a_response_without_the_groups_reads_too():
    flat = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [
        {"linkId": "about.full_name", "answer": [{"valueString": "Ana Sample"}]},
        {"linkId": "pain.regions", "answer": [
            {"valueCoding": {"system": "https://intake.example.org/fhir/CodeSystem/body-region",
                             "code": "left_knee"}}]},
    ]}
    assert read_response(DEFINITION, flat, TODAY) == {
        "about.full_name": "Ana Sample", "pain.regions": ["left_knee"]}


def good() -> dict:
    answers = case_answers({}, TODAY)
    return json.loads(json.dumps(response(DEFINITION, answers)))


def change(resource: dict, link: str, answer) -> dict:
    resource = copy.deepcopy(resource)
    for item in _walk(resource["item"]):
        if item["linkId"] == link:
            item["answer"] = answer
            return resource
    raise AssertionError(link)


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.get("item", []))


@pytest.mark.parametrize(("link", "answer", "message"), [
    ("about.height_cm", [{"valueString": "tall"}],
     "about.height_cm: needs valueInteger (a integer answer), not valueString"),
    ("about.height_cm", [{"valueInteger": 900}], "about.height_cm: must be at most 250"),
    ("about.date_of_birth", [{"valueDate": "1970-02-30"}], "is not a real date"),
    ("pain.how_started", [{"valueCoding": {"system": "http://example.org", "code": "x"}}],
     "pain.how_started: http://example.org|x is not one of its codes"),
    ("pain.how_started", [{"valueCoding": {
        "system": "https://intake.example.org/fhir/CodeSystem/pain.how_started",
        "code": "meteor"}}], "'meteor' is not one of the options"),
    ("pain.back_pain", [{"valueCoding": {"code": "yes"}}, {"valueCoding": {"code": "no"}}],
     "pain.back_pain: takes one answer, not 2"),
    ("about.full_name", [], "about.full_name: has no answer"),
])
def test_an_answer_that_does_not_fit_its_question_is_refused(link, answer, message):
    with pytest.raises(ResponseError) as refused:
        read_response(DEFINITION, change(good(), link, answer), TODAY)
    assert any(message in p for p in refused.value.problems), refused.value.problems


def test_every_problem_is_reported_together():
    resource = change(good(), "about.height_cm", [{"valueString": "tall"}])
    resource["item"].append({"linkId": "about.shoe_size", "answer": [{"valueInteger": 9}]})
    resource["item"].append({"linkId": "about.full_name", "answer": [{"valueString": "B"}]})
    resource["questionnaire"] = "http://example.org/Questionnaire/other|1"
    with pytest.raises(ResponseError) as refused:
        read_response(DEFINITION, resource, TODAY)
    problems = refused.value.problems
    assert any("about.height_cm" in p for p in problems)
    assert "about.shoe_size: not a question of this questionnaire" in problems
    assert "about.full_name: answered twice" in problems
    assert any("answers another questionnaire" in p for p in problems)


@pytest.mark.parametrize("data", [
    [], "text", {"resourceType": "Patient"}, {"resourceType": "QuestionnaireResponse",
                                                "item": "x"},
    {"resourceType": "QuestionnaireResponse", "item": [{"answer": []}]},
])
def test_what_is_not_a_response_is_refused(data):
    with pytest.raises(ResponseError):
        read_response(DEFINITION, data, TODAY)


def test_a_deeply_nested_response_is_refused_without_recursion():
    item: dict = {"linkId": "about"}
    top = item
    for _ in range(5000):
        item["item"] = [{"linkId": "about"}]
        item = item["item"][0]
    with pytest.raises(ResponseError, match="too deep"):
        read_response(DEFINITION, {"resourceType": "QuestionnaireResponse", "item": [top]},
                      TODAY)


def test_an_empty_string_answer_is_nothing_said():
    data = {"resourceType": "QuestionnaireResponse", "item": [
        {"linkId": "about.full_name", "answer": [{"valueString": "Ana"}]},
        {"linkId": "about.email", "answer": [{"valueString": ""}]}]}
    assert read_response(DEFINITION, data, TODAY) == {"about.full_name": "Ana"}
