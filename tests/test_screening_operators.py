"""Each condition operator, table-driven, on a small stand-in questionnaire.

States: TRUE (fires), UNKNOWN (fires as an over-flag: missing / not sure),
FALSE (quiet).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from screening_fakes import REPO, screening_definition

from intake.screening.compiler import Compiler
from intake.screening.conditions import FALSE, TRUE, UNKNOWN, ConditionError, Context
from intake.screening.model import Flag
from intake.screening.plan import Plan
from intake.screening.vocabulary import Vocabulary

TODAY = date(2026, 6, 1)
DEFINITION = screening_definition()
VOCABULARY = Vocabulary.from_data(
    yaml.safe_load(Path(REPO / "rules" / "medications.yaml").read_text(encoding="utf-8"))
)
COMPILER = Compiler(DEFINITION, VOCABULARY)
THORAX = frozenset(r for r in DEFINITION.regions.ids if DEFINITION.regions.is_thorax(r))


def context(answers, plan: Plan | None = None, fired=None) -> Context:
    plan = plan or Plan()
    ctx = Context(answers, TODAY, plan, tuple(r for r in plan.regions if r in THORAX),
                  lambda qid: asked(qid, answers))
    ctx.fired.update(fired or {})
    return ctx


def asked(qid: str, answers) -> bool:
    """engine._asked without its cache: shown, or hidden only by a blank gate."""
    show_if = DEFINITION.questions[qid].show_if
    if DEFINITION.is_visible(qid, answers, TODAY):
        return True
    gates = show_if.question_ids() if show_if else ()
    return any(answers.get(g) in (None, "", []) and asked(g, answers) for g in gates)


def state(condition, answers, **kwargs) -> int:
    return COMPILER.compile(condition).test(context(answers, **kwargs))


def evidence(condition, answers, **kwargs):
    ctx = context(answers, **kwargs)
    out = []
    COMPILER.compile(condition).explain(ctx, out)
    return out


FEVER_YES = {"question": "history.fever", "equals": "yes"}
CASES = [
    # equals / in on a choice: not_sure and a shown-but-unanswered question over-flag
    ("equals yes", FEVER_YES, {"history.fever": "yes"}, TRUE),
    ("equals no", FEVER_YES, {"history.fever": "no"}, FALSE),
    ("equals not sure", FEVER_YES, {"history.fever": "not_sure"}, UNKNOWN),
    ("equals missing", FEVER_YES, {}, UNKNOWN),
    ("equals boolean", {"question": "history.consent", "equals": False},
     {"history.consent": False}, TRUE),
    ("in", {"question": "pain.night", "in": ["constant", "worst_at_night"]},
     {"pain.night": "worst_at_night"}, TRUE),
    ("in settles", {"question": "pain.night", "in": ["constant", "worst_at_night"]},
     {"pain.night": "turning_settles"}, FALSE),
    ("in names not_sure", {"question": "history.fever", "in": ["yes", "not_sure"]},
     {"history.fever": "not_sure"}, TRUE),
    # contains / contains_any on multi and regions
    ("contains", {"question": "history.symptoms", "contains": "bladder"},
     {"history.symptoms": ["numb_saddle", "bladder"]}, TRUE),
    ("contains none", {"question": "history.symptoms", "contains": "bladder"},
     {"history.symptoms": ["none"]}, FALSE),
    ("contains not sure", {"question": "history.symptoms", "contains": "bladder"},
     {"history.symptoms": ["not_sure"]}, UNKNOWN),
    ("contains empty list", {"question": "history.symptoms", "contains": "bladder"},
     {"history.symptoms": []}, UNKNOWN),
    ("contains_any regions", {"question": "pain.regions", "contains_any": ["left_calf_lower_leg"]},
     {"pain.regions": ["left_calf_lower_leg", "left_knee"]}, TRUE),
    ("contains_any other side",
     {"question": "pain.regions", "contains_any": ["left_calf_lower_leg"]},
     {"pain.regions": ["right_calf_lower_leg"]}, FALSE),
    # numeric comparisons
    ("gte hit", {"question": "pain.back_now", "gte": 7}, {"pain.back_now": 7}, TRUE),
    ("gte miss", {"question": "pain.back_now", "gte": 7}, {"pain.back_now": 6}, FALSE),
    ("gt", {"question": "pain.back_now", "gt": 7}, {"pain.back_now": 7}, FALSE),
    ("lt", {"question": "pain.back_now", "lt": 3}, {"pain.back_now": 0}, TRUE),
    ("lte", {"question": "pain.back_now", "lte": 3}, {"pain.back_now": 4}, FALSE),
    ("range", {"question": "pain.back_now", "gte": 3, "lt": 5}, {"pain.back_now": 4}, TRUE),
    ("number missing", {"question": "pain.back_now", "gte": 7}, {}, UNKNOWN),
    # answered / not_answered / not_sure are definite
    ("answered", {"question": "about.notes", "answered": True}, {"about.notes": "x"}, TRUE),
    ("answered blank", {"question": "about.notes", "answered": True}, {"about.notes": " "}, FALSE),
    ("not_answered", {"question": "history.fever", "not_answered": True}, {}, TRUE),
    ("not_answered no", {"question": "history.fever", "not_answered": True},
     {"history.fever": "no"}, FALSE),
    ("not_sure", {"question": "history.fever", "not_sure": True},
     {"history.fever": "not_sure"}, TRUE),
    ("not_sure no", {"question": "history.fever", "not_sure": True},
     {"history.fever": "no"}, FALSE),
    ("not_sure multi", {"question": "history.symptoms", "not_sure": True},
     {"history.symptoms": ["not_sure"]}, TRUE),
    # a hidden question (its show_if does not hold) never over-flags
    ("hidden follow-up", {"question": "history.onset", "in": ["new", "worse"]},
     {"history.symptoms": ["none"]}, FALSE),
    ("shown follow-up unanswered", {"question": "history.onset", "in": ["new", "worse"]},
     {"history.symptoms": ["bladder"]}, UNKNOWN),
    ("follow-up of an unanswered gate", {"question": "history.onset", "in": ["new", "worse"]},
     {}, UNKNOWN),
    ("follow-up of a not-sure gate is shown", {"question": "history.skin_regions",
                                               "contains": "left_knee"},
     {"history.skin": "not_sure"}, UNKNOWN),
    ("follow-up of a no gate", {"question": "history.skin_regions", "contains": "left_knee"},
     {"history.skin": "no"}, FALSE),
    # free text left blank means "nothing to add"
    ("blank free text", {"question": "meds.other", "drug_class": "anticoagulant"}, {}, FALSE),
    # age at the intake date (2026-06-01)
    ("age under 18", {"question": "about.date_of_birth", "age": {"lt": 18}},
     {"about.date_of_birth": "2008-06-02"}, TRUE),
    ("age turns 18 today", {"question": "about.date_of_birth", "age": {"lt": 18}},
     {"about.date_of_birth": "2008-06-01"}, FALSE),
    ("age 65+", {"question": "about.date_of_birth", "age": {"gte": 65}},
     {"about.date_of_birth": "1961-05-31"}, TRUE),
    ("age bad date", {"question": "about.date_of_birth", "age": {"lt": 18}},
     {"about.date_of_birth": "someday"}, UNKNOWN),
    ("age missing", {"question": "about.date_of_birth", "age": {"lt": 18}}, {}, UNKNOWN),
    # time since a date
    ("within 12 weeks", {"question": "history.surgery_date", "within": {"weeks": 12}},
     {"history.surgery_date": "2026-03-09"}, TRUE),
    ("not within 12 weeks", {"question": "history.surgery_date", "within": {"weeks": 12}},
     {"history.surgery_date": "2026-03-08"}, FALSE),
    ("within 12 months", {"question": "history.surgery_date", "within": {"months": 12}},
     {"history.surgery_date": "2025-06-01"}, TRUE),
    ("future date", {"question": "history.surgery_date", "within": {"days": 3}},
     {"history.surgery_date": "2026-07-01"}, UNKNOWN),
    ("optional date missing", {"question": "history.surgery_date", "within": {"days": 3}}, {},
     UNKNOWN),
    # BMI from height (cm) and weight (kg)
    ("bmi under 18.5", {"bmi": {"height": "about.height_cm", "weight": "about.weight_kg"},
                        "lt": 18.5}, {"about.height_cm": 180, "about.weight_kg": 59}, TRUE),
    ("bmi normal", {"bmi": {"height": "about.height_cm", "weight": "about.weight_kg"},
                    "lt": 18.5}, {"about.height_cm": 180, "about.weight_kg": 60}, FALSE),
    ("bmi missing weight", {"bmi": {"height": "about.height_cm", "weight": "about.weight_kg"},
                            "lt": 18.5}, {"about.height_cm": 180}, UNKNOWN),
    # sums of scored options; uncertain items count their maximum
    ("sum", {"sum": ["phq.interest", "phq.down"], "gte": 3},
     {"phq.interest": "several_days", "phq.down": "more_than_half"}, TRUE),
    ("sum low", {"sum": ["phq.interest", "phq.down"], "gte": 3},
     {"phq.interest": "several_days", "phq.down": "several_days"}, FALSE),
    ("sum one missing", {"sum": ["phq.interest", "phq.down"], "gte": 3},
     {"phq.interest": "several_days"}, UNKNOWN),
    ("sum missing cannot reach", {"sum": ["phq.interest", "phq.down"], "gte": 5},
     {"phq.interest": "not_at_all"}, FALSE),
    # drug classes in pick lists and free text
    ("pick list drug", {"question": "meds.list", "drug_class": "anticoagulant"},
     {"meds.list": ["apixaban"]}, TRUE),
    ("pick list class", {"question": "meds.list", "drug_class": "anticoagulant"},
     {"meds.list": ["anticoagulant"]}, TRUE),
    ("pick list other class", {"question": "meds.list", "drug_class": "antiplatelet"},
     {"meds.list": ["ibuprofen"]}, FALSE),
    ("pick list not sure", {"question": "meds.list", "drug_class": "antiplatelet"},
     {"meds.list": ["not_sure"]}, UNKNOWN),
    ("free text brand", {"question": "meds.other", "drug_class": "anticoagulant"},
     {"meds.other": "eliquis 5mg bid"}, TRUE),
    ("free text misspelt", {"question": "meds.other", "drug_class": "antiplatelet"},
     {"meds.other": "asprin 81"}, TRUE),
    ("free text ibuprofen", {"question": "meds.other", "drug_class": "antiplatelet"},
     {"meds.other": "ibuprofen 400mg when needed"}, FALSE),
    # all / any / not in three-valued logic
    ("all true", {"all": [FEVER_YES, {"question": "pain.back_now", "gte": 1}]},
     {"history.fever": "yes", "pain.back_now": 3}, TRUE),
    ("all one false", {"all": [FEVER_YES, {"question": "pain.back_now", "gte": 1}]},
     {"history.fever": "not_sure", "pain.back_now": 0}, FALSE),
    ("all one unknown", {"all": [FEVER_YES, {"question": "pain.back_now", "gte": 1}]},
     {"history.fever": "not_sure", "pain.back_now": 3}, UNKNOWN),
    ("any one true", {"any": [FEVER_YES, {"question": "pain.back_now", "gte": 9}]},
     {"history.fever": "no", "pain.back_now": 9}, TRUE),
    ("any unknown", {"any": [FEVER_YES, {"question": "pain.back_now", "gte": 9}]},
     {"history.fever": "not_sure", "pain.back_now": 1}, UNKNOWN),
    ("any none", {"any": [FEVER_YES, {"question": "pain.back_now", "gte": 9}]},
     {"history.fever": "no", "pain.back_now": 1}, FALSE),
    ("not false", {"not": FEVER_YES}, {"history.fever": "no"}, TRUE),
    ("not true", {"not": FEVER_YES}, {"history.fever": "yes"}, FALSE),
    ("not keeps unknown", {"not": FEVER_YES}, {"history.fever": "not_sure"}, UNKNOWN),
    # other rules and the plan
    ("fired", {"fired": ["a", "b"]}, {}, FALSE),
]


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_operator(condition, answers, expected):
    assert state(condition, answers) == expected


def test_fired_reads_earlier_rules():
    flag = Flag("b", "precaution", None, "Title b", "", "", (), ())
    assert state({"fired": ["a", "b"]}, {}, fired={"b": flag}) == TRUE
    (item,) = evidence({"fired": "b"}, {}, fired={"b": flag})
    assert (item.question, item.value, item.label) == ("rules.b", "precaution", "Title b")
    assert not item.uncertain


@pytest.mark.parametrize(
    ("item", "plan", "expected"),
    [
        ("thorax", Plan(regions=("left_chest",)), TRUE),
        ("thorax", Plan(regions=("left_upper_back", "left_calf_lower_leg")), TRUE),
        ("thorax", Plan(regions=("left_lower_back",)), FALSE),
        ("electrical_stimulation", Plan(electrical_stimulation=True), TRUE),
        ("electrical_stimulation", Plan(), FALSE),
        ("noncompressible_target", Plan(noncompressible_targets=("psoas",)), TRUE),
        ("noncompressible_target", Plan(regions=("left_hip",)), FALSE),
    ],
)
def test_plan_operator(item, plan, expected):
    assert state({"plan": item}, {}, plan=plan) == expected


def test_evidence_notes_uncertain_answers():
    cond = {"any": [FEVER_YES, {"question": "pain.back_now", "gte": 9},
                    {"question": "history.symptoms", "contains": "bladder"}]}
    items = evidence(cond, {"history.fever": "not_sure", "pain.back_now": 9})
    by_question = {e.question: e for e in items}
    assert by_question["history.fever"].note == "answer was not sure"
    assert by_question["history.fever"].uncertain
    assert by_question["pain.back_now"].value == 9 and not by_question["pain.back_now"].uncertain
    assert by_question["history.symptoms"].note == "not answered"
    assert by_question["history.fever"].label == "Fever"


def test_evidence_names_the_matched_medicine():
    (item,) = evidence({"question": "meds.other", "drug_class": "anticoagulant"},
                       {"meds.other": "Eliquis 5 mg twice a day"})
    assert item.value == "Eliquis 5 mg twice a day"
    assert "Eliquis (apixaban): anticoagulant" in item.note
    assert not item.uncertain


def test_evidence_of_age_and_bmi():
    (item,) = evidence({"question": "about.date_of_birth", "age": {"lt": 18}},
                       {"about.date_of_birth": "2010-01-01"})
    assert item.note == "age 16 on 2026-06-01"
    items = evidence({"bmi": {"height": "about.height_cm", "weight": "about.weight_kg"},
                      "lt": 18.5}, {"about.height_cm": 180, "about.weight_kg": 50})
    assert [e.question for e in items] == ["about.height_cm", "about.weight_kg", "bmi"]
    assert items[-1].value == 15.4


BAD = [
    ("unknown question", {"question": "nope.x", "equals": "yes"}, "unknown question id"),
    ("unknown option", {"question": "history.fever", "equals": "maybe"}, "unknown option value"),
    ("unknown region", {"question": "pain.regions", "contains": "left_wing"}, "unknown region"),
    ("wrong type", {"question": "history.fever", "gte": 3}, "does not fit a choice question"),
    ("contains on choice", {"question": "history.fever", "contains": "yes"}, "does not fit"),
    ("equals on multi", {"question": "history.symptoms", "equals": "none"}, "does not fit"),
    ("number value", {"question": "pain.back_now", "gte": "high"}, "takes a number"),
    ("no not_sure", {"question": "pain.back_now", "not_sure": True}, "does not fit"),
    ("choice without not_sure", {"question": "phq.down", "not_sure": True}, "no not_sure option"),
    ("unknown operator", {"question": "history.fever", "matches": "y"}, "unknown operator"),
    ("two operators", {"question": "history.fever", "equals": "yes", "in": ["no"]},
     "one operator"),
    ("unknown drug class", {"question": "meds.other", "drug_class": "opioid"},
     "unknown drug class"),
    ("drug class on choice", {"question": "history.fever", "drug_class": "anticoagulant"},
     "does not fit"),
    ("no option in class", {"question": "meds.list", "drug_class": "insulin"},
     "no option of meds.list belongs to insulin"),
    ("age on number", {"question": "pain.back_now", "age": {"lt": 3}}, "does not fit"),
    ("within unit", {"question": "history.surgery_date", "within": {"fortnights": 2}},
     "within takes"),
    ("empty all", {"all": []}, "non-empty list"),
    ("unknown combinator", {"either": []}, "unknown operator"),
    ("plan item", {"plan": "lungs"}, "unknown item"),
    ("bmi on text", {"bmi": {"height": "about.notes", "weight": "about.weight_kg"}, "lt": 18},
     "needs a number question"),
    ("sum compare", {"sum": ["phq.interest"], "lt": 3}, "gt or gte"),
]


@pytest.mark.parametrize(("condition", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_condition(condition, message):
    with pytest.raises(ConditionError, match=message):
        COMPILER.compile(condition)


def test_evidence_says_not_sure_even_when_the_rule_lists_not_sure():
    (item,) = evidence({"question": "history.fever", "in": ["yes", "not_sure"]},
                       {"history.fever": "not_sure"})
    assert item.note == "answer was not sure" and item.uncertain
    (item,) = evidence({"any": [{"question": "history.fever", "in": ["yes", "not_sure"]},
                                {"question": "history.cancer", "equals": "yes"}]},
                       {"history.fever": "not_sure", "history.cancer": "no"})
    assert item.note == "answer was not sure" and item.uncertain
