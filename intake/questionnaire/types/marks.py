"""Answers given by a mark: a tick box (an agreement) and a drawn signature."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from intake.i18n.messages import N_

from ..signature import signature_png, signature_problem
from ._lazy import fields as f
from ._lazy import validators as v
from .base import ParseError, QuestionType, Shown

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from ..definition import Definition, Question
    from ..regions import Regions
    from .display import AnswerFormat


class Boolean(QuestionType):
    """One tick box; a required one must be ticked (consent), not merely posted."""

    name = "boolean"
    answer = "true or false"
    macro = "boolean_input"
    tick_box = True
    show_if_operators = frozenset({"equals"})
    rule_operators = frozenset({"equals"})
    scored = True
    fhir_type = "boolean"
    fhir_value = "Boolean"

    def condition_values(self, question: Mapping[str, Any],
                         regions: Regions) -> frozenset[Any] | None:
        return frozenset({True, False})

    def rule_values(self, question: Any, region_ids: frozenset[str]) -> frozenset[Any]:
        return frozenset({True, False})

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        if not isinstance(value, bool):
            return N_("must be true or false")
        if question.required and value is not True:
            return N_("must be ticked")
        return None

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        return {"type": "boolean"}

    def validators(self, question: Question, definition: Definition) -> list:
        return [v.Ticked()] if question.required else []

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return f.TickField(**kwargs)

    def to_answer(self, question: Question, field: Any) -> Any:
        return bool(field.data)

    def to_formdata(self, question: Question, value: Any, data: MultiDict) -> None:
        if value:
            data.add(question.id, "y")

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        return Shown(text=N_("Yes") if value else N_("No"))

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return True


PNG = "image/png"


class Signature(QuestionType):
    """Drawn on a pad by the page script; always optional (the typed name is
    the signature without JavaScript)."""

    name = "signature"
    answer = 'string: a PNG data URL ("data:image/png;base64,..."), at most 200 kB'
    macro = "signature_input"
    default_required = False
    fhir_type = "attachment"
    fhir_value = "Attachment"

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        if out["required"]:
            raise ParseError(f"{where}: a signature is always optional (required: false)")

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        return signature_problem(value)

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        return {"type": "string"}

    def checks(self, question: Question, definition: Definition) -> list:
        return [v.Signature()]

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return f.SignatureField(**kwargs)

    def anchor(self, question: Question, element_id: str, field: Any) -> str:
        return f"{element_id}-pad"

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        # Shown as an image only after the same check the PDF makes.
        if signature_png(value):
            return Shown(text=N_("Signature drawn"), image=value)
        return Shown(text=N_("Signature (could not be read)"))

    def fhir_encode(self, question: Question, value: Any, definition: Definition,
                    coder: Any) -> Any:
        _, _, data = str(value).partition(",")
        return {"contentType": PNG, "data": data}

    def fhir_decode(self, question: Question, raw: Any, definition: Definition,
                    coder: Any) -> Any:
        if not isinstance(raw, Mapping) or raw.get("contentType") != PNG \
                or not isinstance(raw.get("data"), str):
            raise ValueError(f"needs an {PNG} attachment with its data inline")
        return f"data:{PNG};base64,{raw['data']}"
