"""Clinical-safety audit of the shipped rules against the clinical catalog
(shared/clinical/screening-rules.md).

Every scenario is a whole intake: the answers are laid over rules/baseline.yaml
(a patient with nothing to flag) exactly as rule examples are, checked against
the questionnaire, and screened through intake.screening.evaluate with the
real rules. Each scenario names the flags it must raise (with level and
urgency) and the flags it must not raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from intake.screening import evaluate, example_answers, load_rules
from intake.screening.rules import Example

RULES = load_rules()
TODAY = date(2026, 6, 1)

PRECAUTION = ("precaution", None)
CONTRA = ("contraindication", None)
NOTE = ("note", None)
EMERGENCY = ("red_flag", "emergency")
URGENT = ("red_flag", "urgent")
PROMPT = ("red_flag", "prompt")

# Answers that make a patient under 18 on TODAY a valid intake.
MINOR = {
    "about.date_of_birth": "2010-01-10",
    "consent.guardian_present": "yes",
    "consent.guardian_name": "Pat Example",
    "consent.guardian_relationship": "parent",
    "consent.guardian_agrees": "yes",
    "consent.minor_agrees": "yes",
    "needling.decision_maker": None,
}
OLD_BREAST_CANCER = {
    "history.cancer": "treated_over_12_months",
    "history.cancer_type": "Breast",
    "history.cancer_skin_only": "no",
    "history.cancer_spread": "no",
}


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, Any]
    fires: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    quiet: tuple[str, ...] = ()
    plan: dict[str, Any] | None = None
    overall: tuple[str, str | None] | None = None
    incomplete: bool = False  # a required answer deliberately missing


def screen(case: Case):
    answers = example_answers(RULES, Example(answers=case.answers, fires=True))
    if not case.incomplete:
        assert RULES.definition.check_answers(answers, TODAY) == []
    return evaluate(answers, case.plan, rules=RULES, today=TODAY)


def check(case: Case) -> None:
    screening = screen(case)
    got = {f.rule_id: (f.level, f.urgency) for f in screening.flags}
    for rule_id, want in case.fires.items():
        assert rule_id in got, f"{case.name}: {rule_id} did not fire; got {got}"
        assert got[rule_id] == want, f"{case.name}: {rule_id} is {got[rule_id]}, want {want}"
        assert screening.flag(rule_id).evidence, f"{case.name}: {rule_id} has no evidence"
    for rule_id in case.quiet:
        assert rule_id not in got, f"{case.name}: {rule_id} fired ({got[rule_id]}) but must not"
    if case.overall is not None:
        assert (screening.overall_level, screening.overall_urgency) == case.overall


# --- (1) level and urgency exactly as the catalog ---------------------------------------

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


# --- (2)-(4) triggers, exclusions, uncertainty, rule by rule -----------------------------

TRIGGERS = [
    # A. Consent and suitability
    Case(
        "does not want needling",
        {"needling.willing": "no"},
        {"dn_unwilling_or_needle_phobia": CONTRA},
    ),
    Case(
        "severe needle fear", {"needling.fear": "severe"}, {"dn_unwilling_or_needle_phobia": CONTRA}
    ),
    Case(
        "willing not sure",
        {"needling.willing": "not_sure"},
        {"dn_unwilling_or_needle_phobia": CONTRA},
    ),
    Case(
        "anxious but can manage",
        {"needling.fear": "anxious_but_manage"},
        quiet=("dn_unwilling_or_needle_phobia",),
    ),
    Case("cannot decide", {"needling.can_decide": "no"}, {"dn_unable_to_consent": CONTRA}),
    Case(
        "capacity not sure", {"needling.can_decide": "not_sure"}, {"dn_unable_to_consent": CONTRA}
    ),
    Case(
        "needs an interpreter",
        {"about.needs_interpreter": "yes", "about.interpreter_language": "Tigrinya"},
        {"dn_unable_to_consent": CONTRA},
    ),
    Case(
        "substitute decision-maker",
        {"needling.decision_maker": "yes"},
        {"dn_unable_to_consent": CONTRA},
    ),
    Case(
        "minor, guardian does not consent",
        {**MINOR, "consent.guardian_agrees": "no"},
        {"dn_unable_to_consent": CONTRA, "dn_minor": PRECAUTION},
    ),
    Case(
        "minor, guardian consent not sure",
        {**MINOR, "consent.guardian_agrees": "not_sure"},
        {"dn_unable_to_consent": CONTRA, "dn_minor": PRECAUTION},
    ),
    Case(
        "minor says no",
        {**MINOR, "consent.minor_agrees": "no"},
        {"dn_unwilling_or_needle_phobia": CONTRA, "dn_minor": PRECAUTION},
    ),
    Case(
        "serious reaction before",
        {
            "needling.previous_reaction": "serious",
            "needling.previous_reaction_details": "Collapsed after an injection.",
        },
        {"dn_previous_adverse_reaction": CONTRA},
    ),
    Case(
        "reaction not sure",
        {"needling.previous_reaction": "not_sure"},
        {"dn_previous_adverse_reaction": CONTRA},
    ),
    Case(
        "ordinary soreness or bruising",
        {"needling.had_before": "yes", "needling.previous_reaction": "minor_only"},
        quiet=("dn_previous_adverse_reaction",),
    ),
    Case(
        "fever in the last 48 hours",
        {"symptoms.fever": "last_48_hours"},
        {"dn_acute_illness_or_fever": CONTRA},
    ),
    Case("unwell today", {"symptoms.unwell": "yes"}, {"dn_acute_illness_or_fever": CONTRA}),
    Case(
        "new infection on treatment",
        {"symptoms.new_infection": "yes"},
        {"dn_acute_illness_or_fever": CONTRA},
    ),
    Case("unwell not sure", {"symptoms.unwell": "not_sure"}, {"dn_acute_illness_or_fever": CONTRA}),
    Case(
        "resolved illness",
        {
            "symptoms.fever": "last_2_weeks",
            "pain.back_pain": "no",
            "pain.regions": ["left_shoulder"],
        },
        quiet=("dn_acute_illness_or_fever",),
    ),
    # B. Bleeding (the drug lists are checked one by one further down)
    Case(
        "haemophilia", {"history.bleeding": ["haemophilia"]}, {"dn_bleeding_disorder": PRECAUTION}
    ),
    Case(
        "other clotting disorder",
        {"history.bleeding": ["other_clotting_disorder"]},
        {"dn_bleeding_disorder": PRECAUTION},
    ),
    Case(
        "liver disease with clotting problems",
        {"history.bleeding": ["liver_clotting"]},
        {"dn_bleeding_disorder": PRECAUTION},
    ),
    Case(
        "low platelets / ITP",
        {"history.bleeding": ["low_platelets"]},
        {"dn_thrombocytopenia": PRECAUTION},
        quiet=("dn_bleeding_disorder",),
    ),
    Case(
        "bleeding not sure",
        {"history.bleeding": ["not_sure"]},
        {"dn_bleeding_disorder": PRECAUTION, "dn_thrombocytopenia": PRECAUTION},
    ),
    # C. Infection, skin, lymphatics, immunity
    Case(
        "chemotherapy in the last 12 months",
        {
            **OLD_BREAST_CANCER,
            "history.cancer": "treated_last_12_months",
            "history.cancer_treatment": ["chemotherapy"],
        },
        {"dn_immunocompromised": PRECAUTION, "dn_cancer": PRECAUTION},
    ),
    Case(
        "radiotherapy now",
        {
            **OLD_BREAST_CANCER,
            "history.cancer": "in_treatment",
            "history.cancer_treatment": ["radiotherapy"],
        },
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "immunotherapy in the last 12 months",
        {
            **OLD_BREAST_CANCER,
            "history.cancer": "treated_last_12_months",
            "history.cancer_treatment": ["immunotherapy"],
        },
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "prednisone 3 months or more",
        {
            "medications.current": ["prednisone"],
            "medications.steroid_duration": "three_months_or_more",
        },
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "prednisone short course",
        {"medications.current": ["prednisone"], "medications.steroid_duration": "under_3_months"},
        quiet=("dn_immunocompromised",),
    ),
    Case(
        "prednisone only in free text (duration unknown)",
        {"medications.other": "prednisone 5mg every morning"},
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "azathioprine ticked",
        {"medications.current": ["azathioprine"]},
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "other biologic ticked",
        {"medications.current": ["other_biologic"]},
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "transplant drug in free text",
        {"medications.other": "Prograf 2mg twice a day"},
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case("HIV", {"history.immunity": ["hiv"]}, {"dn_immunocompromised": PRECAUTION}),
    Case("transplant", {"history.immunity": ["transplant"]}, {"dn_immunocompromised": PRECAUTION}),
    Case(
        "immunity not sure",
        {"history.immunity": ["not_sure"]},
        {"dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "valve problem under a cardiologist",
        {"history.heart": ["valve_problem"]},
        {"dn_heart_valve_or_endocarditis": PRECAUTION},
    ),
    Case(
        "past endocarditis",
        {"history.heart": ["endocarditis"]},
        {"dn_heart_valve_or_endocarditis": PRECAUTION},
    ),
    Case(
        "type 1 diabetes",
        {"history.diabetes": "type_1", "history.diabetes_problems": ["none"]},
        {"dn_diabetes": PRECAUTION},
    ),
    Case(
        "gliclazide in free text",
        {"medications.other": "Diamicron 30mg"},
        {"dn_diabetes": PRECAUTION},
    ),
    # D. Pregnancy
    Case(
        "pregnant 30 weeks",
        {"pregnancy.status": "yes", "pregnancy.weeks": 30},
        {"dn_pregnancy": PRECAUTION},
    ),
    Case("might be pregnant", {"pregnancy.status": "might_be"}, {"dn_pregnancy": PRECAUTION}),
    Case(
        "sex not given, pregnancy unanswered",
        {"about.sex_at_birth": "prefer_not_to_say", "pregnancy.status": None},
        {"dn_pregnancy": PRECAUTION},
        incomplete=True,
    ),
    Case("male", {"about.sex_at_birth": "male", "pregnancy.status": None}, quiet=("dn_pregnancy",)),
    # E. Neurological, psychological, age
    Case(
        "epilepsy",
        {"history.epilepsy": "yes", "history.last_seizure": "last_3_months"},
        {"dn_epilepsy": PRECAUTION},
    ),
    Case(
        "fainted at a blood test",
        {"needling.fainting": "yes"},
        {"dn_vasovagal_history": PRECAUTION},
    ),
    Case(
        "active psychosis", {"history.psychosis": "active"}, {"dn_psychological_status": PRECAUTION}
    ),
    Case(
        "psychiatric admission",
        {"history.psychiatric_admission": "yes"},
        {"dn_psychological_status": PRECAUTION},
    ),
    Case(
        "trauma distress not sure",
        {"history.trauma_distress": "not_sure"},
        {"dn_psychological_status": PRECAUTION},
    ),
    Case(
        "stable, well-managed mental health",
        {"history.anxiety": "stable", "history.psychosis": "stable"},
        quiet=("dn_psychological_status",),
    ),
    Case(
        "dementia with capacity",
        {"history.cognition": ["dementia"]},
        {"dn_cognitive_impairment": PRECAUTION},
        quiet=("dn_unable_to_consent",),
    ),
    Case(
        "learning disability without capacity",
        {"history.cognition": ["learning_disability"], "needling.can_decide": "no"},
        {"dn_cognitive_impairment": PRECAUTION, "dn_unable_to_consent": CONTRA},
    ),
    Case(
        "17 the day before the 18th birthday",
        {**MINOR, "about.date_of_birth": "2008-06-02"},
        {"dn_minor": PRECAUTION},
    ),
    Case("18 on the intake date", {"about.date_of_birth": "2008-06-01"}, quiet=("dn_minor",)),
    Case(
        "needs help with personal care",
        {"about.personal_care_help": "yes"},
        {"dn_frail": PRECAUTION},
    ),
    Case("fragile skin", {"about.fragile_skin": "yes"}, {"dn_frail": PRECAUTION}),
    Case(
        "very low weight (BMI 16.9)",
        {"about.height_cm": 165, "about.weight_kg": 46.0},
        {"dn_frail": PRECAUTION},
    ),
    Case(
        "underweight, not very low weight (BMI 17.0): frailty needs BMI under 17",
        {"about.height_cm": 165, "about.weight_kg": 46.3},
        quiet=("dn_frail",),
    ),
    Case("bruises easily, skin does not tear: not frail",
         {"history.easy_bruising": "yes"}, quiet=("dn_frail",)),
    Case("one fall only", {"about.falls_last_year": "once"}, quiet=("dn_frail",)),
    # F. Allergy, devices, implants, surgery
    Case("nickel allergy", {"history.metal_allergy": "yes"}, {"dn_metal_allergy": PRECAUTION}),
    Case("latex only", {"history.latex_allergy": "yes"}, {"dn_metal_allergy": NOTE}),
    Case(
        "metal allergy not sure",
        {"history.metal_allergy": "not_sure"},
        {"dn_metal_allergy": PRECAUTION},
    ),
    Case(
        "ICD",
        {"history.implanted_devices": ["defibrillator"]},
        {"dn_implanted_electronic_device": PRECAUTION},
    ),
    Case(
        "spinal cord stimulator",
        {"history.implanted_devices": ["spinal_cord_stimulator"]},
        {"dn_implanted_electronic_device": PRECAUTION},
    ),
    Case(
        "deep brain stimulator",
        {"history.implanted_devices": ["deep_brain_stimulator"]},
        {"dn_implanted_electronic_device": PRECAUTION},
    ),
    Case(
        "implanted pump",
        {"history.implanted_devices": ["implanted_pump"]},
        {"dn_implanted_electronic_device": PRECAUTION},
    ),
    Case(
        "nerve stimulator",
        {"history.implanted_devices": ["other_nerve_stimulator"]},
        {"dn_implanted_electronic_device": PRECAUTION},
    ),
    Case(
        "devices not sure",
        {"history.implanted_devices": ["not_sure"]},
        {"dn_implanted_electronic_device": PRECAUTION},
    ),
    Case(
        "surgery date not sure",
        {
            "history.surgery_when": "not_sure",
            "history.surgery_wound_unhealed": "no",
            "history.surgery_regions": ["left_lower_back"],
        },
        {"dn_recent_surgery": CONTRA},
    ),
    Case(
        "old surgery, wound healing not sure",
        {"history.surgery_when": "over_a_year", "history.surgery_wound_unhealed": "not_sure"},
        {"dn_recent_surgery": CONTRA},
    ),
    Case(
        "old healed surgery",
        {"history.surgery_when": "three_to_12_months", "history.surgery_wound_unhealed": "no"},
        quiet=("dn_recent_surgery",),
    ),
    # G. Anatomy and general health
    Case(
        "emphysema / COPD, no thorax planned",
        {"history.lungs": ["copd"]},
        {"dn_pneumothorax_risk_factor": NOTE},
    ),
    Case(
        "lung surgery, thorax planned",
        {"history.lungs": ["lung_surgery"]},
        {"dn_pneumothorax_risk_factor": PRECAUTION, "dn_thoracic_needling_planned": PRECAUTION},
        plan={"regions": ["right_upper_back"]},
    ),
    Case(
        "BMI 17, thoracolumbar planned",
        {"about.height_cm": 180, "about.weight_kg": 55},
        {"dn_pneumothorax_risk_factor": PRECAUTION, "dn_frail": PRECAUTION},
        plan={"regions": ["left_thoracolumbar"]},
    ),
    Case(
        "cancer untreated now",
        {**OLD_BREAST_CANCER, "history.cancer": "current_untreated"},
        {"dn_cancer": PRECAUTION, "rf_cancer_history_or_active": PROMPT},
    ),
    Case(
        "metastases not sure",
        {**OLD_BREAST_CANCER, "history.cancer_spread": "not_sure"},
        {"dn_cancer": PRECAUTION},
    ),
    Case(
        "old cancer, no spread",
        OLD_BREAST_CANCER,
        {"rf_cancer_history_or_active": PROMPT},
        quiet=("dn_cancer",),
    ),
    Case(
        "claudication",
        {
            "history.vascular": ["poor_leg_circulation"],
            "history.vascular_regions": ["left_calf_lower_leg"],
        },
        {"dn_vascular_disease": PRECAUTION},
        plan={"regions": ["left_calf_lower_leg"]},
    ),
    Case(
        "vasculitis",
        {"history.vascular": ["vasculitis"], "history.vascular_regions": ["left_forearm_hand"]},
        {"dn_vascular_disease": PRECAUTION},
        plan={"regions": ["left_upper_arm"]},
    ),
    Case(
        "vascular not sure", {"history.vascular": ["not_sure"]}, {"dn_vascular_disease": PRECAUTION}
    ),
    # H. Scores
    Case(
        "PHQ-2 of 3",
        {"wellbeing.phq2_interest": "nearly_every_day", "wellbeing.phq2_down": "not_at_all"},
        {"info_phq2_positive": NOTE},
    ),
    Case(
        "PHQ-2 of 2",
        {"wellbeing.phq2_interest": "more_than_half_the_days", "wellbeing.phq2_down": "not_at_all"},
        quiet=("info_phq2_positive",),
    ),
    Case(
        "STarT Back distress 5",
        {
            "wellbeing.startback_5": "agree",
            "wellbeing.startback_6": "agree",
            "wellbeing.startback_7": "agree",
            "wellbeing.startback_8": "agree",
            "wellbeing.startback_9": "extremely",
        },
        {"info_startback_high_risk": NOTE},
    ),
    Case(
        "first back pain at 50 and 5 months",
        {"pain.first_episode": "yes", "about.date_of_birth": "1976-01-01"},
        {"info_age_risk_factor": NOTE},
    ),
    Case(
        "first back pain at 17",
        {**MINOR, "about.date_of_birth": "2009-01-01", "pain.first_episode": "yes"},
        {"info_age_risk_factor": NOTE},
    ),
    Case(
        "first back pain at 49",
        {"pain.first_episode": "yes", "about.date_of_birth": "1976-06-02"},
        quiet=("info_age_risk_factor",),
    ),
    # I. Red flags
    Case(
        "saddle numbness not sure",
        {"symptoms.saddle_numbness": "not_sure"},
        {"rf_ces_saddle_anaesthesia": EMERGENCY},
    ),
    Case(
        "longstanding saddle numbness",
        {"symptoms.saddle_numbness": "longstanding"},
        quiet=("rf_ces_saddle_anaesthesia",),
    ),
    Case("new retention", {"symptoms.bladder": "new"}, {"rf_ces_bladder_dysfunction": EMERGENCY}),
    Case(
        "stable stress incontinence",
        {"symptoms.bladder": "longstanding"},
        quiet=("rf_ces_bladder_dysfunction",),
    ),
    Case(
        "new bowel incontinence", {"symptoms.bowel": "new"}, {"rf_ces_bowel_dysfunction": EMERGENCY}
    ),
    Case("bowel not sure", {"symptoms.bowel": "not_sure"}, {"rf_ces_bowel_dysfunction": EMERGENCY}),
    Case(
        "longstanding bowel problem",
        {"symptoms.bowel": "longstanding"},
        quiet=("rf_ces_bowel_dysfunction",),
    ),
    Case(
        "new erectile problems",
        {"symptoms.sexual_function": "new"},
        {"rf_ces_sexual_dysfunction": EMERGENCY},
    ),
    Case(
        "longstanding sexual problem",
        {"symptoms.sexual_function": "longstanding"},
        quiet=("rf_ces_sexual_dysfunction",),
    ),
    Case(
        "new symptoms in both legs",
        {"symptoms.both_legs": "new"},
        {"rf_bilateral_leg_symptoms": EMERGENCY},
    ),
    Case(
        "sciatica spread to both legs, when not sure",
        {
            "pain.leg_symptoms": "both_legs",
            "pain.leg_spread": "not_sure",
            "pain.leg_now": 4,
            "pain.leg_worst_24h": 6,
        },
        {"rf_bilateral_leg_symptoms": EMERGENCY},
    ),
    Case(
        "stable diabetic numbness of both feet",
        {
            "symptoms.both_legs": "longstanding",
            "history.diabetes": "type_2",
            "history.diabetes_problems": ["numb_feet"],
        },
        {"dn_diabetes": PRECAUTION},
        quiet=("rf_bilateral_leg_symptoms",),
    ),
    Case(
        "weakness not sure",
        {"symptoms.leg_weakness": "not_sure"},
        {"rf_progressive_or_major_weakness": URGENT},
    ),
    Case(
        "old unchanged weakness",
        {"symptoms.leg_weakness": "longstanding"},
        quiet=("rf_progressive_or_major_weakness",),
    ),
    Case(
        "melanoma long ago",
        {**OLD_BREAST_CANCER, "history.cancer_type": "Melanoma"},
        {"rf_cancer_history_or_active": PROMPT},
    ),
    Case(
        "non-melanoma skin cancer",
        {
            **OLD_BREAST_CANCER,
            "history.cancer_type": "Basal cell",
            "history.cancer_skin_only": "yes",
        },
        quiet=("rf_cancer_history_or_active",),
    ),
    Case(
        "weight loss not sure",
        {"symptoms.weight_loss": "not_sure"},
        {"rf_unexplained_weight_loss": PROMPT},
    ),
    Case(
        "pain worst at night",
        {"pain.night": "worst_at_night"},
        {"rf_nonmechanical_night_pain": PROMPT},
    ),
    Case(
        "pain on turning over that settles",
        {"pain.night": "eases_with_position"},
        quiet=("rf_nonmechanical_night_pain",),
    ),
    Case(
        "sweats last week, back marked only on the diagram",
        {
            "pain.back_pain": "no",
            "pain.regions": ["right_thoracolumbar"],
            "symptoms.fever": "last_2_weeks",
        },
        {"rf_fever_or_systemically_unwell_with_back_pain": URGENT},
    ),
    Case(
        "injects drugs, no fever", {"history.injects_drugs": "current"}, {"rf_iv_drug_use": PROMPT}
    ),
    Case(
        "injects drugs, fever last 2 weeks",
        {"history.injects_drugs": "current", "symptoms.fever": "last_2_weeks"},
        {"rf_iv_drug_use": URGENT},
    ),
    Case(
        "injects drugs, fever not sure",
        {"history.injects_drugs": "current", "symptoms.fever": "not_sure"},
        {"rf_iv_drug_use": URGENT},
    ),
    Case(
        "rather not say about drugs",
        {"history.injects_drugs": "prefer_not_to_say"},
        {"rf_iv_drug_use": PROMPT},
    ),
    Case(
        "injected drugs in the past only",
        {"history.injects_drugs": "past"},
        quiet=("rf_iv_drug_use",),
    ),
    Case(
        "road collision", {"pain.how_started": "serious_injury"}, {"rf_significant_trauma": URGENT}
    ),
    Case(
        "minor fall, previous fragility fracture",
        {"pain.how_started": "minor_injury", "history.fragility_fracture": "yes"},
        {"rf_fracture_risk_minor_trauma": URGENT},
    ),
    Case(
        "minor lift at 65",
        {"pain.how_started": "minor_injury", "about.date_of_birth": "1961-06-01"},
        {"rf_fracture_risk_minor_trauma": URGENT},
    ),
    Case(
        "minor lift at 64",
        {"pain.how_started": "minor_injury", "about.date_of_birth": "1961-06-02"},
        quiet=("rf_fracture_risk_minor_trauma",),
    ),
    Case(
        "minor lift, long-term steroids ticked",
        {
            "pain.how_started": "minor_injury",
            "medications.current": ["prednisolone"],
            "medications.steroid_duration": "three_months_or_more",
        },
        {"rf_fracture_risk_minor_trauma": URGENT, "dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "minor lift, steroid only in free text (duration unknown)",
        {"pain.how_started": "minor_injury", "medications.other": "Medrol 4 mg daily"},
        {"rf_fracture_risk_minor_trauma": URGENT},
    ),
    Case(
        "new swollen right calf",
        {"symptoms.calf": "new", "symptoms.calf_side": "right"},
        {"rf_suspected_dvt": URGENT},
    ),
    Case("calf longstanding", {"symptoms.calf": "longstanding"}, quiet=("rf_suspected_dvt",)),
]


@pytest.mark.parametrize("case", TRIGGERS, ids=lambda c: c.name)
def test_trigger(case):
    check(case)


# --- the Bleeding section: every drug, pick list and free text, brand names ----------------

ANTICOAGULANT_PICKS = [
    "warfarin",
    "acenocoumarol",
    "apixaban",
    "rivaroxaban",
    "edoxaban",
    "dabigatran",
    "heparin",
    "enoxaparin",
    "dalteparin",
    "tinzaparin",
    "fondaparinux",
]
ANTICOAGULANT_TEXT = [
    "Eliquis 5mg BID",
    "xarelto 20 mg",
    "Pradaxa 150",
    "Lixiana",
    "Savaysa 60mg",
    "Coumadin 5mg",
    "warfrin",
    "Lovenox injections",
    "Fragmin 5000 units",
    "tinzaparin",
    "fondaparinux 2.5mg",
    "heparin shots",
    "acenocoumarol",
    "apixaban",
    "rivaroxaban",
    "edoxaban",
    "dabigatran",
    "dalteparin",
    "enoxaparin",
    "Innohep",
    "Arixtra",
    "Sintrom",
]
ANTIPLATELET_PICKS = [
    "aspirin",
    "clopidogrel",
    "prasugrel",
    "ticagrelor",
    "dipyridamole",
    "aspirin_dipyridamole",
]
ANTIPLATELET_TEXT = [
    "asa 81",
    "ASA",
    "Asa81",
    "A.S.A. 81mg",
    "ECASA 81",
    "EC-ASA 81 mg",
    "aspirin 325",
    "asprin 81",
    "baby aspirin",
    "Plavix 75",
    "Brilinta 90 bid",
    "Effient",
    "Aggrenox",
    "clopidogrel",
    "prasugrel",
    "ticagrelor",
    "dipyridamole",
    "dual antiplatelet therapy",
]
MINOR_BLEEDING_PICKS = [
    "ibuprofen",
    "naproxen",
    "diclofenac",
    "celecoxib",
    "meloxicam",
    "sertraline",
    "citalopram",
    "escitalopram",
    "fluoxetine",
    "paroxetine",
    "fluvoxamine",
    "venlafaxine",
    "desvenlafaxine",
    "duloxetine",
    "fish_oil",
    "ginkgo",
    "garlic",
    "turmeric",
]
MINOR_BLEEDING_TEXT = [
    "ibuprofen 400mg",
    "Advil",
    "Motrin 200",
    "naproxen",
    "Aleve",
    "Voltaren gel",
    "diclofenac",
    "Cymbalta",
    "Effexor XR",
    "omega 3",
    "fish oil",
    "ginkgo biloba",
    "garlic pills",
    "turmeric",
]


def _drug_cases(rule_id, level, picks, texts, quiet=()):
    cases = [
        Case(f"{rule_id} pick {p}", {"medications.current": [p]}, {rule_id: level}, quiet)
        for p in picks
    ]
    cases += [
        Case(f"{rule_id} text {t!r}", {"medications.other": t}, {rule_id: level}, quiet)
        for t in texts
    ]
    return cases


DRUGS = (
    _drug_cases("dn_anticoagulant", PRECAUTION, ANTICOAGULANT_PICKS, ANTICOAGULANT_TEXT)
    + _drug_cases("dn_antiplatelet", PRECAUTION, ANTIPLATELET_PICKS, ANTIPLATELET_TEXT)
    + _drug_cases(
        "dn_info_minor_bleeding_meds",
        NOTE,
        MINOR_BLEEDING_PICKS,
        MINOR_BLEEDING_TEXT,
        quiet=("dn_antiplatelet", "dn_anticoagulant"),
    )
)


@pytest.mark.parametrize("case", DRUGS, ids=lambda c: c.name)
def test_bleeding_drug(case):
    check(case)


def test_drug_lists_cover_every_blood_thinner_on_the_pick_list():
    question = RULES.definition.questions["medications.current"]
    thinners = {o.value for o in question.options if getattr(o, "group", None) == "Blood thinners"}
    assert thinners == set(ANTICOAGULANT_PICKS) | set(ANTIPLATELET_PICKS)


# --- (5) site-scoped and plan rules ---------------------------------------------------------

SITE = [
    # (rule, answers, problem region, same-or-adjacent plan, remote plan)
    (
        "dn_local_skin_lesion",
        CONTRA,
        {"history.skin_problem": "yes"},
        "history.skin_problem_regions",
        "right_knee",
        ["right_front_of_thigh"],
        ["left_knee"],
    ),
    (
        "dn_lymphoedema",
        CONTRA,
        {"history.lymphoedema": "yes"},
        "history.lymphoedema_regions",
        "left_upper_arm",
        ["left_shoulder"],
        ["left_calf_lower_leg"],
    ),
    (
        "dn_lymph_node_removal",
        PRECAUTION,
        {"history.lymph_nodes": "yes"},
        "history.lymph_nodes_regions",
        "left_armpit",
        ["left_upper_arm"],
        ["right_armpit"],
    ),
    (
        "dn_cosmetic_implant",
        CONTRA,
        {"history.cosmetic_implant": "yes"},
        "history.cosmetic_implant_regions",
        "left_buttock",
        ["left_hip"],
        ["left_neck"],
    ),
    (
        "dn_recent_surgery",
        CONTRA,
        {"history.surgery_when": "last_12_weeks", "history.surgery_wound_unhealed": "no"},
        "history.surgery_regions",
        "right_knee",
        ["right_knee"],
        ["right_shoulder"],
    ),
    (
        "dn_prosthetic_joint",
        PRECAUTION,
        {"history.joint_replacement": "yes"},
        "history.joint_replacement_regions",
        "right_hip",
        ["right_buttock"],
        ["left_hip"],
    ),
    (
        "dn_vascular_disease",
        PRECAUTION,
        {"history.vascular": ["varicose_veins"]},
        "history.vascular_regions",
        "left_calf_lower_leg",
        ["left_ankle_foot"],
        ["left_upper_back"],
    ),
]
SITE_CASES = []
for rule_id, level, base, site_q, region, near, remote in SITE:
    answers = {**base, site_q: [region]}
    SITE_CASES += [
        Case(f"{rule_id} same or adjacent", answers, {rule_id: level}, plan={"regions": near}),
        Case(f"{rule_id} remote is a note", answers, {rule_id: NOTE}, plan={"regions": remote}),
        Case(
            f"{rule_id} default plan (painful regions)",
            {**answers, "pain.regions": near},
            {rule_id: level},
        ),
        Case(
            f"{rule_id} empty plan keeps the base level",
            answers,
            {rule_id: level},
            plan={"regions": []},
        ),
    ]
SITE_CASES += [
    Case(
        "skin lesion, where not sure",
        {"history.skin_problem": "not_sure"},
        {"dn_local_skin_lesion": CONTRA},
        plan={"regions": ["left_knee"]},
    ),
    Case(
        "implant not sure",
        {"history.cosmetic_implant": "not_sure"},
        {"dn_cosmetic_implant": CONTRA},
        plan={"regions": ["left_knee"]},
    ),
    Case(
        "lymphoedema not sure",
        {"history.lymphoedema": "not_sure"},
        {"dn_lymphoedema": CONTRA},
        plan={"regions": ["left_knee"]},
    ),
    Case(
        "lymph nodes not sure",
        {"history.lymph_nodes": "not_sure"},
        {"dn_lymph_node_removal": PRECAUTION},
        plan={"regions": ["left_knee"]},
    ),
    Case(
        "joint replacement not sure",
        {"history.joint_replacement": "not_sure"},
        {"dn_prosthetic_joint": PRECAUTION},
        plan={"regions": ["left_knee"]},
    ),
    Case(
        "midline: left lower back lesion, right lower back planned",
        {"history.skin_problem": "yes", "history.skin_problem_regions": ["left_lower_back"]},
        {"dn_local_skin_lesion": CONTRA},
        plan={"regions": ["right_lower_back"]},
    ),
    Case(
        "aortic aneurysm alone keeps the base level whatever the plan",
        {"history.vascular": ["aortic_aneurysm"]},
        {"dn_vascular_disease": PRECAUTION},
        plan={"regions": ["left_ankle_foot"]},
    ),
    # [plan] rules
    Case(
        "thorax: chest",
        {},
        {"dn_thoracic_needling_planned": PRECAUTION},
        plan={"regions": ["left_chest"]},
    ),
    Case(
        "thorax: upper back",
        {},
        {"dn_thoracic_needling_planned": PRECAUTION},
        plan={"regions": ["right_upper_back"]},
    ),
    Case(
        "thorax: thoracolumbar (at or above L1)",
        {},
        {"dn_thoracic_needling_planned": PRECAUTION},
        plan={"regions": ["left_thoracolumbar"]},
    ),
    Case(
        "no thorax: lumbar and buttock",
        {},
        quiet=("dn_thoracic_needling_planned",),
        plan={"regions": ["left_lower_back", "left_buttock"]},
    ),
    Case(
        "pneumothorax history, thorax replanned away",
        {"history.lungs": ["pneumothorax"]},
        {"dn_pneumothorax_risk_factor": NOTE},
        quiet=("dn_thoracic_needling_planned",),
        plan={"regions": ["left_calf_lower_leg"]},
    ),
    Case(
        "lungs not sure, thorax planned",
        {"history.lungs": ["not_sure"]},
        {"dn_pneumothorax_risk_factor": PRECAUTION},
        plan={"regions": ["left_chest"]},
    ),
    Case(
        "warfarin, psoas planned",
        {"medications.current": ["warfarin"]},
        {"dn_bleeding_risk_noncompressible_target": CONTRA, "dn_anticoagulant": PRECAUTION},
        plan={"regions": ["left_lower_back"], "noncompressible_targets": ["psoas"]},
    ),
    Case(
        "clopidogrel in free text, iliacus planned",
        {"medications.other": "Plavix 75mg"},
        {"dn_bleeding_risk_noncompressible_target": CONTRA},
        plan={"regions": ["left_hip"], "noncompressible_targets": ["iliacus"]},
    ),
    Case(
        "haemophilia, tibialis posterior planned",
        {"history.bleeding": ["haemophilia"]},
        {"dn_bleeding_risk_noncompressible_target": CONTRA},
        plan={
            "regions": ["left_calf_lower_leg"],
            "noncompressible_targets": ["tibialis_posterior"],
        },
    ),
    Case(
        "bleeding not sure, psoas planned",
        {"history.bleeding": ["not_sure"]},
        {"dn_bleeding_risk_noncompressible_target": CONTRA},
        plan={"regions": ["left_lower_back"], "noncompressible_targets": ["psoas"]},
    ),
    Case(
        "naproxen only, psoas planned",
        {"medications.current": ["naproxen"]},
        {"dn_info_minor_bleeding_meds": NOTE},
        quiet=("dn_bleeding_risk_noncompressible_target",),
        plan={"regions": ["left_lower_back"], "noncompressible_targets": ["psoas"]},
    ),
    Case(
        "warfarin, no deep target",
        {"medications.current": ["warfarin"]},
        {"dn_anticoagulant": PRECAUTION},
        quiet=("dn_bleeding_risk_noncompressible_target",),
        plan={"regions": ["left_lower_back"]},
    ),
]


@pytest.mark.parametrize("case", SITE_CASES, ids=lambda c: c.name)
def test_site_and_plan(case):
    check(case)


def test_aneurysm_with_remote_varicose_veins_keeps_precaution_near_the_abdomen():
    check(
        Case(
            "aneurysm and right-leg varicose veins, left lower back and psoas planned",
            {
                "history.vascular": ["aortic_aneurysm", "varicose_veins"],
                "history.vascular_regions": ["right_calf_lower_leg"],
            },
            {"dn_vascular_disease": PRECAUTION},
            plan={"regions": ["left_lower_back"], "noncompressible_targets": ["psoas"]},
        )
    )


# --- whole-patient scenarios, end to end ----------------------------------------------------

SCENARIOS = [
    Case(
        "72-year-old on Eliquis (free text) with new saddle numbness",
        {
            "about.date_of_birth": "1954-03-01",
            "medications.other": "eliquis 5mg bid",
            "symptoms.saddle_numbness": "new",
        },
        {"rf_ces_saddle_anaesthesia": EMERGENCY, "dn_anticoagulant": PRECAUTION},
        overall=EMERGENCY,
    ),
    Case(
        "72-year-old on Eliquis, psoas planned",
        {"about.date_of_birth": "1954-03-01", "medications.other": "eliquis 5mg bid"},
        {"dn_anticoagulant": PRECAUTION, "dn_bleeding_risk_noncompressible_target": CONTRA},
        plan={"regions": ["left_lower_back"], "noncompressible_targets": ["psoas"]},
        overall=CONTRA,
    ),
    Case(
        "pregnant 20 weeks",
        {"pregnancy.status": "yes", "pregnancy.weeks": 20},
        {"dn_pregnancy": PRECAUTION},
        overall=PRECAUTION,
    ),
    Case(
        "might be pregnant",
        {"pregnancy.status": "might_be"},
        {"dn_pregnancy": PRECAUTION},
        overall=PRECAUTION,
    ),
    Case(
        "16-year-old with a parent's consent",
        MINOR,
        {"dn_minor": PRECAUTION},
        quiet=("dn_unable_to_consent", "dn_unwilling_or_needle_phobia"),
        overall=PRECAUTION,
    ),
    Case(
        "patient on 'asa 81' only",
        {"medications.other": "asa 81"},
        {"dn_antiplatelet": PRECAUTION},
        quiet=("dn_anticoagulant", "dn_info_minor_bleeding_meds"),
        overall=PRECAUTION,
    ),
    Case(
        "patient on ibuprofen only (ticked and typed)",
        {"medications.current": ["ibuprofen"], "medications.other": "Advil 400mg when needed"},
        {"dn_info_minor_bleeding_meds": NOTE},
        quiet=("dn_antiplatelet", "dn_anticoagulant"),
        overall=NOTE,
    ),
    Case(
        "pacemaker, electrical stimulation planned",
        {
            "history.implanted_devices": ["pacemaker"],
            "history.implanted_device_regions": ["left_chest"],
        },
        {"dn_implanted_electronic_device": PRECAUTION},
        plan={"regions": ["left_lower_back"], "electrical_stimulation": True},
    ),
    Case(
        "prior breast cancer with new foot drop",
        {**OLD_BREAST_CANCER, "symptoms.leg_weakness": "new"},
        {"rf_cancer_history_or_active": EMERGENCY, "rf_progressive_or_major_weakness": URGENT},
        quiet=("dn_cancer",),
        overall=EMERGENCY,
    ),
    Case(
        "prior cancer with new bladder retention",
        {**OLD_BREAST_CANCER, "symptoms.bladder": "new"},
        {"rf_cancer_history_or_active": EMERGENCY, "rf_ces_bladder_dysfunction": EMERGENCY},
    ),
    Case(
        "prior cancer with longstanding weakness stays prompt",
        {**OLD_BREAST_CANCER, "symptoms.leg_weakness": "longstanding"},
        {"rf_cancer_history_or_active": PROMPT},
        overall=PROMPT,
    ),
    Case(
        "prior cancer, weakness not sure: escalated (over-flag)",
        {**OLD_BREAST_CANCER, "symptoms.leg_weakness": "not_sure"},
        {"rf_cancer_history_or_active": EMERGENCY},
    ),
    Case(
        "injecting drug user with sweats and back pain",
        {"history.injects_drugs": "current", "symptoms.fever": "last_2_weeks"},
        {"rf_iv_drug_use": URGENT, "rf_fever_or_systemically_unwell_with_back_pain": URGENT},
        quiet=("dn_acute_illness_or_fever",),
    ),
    Case(
        "70-year-old, osteoporosis, back pain after a cough, on long-term prednisone",
        {
            "about.date_of_birth": "1956-01-01",
            "history.osteoporosis": "yes",
            "pain.how_started": "minor_injury",
            "medications.current": ["prednisone"],
            "medications.steroid_duration": "three_months_or_more",
        },
        {"rf_fracture_risk_minor_trauma": URGENT, "dn_immunocompromised": PRECAUTION},
    ),
    Case(
        "COPD, low BMI (18.0: pneumothorax risk, not frailty), upper back planned",
        {"history.lungs": ["copd"], "about.height_cm": 175, "about.weight_kg": 55},
        {
            "dn_pneumothorax_risk_factor": PRECAUTION,
            "dn_thoracic_needling_planned": PRECAUTION,
        },
        quiet=("dn_frail",),
        plan={"regions": ["left_upper_back"]},
    ),
    Case(
        "left breast cancer with axillary clearance and arm lymphoedema, shoulder planned",
        {
            **OLD_BREAST_CANCER,
            "history.lymph_nodes": "yes",
            "history.lymph_nodes_regions": ["left_armpit"],
            "history.lymphoedema": "yes",
            "history.lymphoedema_regions": ["left_upper_arm", "left_forearm_hand"],
        },
        {
            "dn_lymphoedema": CONTRA,
            "dn_lymph_node_removal": PRECAUTION,
            "rf_cancer_history_or_active": PROMPT,
        },
        plan={"regions": ["left_shoulder"]},
        overall=PROMPT,
    ),
    Case(
        "a cold last week, now well, neck pain only",
        {"symptoms.fever": "last_2_weeks", "pain.back_pain": "no", "pain.regions": ["left_neck"]},
        quiet=("dn_acute_illness_or_fever", "rf_fever_or_systemically_unwell_with_back_pain"),
        overall=(None, None),
    ),
]


@pytest.mark.parametrize("case", SCENARIOS, ids=lambda c: c.name)
def test_scenario(case):
    check(case)


def test_the_baseline_itself_fires_nothing():
    check(Case("baseline", {}, overall=(None, None)))


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
        screening = screen(Case(rule_id, {qid: None}, incomplete=True))
        flag = screening.flag(rule_id)
        assert flag is not None, rule_id
        assert flag.uncertain, rule_id
