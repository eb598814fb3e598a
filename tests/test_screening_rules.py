"""The shipped rules (rules/*.yaml) against the real questionnaire: every
catalog rule is there, and every example of every rule behaves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from intake.screening import check_examples, evaluate, example_answers, load_rules
from intake.screening.examples import answer_problems, check_example

RULES = load_rules()
CATALOG = Path(__file__).resolve().parents[2] / "shared" / "clinical" / "screening-rules.md"

#: The rule ids of the clinical catalog (shared/clinical/screening-rules.md).
CATALOG_IDS = {
    "dn_unwilling_or_needle_phobia": ("contraindication", None),
    "dn_unable_to_consent": ("contraindication", None),
    "dn_previous_adverse_reaction": ("contraindication", None),
    "dn_acute_illness_or_fever": ("contraindication", None),
    "dn_anticoagulant": ("precaution", None),
    "dn_antiplatelet": ("precaution", None),
    "dn_info_minor_bleeding_meds": ("note", None),
    "dn_bleeding_disorder": ("precaution", None),
    "dn_thrombocytopenia": ("precaution", None),
    "dn_bleeding_risk_noncompressible_target": ("contraindication", None),
    "dn_local_skin_lesion": ("contraindication", None),
    "dn_lymphoedema": ("contraindication", None),
    "dn_lymph_node_removal": ("precaution", None),
    "dn_immunocompromised": ("precaution", None),
    "dn_heart_valve_or_endocarditis": ("precaution", None),
    "dn_diabetes": ("precaution", None),
    "dn_pregnancy": ("precaution", None),
    "dn_epilepsy": ("precaution", None),
    "dn_vasovagal_history": ("precaution", None),
    "dn_psychological_status": ("precaution", None),
    "dn_cognitive_impairment": ("precaution", None),
    "dn_minor": ("precaution", None),
    "dn_frail": ("precaution", None),
    # latex alone is a note; a metal allergy raises it to precaution
    "dn_metal_allergy": ("note", None),
    "dn_implanted_electronic_device": ("precaution", None),
    "dn_cosmetic_implant": ("contraindication", None),
    "dn_recent_surgery": ("contraindication", None),
    "dn_prosthetic_joint": ("precaution", None),
    "dn_thoracic_needling_planned": ("precaution", None),
    # precaution when the thorax is planned, otherwise note
    "dn_pneumothorax_risk_factor": ("note", None),
    "dn_cancer": ("precaution", None),
    "dn_vascular_disease": ("precaution", None),
    "info_phq2_positive": ("note", None),
    "info_startback_high_risk": ("note", None),
    "info_age_risk_factor": ("note", None),
    "rf_ces_saddle_anaesthesia": ("red_flag", "emergency"),
    "rf_ces_bladder_dysfunction": ("red_flag", "emergency"),
    "rf_ces_bowel_dysfunction": ("red_flag", "emergency"),
    "rf_ces_sexual_dysfunction": ("red_flag", "emergency"),
    "rf_bilateral_leg_symptoms": ("red_flag", "emergency"),
    "rf_progressive_or_major_weakness": ("red_flag", "urgent"),
    "rf_cancer_history_or_active": ("red_flag", "prompt"),
    "rf_unexplained_weight_loss": ("red_flag", "prompt"),
    "rf_nonmechanical_night_pain": ("red_flag", "prompt"),
    "rf_fever_or_systemically_unwell_with_back_pain": ("red_flag", "urgent"),
    "rf_iv_drug_use": ("red_flag", "prompt"),
    "rf_significant_trauma": ("red_flag", "urgent"),
    "rf_fracture_risk_minor_trauma": ("red_flag", "urgent"),
    "rf_suspected_dvt": ("red_flag", "urgent"),
}
SITE_RULES = {
    "dn_local_skin_lesion", "dn_lymphoedema", "dn_lymph_node_removal", "dn_cosmetic_implant",
    "dn_recent_surgery", "dn_prosthetic_joint", "dn_vascular_disease",
}
PLAN_RULES = {
    "dn_bleeding_risk_noncompressible_target", "dn_thoracic_needling_planned",
    "dn_pneumothorax_risk_factor",
}
EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.id}-{'fires' if example.fires else 'quiet'}-{i}")
    for rule in RULES.in_catalog_order()
    for i, example in enumerate(rule.examples)
]


def test_every_catalog_rule_is_present_with_its_level():
    rules = {rule.id: (rule.level, rule.urgency) for rule in RULES.rules}
    assert rules == CATALOG_IDS


@pytest.mark.skipif(not CATALOG.exists(), reason="the shared catalog is not beside the repo")
def test_catalog_snapshot_matches_the_shared_catalog():
    text = CATALOG.read_text(encoding="utf-8")
    for rule_id in CATALOG_IDS:
        assert f"`{rule_id}`" in text, rule_id


def test_site_and_plan_markers_follow_the_catalog():
    assert {r.id for r in RULES.rules if r.site} == SITE_RULES
    assert {r.id for r in RULES.rules if r.plan} == PLAN_RULES


def test_every_rule_has_text_sources_and_both_kinds_of_example():
    for rule in RULES.rules:
        assert rule.title and rule.why and rule.action and rule.sources, rule.id
        assert any(e.fires for e in rule.examples), rule.id
        assert any(not e.fires for e in rule.examples), rule.id


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example(rule, example):
    assert answer_problems(RULES, rule, example) == []
    assert check_example(RULES, rule, example) == []


def test_check_examples_reports_nothing_for_the_shipped_rules():
    assert check_examples(RULES) == []


def test_baseline_is_a_valid_intake_that_fires_nothing():
    assert RULES.definition.check_answers(RULES.baseline, RULES.example_date) == []
    assert evaluate(RULES.baseline, rules=RULES, today=RULES.example_date).flags == ()


def test_every_red_flag_fires_when_its_answers_are_missing():
    """An unanswered question must never silence a red flag."""
    screening = evaluate({}, rules=RULES, today=date(2026, 6, 1))
    fired = set(screening.rule_ids)
    for rule in RULES.rules:
        if rule.level == "red_flag":
            assert rule.id in fired, rule.id
            assert screening.flag(rule.id).uncertain


def test_not_sure_everywhere_fires_every_red_flag():
    answers = dict(RULES.baseline)
    for qid, question in RULES.definition.questions.items():
        values = {o.value for o in question.options}
        if question.type == "choice" and "not_sure" in values:
            answers[qid] = "not_sure"
        elif question.type == "multi" and "not_sure" in values:
            answers[qid] = ["not_sure"]
    answers["pain.how_started"] = "minor_injury"
    answers["symptoms.calf"] = "new"
    answers["pain.night"] = "constant"
    answers["history.injects_drugs"] = "prefer_not_to_say"
    screening = evaluate(answers, rules=RULES, today=date(2026, 6, 1))
    red = {f.rule_id for f in screening.flags if f.level == "red_flag"}
    assert red == {r.id for r in RULES.rules if r.level == "red_flag"} - {"rf_significant_trauma"}


def test_example_answers_drop_baseline_answers_the_example_hides():
    rule = RULES.rule("dn_minor")
    example = next(e for e in rule.examples if e.fires)
    answers = example_answers(RULES, example)
    assert "needling.decision_maker" not in answers  # hidden for a minor
    assert answers["consent.guardian_agrees"] == "yes"


@pytest.mark.parametrize(("rule_id", "typed"), [
    ("dn_anticoagulant", "xarelto 20 mg"),
    ("dn_antiplatelet", "clopidogrel 75"),
])
def test_none_ticked_and_a_drug_typed_fires_and_shows_the_contradiction(rule_id, typed):
    """Issue 12: the typed drug fires the rule, and the evidence shows that the
    pick list said "I don't take any of these", so the practitioner sees both."""
    answers = {**RULES.baseline, "medications.current": ["none"], "medications.other": typed}
    screening = evaluate(answers, rules=RULES, today=RULES.example_date)
    flag = next(f for f in screening.flags if f.rule_id == rule_id)
    by_question = {e.question: e for e in flag.evidence}
    assert by_question["medications.other"].value == typed
    assert by_question["medications.current"].value == ["none"]


def test_a_ticked_drug_is_evidence_once_not_repeated_as_context():
    answers = {**RULES.baseline, "medications.current": ["apixaban"]}
    flag = next(f for f in evaluate(answers, rules=RULES, today=RULES.example_date).flags
                if f.rule_id == "dn_anticoagulant")
    assert [e.question for e in flag.evidence].count("medications.current") == 1


def test_nothing_ticked_nothing_typed_is_no_anticoagulant_flag():
    answers = {**RULES.baseline, "medications.current": ["none"], "medications.other": ""}
    flags = {f.rule_id for f in evaluate(answers, rules=RULES, today=RULES.example_date).flags}
    assert "dn_anticoagulant" not in flags and "dn_antiplatelet" not in flags
