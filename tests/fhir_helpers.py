"""Shared by the FHIR tests: walking items, a screened clinical intake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from intake.fhir import IntakeRecord
from intake.screening import evaluate, example_answers, load_rules
from intake.screening.rules import Example

RULES = load_rules()
DEFINITION = RULES.definition
SUBMITTED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def walk(items: list[dict]) -> Iterator[dict]:
    for item in items:
        yield item
        yield from walk(item.get("item", []))
        for answer in item.get("answer", []):
            yield from walk(answer.get("item", []))


def by_link(resource: dict) -> dict[str, dict]:
    return {item["linkId"]: item for item in walk(resource["item"])}


def case_answers(changes: dict, today) -> dict:
    """A whole intake: the rules' baseline with ``changes``, pruned as submitted."""
    answers = example_answers(RULES, Example(answers=changes, fires=True))
    return DEFINITION.prune(answers, today)


def record(changes: dict, intake_id: int = 7) -> IntakeRecord:
    answers = case_answers(changes, SUBMITTED.date())
    screening = evaluate(answers, None, rules=RULES, today=SUBMITTED.date())
    return IntakeRecord(intake_id=intake_id, definition=DEFINITION, answers=answers,
                        flags=[flag.to_dict() for flag in screening.flags],
                        submitted_at=SUBMITTED, screened_at=SUBMITTED,
                        rules_version=RULES.version, generated_at=SUBMITTED)
