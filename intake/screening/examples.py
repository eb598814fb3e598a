"""Every rule carries examples that must fire it and that must not.

An example's answers are laid over the baseline (rules/baseline.yaml: a
patient with nothing to flag), so an example names only what matters to its
rule and still is a whole, valid intake. A key set to null removes the
baseline answer; baseline answers hidden by the example's answers are
dropped, as the questionnaire would drop them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .engine import run
from .plan import Plan, PlanError
from .rules import Example, Rule, RuleSet, RuleSetError
from .severity import LEVELS, URGENCIES

EXAMPLE_KEYS = frozenset(
    {"name", "answers", "plan", "expect_level", "expect_urgency", "today", "incomplete"}
)


def example_answers(ruleset: RuleSet, example: Example) -> dict[str, Any]:
    """The example's whole answers (worked out once per rule set and example)."""
    known = _kept(ruleset, "_example_answers")
    if id(example) not in known:
        known[id(example)] = (example, _example_answers(ruleset, example))
    return dict(known[id(example)][1])


def _example_answers(ruleset: RuleSet, example: Example) -> dict[str, Any]:
    definition = ruleset.definition
    today = example.today or ruleset.example_date
    answers = {**ruleset.baseline, **example.answers}
    answers = {k: v for k, v in answers.items() if v is not None}
    inherited = set(answers) - set(example.answers)
    near = _near(ruleset, today)
    visibility = near.visibility if near else getattr(definition, "visibility", None)
    changed = True
    while changed:  # hiding one answer may hide another
        changed = False
        # One pass over the questionnaire per round (when the definition has
        # one) instead of one walk of the show_if chain per inherited answer.
        shown = visibility(answers, today) if visibility else None
        for qid in sorted(inherited & set(answers)):
            if not (shown[qid] if shown is not None
                    else definition.is_visible(definition.questions[qid], answers, today)):
                del answers[qid]
                changed = True
    return answers


def _kept(ruleset: RuleSet, name: str) -> dict[Any, Any]:
    """A per-rule-set store for what examples.py works out once (the rule set is frozen)."""
    store = ruleset.__dict__.get(name)
    if store is None:
        store = {}
        object.__setattr__(ruleset, name, store)
    return store


def _near(ruleset: RuleSet, today: date | None):
    """The baseline checked once per date (questionnaire/near.py): an example
    is then checked by the questions it changes, not as a whole intake."""
    if not ruleset.baseline or today is None:
        return None
    known = _kept(ruleset, "_near_baseline")
    if today not in known:
        from intake.questionnaire.near import checked

        known[today] = checked(ruleset.definition, ruleset.baseline, today)
    return known[today]


def answer_problems(ruleset: RuleSet, rule: Rule, example: Example) -> list[str]:
    """Problems definition.check_answers finds in an example (if it can check)."""
    near = _near(ruleset, example.today or ruleset.example_date)
    check = near.check_answers if near else getattr(ruleset.definition, "check_answers", None)
    if check is None or example.incomplete:
        return []
    kind = "fires" if example.fires else "quiet"
    today = example.today or ruleset.example_date
    return [
        f"{rule.file}: rule {rule.id}: example {kind} {example.name!r}: {problem}"
        for problem in check(example_answers(ruleset, example), today)
    ]


def check_example(ruleset: RuleSet, rule: Rule, example: Example) -> list[str]:
    """What is wrong with one example's outcome (empty when it behaves)."""
    answers = example_answers(ruleset, example)
    screening = run(answers, example.plan, ruleset, example.today or ruleset.example_date)
    flag = screening.flag(rule.id)
    where = f"{rule.file}: rule {rule.id}: example {'fires' if example.fires else 'quiet'}"
    where = f"{where} {example.name!r}"
    if not example.fires:
        return [f"{where}: fired ({flag.level}) but should stay quiet"] if flag else []
    if flag is None:
        return [f"{where}: did not fire"]
    problems = []
    want_level = example.expect_level or rule.level
    want_urgency = example.expect_urgency or (rule.urgency if want_level == "red_flag" else None)
    if flag.level != want_level:
        problems.append(f"{where}: fired as {flag.level}, expected {want_level}")
    elif flag.urgency != want_urgency:
        problems.append(f"{where}: urgency {flag.urgency}, expected {want_urgency}")
    if not flag.evidence:
        problems.append(f"{where}: fired without evidence")
    return problems


def check_examples(ruleset: RuleSet) -> list[str]:
    """Every example of every rule; also the baseline must fire nothing."""
    problems: list[str] = []
    if ruleset.baseline:
        quiet = run(ruleset.baseline, None, ruleset, ruleset.example_date)
        problems.extend(
            f"baseline.yaml: fires {flag.rule_id} but must fire nothing" for flag in quiet.flags
        )
    for rule in ruleset.in_catalog_order():
        for example in rule.examples:
            problems.extend(check_example(ruleset, rule, example))
    return problems


def validate_example_answers(ruleset: RuleSet) -> list[str]:
    problems: list[str] = []
    for rule in ruleset.in_catalog_order():
        for example in rule.examples:
            problems.extend(answer_problems(ruleset, rule, example))
    return problems


def parse_examples(data: Any, where: str, definition: Any) -> tuple[Example, ...]:
    """Check a rule's `examples:` block (answers over the baseline are checked
    against the questionnaire later, once the baseline is known)."""
    if not isinstance(data, Mapping) or set(data) - {"fires", "quiet"}:
        raise RuleSetError(f"{where}: examples must be {{fires: [...], quiet: [...]}}")
    result = []
    for kind in ("fires", "quiet"):
        items = data.get(kind)
        if not isinstance(items, list) or not items:
            raise RuleSetError(f"{where}: examples.{kind} needs at least one example")
        for i, entry in enumerate(items):
            at = f"{where}: examples.{kind}[{i}]"
            if not isinstance(entry, Mapping) or set(entry) - EXAMPLE_KEYS:
                raise RuleSetError(f"{at}: keys are {', '.join(sorted(EXAMPLE_KEYS))}")
            answers = entry.get("answers")
            if not isinstance(answers, Mapping):
                raise RuleSetError(f"{at}: answers must be a mapping")
            unknown = [q for q in answers if q not in definition.questions]
            if unknown:
                raise RuleSetError(f"{at}: unknown question ids {', '.join(map(str, unknown))}")
            plan = entry.get("plan")
            if plan is not None:
                try:
                    Plan.from_dict(plan, frozenset(definition.regions.ids))
                except PlanError as error:
                    raise RuleSetError(f"{at}: {error}") from error
            expect_level, expect_urgency = entry.get("expect_level"), entry.get("expect_urgency")
            if kind == "quiet" and (expect_level or expect_urgency):
                raise RuleSetError(f"{at}: a quiet example cannot expect a level")
            if expect_level is not None and expect_level not in LEVELS:
                raise RuleSetError(f"{at}: unknown expect_level {expect_level!r}")
            if expect_urgency is not None and expect_urgency not in URGENCIES:
                raise RuleSetError(f"{at}: unknown expect_urgency {expect_urgency!r}")
            result.append(Example(
                dict(answers), kind == "fires", plan, expect_level, expect_urgency,
                parse_date_value(entry.get("today"), at), bool(entry.get("incomplete", False)),
                str(entry.get("name") or f"{kind}[{i}]"),
            ))
    return tuple(result)


def parse_date_value(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise RuleSetError(f"{where}: today must be YYYY-MM-DD") from error
