"""Rule conditions, compiled once at load time into closures.

Every condition answers with one of three states, so that a missing or
"not sure" answer can never silence a rule:

- TRUE: the answers match;
- UNKNOWN: they might (an answer is "not sure", or a question the patient
  was shown is unanswered); the rule still fires and the evidence says why;
- FALSE: they do not.

``all``, ``any`` and ``not`` combine states by Kleene's three-valued logic
(``not`` keeps UNKNOWN as UNKNOWN), so negation cannot turn an uncertain
answer into a quiet rule. A rule fires when its condition is not FALSE.

Each compiled node has ``test(ctx) -> state`` (fast, used for every rule) and
``explain(ctx, out)`` (only for rules that fired) which appends the evidence.
What blank, a date and an age are is not defined here: those primitives are
intake.questionnaire.values, shared with the questionnaire's show_if.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from intake.questionnaire.values import is_blank

from .model import Evidence

FALSE, UNKNOWN, TRUE = 0, 1, 2
NOT_SURE = "not_sure"
#: Option values that mean "the patient did not tell us": they over-flag.
UNCERTAIN_VALUES: dict[str, str] = {
    "not_sure": "answer was not sure",
    "prefer_not_to_say": "patient preferred not to say",
}


class ConditionError(ValueError):
    """A condition that does not fit the questionnaire; the message says where."""


class Context:
    """One evaluation: the answers, the intake date, the plan, fired rules."""

    __slots__ = ("answers", "today", "plan", "plan_thorax", "fired", "missing_is_unknown")

    def __init__(
        self,
        answers: Mapping[str, Any],
        today: date,
        plan: Any,
        plan_thorax: tuple[str, ...],
        missing_is_unknown: Callable[[str], bool],
    ) -> None:
        self.answers = answers
        self.today = today
        self.plan = plan
        self.plan_thorax = plan_thorax
        #: rule id -> the Flag it produced, for ``fired`` conditions
        self.fired: dict[str, Any] = {}
        #: question id -> could the patient have been asked this unanswered
        #: question? (see engine._asked)
        self.missing_is_unknown = missing_is_unknown


Test = Callable[[Context], int]
Explain = Callable[[Context, list[Evidence]], None]


@dataclass(frozen=True, slots=True)
class Node:
    test: Test
    explain: Explain
    questions: frozenset[str] = frozenset()
    fired_refs: frozenset[str] = frozenset()
    #: for equals/in leaves: (question id, wanted, the question's other values,
    #: uncertain values, missing state), so ``any`` can check many of them in
    #: one loop without calls
    choice: tuple[str, frozenset[Any], frozenset[Any], frozenset[Any],
                  Callable[[Context], int]] | None = None


def compile_all(children: list[Node]) -> Node:
    tests = tuple(c.test for c in children)

    def test(ctx: Context) -> int:
        state = TRUE
        for t in tests:
            s = t(ctx)
            if s == FALSE:
                return FALSE
            if s < state:
                state = s
        return state

    def explain(ctx: Context, out: list[Evidence]) -> None:
        for child in children:
            child.explain(ctx, out)

    return _combine(test, explain, children)


def compile_any(children: list[Node]) -> Node:
    # equals/in leaves are checked inline (the same logic as operators.in_leaf,
    # on its `choice` tuple): ``any`` over many yes/no questions is the
    # commonest rule shape.
    choices = tuple(c.choice for c in children if c.choice is not None)
    tests = tuple(c.test for c in children if c.choice is None)

    def test(ctx: Context) -> int:
        answers = ctx.answers
        state = FALSE
        for question_id, wanted, other, uncertain, missing in choices:
            value = answers.get(question_id)
            try:
                if value in wanted:
                    return TRUE
                if value in other:
                    continue
                if value in uncertain:
                    state = UNKNOWN
                    continue
            except TypeError:
                state = UNKNOWN
                continue
            if state == FALSE and (value is None or is_blank(value)):
                state = missing(ctx)
        for t in tests:
            s = t(ctx)
            if s == TRUE:
                return TRUE
            if s > state:
                state = s
        return state

    def explain(ctx: Context, out: list[Evidence]) -> None:
        # Every child that holds (or might) is evidence, not only the first.
        for child in children:
            if child.test(ctx):  # not FALSE
                child.explain(ctx, out)

    return _combine(test, explain, children)


def compile_not(child: Node, labels: Mapping[str, str]) -> Node:
    inner = child.test

    def test(ctx: Context) -> int:
        return TRUE - inner(ctx)

    def explain(ctx: Context, out: list[Evidence]) -> None:
        if inner(ctx) == UNKNOWN:
            child.explain(ctx, out)
            return
        # The child does not hold: record what the patient did answer.
        for question in sorted(child.questions):
            value = ctx.answers.get(question)
            if not is_blank(value):
                out.append(Evidence(question, value, labels.get(question)))

    return Node(test, explain, child.questions, child.fired_refs)


def _combine(test: Test, explain: Explain, children: list[Node]) -> Node:
    return Node(
        test,
        explain,
        frozenset().union(*(c.questions for c in children)),
        frozenset().union(*(c.fired_refs for c in children)),
    )


def compile_fired(rule_ids: list[str]) -> Node:
    """TRUE when any of the named rules fired earlier in this evaluation."""
    ids = tuple(rule_ids)

    def test(ctx: Context) -> int:
        fired = ctx.fired
        for rule_id in ids:
            if rule_id in fired:
                return TRUE
        return FALSE

    def explain(ctx: Context, out: list[Evidence]) -> None:
        for rule_id in ids:
            flag = ctx.fired.get(rule_id)
            if flag is not None:
                uncertain = flag.uncertain
                note = "rule fired on uncertain answers" if uncertain else "rule fired"
                out.append(Evidence(f"rules.{rule_id}", flag.level, flag.title, note, uncertain))

    return Node(test, explain, frozenset(), frozenset(ids))


PLAN_ITEMS = ("thorax", "electrical_stimulation", "noncompressible_target")


def compile_plan(item: str) -> Node:
    """Conditions on the practitioner's plan rather than the answers."""
    if item == "thorax":

        def test(ctx: Context) -> int:
            return TRUE if ctx.plan_thorax else FALSE

        def explain(ctx: Context, out: list[Evidence]) -> None:
            out.append(Evidence("plan.regions", list(ctx.plan_thorax), "Planned thorax regions"))

    elif item == "electrical_stimulation":

        def test(ctx: Context) -> int:
            return TRUE if ctx.plan.electrical_stimulation else FALSE

        def explain(ctx: Context, out: list[Evidence]) -> None:
            out.append(Evidence("plan.electrical_stimulation", True, "Electrical stimulation"))

    elif item == "noncompressible_target":

        def test(ctx: Context) -> int:
            return TRUE if ctx.plan.noncompressible_targets else FALSE

        def explain(ctx: Context, out: list[Evidence]) -> None:
            targets = list(ctx.plan.noncompressible_targets)
            out.append(Evidence("plan.noncompressible_targets", targets, "Deep targets"))

    else:
        raise ConditionError(f"plan: unknown item {item!r} (known: {', '.join(PLAN_ITEMS)})")
    return Node(test, explain)
