"""Clinical-safety audit of the shipped rules against the clinical catalog
(shared/clinical/screening-rules.md).

The cases are data, one file per topic in tests/clinical/ (format and loader:
tests/clinical_helpers.py). Every case is a whole intake: the answers are laid
over rules/baseline.yaml (a patient with nothing to flag) exactly as rule
examples are, checked against the questionnaire, and screened through
intake.screening.evaluate with the real rules. Each case names the flags it
must raise (with level and urgency) and the flags it must not raise.
"""

from __future__ import annotations

from datetime import date

import pytest
from clinical_helpers import Case, load_cases, problems, screen

from intake.screening import load_rules

RULES = load_rules()
TODAY = date(2026, 6, 1)
CASES = load_cases(RULES)

PRECAUTION = ("precaution", None)
CONTRA = ("contraindication", None)
NOTE = ("note", None)
EMERGENCY = ("red_flag", "emergency")
URGENT = ("red_flag", "urgent")
PROMPT = ("red_flag", "prompt")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case(case):
    assert problems(RULES, case) == []


# --- level and urgency exactly as the catalog -------------------------------------------

# The effective level the catalog gives each rule (dn_metal_allergy and
# dn_pneumothorax_risk_factor reach theirs through an escalation).
CATALOG_LEVELS = {
    "dn_unwilling_or_needle_phobia": CONTRA,
    "dn_unable_to_consent": CONTRA,
    "dn_previous_adverse_reaction": CONTRA,
    "dn_acute_illness_or_fever": CONTRA,
    "dn_anticoagulant": PRECAUTION,
    "dn_antiplatelet": PRECAUTION,
    "dn_info_minor_bleeding_meds": NOTE,
    "dn_bleeding_disorder": PRECAUTION,
    "dn_thrombocytopenia": PRECAUTION,
    "dn_bleeding_risk_noncompressible_target": CONTRA,
    "dn_local_skin_lesion": CONTRA,
    "dn_lymphoedema": CONTRA,
    "dn_lymph_node_removal": PRECAUTION,
    "dn_immunocompromised": PRECAUTION,
    "dn_heart_valve_or_endocarditis": PRECAUTION,
    "dn_diabetes": PRECAUTION,
    "dn_pregnancy": PRECAUTION,
    "dn_epilepsy": PRECAUTION,
    "dn_vasovagal_history": PRECAUTION,
    "dn_psychological_status": PRECAUTION,
    "dn_cognitive_impairment": PRECAUTION,
    "dn_minor": PRECAUTION,
    "dn_frail": PRECAUTION,
    "dn_metal_allergy": PRECAUTION,
    "dn_implanted_electronic_device": PRECAUTION,
    "dn_cosmetic_implant": CONTRA,
    "dn_recent_surgery": CONTRA,
    "dn_prosthetic_joint": PRECAUTION,
    "dn_thoracic_needling_planned": PRECAUTION,
    "dn_pneumothorax_risk_factor": PRECAUTION,
    "dn_cancer": PRECAUTION,
    "dn_vascular_disease": PRECAUTION,
    "info_phq2_positive": NOTE,
    "info_startback_high_risk": NOTE,
    "info_age_risk_factor": NOTE,
    "rf_ces_saddle_anaesthesia": EMERGENCY,
    "rf_ces_bladder_dysfunction": EMERGENCY,
    "rf_ces_bowel_dysfunction": EMERGENCY,
    "rf_ces_sexual_dysfunction": EMERGENCY,
    "rf_bilateral_leg_symptoms": EMERGENCY,
    "rf_progressive_or_major_weakness": URGENT,
    "rf_cancer_history_or_active": PROMPT,
    "rf_unexplained_weight_loss": PROMPT,
    "rf_nonmechanical_night_pain": PROMPT,
    "rf_fever_or_systemically_unwell_with_back_pain": URGENT,
    "rf_iv_drug_use": PROMPT,
    "rf_significant_trauma": URGENT,
    "rf_fracture_risk_minor_trauma": URGENT,
    "rf_suspected_dvt": URGENT,
}


def test_every_catalog_rule_exists():
    assert {rule.id for rule in RULES.rules} == set(CATALOG_LEVELS)


def test_red_flag_urgencies_are_the_catalogs():
    for rule in RULES.rules:
        if rule.level == "red_flag":
            assert (rule.level, rule.urgency) == CATALOG_LEVELS[rule.id], rule.id
        else:
            assert rule.urgency is None, rule.id


def test_drug_cases_cover_every_blood_thinner_on_the_pick_list():
    question = RULES.definition.questions["medications.current"]
    thinners = {o.value for o in question.options if getattr(o, "group", None) == "Blood thinners"}
    thinner_rules = {"dn_anticoagulant", "dn_antiplatelet"}
    picked = {
        pick
        for case in CASES
        if case.file == "bleeding_drugs" and thinner_rules & set(case.fires)
        for pick in case.answers.get("medications.current", ())
    }
    assert thinners == picked


def test_a_red_flag_is_never_lost_by_a_missing_answer():
    """Each red flag's own question left blank (an incomplete intake) still fires it."""
    blanks = {
        "rf_ces_saddle_anaesthesia": "symptoms.saddle_numbness",
        "rf_ces_bladder_dysfunction": "symptoms.bladder",
        "rf_ces_bowel_dysfunction": "symptoms.bowel",
        "rf_ces_sexual_dysfunction": "symptoms.sexual_function",
        "rf_bilateral_leg_symptoms": "symptoms.both_legs",
        "rf_progressive_or_major_weakness": "symptoms.leg_weakness",
        "rf_cancer_history_or_active": "history.cancer",
        "rf_unexplained_weight_loss": "symptoms.weight_loss",
        "rf_nonmechanical_night_pain": "pain.night",
        "rf_iv_drug_use": "history.injects_drugs",
        "rf_significant_trauma": "pain.how_started",
    }
    for rule_id, qid in blanks.items():
        screening = screen(RULES, Case("blanks", rule_id.replace("_", "-"), "left blank", TODAY,
                                      {qid: None}, incomplete=True))
        flag = screening.flag(rule_id)
        assert flag is not None, rule_id
        assert flag.uncertain, rule_id
