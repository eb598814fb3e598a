"""Numbers: a whole number, a decimal (with a unit), and a 0-10 style scale.

The scale's default range (0 to 10) is set here and nowhere else; the form,
the page, the checks and every reader ask ``Scale.bounds``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from intake.i18n.messages import N_

from ._lazy import fields as f
from ._lazy import validators as v
from .base import ParseError, QuestionType, Shown, text_key
from .display import number

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from ..definition import Definition, Question
    from .display import AnswerFormat


class Integer(QuestionType):
    name = "integer"
    keys = frozenset({"min", "max", "unit"})
    answer = "integer"
    macro = "number_input"
    rule_operators = frozenset({"equals", "in", "gt", "gte", "lt", "lte"})
    numeric = True
    measurement = True
    fhir_type = "integer"
    fhir_value = "Integer"
    whole: ClassVar[bool] = True
    #: the range when the YAML gives none (None: open)
    default_min: ClassVar[int | None] = None
    default_max: ClassVar[int | None] = None

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        lo, hi = raw.get("min", self.default_min), raw.get("max", self.default_max)
        for key, value in (("min", lo), ("max", hi)):
            if value is None:
                continue
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if self.whole:
                ok = ok and isinstance(value, int)
            if not ok or not math.isfinite(value):
                raise ParseError(f"{where}: {key} must be {self.kind_words}")
        if lo is not None and hi is not None and lo > hi:
            raise ParseError(f"{where}: min {lo} is greater than max {hi}")
        out["min"], out["max"] = lo, hi
        if "unit" in self.keys:
            out["unit"] = text_key(raw, "unit", where)

    @property
    def kind_words(self) -> str:
        return "a whole number" if self.whole else "a number"

    def bounds(self, question: Question) -> tuple[Any, Any]:
        low = self.default_min if question.min is None else question.min
        high = self.default_max if question.max is None else question.max
        return low, high

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if self.whole and not isinstance(value, int):
            ok = False
        if not ok or not math.isfinite(value):
            return N_("must be a whole number") if self.whole else N_("must be a number")
        low, high = self.bounds(question)
        if low is not None and value < low:
            return N_("must be at least %(low)s", low=low)
        if high is not None and value > high:
            return N_("must be at most %(high)s", high=high)
        return None

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.whole else "number"}
        low, high = self.bounds(question)
        if low is not None:
            out["minimum"] = low
        if high is not None:
            out["maximum"] = high
        return out

    def checks(self, question: Question, definition: Definition) -> list:
        return [v.InRange(*self.bounds(question), question.unit)]

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return f.NumberField(decimal=not self.whole, **kwargs)

    def to_formdata(self, question: Question, value: Any, data: MultiDict) -> None:
        data.add(question.id, number(value))

    def fhir_item(self, question: Question, definition: Definition, coder: Any) -> dict:
        """The range as the core minValue/maxValue extensions, the unit as UCUM."""
        out = super().fhir_item(question, definition, coder)
        low, high = self.bounds(question)
        limits = [coder.extension(name, {f"value{self.fhir_value}": bound})
                  for name, bound in (("minValue", low), ("maxValue", high)) if bound is not None]
        if question.unit:
            limits.append(coder.unit(question.unit))
        if limits:
            out["extension"] = limits
        return out

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        unit = f" {question.unit}" if question.unit else ""
        return Shown(text=f"{fmt.number(value)}{unit}")

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return question.min or 1


class Decimal(Integer):
    name = "decimal"
    answer = "number"
    whole = False
    fhir_type = "decimal"
    fhir_value = "Decimal"

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return float(question.min or 1)


class Scale(Integer):
    name = "scale"
    keys = frozenset({"min", "max", "min_label", "max_label"})
    macro = "scale_input"
    measurement = False
    required_message = N_("Please choose an answer.")
    required_unless_message = N_("Please choose an answer, or %(instead)s.")
    default_min = 0
    default_max = 10

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        super().parse(raw, where, out)
        if out["min"] == out["max"]:
            raise ParseError(f"{where}: a scale needs min below max")
        out["min_label"] = text_key(raw, "min_label", where)
        out["max_label"] = text_key(raw, "max_label", where)

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return f.ScaleField(**kwargs)

    def anchor(self, question: Question, element_id: str, field: Any) -> str:
        return f"{element_id}-{self.bounds(question)[0]}"

    def described_by(self, question: Question, element_id: str) -> list[str]:
        return [f"{element_id}-scale"]

    def points(self, question: Question) -> range:
        low, high = self.bounds(question)
        return range(low, high + 1)

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        return Shown(text=N_("%(value)s out of %(max)s", value=fmt.number(value),
                                max=fmt.number(self.bounds(question)[1])))

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return question.min or 0
