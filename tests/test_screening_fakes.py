"""The screening tests' questionnaire has production's semantics: the shipped
body regions, the real loader's checks and show_if visibility."""

from __future__ import annotations

from datetime import date

from screening_fakes import BASELINE, screening_definition

from intake.questionnaire.definition import Definition, load_definition

TODAY = date(2026, 6, 1)


def test_it_is_a_real_definition_on_the_shipped_regions():
    definition, shipped = screening_definition(), load_definition()
    assert isinstance(definition, Definition)
    assert definition.regions.ids == shipped.regions.ids
    assert definition.regions.adjacent("left_knee") == shipped.regions.adjacent("left_knee")
    assert definition.regions.is_thorax("left_thoracolumbar")


def test_the_baseline_is_a_complete_valid_intake():
    assert screening_definition().check_answers(BASELINE["answers"], TODAY) == []


def test_follow_ups_are_shown_as_production_shows_them():
    definition = screening_definition()
    answers = dict(BASELINE["answers"])
    assert not definition.is_visible("history.skin_regions", answers, TODAY)
    assert definition.is_visible("history.skin_regions", {**answers, "history.skin": "not_sure"},
                                 TODAY)
    assert not definition.is_visible("history.onset", answers, TODAY)
    assert definition.is_visible("history.onset", {**answers, "history.symptoms": ["bladder"]},
                                 TODAY)
