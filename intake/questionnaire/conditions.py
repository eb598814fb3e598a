"""The show_if condition language of the questionnaire.

Conditions are data in questionnaire.yaml and are evaluated in three places:
the page (as the patient answers), the server (again, on what was posted)
and the review/PDF. Keeping them a small closed set of operators, checked
against the question they name when the file loads, means a typo can never
silently hide a safety question.

Parsing raises ``ValueError`` with a short message; the loader adds the file
and the question id before turning it into ``DefinitionError``. What blank,
a date and an age are comes from values.py, shared with the screening rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .values import age_on, holds_any, is_blank, one_of, parse_date

if TYPE_CHECKING:
    from .types.base import QuestionType

__all__ = ["Condition", "is_blank", "parse"]

#: ``answered`` fits every type; which of the others fit a question is the
#: question type's to say (``QuestionType.show_if_operators``)
LEAF_OPERATORS = ("equals", "in", "not_in", "contains", "contains_any", "answered")


class Condition:
    """Base of all conditions: evaluate, the question ids named, and the data form."""

    def evaluate(self, answers: Mapping[str, Any], today: date) -> bool:
        raise NotImplementedError

    def question_ids(self) -> frozenset[str]:
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf(Condition):
    """``{question: id, <operator>: value}``."""

    question: str
    operator: str
    value: Any

    def evaluate(self, answers: Mapping[str, Any], today: date) -> bool:
        answer = answers.get(self.question)
        op, value = self.operator, self.value
        if op == "answered":
            return is_blank(answer) is not value
        if op == "equals":
            return answer is not None and type(answer) is type(value) and answer == value
        if op == "in":
            return one_of(answer, value)
        if op == "not_in":  # an unanswered question is "not in" the list
            return not one_of(answer, value)
        if op == "contains":
            return holds_any(answer, (value,))
        return holds_any(answer, value)  # contains_any

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def to_data(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"question": self.question, self.operator: value}


@dataclass(frozen=True)
class AgeUnder(Condition):
    """``{age_under: 18}``: age in whole years on ``today``, from ``question``,
    the question with ``role: date_of_birth`` (resolved when the file loads).

    Unknown or invalid date of birth: false (the date of birth is required,
    so this only happens on a draft).
    """

    years: int
    question: str

    def evaluate(self, answers: Mapping[str, Any], today: date) -> bool:
        born = parse_date(answers.get(self.question))
        return born is not None and age_on(born, today) < self.years

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def to_data(self) -> dict[str, Any]:
        return {"age_under": self.years}


@dataclass(frozen=True)
class All(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, answers: Mapping[str, Any], today: date) -> bool:
        return all(c.evaluate(answers, today) for c in self.items)

    def question_ids(self) -> frozenset[str]:
        return frozenset().union(*(c.question_ids() for c in self.items))

    def to_data(self) -> dict[str, Any]:
        return {"all": [c.to_data() for c in self.items]}


@dataclass(frozen=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, answers: Mapping[str, Any], today: date) -> bool:
        return any(c.evaluate(answers, today) for c in self.items)

    def question_ids(self) -> frozenset[str]:
        return frozenset().union(*(c.question_ids() for c in self.items))

    def to_data(self) -> dict[str, Any]:
        return {"any": [c.to_data() for c in self.items]}


@dataclass(frozen=True)
class Not(Condition):
    item: Condition

    def evaluate(self, answers: Mapping[str, Any], today: date) -> bool:
        return not self.item.evaluate(answers, today)

    def question_ids(self) -> frozenset[str]:
        return self.item.question_ids()

    def to_data(self) -> dict[str, Any]:
        return {"not": self.item.to_data()}


#: resolve(question_id) -> (type object, allowed values or None); raises
#: ValueError when the id is unknown or not asked before the question being
#: parsed.
Resolver = Callable[[str], tuple["QuestionType", frozenset[Any] | None]]


def parse(data: Any, resolve: Resolver, date_of_birth: str | None = None) -> Condition:
    """Parse and check one condition (recursively).

    ``date_of_birth`` is the id of the question with that role asked before
    this one (None: there is none), what ``age_under`` reads."""
    if not isinstance(data, Mapping) or not data:
        raise ValueError("show_if must be a non-empty mapping")
    keys = set(data)
    if "question" in keys:
        return _parse_leaf(data, resolve)
    if len(keys) != 1:
        raise ValueError(
            f"show_if has keys {sorted(map(str, keys))}: expected one of "
            "question, all, any, not, age_under"
        )
    key = next(iter(keys))
    value = data[key]
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ValueError(f"show_if {key} must be a non-empty list of conditions")
        items = tuple(parse(item, resolve, date_of_birth) for item in value)
        return All(items) if key == "all" else AnyOf(items)
    if key == "not":
        return Not(parse(value, resolve, date_of_birth))
    if key == "age_under":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 150:
            raise ValueError("show_if age_under must be a whole number of years")
        if date_of_birth is None:
            raise ValueError(
                "show_if age_under needs the question with role: date_of_birth "
                "to be asked before it"
            )
        resolve(date_of_birth)
        return AgeUnder(value, date_of_birth)
    raise ValueError(f"show_if has unknown key {key!r}")


def _parse_leaf(data: Mapping[str, Any], resolve: Resolver) -> Condition:
    qid = data["question"]
    if not isinstance(qid, str):
        raise ValueError("show_if question must be a question id")
    operators = [k for k in data if k != "question"]
    if len(operators) != 1:
        raise ValueError(
            f"show_if on {qid!r} needs exactly one operator of {', '.join(LEAF_OPERATORS)}"
        )
    op = operators[0]
    if op not in LEAF_OPERATORS:
        raise ValueError(f"show_if on {qid!r} has unknown operator {op!r}")
    kind, allowed = resolve(qid)
    value = data[op]
    if op == "answered":
        if not isinstance(value, bool):
            raise ValueError(f"show_if answered on {qid!r} takes true or false")
        return Leaf(qid, op, value)
    if op not in kind.show_if_operators:
        from .types import TYPES  # the types import this module

        fits = sorted(name for name, other in TYPES.items() if op in other.show_if_operators)
        raise ValueError(
            f"show_if operator {op!r} does not fit {qid!r}, a {kind.name} question "
            f"(fits {', '.join(fits)})"
        )
    many = op in ("in", "not_in", "contains_any")
    values = value if many else [value]
    if not isinstance(values, list) or not values:
        raise ValueError(f"show_if {op} on {qid!r} takes a non-empty list")
    for v in values:
        if allowed is not None and (v not in allowed or type(v) is not _type_of(allowed)):
            raise ValueError(
                f"show_if {op} on {qid!r}: {v!r} is not {_a(kind.value_noun)} of {qid!r}"
            )
    return Leaf(qid, op, tuple(values) if many else value)


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _type_of(allowed: frozenset[Any]) -> type:
    """The Python type of a question's values (str options, bool for boolean)."""
    return type(next(iter(allowed)))
