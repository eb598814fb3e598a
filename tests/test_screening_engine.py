"""evaluate(): ordering, evidence, site-scoped rules, the plan, escalation,
cross-rule conditions and determinism, on small rule sets."""

from __future__ import annotations

import json
from datetime import date

import pytest
from screening_fakes import BASELINE, load, rule

from intake.screening import Plan, PlanError, RuleSetError, evaluate

TODAY = date(2026, 6, 1)
#: a region id of the shipped regions.yaml, as the tests' questionnaire uses them
CALF = "left_calf_lower_leg"
FEVER = {"question": "history.fever", "equals": "yes"}
SKIN = {"question": "history.skin", "equals": "yes"}


def answers(**changes):
    data = dict(BASELINE["answers"])
    data.update({k.replace("__", "."): v for k, v in changes.items()})
    return data


@pytest.fixture
def ordering_rules(tmp_path):
    return load(tmp_path, [
        rule("n1", FEVER, level="note"),
        rule("p1", FEVER, level="precaution"),
        rule("r_prompt", FEVER, level="red_flag", urgency="prompt"),
        rule("c1", FEVER, level="contraindication"),
        rule("r_emergency", FEVER, level="red_flag", urgency="emergency"),
        rule("p0", FEVER, level="precaution"),
        rule("r_urgent", FEVER, level="red_flag", urgency="urgent"),
    ])


def test_flags_are_ordered_most_severe_first(ordering_rules):
    screening = evaluate(answers(history__fever="yes"), rules=ordering_rules, today=TODAY)
    assert screening.rule_ids == ("r_emergency", "r_urgent", "r_prompt", "c1", "p1", "p0", "n1")
    assert screening.overall_level == "red_flag"
    assert screening.overall_urgency == "emergency"


def test_no_flags_means_no_overall_level(ordering_rules):
    screening = evaluate(answers(), rules=ordering_rules, today=TODAY)
    assert screening.flags == () and screening.overall_level is None


def test_same_answers_and_rules_give_the_same_screening(ordering_rules):
    data = answers(history__fever="not_sure")
    first = evaluate(data, rules=ordering_rules, today=TODAY)
    again = evaluate(dict(reversed(list(data.items()))), rules=ordering_rules, today=TODAY)
    assert first == again
    assert first.to_dict() == again.to_dict()
    assert first.rules_version == ordering_rules.content_hash


def test_to_dict_is_json(ordering_rules):
    screening = evaluate(answers(history__fever="not_sure"), rules=ordering_rules, today=TODAY)
    data = json.loads(json.dumps(screening.to_dict()))
    assert data["rules_version"] == ordering_rules.content_hash
    assert data["questionnaire_version"] == "test.screening.1"
    assert data["overall_level"] == "red_flag"
    flag = data["flags"][0]
    assert set(flag) >= {"rule_id", "level", "urgency", "title", "why", "action", "sources",
                         "evidence", "site"}
    assert flag["evidence"] == [{
        "question": "history.fever", "value": "not_sure", "label": "Fever",
        "note": "answer was not sure", "uncertain": True,
    }]
    assert flag["uncertain"] is True


def test_evidence_lists_every_answer_that_made_the_rule_fire(tmp_path):
    rules = load(tmp_path, [rule("r1", {"any": [
        FEVER,
        {"question": "meds.other", "drug_class": "anticoagulant"},
        {"question": "pain.back_now", "gte": 8},
    ]})])
    data = answers(history__fever="yes", meds__other="Xarelto 20 mg", pain__back_now=3)
    (flag,) = evaluate(data, rules=rules, today=TODAY).flags
    assert [(e.question, e.value) for e in flag.evidence] == [
        ("history.fever", "yes"), ("meds.other", "Xarelto 20 mg"),
    ]
    assert flag.evidence[1].note == "Xarelto (rivaroxaban): anticoagulant"
    assert not flag.uncertain


# --- site-scoped rules ---------------------------------------------------------------


@pytest.fixture
def site_rules(tmp_path):
    return load(tmp_path, [rule("skin", SKIN, level="contraindication",
                                site="history.skin_regions")])


@pytest.mark.parametrize(
    ("problem", "planned", "level", "downgraded"),
    [
        ([CALF], [CALF], "contraindication", False),  # same region
        (["left_knee"], [CALF], "contraindication", False),  # adjacent, same side
        (["right_calf_lower_leg"], [CALF], "note", True),  # other side of a limb: remote
        (["right_chest"], ["left_chest"], "contraindication", False),  # across the midline
        (["right_forearm_hand"], [CALF, "left_knee"], "note", True),  # remote
        (["right_forearm_hand", "left_ankle_foot"], [CALF], "contraindication", False),
    ],
)
def test_site_rule_level_depends_on_the_plan(site_rules, problem, planned, level, downgraded):
    data = answers(history__skin="yes", history__skin_regions=problem)
    flag = evaluate(data, {"regions": planned}, rules=site_rules, today=TODAY).flag("skin")
    assert flag.level == level
    assert flag.site.downgraded is downgraded
    assert flag.site.base_level == "contraindication"
    assert flag.site.problem_regions == tuple(problem)
    assert flag.site.planned_regions == tuple(planned)
    assert flag.evidence[-1].question == "history.skin_regions"


def test_site_unknown_keeps_the_base_level(site_rules):
    data = answers(history__skin="not_sure")
    flag = evaluate(data, {"regions": [CALF]}, rules=site_rules, today=TODAY).flag("skin")
    assert flag.level == "contraindication"
    assert not flag.site.problem_known and not flag.site.downgraded
    assert flag.evidence[-1].note == "where is not answered: treated as in a planned region"
    assert flag.uncertain


def test_empty_plan_keeps_the_base_level(site_rules):
    data = answers(history__skin="yes", history__skin_regions=[CALF], pain__regions=[])
    flag = evaluate(data, rules=site_rules, today=TODAY).flag("skin")
    assert flag.level == "contraindication" and not flag.site.downgraded


def test_default_plan_is_the_painful_regions(site_rules):
    data = answers(history__skin="yes", history__skin_regions=["right_shoulder"],
                   pain__regions=["right_upper_arm"])
    screening = evaluate(data, rules=site_rules, today=TODAY)
    assert screening.plan == {"regions": ["right_upper_arm"], "electrical_stimulation": False,
                              "noncompressible_targets": []}
    assert screening.flag("skin").level == "contraindication"
    data["pain.regions"] = ["left_ankle_foot"]
    assert evaluate(data, rules=site_rules, today=TODAY).flag("skin").level == "note"


# --- plan rules, escalation and cross-rule conditions ------------------------------------


def test_plan_rules_fire_on_the_practitioners_plan(tmp_path):
    rules = load(tmp_path, [
        rule("thorax", {"plan": "thorax"}, plan=True),
        rule("estim", {"plan": "electrical_stimulation"}, plan=True, level="note"),
        rule("deep", {"all": [{"fired": "bleed"}, {"plan": "noncompressible_target"}]},
             plan=True, level="contraindication"),
        rule("bleed", {"question": "meds.list", "drug_class": "anticoagulant"}),
    ])
    data = answers(meds__list=["warfarin"])
    assert evaluate(data, rules=rules, today=TODAY).rule_ids == ("bleed",)
    plan = Plan(regions=("left_upper_back",), electrical_stimulation=True,
                noncompressible_targets=("psoas",))
    screening = evaluate(data, plan, rules=rules, today=TODAY)
    assert screening.rule_ids == ("deep", "thorax", "bleed", "estim")
    assert [e.question for e in screening.flag("deep").evidence] == [
        "rules.bleed", "plan.noncompressible_targets",
    ]
    assert screening.flag("thorax").evidence[0].value == ["left_upper_back"]
    plan_dict = {"regions": [CALF], "noncompressible_targets": ["tibialis_posterior"]}
    assert "deep" in evaluate(data, plan_dict, rules=rules, today=TODAY).rule_ids


def test_fired_works_whatever_the_file_order(tmp_path):
    rules = load(tmp_path, [
        rule("after", {"fired": ["before"]}),
        rule("before", FEVER),
    ])
    assert [r.id for r in rules.rules] == ["before", "after"]
    assert set(evaluate(answers(history__fever="yes"), rules=rules, today=TODAY).rule_ids) == {
        "before", "after"}


def test_escalation_raises_urgency_and_records_why(tmp_path):
    rules = load(tmp_path, [
        rule("neuro", {"question": "history.symptoms", "contains": "numb_saddle"},
             level="red_flag", urgency="emergency"),
        rule("cancer", {"question": "history.cancer", "equals": "yes"}, level="red_flag",
             urgency="prompt", escalate=[{"when": {"fired": ["neuro"]}, "urgency": "emergency"}]),
        rule("lungs", FEVER, level="note",
             escalate=[{"when": {"plan": "thorax"}, "level": "precaution"}], plan=True),
    ])
    flag = evaluate(answers(history__cancer="yes"), rules=rules, today=TODAY).flag("cancer")
    assert flag.urgency == "prompt"
    data = answers(history__cancer="yes", history__symptoms=["numb_saddle"],
                   history__onset="new")
    flag = evaluate(data, rules=rules, today=TODAY).flag("cancer")
    assert flag.urgency == "emergency"
    assert flag.evidence[-1].question == "rules.neuro"
    assert flag.evidence[-1].note.startswith("raised to emergency")
    lungs = answers(history__fever="yes")
    assert evaluate(lungs, rules=rules, today=TODAY).flag("lungs").level == "note"
    planned = evaluate(lungs, {"regions": ["left_chest"]}, rules=rules, today=TODAY)
    assert planned.flag("lungs").level == "precaution"


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({"regions": ["left_wing"]}, "unknown plan regions: left_wing"),
        ({"noncompressible_targets": ["gluteus"]}, "unknown non-compressible targets"),
        ({"electrical_stimulation": "yes"}, "must be true or false"),
        ({"regions": [], "needles": 3}, "unknown plan keys: needles"),
    ],
)
def test_bad_plans_are_refused(ordering_rules, plan, message):
    with pytest.raises(PlanError, match=message):
        evaluate(answers(), plan, rules=ordering_rules, today=TODAY)


def test_evaluate_never_changes_the_answers(ordering_rules):
    data = answers(history__fever="yes")
    before = json.dumps(data, sort_keys=True)
    evaluate(data, rules=ordering_rules, today=TODAY)
    assert json.dumps(data, sort_keys=True) == before


def test_an_escalation_can_keep_a_site_rule_from_being_downgraded(tmp_path):
    rules = load(tmp_path, [
        rule("skin", {"question": "history.skin", "equals": "yes"}, level="contraindication",
             site="history.skin_regions",
             escalate=[{"when": {"question": "history.fever", "equals": "yes"},
                        "level": "contraindication"}]),
    ])
    remote = {"regions": ["left_calf_lower_leg"]}
    data = answers(history__skin="yes", history__skin_regions=["right_shoulder"])
    assert evaluate(data, remote, rules=rules, today=TODAY).flag("skin").level == "note"
    data["history.fever"] = "yes"
    flag = evaluate(data, remote, rules=rules, today=TODAY).flag("skin")
    assert flag.level == "contraindication" and flag.site.downgraded
    assert flag.evidence[-1].note.startswith("raised to contraindication")
    near = {"regions": ["right_shoulder"]}
    flag = evaluate(data, near, rules=rules, today=TODAY).flag("skin")
    assert flag.level == "contraindication"
    assert not any((e.note or "").startswith("raised") for e in flag.evidence)


def test_only_a_site_rule_may_escalate_to_its_own_level(tmp_path):
    with pytest.raises(RuleSetError, match="level must be more severe than precaution"):
        load(tmp_path, [rule("r1", FEVER, escalate=[{"when": FEVER, "level": "precaution"}])])


def test_context_answers_are_shown_with_the_flag_but_do_not_fire_it():
    from answers import valid_answers

    from intake.screening import evaluate, load_rules

    rules = load_rules()
    base = valid_answers(rules.definition, today=TODAY)
    numb = {**base, "history.diabetes": "type_2", "history.diabetes_problems": ["numb_feet"]}
    flags = evaluate(numb, rules=rules, today=TODAY).flags
    (flag,) = [f for f in flags if f.rule_id == "dn_diabetes"]
    context = [e for e in flag.evidence if e.question == "history.diabetes_problems"]
    assert context and context[0].value == ["numb_feet"] and context[0].note == "for context"
    # numb feet alone cannot fire it: the question is not asked without diabetes
    quiet = {**base, "history.diabetes": "no"}
    assert "dn_diabetes" not in {f.rule_id for f in evaluate(quiet, rules=rules, today=TODAY).flags}
    thinner = {**base, "medications.current": ["apixaban"],
               "medications.anticoagulant_last_dose": "this morning, 8 am"}
    flags = evaluate(thinner, rules=rules, today=TODAY).flags
    (flag,) = [f for f in flags if f.rule_id == "dn_anticoagulant"]
    assert ("medications.anticoagulant_last_dose", "this morning, 8 am") in [
        (e.question, e.value) for e in flag.evidence]
