"""Typed answers: one line of text, a longer note, an email address, a phone number.

Each has a length limit, set once here (``limit``) and overridable with
``max_length`` where the type allows it; the form, the stored-answer check
and the JSON Schema all read it from the type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from intake.i18n.messages import N_

from ._lazy import fields as f
from ._lazy import validators as v
from .base import ParseError, QuestionType, text_key

if TYPE_CHECKING:
    from ..definition import Definition, Question

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]+(?: ?(?:x|ext\.?) ?[0-9]+)?$")


def is_phone(value: str) -> bool:
    """Digits, spaces and + ( ) - . / only, an optional extension, at least 7 digits."""
    return bool(PHONE.match(value)) and sum(c.isdigit() for c in value) >= 7


class Text(QuestionType):
    name = "text"
    keys = frozenset({"max_length", "autocomplete"})
    answer = "string"
    macro = "text_input"
    rule_operators = frozenset({"drug_class"})
    free_text = True
    #: the longest answer when the YAML gives no max_length
    limit: ClassVar[int] = 200
    #: the <input type> and the autocomplete token the browser gets by default
    input_type: ClassVar[str] = "text"
    autocomplete: ClassVar[str | None] = None
    multiline: ClassVar[bool] = False
    spellcheck: ClassVar[bool] = True
    #: an extra class for the input box (a phone number needs less width)
    width_class: ClassVar[str] = ""

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        if "max_length" in self.keys:
            length = raw.get("max_length", self.limit)
            if not isinstance(length, int) or isinstance(length, bool) or length < 1:
                raise ParseError(f"{where}: max_length must be a positive whole number")
            out["max_length"] = length
        if "autocomplete" in self.keys:
            out["autocomplete"] = text_key(raw, "autocomplete", where)

    def max_length(self, question: Question) -> int:
        return question.max_length or self.limit

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        if not isinstance(value, str):
            return N_("must be text")
        limit = self.max_length(question)
        if len(value) > limit:
            return N_("is longer than %(limit)s characters", limit=limit)
        return self.shape_problem(value.strip())

    def shape_problem(self, value: str) -> str | None:
        return None

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if question.max_length:
            out["maxLength"] = question.max_length
        return out

    def checks(self, question: Question, definition: Definition) -> list:
        return [v.MaxLength(self.max_length(question))]

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return (f.TextAreaField if self.multiline else f.TextField)(**kwargs)

    def browser_autocomplete(self, question: Question) -> str | None:
        return question.autocomplete or self.autocomplete

    def fhir_item(self, question: Question, definition: Definition, coder: Any) -> dict:
        return {**super().fhir_item(question, definition, coder),
                "maxLength": self.max_length(question)}

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return "Synthetic text"


class TextArea(Text):
    name = "textarea"
    keys = frozenset({"max_length"})
    limit = 2000
    multiline = True
    fhir_type = "text"

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return "Synthetic notes."


class EmailAddress(Text):
    name = "email"
    rule_operators = frozenset()
    free_text = False
    keys = frozenset()
    answer = "string (an email address)"
    limit = 254
    input_type = "email"
    autocomplete = "email"
    spellcheck = False

    def shape_problem(self, value: str) -> str | None:
        return None if EMAIL.match(value) else N_("is not an email address")

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        return {"type": "string", "format": "email"}

    def checks(self, question: Question, definition: Definition) -> list:
        return super().checks(question, definition) + [v.Email(
            message=N_("Please enter an email address in the form name@example.com."),
            granular_message=False, check_deliverability=False,
        )]

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return None  # no address: nothing is ever sent to a sample


class Phone(Text):
    name = "phone"
    rule_operators = frozenset()
    free_text = False
    keys = frozenset()
    answer = "string (a phone number)"
    limit = 40
    input_type = "tel"
    autocomplete = "tel"
    width_class = "input--medium"

    def shape_problem(self, value: str) -> str | None:
        return None if is_phone(value) else N_("is not a phone number")

    def checks(self, question: Question, definition: Definition) -> list:
        return super().checks(question, definition) + [v.Phone()]

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return "555-0100"
