"""Progress over visits: the NPRS, PHQ-2 and STarT Back series, and the change since the first."""

from __future__ import annotations

from datetime import date

import pytest
from visits_support import first_intake

from intake.questionnaire import load_definition
from intake.screening import evaluate
from intake.visits.progress import change, progress, total

D1, D2, D3, D4 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)


def test_the_series_follow_the_visits_in_date_order():
    definition = load_definition()
    visits = [
        (D3, {"pain.back_now": 3, "pain.leg_now": 2}),
        (D1, first_intake(**{"pain.back_now": 7, "pain.back_worst_24h": 9,
                             "pain.leg_symptoms": "one_leg", "pain.leg_now": 6,
                             "pain.leg_worst_24h": 8})),
        (D2, {"pain.back_now": 6}),
    ]
    series = progress(definition, visits)
    assert [(p.day, p.value) for p in series["back_now"].points] == [(D1, 7), (D2, 6), (D3, 3)]
    assert [(p.day, p.value) for p in series["leg_now"].points] == [(D1, 6), (D3, 2)]
    assert [p.value for p in series["back_worst_24h"].points] == [9]
    assert series["back_worst_24h"].change is None  # one point: no change to judge
    assert series["back_now"].change.points == -4
    assert series["back_now"].change.verdict == "better"


def test_questionnaire_totals_use_the_option_scores_the_rules_use():
    definition = load_definition()
    intake = first_intake(**{
        "wellbeing.phq2_interest": "more_than_half_the_days",
        "wellbeing.phq2_down": "several_days",
        **{f"wellbeing.startback_{n}": "agree" for n in (1, 5, 6, 7, 8)},
        "wellbeing.startback_9": "very_much"})
    assert total(definition, intake, ("wellbeing.phq2_interest", "wellbeing.phq2_down")) == 3
    later = {"wellbeing.phq2_interest": "not_at_all", "wellbeing.phq2_down": "several_days"}
    series = progress(definition, [(D1, intake), (D2, {"pain.back_now": 3}), (D4, later)])
    assert [(p.day, p.value) for p in series["phq2_total"].points] == [(D1, 3), (D4, 1)]
    assert [p.value for p in series["startback_total"].points] == [6]
    assert [p.value for p in series["startback_distress"].points] == [5]
    # the same answers are what the score rules read
    rule_ids = evaluate(intake, today=D1).rule_ids
    assert "info_phq2_positive" in rule_ids
    assert "info_startback_high_risk" in rule_ids


def test_a_partly_answered_instrument_has_no_total():
    definition = load_definition()
    assert total(definition, {"wellbeing.phq2_interest": "several_days"},
                 ("wellbeing.phq2_interest", "wellbeing.phq2_down")) is None
    assert total(definition, {"wellbeing.phq2_interest": "made_up",
                              "wellbeing.phq2_down": "several_days"},
                 ("wellbeing.phq2_interest", "wellbeing.phq2_down")) is None


@pytest.mark.parametrize("first, latest, verdict", [
    (8, 6, "better"),                 # 2 points
    (8, 7, "no important change"),    # 1 point, 12.5%
    (3, 2, "better"),                 # 1 point but 33%
    (10, 8, "better"),
    (4, 6, "worse"),
    (0, 1, "no important change"),    # no percentage from 0
    (0, 2, "worse"),
    (5, 5, "no important change"),
])
def test_change_against_the_minimal_important_change(first, latest, verdict):
    result = change(first, latest)
    assert result.verdict == verdict
    assert result.points == latest - first


def test_a_booleans_or_text_are_not_pain_scores():
    series = progress(load_definition(), [(D1, {"pain.back_now": True}),
                                          (D2, {"pain.back_now": "7"}),
                                          (D3, {"pain.back_now": 5})])
    assert [p.value for p in series["back_now"].points] == [5]
