"""Answers carried forward from the last visit, then screened with the real rules."""

from __future__ import annotations

import pytest
from visits_support import FOLLOW_UP_DAY, first_intake, follow_up_answers

from intake.questionnaire import load_definition
from intake.questionnaire.follow_up import load_follow_up
from intake.screening import evaluate
from intake.visits.carry_forward import carry_forward


def merge(previous, answers, steps=None):
    return carry_forward(load_definition(), load_follow_up(), previous, answers,
                         today=FOLLOW_UP_DAY, steps=steps)


def test_questions_not_asked_keep_the_previous_answer():
    previous = first_intake(**{"history.diabetes": "type_2", "history.diabetes_problems": ["none"],
                               "wellbeing.phq2_interest": "several_days"})
    merged = merge(previous, follow_up_answers())
    assert merged["history.diabetes"] == "type_2"
    assert merged["about.full_name"] == previous["about.full_name"]
    # the periodic step was not included: PHQ-2 stays as it was
    assert merged["wellbeing.phq2_interest"] == "several_days"
    # the follow-up's own questions are not intake answers
    assert not any(qid.startswith(("changes.", "today.")) for qid in merged)
    assert load_definition().check_answers(merged, today=FOLLOW_UP_DAY) == []


def test_questions_asked_again_replace_the_previous_answer():
    previous = first_intake()
    merged = merge(previous, follow_up_answers(**{"pain.back_now": 2, "pain.night": "constant"}))
    assert previous["pain.back_now"] == 4
    assert merged["pain.back_now"] == 2
    assert merged["pain.night"] == "constant"


def test_a_periodic_step_included_replaces_its_answers():
    previous = first_intake(**{"wellbeing.phq2_interest": "nearly_every_day"})
    follow_up = load_follow_up()
    steps = [s.id for s in follow_up.steps_for_visit(5)]
    merged = merge(previous, follow_up_answers(**{"wellbeing.phq2_interest": "not_at_all"}), steps)
    assert merged["wellbeing.phq2_interest"] == "not_at_all"


def test_a_hidden_history_question_keeps_its_answer():
    previous = first_intake(**{"history.cancer": "treated_over_12_months",
                               "history.cancer_type": "Bowel", "history.cancer_skin_only": "no",
                               "history.cancer_spread": "no"})
    # no new diagnosis reported: history.cancer is not shown, so it is not asked
    merged = merge(previous, follow_up_answers(**{"history.cancer": "never"}))
    assert merged["history.cancer"] == "treated_over_12_months"
    assert merged["history.cancer_type"] == "Bowel"


def test_a_new_diagnosis_asks_history_again():
    merged = merge(first_intake(), follow_up_answers(**{
        "changes.new_events": ["new_diagnosis"], "changes.new_diagnosis_details": "Lymphoma",
        "history.cancer": "in_treatment", "history.cancer_type": "Lymphoma",
        "history.cancer_skin_only": "no", "history.cancer_spread": "not_sure",
        "history.cancer_treatment": ["chemotherapy"]}))
    assert merged["history.cancer"] == "in_treatment"
    assert merged["history.cancer_treatment"] == ["chemotherapy"]
    # shown but left blank: a required answer is kept, never lost
    assert merged["history.osteoporosis"] == first_intake()["history.osteoporosis"]
    assert load_definition().check_answers(merged, today=FOLLOW_UP_DAY) == []


def test_medicines_started_and_stopped_update_the_medicine_answers():
    previous = first_intake(**{"medications.current": ["aspirin", "ibuprofen"],
                               "medications.anticoagulant_last_dose": "Yesterday"})
    merged = merge(previous, follow_up_answers(**{
        "changes.medicines_changed": "yes", "changes.medicines_started": ["warfarin"],
        "changes.medicines_stopped": ["ibuprofen"]}))
    assert merged["medications.current"] == ["aspirin", "warfarin"]
    # all stopped: the intake's exclusive "none", and the dependent answers go
    stopped = merge(previous, follow_up_answers(**{
        "changes.medicines_changed": "yes", "changes.medicines_stopped": ["aspirin", "ibuprofen"]}))
    assert stopped["medications.current"] == ["none"]
    assert "medications.anticoagulant_last_dose" not in stopped
    assert load_definition().check_answers(stopped, today=FOLLOW_UP_DAY) == []


def test_starting_warfarin_asks_the_inr_in_the_same_follow_up():
    answers = follow_up_answers(**{
        "changes.medicines_changed": "yes", "changes.medicines_started": ["warfarin"],
        "medications.inr": "2.5 on Monday", "medications.anticoagulant_last_dose": "This morning"})
    follow_up = load_follow_up()
    assert follow_up.is_visible("medications.inr", follow_up.context(first_intake(), answers),
                                today=FOLLOW_UP_DAY)
    merged = merge(first_intake(), answers)
    assert merged["medications.current"] == ["warfarin"]
    assert merged["medications.inr"] == "2.5 on Monday"
    assert "dn_anticoagulant" in evaluate(merged, today=FOLLOW_UP_DAY).rule_ids
    assert load_definition().check_answers(merged, today=FOLLOW_UP_DAY) == []


def test_medicines_started_from_none_drop_none():
    merged = merge(first_intake(), follow_up_answers(**{
        "changes.medicines_changed": "yes", "changes.medicines_started": ["apixaban"]}))
    assert merged["medications.current"] == ["apixaban"]


def test_an_optional_question_cleared_is_removed():
    previous = first_intake(**{"medications.current": ["warfarin"],
                               "medications.inr": "2.4 last week"})
    merged = merge(previous, follow_up_answers())
    assert "medications.inr" not in merged
    assert merged["medications.current"] == ["warfarin"]


def test_medicine_lists_are_ignored_when_not_shown():
    # "no change" hides the lists: whatever was posted for them is not applied
    merged = merge(first_intake(), follow_up_answers(**{
        "changes.medicines_changed": "no", "changes.medicines_started": ["apixaban"]}))
    assert merged["medications.current"] == ["none"]


def test_pregnancy_reported_at_a_follow_up():
    previous = first_intake(**{"about.sex_at_birth": "female", "pregnancy.status": "no"})
    merged = merge(previous, follow_up_answers(**{"pregnancy.status": "yes",
                                                  "pregnancy.weeks": 9}))
    assert (merged["pregnancy.status"], merged["pregnancy.weeks"]) == ("yes", 9)
    assert "dn_pregnancy" in evaluate(merged, today=FOLLOW_UP_DAY).rule_ids
    # and no longer pregnant: the weeks go with it
    later = merge(merged, follow_up_answers(**{"pregnancy.status": "no"}))
    assert "pregnancy.weeks" not in later


def test_a_calm_follow_up_screens_clean():
    merged = merge(first_intake(), follow_up_answers())
    assert evaluate(merged, today=FOLLOW_UP_DAY).rule_ids == ()


def test_new_saddle_numbness_and_a_new_anticoagulant_fire_their_rules():
    previous = first_intake()
    assert evaluate(previous, today=FOLLOW_UP_DAY).rule_ids == ()
    merged = merge(previous, follow_up_answers(**{
        "symptoms.saddle_numbness": "new",
        "changes.medicines_changed": "yes", "changes.medicines_started": ["rivaroxaban"]}))
    screening = evaluate(merged, today=FOLLOW_UP_DAY)
    assert {"rf_ces_saddle_anaesthesia", "dn_anticoagulant"} <= set(screening.rule_ids)
    saddle = screening.flag("rf_ces_saddle_anaesthesia")
    assert (saddle.level, saddle.urgency) == ("red_flag", "emergency")
    assert screening.flags[0].rule_id == "rf_ces_saddle_anaesthesia"


@pytest.mark.parametrize("reaction, fires, quiet", [
    ("serious", "dn_previous_adverse_reaction", "dn_vasovagal_history"),
    ("not_sure", "dn_previous_adverse_reaction", "dn_vasovagal_history"),
    ("fainted", "dn_vasovagal_history", "dn_previous_adverse_reaction"),
])
def test_a_reaction_after_the_last_session(reaction, fires, quiet):
    details = {"today.session_reaction_details": "Hives"} if reaction != "not_sure" else {}
    merged = merge(first_intake(), follow_up_answers(**{"today.session_reaction": reaction,
                                                        **details}))
    rule_ids = evaluate(merged, today=FOLLOW_UP_DAY).rule_ids
    assert fires in rule_ids
    assert quiet not in rule_ids


def test_ordinary_soreness_after_a_session_fires_nothing():
    merged = merge(first_intake(), follow_up_answers(**{"today.session_reaction":
                                                        "soreness_or_bruise"}))
    assert merged["needling.previous_reaction"] == "no"
    assert evaluate(merged, today=FOLLOW_UP_DAY).rule_ids == ()


def test_fever_now_is_screened_again():
    merged = merge(first_intake(), follow_up_answers(**{"symptoms.fever": "last_48_hours"}))
    rule_ids = evaluate(merged, today=FOLLOW_UP_DAY).rule_ids
    assert "dn_acute_illness_or_fever" in rule_ids
    assert "rf_fever_or_systemically_unwell_with_back_pain" in rule_ids


def test_the_previous_answers_are_not_changed():
    previous = first_intake()
    before = dict(previous)
    merge(previous, follow_up_answers(**{"pain.back_now": 1}))
    assert previous == before
