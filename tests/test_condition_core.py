"""One condition core (intake/questionnaire/values.py) under both condition
languages: show_if and the screening rules agree on what blank, a date and
an age are, because neither defines them itself."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from intake.questionnaire import conditions as show_if
from intake.questionnaire import identity, values
from intake.screening import conditions as rule_conditions
from intake.screening import derived, engine, operators

BLANK = [None, "", "   ", "\t\n", "\u00a0", []]
PRESENT = ["no", " x ", 0, 0.0, False, True, ["none"], {}, "0"]


@pytest.mark.parametrize("value", BLANK)
def test_blank_answers(value):
    assert values.is_blank(value)


@pytest.mark.parametrize("value", PRESENT)
def test_present_answers(value):
    assert not values.is_blank(value)


def test_only_the_blank_types_can_be_blank():
    """The engine skips the call for other classes (values.BLANK_CLASSES)."""
    assert all(v is None or v.__class__ in values.BLANK_CLASSES for v in BLANK)


def test_nobody_defines_blank_dates_or_ages_again():
    for module in (show_if, rule_conditions, derived, engine, operators, identity):
        for name in ("is_missing", "age_on", "parse_date", "is_blank", "age_from"):
            found = getattr(module, name, None)
            assert found is None or found is getattr(values, name), (module.__name__, name)


def test_dates_and_ages():
    assert values.parse_date("1968-09-14") == date(1968, 9, 14)
    assert values.parse_date(date(1968, 9, 14)) == date(1968, 9, 14)
    assert values.parse_date(datetime(1968, 9, 14, 10, 0)) == date(1968, 9, 14)
    for bad in ("1968-02-30", "yesterday", "", None, 19680914, ["1968-09-14"]):
        assert values.parse_date(bad) is None
    born = date(2008, 6, 2)
    assert values.age_on(born, date(2026, 6, 1)) == 17
    assert values.age_on(born, date(2026, 6, 2)) == 18
    assert values.age_from("2008-06-02", date(2026, 6, 2)) == 18
    assert values.age_from("2030-01-01", date(2026, 6, 2)) is None  # after today
    assert values.age_from("not a date", date(2026, 6, 2)) is None


def test_membership_never_raises_on_a_list_answer():
    assert values.one_of("yes", frozenset({"yes"}))
    assert not values.one_of(["yes"], frozenset({"yes"}))
    assert values.holds_any(["a", "b"], ("b",))
    assert not values.holds_any("ab", ("b",))  # a string is not a list of values
    assert not values.holds_any([["b"]], frozenset({"b"}))


def test_show_if_and_the_rules_agree_on_an_age_on_the_same_day():
    from intake.screening import evaluate, load_rules

    rules = load_rules()
    definition = rules.definition
    guardian = definition.question("consent.guardian_present")
    for today, minor in ((date(2026, 6, 1), True), (date(2026, 6, 2), False)):
        answers = {"about.date_of_birth": "2008-06-02"}
        assert definition.is_visible(guardian, answers, today) is minor
        fired = {f.rule_id for f in evaluate({**rules.baseline, **answers}, rules=rules,
                                             today=today).flags}
        assert ("dn_minor" in fired) is minor


def test_show_if_contains_is_a_list_membership_not_a_substring():
    leaf = show_if.Leaf("pain.regions", "contains", "knee")
    assert leaf.evaluate({"pain.regions": ["knee"]}, date(2026, 1, 1))
    assert not leaf.evaluate({"pain.regions": ["left_knee"]}, date(2026, 1, 1))
    assert not leaf.evaluate({"pain.regions": "knee"}, date(2026, 1, 1))
