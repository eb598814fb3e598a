"""`intake fhir questionnaire`: the definition as an R4 Questionnaire that the
fhir.resources models accept, with item types from the question types,
enableWhen where FHIR can say it, coded options and the instruments' codes."""

from __future__ import annotations

import json

import pytest
from fhir_helpers import DEFINITION, by_link

from intake.fhir import questionnaire
from intake.fhir.codes import LOINC, CodesError, bound_ids, load_bindings
from intake.fhir.conditions import SHOW_IF
from intake.fhir.validate import InvalidResource, validate

QUESTIONNAIRE = questionnaire(DEFINITION)
ITEMS = by_link(QUESTIONNAIRE)


def test_the_questionnaire_validates_and_names_its_version():
    parsed = validate(QUESTIONNAIRE)
    assert parsed.version == DEFINITION.version
    assert QUESTIONNAIRE["url"].endswith("/Questionnaire/intake")
    assert [i["linkId"] for i in QUESTIONNAIRE["item"]] == [s.id for s in DEFINITION.steps]


def test_every_question_is_an_item_typed_by_its_question_type():
    for qid, question in DEFINITION.questions.items():
        item = ITEMS[qid]
        assert item["type"] == question.kind.fhir_type, qid
        assert item["text"] == question.label
        assert item["required"] is question.required
        assert item.get("repeats", False) is question.kind.fhir_repeats


def test_the_types_map_to_the_r4_item_types_one_expects():
    seen = {DEFINITION.questions[qid].type: ITEMS[qid]["type"] for qid in DEFINITION.questions}
    assert seen["date"] == "date" and seen["boolean"] == "boolean"
    assert seen["choice"] == "choice" and seen["multi"] == "choice"
    assert seen["textarea"] == "text" and seen["signature"] == "attachment"
    assert seen["decimal"] == "decimal" and seen["integer"] == "integer"
    assert ITEMS["about.height_cm"]["extension"][2]["valueCoding"]["code"] == "cm"
    assert ITEMS["about.full_name"]["maxLength"] == 120


def test_options_are_coded_in_a_system_per_question_and_regions_in_their_own():
    choice = ITEMS["pain.how_started"]["answerOption"]
    assert {o["valueCoding"]["code"] for o in choice} == {
        o.value for o in DEFINITION.question("pain.how_started").options}
    assert {o["valueCoding"]["system"] for o in choice} == {
        "https://intake.example.org/fhir/CodeSystem/pain.how_started"}
    regions = ITEMS["pain.regions"]["answerOption"]
    assert [o["valueCoding"]["code"] for o in regions] == list(DEFINITION.regions.ids)


def test_the_phq2_carries_its_loinc_codes_and_scores():
    group = ITEMS["wellbeing.phq2"]
    assert group["type"] == "group" and group["code"][0]["code"] == "55757-9"
    assert [i["linkId"] for i in group["item"] if i["type"] != "display"] == [
        "wellbeing.phq2_interest", "wellbeing.phq2_down", "wellbeing.phq2_total"]
    assert ITEMS["wellbeing.phq2_interest"]["code"][0] == {
        "system": LOINC, "code": "44250-9",
        "display": "Little interest or pleasure in doing things"}
    assert ITEMS["wellbeing.phq2_down"]["code"][0]["code"] == "44255-8"
    total = ITEMS["wellbeing.phq2_total"]
    assert total["code"][0]["code"] == "55758-7" and total["readOnly"] is True
    options = ITEMS["wellbeing.phq2_down"]["answerOption"]
    assert [(o["valueCoding"]["system"], o["valueCoding"]["code"],
             o["extension"][0]["valueDecimal"]) for o in options] == [
        (LOINC, "LA6568-5", 0), (LOINC, "LA6569-3", 1), (LOINC, "LA6570-1", 2),
        (LOINC, "LA6571-9", 3)]


def test_the_start_back_items_keep_the_published_keele_wording():
    group = ITEMS["wellbeing.startback"]
    texts = [i["text"] for i in group["item"] if i["type"] != "display"]
    assert texts[0] == "My back pain has spread down my leg(s) at some time in the last 2 weeks"
    assert texts[4] == ("It’s not really safe for a person with a condition like mine to be "
                        "physically active")
    assert texts[8] == "Overall, how bothersome has your back pain been in the last 2 weeks?"
    assert [o["valueCoding"]["display"] for o in ITEMS["wellbeing.startback_9"]["answerOption"]] \
        == ["Not at all", "Slightly", "Moderately", "Very much", "Extremely"]


def test_show_if_becomes_enable_when_where_fhir_can_say_it():
    first = ITEMS["pain.first_episode"]
    coding = ITEMS["pain.back_pain"]["answerOption"][0]["valueCoding"]
    assert first["enableWhen"] == [{  # the option's coding, without its French display
        "question": "pain.back_pain", "operator": "=",
        "answerCoding": {k: v for k, v in coding.items() if k != "_display"}}]
    assert "enableBehavior" not in first
    # "in" inside "any": one flat list joined by any
    surgery = ITEMS["history.surgery_regions"]
    assert surgery["enableBehavior"] == "any" and len(surgery["enableWhen"]) == 3
    for item in walk_questions():
        if item.get("enableWhen"):
            assert all(w["question"] in DEFINITION.questions for w in item["enableWhen"])


def test_an_age_condition_is_carried_as_an_extension_instead():
    item = ITEMS["consent.guardian_present"]
    assert "enableWhen" not in item
    (ext,) = [e for e in item["extension"] if e["url"].endswith(SHOW_IF)]
    assert json.loads(ext["valueString"]) == {"age_under": 18}


def test_every_question_with_a_show_if_has_enable_when_or_the_extension():
    for qid, question in DEFINITION.questions.items():
        item = ITEMS[qid]
        said = "enableWhen" in item or any(
            e["url"].endswith(SHOW_IF) for e in item.get("extension", []))
        assert said is (question.show_if is not None), qid


def walk_questions():
    return (ITEMS[qid] for qid in DEFINITION.questions)


def test_the_models_refuse_a_broken_questionnaire():
    broken = json.loads(json.dumps(QUESTIONNAIRE))
    del broken["item"][0]["linkId"]  # required in R4
    with pytest.raises(InvalidResource, match="linkId"):
        validate(broken)
    broken = json.loads(json.dumps(QUESTIONNAIRE))
    broken["item"][0]["item"][1]["required"] = "perhaps"
    with pytest.raises(InvalidResource, match="required"):
        validate(broken)
    with pytest.raises(InvalidResource, match="resourceType"):
        validate({"id": "x"})


@pytest.mark.parametrize(("raw", "message"), [
    ({"answer_lists": {"L": {"sometimes": "LA1"}},
      "questions": {"wellbeing.phq2_down": {"code": "1", "display": "x", "answers": "L"}}},
     "'sometimes' is not an option"),
    ({"groups": [{"id": "g", "text": "g", "items": ["wellbeing.phq2_interest",
                                                    "wellbeing.startback_1"]}]},
     "not consecutive"),
    ({"groups": [{"id": "g", "text": "g", "items": ["about.full_name", "pain.regions"]}]},
     "not all in one step"),
])
def test_codes_that_do_not_fit_the_questionnaire_are_refused(raw, message):
    with pytest.raises(CodesError, match=message):
        load_bindings(DEFINITION, raw)


def test_the_shipped_questionnaire_asks_every_question_codes_yaml_names():
    assert bound_ids() <= set(DEFINITION.questions)
    questions, answers, groups = load_bindings(DEFINITION)
    assert set(questions) == set(answers) == {"wellbeing.phq2_interest", "wellbeing.phq2_down"}
    assert [g.id for g in groups] == ["wellbeing.phq2", "wellbeing.startback"]


def test_a_questionnaire_without_the_instruments_leaves_their_codes_out():
    raw = {"questions": {"no.such": {"code": "1", "display": "x"}},
           "groups": [{"id": "g", "text": "g", "items": ["no.such"]}]}
    assert load_bindings(DEFINITION, raw) == ({}, {}, ())
