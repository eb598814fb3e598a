"""What changed between two visits: flags new, gone and changed; answers changed."""

from __future__ import annotations

from visits_support import FOLLOW_UP_DAY, first_intake, follow_up_answers

from intake.questionnaire import load_definition
from intake.questionnaire.follow_up import load_follow_up
from intake.screening import evaluate
from intake.visits.carry_forward import carry_forward
from intake.visits.changes import AnswerChange, FlagState, compare


def test_a_follow_up_with_a_new_red_flag_and_a_resolved_fever():
    previous = first_intake(**{"symptoms.fever": "last_48_hours"})
    merged = carry_forward(load_definition(), load_follow_up(), previous, follow_up_answers(**{
        "symptoms.saddle_numbness": "new", "pain.back_now": 2}), today=FOLLOW_UP_DAY)
    before = evaluate(previous, today=FOLLOW_UP_DAY)
    after = evaluate(merged, today=FOLLOW_UP_DAY)
    changes = compare(before, after, previous, merged, order=load_definition().questions)
    assert FlagState("rf_ces_saddle_anaesthesia", "red_flag", "emergency") in changes.new_flags
    assert "dn_acute_illness_or_fever" in {f.rule_id for f in changes.gone_flags}
    assert changes.new_red_flag
    answers = {c.question: c for c in changes.changed_answers}
    assert answers["symptoms.saddle_numbness"] == AnswerChange("symptoms.saddle_numbness",
                                                               "no", "new")
    assert answers["pain.back_now"] == AnswerChange("pain.back_now", 4, 2)
    assert "about.full_name" not in answers
    # in questionnaire order: the pain step comes before the symptoms step
    ids = [c.question for c in changes.changed_answers]
    assert ids.index("pain.back_now") < ids.index("symptoms.saddle_numbness")


def test_a_flag_whose_urgency_changes_is_changed_not_new():
    before = {"flags": [{"rule_id": "rf_cancer_history_or_active", "level": "red_flag",
                         "urgency": "prompt"}]}
    after = {"flags": [{"rule_id": "rf_cancer_history_or_active", "level": "red_flag",
                        "urgency": "emergency"},
                       {"rule_id": "dn_diabetes", "level": "precaution", "urgency": None}]}
    changes = compare(before, after, {}, {})
    assert [c.rule_id for c in changes.changed_flags] == ["rf_cancer_history_or_active"]
    assert changes.changed_flags[0].before.urgency == "prompt"
    assert changes.changed_flags[0].after.urgency == "emergency"
    assert [f.rule_id for f in changes.new_flags] == ["dn_diabetes"]
    assert changes.gone_flags == ()
    assert not changes.new_red_flag  # a red flag already there is not new


def test_a_precaution_becoming_a_red_flag_counts_as_new_red_flag():
    before = {"flags": [{"rule_id": "x", "level": "precaution", "urgency": None}]}
    after = {"flags": [{"rule_id": "x", "level": "red_flag", "urgency": "urgent"}]}
    assert compare(before, after, {}, {}).new_red_flag


def test_stored_and_live_screenings_compare_alike():
    answers = first_intake(**{"history.diabetes": "type_1", "history.diabetes_problems": ["none"]})
    live = evaluate(answers, today=FOLLOW_UP_DAY)
    stored = live.to_dict()
    assert not compare(live, stored, answers, answers)
    assert not compare(stored, live, answers, answers)


def test_an_answer_on_one_side_only_is_changed():
    changes = compare({"flags": []}, {"flags": []}, {"pregnancy.weeks": 9}, {"pain.leg_now": 3})
    assert {(c.question, c.before, c.after) for c in changes.changed_answers} == {
        ("pregnancy.weeks", 9, None), ("pain.leg_now", None, 3)}
    assert bool(changes)
