"""Leaves on derived values: dates (age, time since), BMI and score sums.

Split from operators.py to keep modules small; the same rules apply: a
missing answer the patient was asked is UNKNOWN, an answer that cannot be
read (a bad date) is UNKNOWN, so neither silences a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from intake.questionnaire.values import BLANK_CLASSES, age_from, is_blank, parse_date

from .conditions import FALSE, TRUE, UNKNOWN, Context, Node
from .model import Evidence
from .operators import Describe, Match, missing_state, uncertain_note

# --- dates -----------------------------------------------------------------------

def match_age(tests: Sequence[tuple[Callable[[Any, Any], bool], Any]]) -> tuple[Match, Describe]:
    """Age in whole years at the intake date from a date of birth."""

    def match(value: Any, ctx: Context) -> int:
        age = age_from(value, ctx.today)
        if age is None:  # not a date, or after the intake date
            return UNKNOWN
        return TRUE if all(op(age, bound) for op, bound in tests) else FALSE

    def describe(value: Any, ctx: Context) -> str | None:
        age = age_from(value, ctx.today)
        if age is None:
            return "not a valid date of birth"
        return f"age {age} on {ctx.today.isoformat()}"

    return match, describe


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for day_of_month in range(day.day, 27, -1):
        try:
            return date(year, month + 1, day_of_month)
        except ValueError:
            continue
    return date(year, month + 1, min(day.day, 28))


def cutoff(today: date, amount: int, unit: str) -> date:
    if unit == "days":
        return date.fromordinal(today.toordinal() - amount)
    if unit == "weeks":
        return date.fromordinal(today.toordinal() - 7 * amount)
    if unit == "months":
        return months_before(today, amount)
    return months_before(today, 12 * amount)


def match_within(amount: int, unit: str) -> tuple[Match, Describe]:
    """A date no longer ago than amount+unit; a future date is UNKNOWN."""

    def match(value: Any, ctx: Context) -> int:
        when = parse_date(value)
        if when is None or when > ctx.today:
            return UNKNOWN
        return TRUE if when >= cutoff(ctx.today, amount, unit) else FALSE

    def describe(value: Any, ctx: Context) -> str | None:
        when = parse_date(value)
        if when is None:
            return "not a valid date"
        if when > ctx.today:
            return "date is in the future"
        return f"{(ctx.today - when).days} days before {ctx.today.isoformat()}"

    return match, describe


# --- derived numbers: BMI and sums ---------------------------------------------------


def bmi_leaf(
    height: tuple[str, str, str | None, float],
    weight: tuple[str, str, str | None, float],
    tests: Sequence[tuple[Callable[[Any, Any], bool], Any]],
) -> Node:
    """BMI from height and weight; each is (question id, free text?, label, scale to m / kg)."""
    (h_id, h_free, h_label, h_scale), (w_id, w_free, w_label, w_scale) = height, weight
    h_missing, w_missing = missing_state(h_id, h_free), missing_state(w_id, w_free)

    def bmi(ctx: Context) -> float | None:
        h, w = ctx.answers.get(h_id), ctx.answers.get(w_id)
        if not isinstance(h, int | float) or not isinstance(w, int | float) or h <= 0:
            return None
        return (w * w_scale) / (h * h_scale) ** 2

    def test(ctx: Context) -> int:
        value = bmi(ctx)
        if value is None:
            return max(
                h_missing(ctx) if is_blank(ctx.answers.get(h_id)) else UNKNOWN,
                w_missing(ctx) if is_blank(ctx.answers.get(w_id)) else UNKNOWN,
            )
        return TRUE if all(op(value, bound) for op, bound in tests) else FALSE

    def explain(ctx: Context, out: list[Evidence]) -> None:
        value = bmi(ctx)
        for qid, label in ((h_id, h_label), (w_id, w_label)):
            answer = ctx.answers.get(qid)
            if is_blank(answer):
                out.append(Evidence(qid, None, label, "not answered", uncertain=True))
            else:
                out.append(Evidence(qid, answer, label))
        if value is not None:
            out.append(Evidence("bmi", round(value, 1), "Body mass index", "calculated"))

    return Node(test, explain, frozenset({h_id, w_id}))


def sum_leaf(
    items: Sequence[tuple[str, str, str | None, Mapping[Any, float] | None, float]],
    tests: Sequence[tuple[Callable[[Any, Any], bool], Any]],
) -> Node:
    """A score total; each item is (question id, free text?, label, points or None, max points).

    Unanswered or "not sure" items count 0 for the lowest possible total and
    their maximum for the highest: TRUE when even the lowest total passes,
    UNKNOWN when only the highest does.
    """
    compact = tuple(
        (qid, missing_state(qid, free), points, top) for qid, free, _, points, top in items
    )

    def totals(ctx: Context) -> tuple[float, float]:
        answers = ctx.answers
        low = high = 0.0
        for qid, absent, points, top in compact:
            value = answers.get(qid)
            if value is None or (value.__class__ in BLANK_CLASSES and is_blank(value)):
                if absent(ctx) == UNKNOWN:
                    high += top
                continue
            score = value if points is None else points.get(value)
            if score.__class__ is int or score.__class__ is float:
                low += score
                high += score
            else:
                high += top
        return low, high

    def passes(total: float) -> bool:
        return all(op(total, bound) for op, bound in tests)

    def test(ctx: Context) -> int:
        low, high = totals(ctx)
        if passes(low):
            return TRUE
        return UNKNOWN if high != low and passes(high) else FALSE

    def explain(ctx: Context, out: list[Evidence]) -> None:
        for qid, _, label, _, _ in items:
            value = ctx.answers.get(qid)
            if is_blank(value):
                out.append(Evidence(qid, None, label, "not answered", uncertain=True))
            elif points_unknown(value, qid):
                note = uncertain_note(value) or "answer has no score"
                out.append(Evidence(qid, value, label, note, uncertain=True))
            else:
                out.append(Evidence(qid, value, label))
        low, high = totals(ctx)
        note = "total" if low == high else f"total {low:g} to {high:g} with uncertain items"
        out.append(Evidence("+".join(q for q, *_ in items), low, "Total", note))

    def points_unknown(value: Any, qid: str) -> bool:
        points = next(p for q, _, _, p, _ in items if q == qid)
        score = points.get(value) if points is not None else value
        return not isinstance(score, int | float) or isinstance(score, bool)

    return Node(test, explain, frozenset(q for q, *_ in items))
