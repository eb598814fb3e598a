"""One severity table: the order of flags, the dashboard's rank and the words."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from intake.screening import evaluate, load_rules, severity

# Most severe first, written out here so that a wrong table fails.
ORDER = [("red_flag", "emergency"), ("red_flag", "urgent"), ("red_flag", "prompt"),
         ("contraindication", None), ("precaution", None), ("note", None)]


def test_ranks_put_every_level_in_the_catalog_order():
    assert [severity.rank(level, urgency) for level, urgency in reversed(ORDER)] == [
        1, 2, 3, 4, 5, 6]
    assert severity.rank(None) == 0
    assert severity.rank("red_flag", None) == 6  # unknown urgency sorts to the top
    with pytest.raises(KeyError):
        severity.rank("serious")


def test_sort_key_and_rank_agree_and_ties_keep_rule_order():
    keys = [severity.sort_key(level, urgency, order=50) for level, urgency in ORDER]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert severity.sort_key("note", None, 3) < severity.sort_key("note", None, 4)
    # a later rule of a higher level still comes first
    assert severity.sort_key("precaution", None, 9_999) < severity.sort_key("note", None, 0)


def test_worst_rank_of_flags():
    def flag(level, urgency=None):
        return SimpleNamespace(level=level, urgency=urgency)

    assert severity.worst_rank([]) == 0
    assert severity.worst_rank([flag("note"), flag("red_flag", "urgent"),
                                flag("precaution")]) == 5


def test_labels():
    assert severity.label("red_flag", "emergency") == "Red flag: emergency"
    assert severity.label("contraindication") == "Contraindication"
    assert severity.label(None) == "No flags"
    assert severity.label("retired_level") == "retired_level"  # shown, never dropped
    # what stores only the rank reads the same as what stores level and urgency
    for level, urgency in ORDER:
        assert severity.RANK_LABELS[severity.rank(level, urgency)] == severity.label(
            level, urgency)
        assert severity.RANK_LEVELS[severity.rank(level, urgency)] == level


def test_rank_ranges_filter_one_level_or_every_red_flag():
    assert severity.RANK_RANGES == {"red_flag": (4, 6), "contraindication": (3, 3),
                                    "precaution": (2, 2), "note": (1, 1), "none": (0, 0)}
    assert severity.RED_FLAG == 4


def test_the_engine_orders_flags_most_severe_first():
    rules = load_rules()
    answers = {**rules.baseline, "symptoms.fever": "last_48_hours",
               "medications.current": ["warfarin"], "history.diabetes": "type_2"}
    flags = evaluate(answers, today=rules.example_date).flags
    assert len({f.level for f in flags}) >= 2
    ranks = [severity.rank(f.level, f.urgency) for f in flags]
    assert ranks == sorted(ranks, reverse=True)
