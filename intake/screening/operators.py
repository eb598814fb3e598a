"""Leaf conditions on one question's answer (dates, BMI, sums: derived.py).

The compiler (compiler.py) checks a leaf against the questionnaire, then
builds it here. A leaf's ``match(value, ctx)`` sees only present answers;
a missing answer is UNKNOWN when the patient was shown the question (so the
rule fires, "not answered") and FALSE when the question was hidden by its
show_if. Free text left blank is FALSE: blank means "nothing to add".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from intake.questionnaire.values import BLANK_CLASSES, is_blank

from .conditions import FALSE, TRUE, UNCERTAIN_VALUES, UNKNOWN, Context, Node
from .model import Evidence

Match = Callable[[Any, Context], int]
Describe = Callable[[Any, Context], str | None]

COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def uncertain_note(value: Any) -> str | None:
    """The note for a "not sure" / "prefer not to say" answer, else None."""
    if isinstance(value, list):
        return next((UNCERTAIN_VALUES[v] for v in value if v in UNCERTAIN_VALUES), None)
    return UNCERTAIN_VALUES.get(value) if isinstance(value, str) else None


def missing_state(question_id: str, free_text: bool) -> Callable[[Context], int]:
    """What a blank answer means: FALSE for free text (the question's type
    says whether it is, ``QuestionType.free_text``), else UNKNOWN when shown."""
    if free_text:
        return lambda ctx: FALSE

    def state(ctx: Context) -> int:
        return UNKNOWN if ctx.missing_is_unknown(question_id) else FALSE

    return state


def leaf(
    question_id: str,
    free_text: bool,
    label: str | None,
    match: Match,
    describe: Describe | None = None,
) -> Node:
    """A condition on one question's answer."""
    missing = missing_state(question_id, free_text)

    def test(ctx: Context) -> int:
        value = ctx.answers.get(question_id)
        if value is None or (value.__class__ in BLANK_CLASSES and is_blank(value)):
            return missing(ctx)
        return match(value, ctx)

    def explain(ctx: Context, out: list[Evidence]) -> None:
        out.append(evidence_for(ctx, question_id, label, match, describe))

    return Node(test, explain, frozenset({question_id}))


def in_leaf(question_id: str, free_text: bool, label: str | None, wanted: frozenset,
            options: frozenset = frozenset()) -> Node:
    """equals / in, fused into one closure: the most common leaf by far.

    `options` are the question's own values: an answer that is one of them
    and not wanted is a definite FALSE, found without asking is_blank (the
    commonest answer, "no", takes two set lookups).
    """
    missing = missing_state(question_id, free_text)
    uncertain = frozenset(UNCERTAIN_VALUES) - wanted
    plain = wanted - frozenset(UNCERTAIN_VALUES)
    other = options - wanted - uncertain
    match = match_in(wanted)

    def test(ctx: Context) -> int:
        value = ctx.answers.get(question_id)
        try:
            if value in wanted:
                return TRUE
            if value in other:
                return FALSE
            if value in uncertain:
                return UNKNOWN
        except TypeError:  # a list where one value belongs: cannot tell
            return UNKNOWN
        return missing(ctx) if value is None or is_blank(value) else FALSE

    def explain(ctx: Context, out: list[Evidence]) -> None:
        value = ctx.answers.get(question_id)
        try:
            hit = value in plain
        except TypeError:
            hit = False
        if hit:  # the common case: a definite answer
            out.append(Evidence(question_id, value, label))
        else:
            out.append(evidence_for(ctx, question_id, label, match, None))

    choice = (question_id, wanted, other, uncertain, missing)
    return Node(test, explain, frozenset({question_id}), choice=choice)


def contains_leaf(
    question_id: str, free_text: bool, label: str | None, wanted: frozenset
) -> Node:
    """contains / contains_any on a multi-select or regions list.

    The list walk is written out in `test` rather than calling `match`: this is
    the hottest leaf of the engine (see benchmarks/screening.py). `match` stays
    the reference used for evidence, and the two must stay in step.
    """
    missing = missing_state(question_id, free_text)
    uncertain = frozenset(UNCERTAIN_VALUES) - wanted
    plain_match = match_contains_any(wanted - frozenset(UNCERTAIN_VALUES))
    match = match_contains_any(wanted)

    def test(ctx: Context) -> int:
        value = ctx.answers.get(question_id)
        if value.__class__ is list and value:
            try:
                for item in value:
                    if item in wanted:
                        return TRUE
                for item in value:
                    if item in uncertain:
                        return UNKNOWN
            except TypeError:
                return UNKNOWN
            return FALSE
        if is_blank(value):
            return missing(ctx)
        return UNKNOWN  # not a list: cannot tell

    def explain(ctx: Context, out: list[Evidence]) -> None:
        value = ctx.answers.get(question_id)
        if value.__class__ is list and plain_match(value, ctx) == TRUE:
            out.append(Evidence(question_id, value, label))
        else:
            out.append(evidence_for(ctx, question_id, label, match, None))

    return Node(test, explain, frozenset({question_id}))


def evidence_for(
    ctx: Context, question_id: str, label: str | None, match: Match, describe: Describe | None
) -> Evidence:
    value = ctx.answers.get(question_id)
    if is_blank(value):
        return Evidence(question_id, None, label, "not answered", True)
    note = uncertain_note(value)
    if note is not None:
        return Evidence(question_id, value, label, note, True)
    note = describe(value, ctx) if describe else None
    return Evidence(question_id, value, label, note, match(value, ctx) == UNKNOWN)


# --- value operators -----------------------------------------------------------


def match_in(wanted: frozenset[Any]) -> Match:
    """equals / in for single answers; "not sure" might be any of them."""
    uncertain = frozenset(UNCERTAIN_VALUES) - wanted

    def match(value: Any, ctx: Context) -> int:
        try:
            if value in wanted:
                return TRUE
            return UNKNOWN if value in uncertain else FALSE
        except TypeError:
            return UNKNOWN

    return match


def match_contains_any(wanted: frozenset[Any]) -> Match:
    """contains / contains_any for multi-select and region lists."""
    uncertain = frozenset(UNCERTAIN_VALUES) - wanted

    def match(value: Any, ctx: Context) -> int:
        if not isinstance(value, list):
            return UNKNOWN
        try:
            for item in value:
                if item in wanted:
                    return TRUE
            for item in value:
                if item in uncertain:
                    return UNKNOWN
        except TypeError:
            return UNKNOWN
        return FALSE

    return match


def match_compare(tests: Sequence[tuple[Callable[[Any, Any], bool], Any]]) -> Match:
    def match(value: Any, ctx: Context) -> int:
        if value in UNCERTAIN_VALUES:
            return UNKNOWN
        try:
            return TRUE if all(op(value, bound) for op, bound in tests) else FALSE
        except TypeError:
            return UNKNOWN

    return match


def answered_leaf(question_id: str, label: str | None, expect: bool) -> Node:
    """answered / not_answered: a definite yes or no, never UNKNOWN."""
    hit, miss = (TRUE, FALSE) if expect else (FALSE, TRUE)

    def test(ctx: Context) -> int:
        return miss if is_blank(ctx.answers.get(question_id)) else hit

    def explain(ctx: Context, out: list[Evidence]) -> None:
        value = ctx.answers.get(question_id)
        note = "not answered" if is_blank(value) else None
        out.append(Evidence(question_id, value, label, note, uncertain=not expect))

    return Node(test, explain, frozenset({question_id}))


def not_sure_leaf(question_id: str, label: str | None) -> Node:
    def test(ctx: Context) -> int:
        value = ctx.answers.get(question_id)
        return TRUE if value == "not_sure" or (
            isinstance(value, list) and "not_sure" in value) else FALSE

    def explain(ctx: Context, out: list[Evidence]) -> None:
        value = ctx.answers.get(question_id)
        out.append(Evidence(question_id, value, label, "answer was not sure", uncertain=True))

    return Node(test, explain, frozenset({question_id}))
