"""Answers picked from a list: one option, several options, body regions.

Option values are snake_case quoted strings: YAML 1.1 reads a bare ``yes``
as true, so that is refused with a hint rather than silently converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from intake.i18n.messages import N_

from ._lazy import fields as f
from ._lazy import validators as v
from .base import SNAKE, ParseError, QuestionType, Shown, text_key

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict
    from wtforms.fields.choices import SelectChoice

    from ..definition import Definition, Question
    from ..regions import Regions
    from .display import AnswerFormat

OPTION_KEYS = frozenset({"value", "label", "help", "score", "group"})
NAMED_OPTIONS: dict[str, tuple[dict[str, str], ...]] = {
    "yes_no": ({"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}),
    "yes_no_not_sure": (
        {"value": "yes", "label": "Yes"},
        {"value": "no", "label": "No"},
        {"value": "not_sure", "label": "Not sure"},
    ),
}
#: how a regions question is asked: the body diagram with the full list beside
#: it, or a compact list grouped by body part (follow-up "where?" questions)
REGION_PICKERS = ("list", "diagram")
#: option values that report nothing (Choice.negative)
NEGATIVE = ("no", "none", "never")


def parse_options(raw: Mapping[str, Any], where: str) -> list[dict[str, Any]]:
    options = raw.get("options")
    if isinstance(options, str):
        if options not in NAMED_OPTIONS:
            raise ParseError(
                f"{where}: unknown option set {options!r} (known: {', '.join(NAMED_OPTIONS)})"
            )
        return [dict(o) for o in NAMED_OPTIONS[options]]
    if not isinstance(options, list) or len(options) < 2:
        raise ParseError(f"{where}: options must be a list of at least two options or a set name")
    out: list[dict[str, Any]] = []
    for k, option in enumerate(options):
        if not isinstance(option, Mapping):
            raise ParseError(f"{where}: option {k} must be a mapping with value and label")
        unknown = set(option) - OPTION_KEYS
        if unknown:
            raise ParseError(f"{where}: option {k} has unknown keys {sorted(map(str, unknown))}")
        value = option.get("value")
        if not isinstance(value, str):
            raise ParseError(
                f"{where}: option {k} value {value!r} must be a quoted string "
                '(YAML reads bare yes/no/on/off as true/false: write "yes")'
            )
        if not SNAKE.match(value):
            raise ParseError(f"{where}: option value {value!r} must be snake_case")
        if any(o["value"] == value for o in out):
            raise ParseError(f"{where}: duplicate option value {value!r}")
        score = option.get("score")
        if score is not None and (not isinstance(score, int) or isinstance(score, bool)):
            raise ParseError(f"{where}: option {value!r} score must be a whole number")
        out.append({
            "value": value,
            "label": text_key(option, "label", f"{where}: option {value!r}", required=True),
            "help": text_key(option, "help", f"{where}: option {value!r}"),
            "score": score,
            "group": text_key(option, "group", f"{where}: option {value!r}"),
        })
    return out


class Choice(QuestionType):
    name = "choice"
    keys = frozenset({"options"})
    answer = "string: one option value"
    macro = "choice_input"
    required_message = N_("Please choose an answer.")
    required_unless_message = N_("Please choose an answer, or %(instead)s.")
    left_blank = N_("Nothing chosen")
    show_if_operators = frozenset({"equals", "in", "not_in"})
    rule_operators = frozenset({"equals", "in", "not_sure"})
    scored = True
    fhir_type = "choice"
    fhir_value = "Coding"
    #: the code system its values are in (intake.fhir.codes names the URL)
    fhir_system: ClassVar[str] = "option"

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        out["options"] = parse_options(raw, where)

    def option_scores(self, question: Any) -> dict[Any, Any]:
        return {o.value: o.score for o in question.options if o.score is not None}

    def condition_values(self, question: Mapping[str, Any],
                         regions: Regions) -> frozenset[Any] | None:
        return frozenset(o["value"] for o in question["options"])

    def values(self, question: Question, definition: Definition) -> list[str]:
        return [o.value for o in question.options]

    def option_label(self, question: Question, value: Any, definition: Definition) -> str:
        return question.option(value).label

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        if not isinstance(value, str) or value not in self.values(question, definition):
            return N_("%(value)s is not one of the options", value=repr(value))
        return None

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        return {"type": "string", "enum": self.values(question, definition)}

    def choices(self, question: Question, definition: Definition) -> list[SelectChoice]:
        return [f.SelectChoice(o.value, o.label) for o in question.options]

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return f.ChoiceField(choices=self.choices(question, definition), **kwargs)

    def anchor(self, question: Question, element_id: str, field: Any) -> str:
        return f"{element_id}-{field.choices[0].value}"

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        return Shown(text=fmt.option(question, value))

    def negative(self, question: Question, value: Any) -> bool:
        return value in NEGATIVE

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        values = [o.value for o in question.options]
        return next((v for v in quiet if v in values), values[0] if values else None)

    def fhir_item(self, question: Question, definition: Definition, coder: Any) -> dict:
        """Every option coded; an instrument's score as the option's ordinalValue."""
        scores = self.option_scores(question)
        options = []
        for value in self.values(question, definition):
            option = {"valueCoding": self.fhir_encode(question, value, definition, coder)}
            if scores.get(value) is not None:
                option["extension"] = [coder.extension("ordinalValue",
                                                       {"valueDecimal": scores[value]})]
            options.append(option)
        return {**super().fhir_item(question, definition, coder), "answerOption": options}

    def fhir_encode(self, question: Question, value: Any, definition: Definition,
                    coder: Any) -> Any:
        label = self.option_label(question, value, definition)
        return coder.coding(question.id, value, label, self.fhir_system)

    def fhir_decode(self, question: Question, raw: Any, definition: Definition,
                    coder: Any) -> Any:
        return coder.value(question.id, raw, self.fhir_system)


class Multi(Choice):
    name = "multi"
    keys = frozenset({"options", "exclusive"})
    answer = "array of option values, each at most once"
    macro = "multi_input"
    required_message = N_("Please tick at least one box.")
    required_unless_message = N_("Please tick at least one box, or %(instead)s.")
    left_blank = N_("Nothing ticked")
    show_if_operators = frozenset({"contains", "contains_any"})
    rule_operators = frozenset({"contains", "contains_any", "not_sure", "drug_class"})
    scored = False
    fhir_repeats = True
    #: what the list is of, in a "not one of" message
    what: ClassVar[str] = "one of the options"

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        super().parse(raw, where, out)
        if "exclusive" not in raw:
            return
        exclusive = raw["exclusive"]
        values = {o["value"] for o in out["options"]}
        if not isinstance(exclusive, list) or not exclusive:
            raise ParseError(f"{where}: exclusive must be a non-empty list of option values")
        for value in exclusive:
            if value not in values:
                raise ParseError(f"{where}: exclusive value {value!r} is not an option")
        out["exclusive"] = tuple(exclusive)

    def problem(self, question: Question, value: Any, definition: Definition,
                today: date) -> str | None:
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            return N_("must be a list")
        if len(set(value)) != len(value):
            return N_("lists a value twice")
        known = set(self.values(question, definition))
        unknown = [x for x in value if x not in known]
        if unknown:
            return self.unknown(unknown[0])
        if len(value) > 1:
            for exclusive in question.exclusive:
                if exclusive in value:
                    return N_("%(value)s cannot be combined with other answers",
                              value=repr(exclusive))
        return None

    def unknown(self, value: str) -> str:
        return N_("%(value)s is not one of the options", value=repr(value))

    def json_schema(self, question: Question, definition: Definition) -> dict[str, Any]:
        return {"type": "array", "uniqueItems": True,
                "items": {"enum": self.values(question, definition)}}

    def checks(self, question: Question, definition: Definition) -> list:
        if not question.exclusive:
            return []
        labels = {c.value: c.label for c in self.choices(question, definition)}
        return [v.Exclusive(question.exclusive, labels)]

    def form_field(self, question: Question, definition: Definition, **kwargs: Any):
        return f.MultiCheckboxField(choices=self.choices(question, definition), **kwargs)

    def to_answer(self, question: Question, field: Any) -> Any:
        if not field.data:
            return None
        order = {choice.value: n for n, choice in enumerate(field.choices)}
        return sorted(field.data, key=lambda x: order.get(x, len(order)))

    def to_formdata(self, question: Question, value: Any, data: MultiDict) -> None:
        for item in value:
            data.add(question.id, item)

    def show(self, question: Question, value: Any, fmt: AnswerFormat) -> Shown:
        items = value if isinstance(value, list) else [value]
        return Shown(items=tuple(self.label(question, item, fmt) for item in items))

    def label(self, question: Question, value: Any, fmt: AnswerFormat) -> str:
        return fmt.option(question, value)

    def option_scores(self, question: Any) -> dict[Any, Any]:
        return {}

    def negative(self, question: Question, value: Any) -> bool:
        return value == ["none"]

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        values = [o.value for o in question.options]
        return ["none"] if "none" in values else values[:1]


class Regions(Multi):
    name = "regions"
    keys = frozenset({"picker"})
    answer = "array of region ids, each at most once"
    macro = "regions_input"
    value_noun = "region"
    rule_operators = frozenset({"contains", "contains_any"})
    region_list = True
    fhir_system = "region"

    def rule_values(self, question: Any, region_ids: frozenset[str]) -> frozenset[Any]:
        return region_ids

    def parse(self, raw: Mapping[str, Any], where: str, out: dict[str, Any]) -> None:
        picker = raw.get("picker", "list")
        if picker not in REGION_PICKERS:
            raise ParseError(f"{where}: picker must be one of {', '.join(REGION_PICKERS)}")
        out["picker"] = picker

    def condition_values(self, question: Mapping[str, Any],
                         regions: Regions) -> frozenset[Any] | None:
        return frozenset(regions.ids)

    def values(self, question: Question, definition: Definition) -> list[str]:
        return list(definition.regions.ids)

    def option_label(self, question: Question, value: Any, definition: Definition) -> str:
        return definition.regions.label(value)

    def unknown(self, value: str) -> str:
        return N_("unknown region %(value)s", value=repr(value))

    def choices(self, question: Question, definition: Definition) -> list[SelectChoice]:
        regions = definition.regions
        return [f.SelectChoice(rid, regions.label(rid)) for rid in regions.ids]

    def label(self, question: Question, value: Any, fmt: AnswerFormat) -> str:
        return fmt.region(value)

    def sample(self, question: Question, quiet: tuple[str, ...]) -> Any:
        return None  # no pain is the quiet answer
