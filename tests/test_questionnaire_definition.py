"""The questionnaire loader, its show_if language, answer checks and schema.

The shipped questionnaire is checked for loading and for the clinical facts
the screening rules depend on (ids and option values are a contract); the
loader's refusals are checked on small synthetic files so every validation
rule is pinned by a test that names the file and the question.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake.questionnaire import DefinitionError, load_definition, schema
from intake.questionnaire.definition import DEFAULT_REGIONS_PATH

TODAY = date(2026, 11, 21)

# --- the shipped definition -----------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_definition()


def test_shipped_definition_loads_and_is_cached(shipped):
    assert load_definition() is shipped
    assert [s.id for s in shipped.steps] == [
        "about",
        "pain",
        "symptoms",
        "history",
        "conditions",
        "medications",
        "pregnancy",
        "needling",
        "wellbeing",
        "consent",
    ]
    assert [s.number for s in shipped.steps] == list(range(1, 11))
    for step in shipped.steps:
        for question in step.questions:
            # the second part of the health questions keeps their ids (continues)
            assert question.id.startswith((step.continues or step.id) + ".")
            assert question.step_id == step.id
    assert list(shipped.questions) == [q.id for s in shipped.steps for q in s.questions]


def test_explicit_paths_are_read_again_and_a_change_shows(shipped, tmp_path):
    again = load_definition(shipped.path, shipped.regions_path)
    assert list(again.questions) == list(shipped.questions)
    assert again.content_hash == shipped.content_hash
    edited_path = tmp_path / "questionnaire.yaml"
    text = Path(shipped.path).read_text(encoding="utf-8")
    edited_path.write_text(text, encoding="utf-8")
    first = load_definition(edited_path, shipped.regions_path)
    assert load_definition(edited_path, shipped.regions_path) is first  # same content: shared
    edited = text.replace(f'version: "{shipped.version}"', "version: edited.1", 1)
    edited_path.write_text(edited, encoding="utf-8")
    edited = load_definition(edited_path, shipped.regions_path)
    assert edited.version == "edited.1" and edited.content_hash != first.content_hash


CES_ITEMS = [
    "symptoms.saddle_numbness",
    "symptoms.bladder",
    "symptoms.bowel",
    "symptoms.sexual_function",
    "symptoms.both_legs",
    "symptoms.leg_weakness",
    "symptoms.calf",
]


@pytest.mark.parametrize("qid", CES_ITEMS)
def test_cauda_equina_items_separate_new_from_longstanding(shipped, qid):
    question = shipped.question(qid)
    assert question.type == "choice" and question.required and question.show_if is None
    assert [o.value for o in question.options] == ["no", "new", "longstanding", "not_sure"]


SITE_REGIONS = {
    "history.skin_problem": "history.skin_problem_regions",
    "history.lymphoedema": "history.lymphoedema_regions",
    "history.lymph_nodes": "history.lymph_nodes_regions",
    "history.cosmetic_implant": "history.cosmetic_implant_regions",
    "history.joint_replacement": "history.joint_replacement_regions",
}


@pytest.mark.parametrize(("qid", "regions_qid"), SITE_REGIONS.items())
def test_site_scoped_conditions_ask_where(shipped, qid, regions_qid):
    regions = shipped.question(regions_qid)
    assert regions.type == "regions" and regions.required
    assert not shipped.is_visible(regions, {qid: "no"}, TODAY)
    assert shipped.is_visible(regions, {qid: "yes"}, TODAY)


def test_catalog_drugs_are_in_the_pick_list(shipped):
    question = shipped.question("medications.current")
    values = {o.value for o in question.options}
    catalog_b = {
        "warfarin", "acenocoumarol", "apixaban", "rivaroxaban", "edoxaban", "dabigatran",
        "heparin", "enoxaparin", "dalteparin", "tinzaparin", "fondaparinux", "aspirin",
        "clopidogrel", "prasugrel", "ticagrelor", "dipyridamole", "ibuprofen", "naproxen",
        "diclofenac", "fish_oil", "ginkgo", "garlic", "turmeric", "methotrexate",
        "azathioprine", "insulin", "chemotherapy",
    }  # fmt: skip
    assert catalog_b <= values
    assert question.exclusive == ("none",)
    assert "paused" in question.help
    assert "(Eliquis)" in question.option("apixaban").label


def test_startback_and_phq2_wording_and_scores(shipped):
    items = [shipped.question(f"wellbeing.startback_{i}") for i in range(1, 10)]
    assert items[4].label == (
        "It’s not really safe for a person with a condition like mine to be physically active"
    )
    assert "Thinking about the last 2 weeks" in items[0].preamble
    assert items[8].help == "© Keele University 01/08/07"
    assert [o.score for o in items[8].options] == [0, 0, 0, 1, 1]
    assert all([o.score for o in q.options] == [0, 1] for q in items[:8])
    assert not shipped.is_visible(items[0], {"pain.back_pain": "no"}, TODAY)
    phq = shipped.question("wellbeing.phq2_down")
    assert [(o.label, o.score) for o in phq.options] == [
        ("Not at all", 0),
        ("Several days", 1),
        ("More than half the days", 2),
        ("Nearly every day", 3),
    ]


def test_pregnancy_hidden_only_for_male_sex_at_birth(shipped):
    status = shipped.question("pregnancy.status")
    assert not shipped.is_visible(status, {"about.sex_at_birth": "male"}, TODAY)
    for sex in ("female", "intersex", "prefer_not_to_say"):
        assert shipped.is_visible(status, {"about.sex_at_birth": sex}, TODAY)
    weeks = shipped.question("pregnancy.weeks")
    # nested: a stale "yes" does not show the weeks once the step is hidden
    male, female = ({"about.sex_at_birth": sex, "pregnancy.status": "yes"}
                    for sex in ("male", "female"))
    assert not shipped.is_visible(weeks, male, TODAY)
    assert shipped.is_visible(weeks, female, TODAY)


def test_guardian_questions_follow_age_on_the_given_day(shipped):
    answers = {"about.date_of_birth": "2010-05-01", "consent.guardian_present": "yes"}
    assert shipped.is_visible("consent.guardian_present", answers, today=date(2028, 4, 30))
    assert shipped.is_visible("consent.guardian_name", answers, today=date(2028, 4, 30))
    assert not shipped.is_visible("consent.guardian_present", answers, today=date(2028, 5, 1))
    assert not shipped.is_visible("consent.guardian_name", answers, today=date(2028, 5, 1))
    no_guardian = {**answers, "consent.guardian_present": "no"}
    assert not shipped.is_visible("consent.guardian_name", no_guardian, today=date(2028, 4, 30))
    assert not shipped.is_visible("needling.decision_maker", answers, today=date(2028, 4, 30))


# --- regions ---------------------------------------------------------------------------

AREAS = [
    "head", "neck", "shoulder", "armpit", "upper_arm", "forearm_hand", "chest", "upper_back",
    "abdomen", "thoracolumbar", "lower_back", "sacrum_pelvis", "groin_saddle", "buttock", "hip",
    "front_of_thigh", "back_of_thigh", "knee", "calf_lower_leg", "ankle_foot",
]  # fmt: skip


def test_regions_areas_flags_and_labels(shipped):
    regions = shipped.regions
    assert [a.id for a in regions.areas] == AREAS
    assert len(regions.ids) == 40
    assert {a.id for a in regions.areas if a.thorax} == {"chest", "upper_back", "thoracolumbar"}
    assert {a.id for a in regions.areas if a.midline} == {
        "head", "neck", "chest", "upper_back", "abdomen", "thoracolumbar", "lower_back",
        "sacrum_pelvis", "groin_saddle",
    }  # fmt: skip
    assert regions.area("thoracolumbar").label == (
        "Lower back, top part (around the lowest ribs, at or above L1)"
    )
    assert regions.label("left_knee") == "Left knee"
    assert regions.is_thorax("right_thoracolumbar") and not regions.is_thorax("left_lower_back")
    assert all(set(a.views) <= {"front", "back"} and a.views for a in regions.areas)


def test_regions_adjacency_is_symmetric_and_midline_crosses(shipped):
    regions = shipped.regions
    for rid in regions.ids:
        near = regions.adjacent(rid)
        assert rid not in near
        for other in near:
            assert rid in regions.adjacent(other), (rid, other)
    assert "right_lower_back" in regions.adjacent("left_lower_back")
    assert "right_knee" not in regions.adjacent("left_knee")
    assert "left_upper_arm" in regions.adjacent("left_shoulder")
    assert "right_upper_arm" not in regions.adjacent("left_shoulder")
    assert regions.adjacent("left_forearm_hand") == {"left_upper_arm"}


# --- refusals, on small synthetic files ------------------------------------------------

YES_NO = "yes_no_not_sure"
BASE: dict[str, Any] = {
    "version": "1",
    "steps": [
        {
            "id": "about",
            "title": "About",
            "questions": [
                {"id": "about.name", "type": "text", "label": "Name", "required": False,
                 "role": "full_name"},
                {"id": "about.date_of_birth", "type": "date", "label": "DOB", "not_future": True,
                 "role": "date_of_birth"},
                {"id": "about.sex", "type": "choice", "label": "Sex", "options": [
                    {"value": "female", "label": "F"}, {"value": "male", "label": "M"},
                ]},  # fmt: skip
            ],
        },
        {
            "id": "history",
            "title": "History",
            "questions": [
                {"id": "history.swelling", "type": "choice", "label": "S", "options": YES_NO},
                {"id": "history.where", "type": "regions", "label": "W", "role": "pain_regions",
                 "show_if": {"question": "history.swelling", "equals": "yes"}},
                {"id": "history.knee_side", "type": "choice", "label": "K", "options": "yes_no",
                 "show_if": {"question": "history.where",
                             "contains_any": ["left_knee", "right_knee"]}},
                {"id": "history.meds", "type": "multi", "label": "M", "exclusive": ["none"],
                 "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"},
                             {"value": "none", "label": "None"}]},
                {"id": "history.pain", "type": "scale", "label": "P"},
                {"id": "history.weight", "type": "decimal", "label": "W", "min": 10, "max": 300},
                {"id": "history.notes", "type": "text", "label": "N", "required": False,
                 "max_length": 10, "role": "typed_signature"},
                {"id": "history.guardian", "type": "text", "label": "G",
                 "show_if": {"age_under": 18}},
                {"id": "history.ok", "type": "boolean", "label": "OK", "role": "consent"},
                {"id": "history.sign", "type": "signature", "label": "Sign", "required": False,
                 "role": "drawn_signature"},
            ],
        },
    ],
}  # fmt: skip


def write(tmp_path: Path, data: Any, name: str = "questionnaire.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def load(tmp_path: Path, data: Any = BASE):
    return load_definition(write(tmp_path, data))


def question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for s in data["steps"] for q in s["questions"] if q["id"] == qid)


def test_base_fixture_loads(tmp_path):
    definition = load(tmp_path)
    assert definition.question("history.pain").min == 0
    assert definition.question("history.pain").max == 10
    assert definition.question("history.notes").max_length == 10
    assert definition.question("history.sign").required is False


def _set(qid: str, **changes: Any):
    def mutate(data: dict[str, Any]) -> None:
        q = question(data, qid)
        for key, value in changes.items():
            if value is _DROP:
                q.pop(key, None)
            else:
                q[key] = value

    return mutate


_DROP = object()


def _append(step: int, q: dict[str, Any]):
    def mutate(data: dict[str, Any]) -> None:
        data["steps"][step]["questions"].append(q)

    return mutate


REFUSALS = [
    ("unknown key", _set("history.pain", requried=True), "history.pain", "requried"),
    ("key of another type", _set("history.notes", options=YES_NO), "history.notes", "options"),
    ("unknown type", _set("history.pain", type="slider"), "history.pain", "slider"),
    ("duplicate id", _append(1, {"id": "history.pain", "type": "text", "label": "x"}),
     "history.pain", "duplicate"),
    ("not snake_case", _append(1, {"id": "history.Pain2x", "type": "text", "label": "x"}),
     "history.Pain2x", "snake_case"),
    ("not prefixed", _append(1, {"id": "about.extra", "type": "text", "label": "x"}),
     "about.extra", "'history.'"),
    ("options missing", _set("about.sex", options=_DROP), "about.sex", "options"),
    ("options on regions", _set("history.where", options=YES_NO), "history.where", "options"),
    ("unknown option set", _set("about.sex", options="yes_maybe"), "about.sex", "yes_maybe"),
    ("duplicate option", _set("about.sex", options=[{"value": "f", "label": "F"}] * 2),
     "about.sex", "duplicate option"),
    ("unknown question in show_if",
     _set("history.where", show_if={"question": "history.swell", "equals": "yes"}),
     "history.where", "unknown question 'history.swell'"),
    ("later step in show_if",
     _set("about.sex", show_if={"question": "history.swelling", "equals": "yes"}),
     "about.sex", "asked later"),
    ("later in the same step",
     _set("history.swelling", show_if={"question": "history.where", "answered": True}),
     "history.swelling", "asked later"),
    ("show_if value not an option",
     _set("history.where", show_if={"question": "history.swelling", "equals": "maybe"}),
     "history.where", "'maybe' is not an option"),
    ("show_if region unknown",
     _set("history.knee_side", show_if={"question": "history.where", "contains": "left_kne"}),
     "history.knee_side", "left_kne"),
    ("operator does not fit",
     _set("history.where", show_if={"question": "history.swelling", "contains": "yes"}),
     "history.where", "does not fit"),
    ("two operators",
     _set("history.where", show_if={"question": "history.swelling", "equals": "yes",
                                    "in": ["no"]}),
     "history.where", "exactly one operator"),
    ("unknown combinator", _set("history.where", show_if={"either": []}), "history.where",
     "either"),
    ("min above max", _set("history.weight", min=300, max=10), "history.weight", "min 300"),
    ("fractional integer bound", _set("history.pain", max=9.5), "history.pain", "whole number"),
    ("exclusive not an option", _set("history.meds", exclusive=["nothing"]), "history.meds",
     "nothing"),
    ("exclusive on choice", _set("about.sex", exclusive=["male"]), "about.sex", "exclusive"),
    ("required signature", _set("history.sign", required=True), "history.sign", "optional"),
    ("label missing", _set("history.pain", label=_DROP), "history.pain", "label"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "qid", "fragment"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_bad_definitions_are_refused_naming_file_and_question(tmp_path, mutate, qid, fragment):
    data = copy.deepcopy(BASE)
    mutate(data)
    with pytest.raises(DefinitionError) as caught:
        load(tmp_path, data)
    message = str(caught.value)
    assert "questionnaire.yaml" in message
    assert qid in message
    assert fragment in message


def test_bare_yaml_yes_is_refused_with_a_hint(tmp_path):
    text = yaml.safe_dump(BASE, sort_keys=False).replace("value: female", "value: yes")
    with pytest.raises(DefinitionError, match=r"about\.sex.*quoted string"):
        load(tmp_path, text)


def test_age_under_needs_a_date_of_birth_question(tmp_path):
    data = copy.deepcopy(BASE)
    data["steps"][0]["questions"].pop(1)
    with pytest.raises(DefinitionError, match=r"history\.guardian.*role: date_of_birth"):
        load(tmp_path, data)


def test_age_under_reads_the_date_of_birth_by_role_not_by_id(tmp_path):
    data = copy.deepcopy(BASE)
    question(data, "about.date_of_birth")["id"] = "about.born_on"
    definition = load(tmp_path, data)
    guardian = definition.question("history.guardian")
    assert guardian.show_if.question_ids() == {"about.born_on"}
    assert definition.is_visible(guardian, {"about.born_on": "2015-01-01"}, today=TODAY)
    assert not definition.is_visible(guardian, {"about.born_on": "1970-01-01"}, today=TODAY)
    # the old id means nothing now: an unknown date of birth is "not under 18"
    assert not definition.is_visible(guardian, {"about.date_of_birth": "2015-01-01"},
                                     today=TODAY)
    assert "about.born_on" in schema(definition)["answers"]["description"]


def test_age_under_before_the_date_of_birth_is_asked_is_refused(tmp_path):
    data = copy.deepcopy(BASE)
    question(data, "about.sex")["show_if"] = {"age_under": 18}
    about = data["steps"][0]["questions"]
    dob = next(q for q in about if q["id"] == "about.date_of_birth")
    about.remove(dob)
    about.append(dob)
    with pytest.raises(DefinitionError, match=r"about\.sex.*role: date_of_birth"):
        load(tmp_path, data)


def test_invalid_yaml_and_missing_file_name_the_file(tmp_path):
    with pytest.raises(DefinitionError, match="questionnaire.yaml.*YAML"):
        load(tmp_path, "steps: [unclosed")
    with pytest.raises(DefinitionError, match="nowhere.yaml"):
        load_definition(tmp_path / "nowhere.yaml")


def test_unknown_top_level_and_step_keys(tmp_path):
    with pytest.raises(DefinitionError, match="unknown top-level keys"):
        load(tmp_path, {**copy.deepcopy(BASE), "title": "x"})
    data = copy.deepcopy(BASE)
    data["steps"][1]["hint"] = "x"
    with pytest.raises(DefinitionError, match=r"step 'history'.*hint"):
        load(tmp_path, data)


def _regions_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_REGIONS_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d["areas"][2]["adjacent"].append("elbow"), "area 'shoulder'.*'elbow'"),
        (lambda d: d["areas"].append(dict(d["areas"][0])), "area 'head'.*duplicate"),
        (lambda d: d["areas"][0].update(colour="red"), "area 'head'.*colour"),
        (lambda d: d["areas"][0].update(views=["side"]), "area 'head'.*views"),
        (lambda d: d["areas"][0]["adjacent"].append("head"), "area 'head'.*itself"),
    ],
    ids=["unknown adjacent", "duplicate", "unknown key", "bad view", "self"],
)
def test_bad_regions_are_refused_naming_file_and_area(tmp_path, mutate, fragment):
    data = _regions_data()
    mutate(data)
    regions_path = write(tmp_path, data, "regions.yaml")
    with pytest.raises(DefinitionError, match=f"regions.yaml: {fragment}"):
        load_definition(write(tmp_path, BASE), regions_path)


# --- show_if evaluation ----------------------------------------------------------------


def test_show_if_operators_and_nested_hiding(tmp_path):
    d = load(tmp_path)
    assert not d.is_visible("history.where", {}, TODAY)
    assert d.is_visible("history.where", {"history.swelling": "yes"}, TODAY)
    stale = {"history.swelling": "no", "history.where": ["left_knee"]}
    assert not d.is_visible("history.knee_side", stale, TODAY)  # names a hidden question
    shown = {"history.swelling": "yes", "history.where": ["left_knee"]}
    assert d.is_visible("history.knee_side", shown, TODAY)
    shown["history.where"] = ["left_hip"]
    assert not d.is_visible("history.knee_side", shown, TODAY)
    assert [q.id for q in d.visible_questions("history", stale, TODAY)] == [
        "history.swelling", "history.meds", "history.pain", "history.weight",
        "history.notes", "history.ok", "history.sign",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "about.sex", "not_in": ["male"]}, {}, True),
        ({"question": "about.sex", "not_in": ["male"]}, {"about.sex": "male"}, False),
        ({"question": "about.sex", "in": ["male", "female"]}, {}, False),
        ({"question": "history.swelling", "answered": True}, {"history.swelling": "no"}, True),
        ({"question": "history.notes", "answered": False}, {"history.notes": "  "}, True),
        ({"question": "history.meds", "contains": "a"}, {"history.meds": ["a", "b"]}, True),
        ({"question": "history.meds", "contains": "a"}, {"history.meds": "a"}, False),
        ({"question": "history.ok", "equals": True}, {"history.ok": True}, True),
        ({"question": "history.ok", "equals": True}, {"history.ok": 1}, False),
        ({"all": [{"question": "about.sex", "equals": "male"},
                  {"question": "history.swelling", "equals": "yes"}]},
         {"about.sex": "male", "history.swelling": "no"}, False),
        ({"any": [{"question": "about.sex", "equals": "male"},
                  {"question": "history.swelling", "equals": "yes"}]},
         {"about.sex": "male", "history.swelling": "no"}, True),
        ({"not": {"question": "about.sex", "equals": "male"}}, {"about.sex": "male"}, False),
        ({"age_under": 18}, {"about.date_of_birth": "2008-11-22"}, True),
        ({"age_under": 18}, {"about.date_of_birth": "2008-11-21"}, False),
        ({"age_under": 18}, {}, False),
    ],
)  # fmt: skip
def test_show_if_evaluation(tmp_path, condition, answers, expected):
    data = copy.deepcopy(BASE)
    data["steps"][1]["questions"].append(
        {"id": "history.probe", "type": "text", "label": "x", "show_if": condition}
    )
    d = load(tmp_path, data)
    assert d.is_visible("history.probe", answers, today=TODAY) is expected
    assert d.question("history.probe").show_if.to_data() == condition


# --- check_answers ---------------------------------------------------------------------

VALID = {
    "about.date_of_birth": "1980-04-02",
    "about.sex": "female",
    "history.swelling": "yes",
    "history.where": ["left_knee"],
    "history.knee_side": "yes",
    "history.meds": ["a", "b"],
    "history.pain": 0,
    "history.weight": 61.5,
    "history.ok": True,
}


def test_valid_answers_pass(tmp_path):
    assert load(tmp_path).check_answers(VALID, today=TODAY) == []


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"history.typo": 1}, "'history.typo': unknown question id"),
        ({"history.pain": "3"}, "history.pain: must be a whole number"),
        ({"history.pain": True}, "history.pain: must be a whole number"),
        ({"history.pain": 11}, "history.pain: must be at most 10"),
        ({"history.weight": 5}, "history.weight: must be at least 10"),
        ({"history.weight": float("nan")}, "history.weight: must be a number"),
        ({"about.sex": "other"}, "about.sex: 'other' is not one of the options"),
        ({"history.meds": ["a", "none"]}, "history.meds: 'none' cannot be combined"),
        ({"history.meds": ["a", "a"]}, "history.meds: lists a value twice"),
        ({"history.meds": ["c"]}, "history.meds: 'c' is not one of the options"),
        ({"history.where": ["left_elbow"]}, "history.where: unknown region 'left_elbow'"),
        ({"history.swelling": "no"}, "history.where: answered, but the question is not shown"),
        ({"history.swelling": None}, "history.swelling: an answer is required"),
        ({"history.notes": "x" * 11}, "history.notes: is longer than 10 characters"),
        ({"about.date_of_birth": "2026-11-22"}, "about.date_of_birth: is in the future"),
        ({"about.date_of_birth": "2026-02-30"}, "about.date_of_birth: is not a real date"),
        ({"about.date_of_birth": "02/04/1980"}, "about.date_of_birth: must be a date"),
        ({"history.ok": False}, "history.ok: must be ticked"),
        ({"history.sign": "data:image/jpeg;base64,AAAA"}, "history.sign: must be a PNG"),
        ({"history.sign": "data:image/png;base64,AAAA"}, "history.sign: is not a PNG image"),
        ({"about.date_of_birth": "2010-01-01"}, "history.guardian: an answer is required"),
    ],
)
def test_check_answers_reports_each_problem(tmp_path, changes, fragment):
    answers = {**VALID, **changes}
    errors = load(tmp_path).check_answers(answers, today=TODAY)
    assert any(fragment in e for e in errors), errors


def test_check_answers_on_non_mapping_and_prune(tmp_path):
    d = load(tmp_path)
    assert d.check_answers(["x"], TODAY) == ["answers must be an object keyed by question id"]
    stale = {**VALID, "history.swelling": "no", "history.typo": 1, "history.notes": ""}
    pruned = d.prune(stale, today=TODAY)
    assert "history.where" not in pruned and "history.knee_side" not in pruned
    assert "history.typo" not in pruned and "history.notes" not in pruned
    assert d.check_answers(pruned, today=TODAY) == []


def test_a_full_synthetic_intake_passes_the_shipped_checks(shipped):
    answers = {
        "about.full_name": "Alex Example",
        "about.date_of_birth": "1980-04-02",
        "about.sex_at_birth": "male",
        "about.phone": "+1 555 010 0000",
        "about.emergency_contact_name": "Sam Example",
        "about.emergency_contact_phone": "(555) 010-0001",
        "about.height_cm": 178,
        "about.weight_kg": 80,
        "about.needs_interpreter": "no",
        "about.completed_by": "patient",
        "about.walking_aid": "no",
        "about.personal_care_help": "no",
        "about.falls_last_year": "none",
        "about.fragile_skin": "no",
        "pain.regions": ["left_lower_back", "left_buttock"],
        "pain.back_pain": "yes",
        "pain.started_when": "two_to_6_weeks",
        "pain.how_started": "no_injury",
        "pain.first_episode": "no",
        "pain.leg_symptoms": "none",
        "pain.back_now": 4,
        "pain.back_worst_24h": 7,
        "pain.night": "eases_with_position",
        **{qid: "no" for qid in CES_ITEMS},
        "symptoms.weight_loss": "no",
        "symptoms.fever": "no",
        "symptoms.unwell": "no",
        "symptoms.new_infection": "no",
        **{qid: "no" for qid in SITE_REGIONS},
        "history.surgery_when": "never",
        **{f"history.{q}": ["none"] for q in
           ("vascular", "bleeding", "heart", "immunity", "lungs", "implanted_devices",
            "cognition")},
        "history.easy_bruising": "no",
        "history.diabetes": "no",
        "history.epilepsy": "no",
        "history.cancer": "never",
        "history.osteoporosis": "no",
        "history.fragility_fracture": "no",
        "history.metal_allergy": "no",
        "history.latex_allergy": "no",
        "history.anxiety": "stable",
        "history.psychosis": "no",
        "history.trauma_distress": "no",
        "history.psychiatric_admission": "no",
        "history.smoking": "former",
        "history.injects_drugs": "no",
        "medications.current": ["apixaban", "prednisone"],
        "medications.steroid_duration": "three_months_or_more",
        "medications.allergies": "no",
        "needling.had_before": "yes",
        "needling.previous_reaction": "minor_only",
        "needling.fainting": "no",
        "needling.fear": "a_little_nervous",
        "needling.willing": "yes",
        "needling.can_decide": "yes",
        "needling.decision_maker": "no",
        "wellbeing.phq2_interest": "several_days",
        "wellbeing.phq2_down": "not_at_all",
        **{f"wellbeing.startback_{i}": "disagree" for i in range(1, 9)},
        "wellbeing.startback_9": "moderately",
        "consent.read_understood": True,
        "consent.typed_signature": "Alex Example",
    }  # fmt: skip
    assert shipped.check_answers(answers, today=TODAY) == []
    assert shipped.visible_questions("pregnancy", answers, TODAY) == ()
    minor = {**answers, "about.date_of_birth": "2012-01-01"}
    errors = shipped.check_answers(minor, today=TODAY)
    assert "consent.guardian_present: an answer is required" in errors
    with_guardian = {**minor, "consent.guardian_present": "yes"}
    assert "consent.guardian_name: an answer is required" in shipped.check_answers(
        with_guardian, today=TODAY)
    assert "needling.decision_maker: answered, but the question is not shown" in errors


def test_option_labels(shipped):
    assert shipped.option_label("pain.regions", "right_ankle_foot") == "Right ankle and foot"
    assert shipped.option_label("medications.current", "apixaban") == "Apixaban (Eliquis)"
    with pytest.raises(KeyError):
        shipped.option_label("medications.current", "unobtainium")
    with pytest.raises(KeyError):
        shipped.question("nope.nothing")


# --- schema ----------------------------------------------------------------------------


def test_schema_is_json_and_describes_everything(shipped):
    data = json.loads(json.dumps(schema(shipped)))
    assert data["version"] == shipped.version
    listed = [q["id"] for step in data["steps"] for q in step["questions"]]
    assert listed == list(shipped.questions)
    properties = data["answers"]["json_schema"]["properties"]
    assert set(properties) == set(shipped.questions)
    assert properties["pain.regions"]["items"]["enum"] == list(shipped.regions.ids)
    by_id = {q["id"]: q for step in data["steps"] for q in step["questions"]}
    assert by_id["pregnancy.status"]["show_if"] == {
        "question": "about.sex_at_birth",
        "not_in": ["male"],
    }
    assert by_id["consent.guardian_present"]["show_if"] == {"age_under": 18}
    assert by_id["consent.guardian_name"]["show_if"] == {
        "question": "consent.guardian_present", "equals": "yes"}
    assert by_id["wellbeing.phq2_down"]["options"][3] == {
        "value": "nearly_every_day",
        "label": "Nearly every day",
        "score": 3,
    }
    assert [a["id"] for a in data["regions"]["areas"]] == AREAS
    assert len(data["regions"]["regions"]) == 40
