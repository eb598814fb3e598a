"""Each question type on its own: its YAML keys, the form round trip, the
blank test, how it reads, and its JSON Schema fragment."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
import yaml
from werkzeug.datastructures import MultiDict

from intake.documents.samples import signature_data_url
from intake.patient.forms import answers_to_formdata, field_answer, step_form
from intake.questionnaire import DefinitionError, load_definition
from intake.questionnaire.types import TYPES, AnswerFormat

TODAY = date(2026, 6, 1)
QUESTIONS: list[dict[str, Any]] = [
    {"id": "all.name", "type": "text", "label": "Name", "role": "full_name"},
    {"id": "all.born", "type": "date", "label": "Born", "not_future": True,
     "role": "date_of_birth"},
    {"id": "all.notes", "type": "textarea", "label": "Notes", "required": False},
    {"id": "all.email", "type": "email", "label": "Email", "required": False},
    {"id": "all.phone", "type": "phone", "label": "Phone", "required": False},
    {"id": "all.height", "type": "integer", "label": "Height", "min": 50, "max": 250,
     "unit": "cm"},
    {"id": "all.weight", "type": "decimal", "label": "Weight", "min": 2, "max": 400,
     "unit": "kg"},
    {"id": "all.pain", "type": "scale", "label": "Pain"},
    {"id": "all.fever", "type": "choice", "label": "Fever", "options": "yes_no_not_sure"},
    {"id": "all.meds", "type": "multi", "label": "Meds", "exclusive": ["none"],
     "options": [{"value": "warfarin", "label": "Warfarin"},
                 {"value": "aspirin", "label": "Aspirin"},
                 {"value": "none", "label": "None of these"}]},
    {"id": "all.where", "type": "regions", "label": "Where", "role": "pain_regions"},
    {"id": "all.agree", "type": "boolean", "label": "I agree", "role": "consent"},
    {"id": "all.typed", "type": "text", "label": "Typed", "role": "typed_signature"},
    {"id": "all.sign", "type": "signature", "label": "Sign", "role": "drawn_signature"},
]
DATA = {"version": "t.1", "steps": [{"id": "all", "title": "All", "questions": QUESTIONS}]}
SIGNATURE = signature_data_url()

#: type -> (an answer, how every reader shows it, its JSON Schema fragment)
CASES: dict[str, tuple[str, Any, str, dict[str, Any]]] = {
    "text": ("all.name", "Sam Sample", "Sam Sample", {"type": "string", "maxLength": 200}),
    "textarea": ("all.notes", "Two\nlines", "Two\nlines", {"type": "string", "maxLength": 2000}),
    "email": ("all.email", "sam@example.org", "sam@example.org",
              {"type": "string", "format": "email"}),
    "phone": ("all.phone", "555-0100 123", "555-0100 123", {"type": "string"}),
    "date": ("all.born", "1968-09-14", "14 September 1968", {"type": "string", "format": "date"}),
    "integer": ("all.height", 170, "170 cm", {"type": "integer", "minimum": 50, "maximum": 250}),
    "decimal": ("all.weight", 72.5, "72.5 kg", {"type": "number", "minimum": 2, "maximum": 400}),
    "scale": ("all.pain", 6, "6 out of 10", {"type": "integer", "minimum": 0, "maximum": 10}),
    "choice": ("all.fever", "not_sure", "Not sure",
               {"type": "string", "enum": ["yes", "no", "not_sure"]}),
    "multi": ("all.meds", ["warfarin", "aspirin"], "Warfarin, Aspirin",
              {"type": "array", "uniqueItems": True,
               "items": {"enum": ["warfarin", "aspirin", "none"]}}),
    "regions": ("all.where", ["left_knee", "right_knee"], "Left knee, Right knee", None),
    "boolean": ("all.agree", True, "Yes", {"type": "boolean"}),
    "signature": ("all.sign", SIGNATURE, "Signature drawn", {"type": "string"}),
}


def write(tmp_path, data) -> Any:
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def definition(tmp_path):
    return load_definition(write(tmp_path, DATA))


def test_every_type_has_a_case_here():
    assert set(CASES) == set(TYPES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_form_round_trip(definition, name):
    """A stored answer posted back the way the browser would is read as the same answer."""
    qid, value, _, _ = CASES[name]
    step = definition.step("all")
    form = step_form(definition, step, answers_to_formdata(step, {qid: value}), TODAY)
    field = form[qid]
    assert field.validate(form), field.errors
    assert field_answer(definition.question(qid), field) == value


@pytest.mark.parametrize("name", sorted(CASES))
def test_blank_and_check(definition, name):
    qid, value, _, _ = CASES[name]
    question = definition.question(qid)
    kind = question.kind
    assert kind is TYPES[name]
    assert kind.is_blank(None) and kind.is_blank("  ") and kind.is_blank([])
    assert not kind.is_blank(value)
    assert kind.problem(question, value, definition, TODAY) is None
    wrong = {"integer": 7.5, "scale": 11, "decimal": "heavy", "boolean": "yes",
             "date": "14/09/1968", "choice": "maybe", "multi": ["warfarin", "warfarin"],
             "regions": ["left_moon"], "signature": "data:image/gif;base64,R0lG",
             "email": "not an address", "phone": "call me", "text": "x" * 201,
             "textarea": ["a list"]}[name]
    assert kind.problem(question, wrong, definition, TODAY)


def test_false_is_an_answer_not_a_blank(definition):
    assert not definition.question("all.agree").kind.is_blank(False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_display_is_one_formatter(definition, name):
    qid, value, shown, _ = CASES[name]
    fmt = AnswerFormat(definition, "en_GB")
    assert fmt.text(qid, value) == shown
    assert fmt.text(qid, None) == "Not answered"


def test_display_follows_the_clinic_locale(definition):
    assert AnswerFormat(definition, "en_US").text("all.born", "1968-09-14") == "September 14, 1968"
    assert AnswerFormat(definition, "de_DE").text("all.born", "1968-09-04") == "4. September 1968"


def test_display_never_hides_an_unknown_value(definition):
    fmt = AnswerFormat(definition)
    assert fmt.text("all.fever", "retired_option") == "retired_option"
    assert fmt.text("all.where", ["left_moon"]) == "Left moon"
    assert fmt.text("gone.question", ["a", "b"]) == "a, b"
    assert fmt.text("gone.question", False) == "No"
    bad = fmt.show("all.sign", "data:image/png;base64,AAAA")
    assert bad.image is None and bad.text == "Signature (could not be read)"
    assert fmt.show("all.sign", SIGNATURE).image == SIGNATURE


@pytest.mark.parametrize("name", sorted(CASES))
def test_schema_fragment(definition, name):
    qid, _, _, fragment = CASES[name]
    question = definition.question(qid)
    got = question.kind.json_schema(question, definition)
    if fragment is None:  # regions: every region id
        assert got["type"] == "array" and set(got["items"]["enum"]) == set(definition.regions.ids)
    else:
        assert got == fragment


def _with(qid: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DATA)
    for q in data["steps"][0]["questions"]:
        if q["id"] == qid:
            q.update(changes)
    return data


@pytest.mark.parametrize(("qid", "changes", "fragment"), [
    ("all.name", {"max_length": 0}, "max_length must be a positive whole number"),
    ("all.name", {"min": 1}, "key 'min' is not allowed for type text"),
    ("all.notes", {"autocomplete": "on"}, "key 'autocomplete' is not allowed for type textarea"),
    ("all.email", {"max_length": 10}, "key 'max_length' is not allowed for type email"),
    ("all.phone", {"unit": "x"}, "key 'unit' is not allowed for type phone"),
    ("all.born", {"not_past": True}, "not_future and not_past together"),
    ("all.height", {"min": 1.5}, "min must be a whole number"),
    ("all.weight", {"max": "heavy"}, "max must be a number"),
    ("all.pain", {"min": 3, "max": 3}, "a scale needs min below max"),
    ("all.pain", {"unit": "points"}, "key 'unit' is not allowed for type scale"),
    ("all.fever", {"options": "maybe"}, "unknown option set 'maybe'"),
    ("all.meds", {"exclusive": ["never"]}, "exclusive value 'never' is not an option"),
    ("all.where", {"picker": "map"}, "picker must be one of list, diagram"),
    ("all.agree", {"options": "yes_no"}, "key 'options' is not allowed for type boolean"),
    ("all.sign", {"required": True}, "a signature is always optional"),
    ("all.name", {"type": "colour"}, "unknown type 'colour'"),
])
def test_yaml_keys_are_checked_by_the_type(tmp_path, qid, changes, fragment):
    with pytest.raises(DefinitionError, match=f"questionnaire.yaml: question '{qid}'") as error:
        load_definition(write(tmp_path, _with(qid, **changes)))
    assert fragment in str(error.value)


def test_roles_are_found_and_each_is_needed_exactly_once(tmp_path, definition):
    assert definition.role("date_of_birth").id == "all.born"
    assert definition.role_step("consent").id == "all"
    data = _with("all.born", role=None)
    del next(q for q in data["steps"][0]["questions"] if q["id"] == "all.born")["role"]
    with pytest.raises(DefinitionError, match="questionnaire.yaml: no question has role: "
                                              "date_of_birth"):
        load_definition(write(tmp_path, data))
    with pytest.raises(DefinitionError, match="role typed_signature is given to 2 questions "
                                              r"\(all.name, all.typed\)"):
        load_definition(write(tmp_path, _with("all.name", role="typed_signature")))
    with pytest.raises(DefinitionError, match="role pain_regions needs a regions question"):
        load_definition(write(tmp_path, _with("all.fever", role="pain_regions")))
    with pytest.raises(DefinitionError, match="unknown role 'surname'"):
        load_definition(write(tmp_path, _with("all.fever", role="surname")))
    # The email role is optional: a questionnaire without it loads, without it.
    assert "email" not in definition.roles


def test_the_shipped_questionnaire_names_every_role():
    shipped = load_definition()
    assert dict(shipped.roles) == {
        "full_name": "about.full_name", "date_of_birth": "about.date_of_birth",
        "pain_regions": "pain.regions", "consent": "consent.read_understood",
        "typed_signature": "consent.typed_signature",
        "drawn_signature": "consent.drawn_signature", "email": "about.email",
    }


def test_a_date_check_uses_the_today_it_is_given(definition):
    """The form compares with the clinic's today when it is handed one."""
    step = definition.step("all")
    posted = MultiDict({"all.born-day": "2", "all.born-month": "6", "all.born-year": "2026"})
    form = step_form(definition, step, posted, date(2026, 6, 1))
    assert not form["all.born"].validate(form)
    assert "future" in form["all.born"].errors[0]
    form = step_form(definition, step, posted, date(2026, 6, 2))
    assert form["all.born"].validate(form), form["all.born"].errors
