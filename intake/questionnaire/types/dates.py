"""A date, typed as day, month and year; stored as "YYYY-MM-DD"; read in the
clinic's words ("14 September 1968") by every reader."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from intake.i18n.messages import N_

from ._lazy import fields as f
from ._lazy import validators as v
from .base import ParseError, QuestionType, Shown, bool_key

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from ..definition import Definition, Question
    from .display import AnswerFormat

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: the inputs a date is typed in, in the order the page shows them
PARTS = ("day", "month", "year")


class Date(QuestionType):
    name = "date"
    keys = frozenset({"not_future", "not_past"})
    answer = 'string "YYYY-MM-DD"'
    macro = "date_input"
    rule_operators = frozenset({"age", "within"})
    fhir_type = "date"
    fhir_value = "Date"

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        out["not_future"] = bool_key(raw, "not_future", where, False)
        out["not_past"] = bool_key(raw, "not_past", where, False)
        if out["not_future"] and out["not_past"]:
            raise ParseError(f"{where}: not_future and not_past together leave only today")

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        if not isinstance(value, str) or not ISO_DATE.match(value):
            return N_("must be a date as YYYY-MM-DD")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return N_("is not a real date")
        if question.not_future and day > today:
            return N_("is in the future")
        if question.not_past and day < today:
            return N_("is in the past")
        return None

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        return {"type": "string", "format": "date"}

    def checks(self, question: Question, definition: Definition) -> list:
        return [v.DateLimits(not_future=question.not_future, not_past=question.not_past)]

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return f.DatePartsField(**kwargs)

    def form_names(self, question: Question) -> tuple[str, ...]:
        return tuple(f"{question.id}-{part}" for part in PARTS)

    def to_formdata(self, question: Question, value: Any, data: MultiDict) -> None:
        year, month, day = str(value).split("-")
        data.add(f"{question.id}-day", str(int(day)))
        data.add(f"{question.id}-month", str(int(month)))
        data.add(f"{question.id}-year", year)

    def anchor(self, question: Question, element_id: str, field: Any) -> str:
        return f"{element_id}-day"

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        return Shown(text=fmt.day(value))

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return "1970-01-01"
