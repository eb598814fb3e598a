"""Checking a whole answers object, and describing the questionnaire as JSON.

check_answers is the last line of defence before an intake is submitted and
screened: the wizard validates each step, but answers also arrive from drafts
saved under an older page, from the API and from tests. Each message starts
with the question id so the web layer can put it next to the field.

schema() is what `intake questionnaire schema` prints: the questionnaire as
data (for exports, other clinics' tooling and reviewers) plus a JSON Schema
of the answers object, both derived from the one definition.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .conditions import DATE_OF_BIRTH, is_blank
from .signature import signature_problem

if TYPE_CHECKING:
    from .definition import Definition, Question

__all__ = ["check_answers", "is_blank", "schema"]

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]+(?: ?(?:x|ext\.?) ?[0-9]+)?$")
TEXT_LIMITS = {"email": 254, "phone": 40}


def check_answers(definition: Definition, answers: Any, today: date) -> list[str]:
    """Every problem with ``answers``: unknown ids, wrong types, unknown options,
    answers for hidden questions, missing required answers, out-of-range values."""
    if not isinstance(answers, Mapping):
        return ["answers must be an object keyed by question id"]
    errors = [f"{qid!r}: unknown question id" for qid in answers if qid not in definition.questions]
    visible = definition.visibility(answers, today)
    for question in definition.questions.values():
        value = answers.get(question.id)
        if not visible[question.id]:
            if not is_blank(value):
                errors.append(f"{question.id}: answered, but the question is not shown")
            continue
        if is_blank(value):
            if question.required:
                errors.append(f"{question.id}: an answer is required")
            continue
        problem = _problem(question, value, definition, today)
        if problem:
            errors.append(f"{question.id}: {problem}")
    return errors


def _problem(question: Question, value: Any, definition: Definition, today: date) -> str | None:
    qtype = question.type
    if qtype in ("text", "textarea", "email", "phone"):
        if not isinstance(value, str):
            return "must be text"
        limit = question.max_length or TEXT_LIMITS[qtype]
        if len(value) > limit:
            return f"is longer than {limit} characters"
        if qtype == "email" and not EMAIL.match(value.strip()):
            return "is not an email address"
        if qtype == "phone" and (
            not PHONE.match(value.strip()) or sum(c.isdigit() for c in value) < 7
        ):
            return "is not a phone number"
        return None
    if qtype == "date":
        return _date_problem(question, value, today)
    if qtype in ("integer", "scale", "decimal"):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if qtype != "decimal" and not isinstance(value, int):
            number = False
        if not number or not math.isfinite(value):
            return "must be a whole number" if qtype != "decimal" else "must be a number"
        if question.min is not None and value < question.min:
            return f"must be at least {question.min}"
        if question.max is not None and value > question.max:
            return f"must be at most {question.max}"
        return None
    if qtype == "choice":
        values = {o.value for o in question.options}
        if not isinstance(value, str) or value not in values:
            return f"{value!r} is not one of the options"
        return None
    if qtype in ("multi", "regions"):
        return _list_problem(question, value, definition)
    if qtype == "boolean":
        if not isinstance(value, bool):
            return "must be true or false"
        if question.required and value is not True:
            return "must be ticked"
        return None
    return signature_problem(value)  # signature


def _date_problem(question: Question, value: Any, today: date) -> str | None:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return "must be a date as YYYY-MM-DD"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return "is not a real date"
    if question.not_future and day > today:
        return "is in the future"
    if question.not_past and day < today:
        return "is in the past"
    return None


def _list_problem(question: Question, value: Any, definition: Definition) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a list"
    if len(set(value)) != len(value):
        return "lists a value twice"
    if question.type == "regions":
        unknown = [v for v in value if v not in definition.regions]
        if unknown:
            return f"unknown region {unknown[0]!r}"
        return None
    values = {o.value for o in question.options}
    unknown = [v for v in value if v not in values]
    if unknown:
        return f"{unknown[0]!r} is not one of the options"
    if len(value) > 1:
        for exclusive in question.exclusive:
            if exclusive in value:
                return f"{exclusive!r} cannot be combined with other answers"
    return None


# --- schema -----------------------------------------------------------------------

ANSWER_SHAPES = {
    "text": "string",
    "textarea": "string",
    "email": "string (an email address)",
    "phone": "string (a phone number)",
    "date": 'string "YYYY-MM-DD"',
    "integer": "integer",
    "decimal": "number",
    "scale": "integer",
    "choice": "string: one option value",
    "multi": "array of option values, each at most once",
    "regions": "array of region ids, each at most once",
    "boolean": "true or false",
    "signature": 'string: a PNG data URL ("data:image/png;base64,..."), at most 200 kB',
}


def _question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "label": question.label,
        "required": question.required,
    }
    for key in ("help", "preamble", "min", "max", "max_length", "unit"):
        if getattr(question, key) is not None:
            data[key] = getattr(question, key)
    for key in ("min_label", "max_label", "autocomplete"):
        if getattr(question, key) is not None:
            data[key] = getattr(question, key)
    if question.not_future:
        data["not_future"] = True
    if question.not_past:
        data["not_past"] = True
    if question.options:
        data["options"] = [
            {k: v for k, v in o.__dict__.items() if v is not None} for o in question.options
        ]
    if question.exclusive:
        data["exclusive"] = list(question.exclusive)
    if question.show_if is not None:
        data["show_if"] = question.show_if.to_data()
    data["answer"] = ANSWER_SHAPES[question.type]
    return data


def _json_schema(question: Question, region_ids: list[str]) -> dict[str, Any]:
    qtype = question.type
    if qtype in ("choice",):
        return {"type": "string", "enum": [o.value for o in question.options]}
    if qtype in ("multi", "regions"):
        values = region_ids if qtype == "regions" else [o.value for o in question.options]
        return {"type": "array", "uniqueItems": True, "items": {"enum": values}}
    if qtype == "boolean":
        return {"type": "boolean"}
    if qtype in ("integer", "scale", "decimal"):
        out: dict[str, Any] = {"type": "number" if qtype == "decimal" else "integer"}
        if question.min is not None:
            out["minimum"] = question.min
        if question.max is not None:
            out["maximum"] = question.max
        return out
    out = {"type": "string"}
    if qtype == "date":
        out["format"] = "date"
    elif qtype == "email":
        out["format"] = "email"
    elif question.max_length:
        out["maxLength"] = question.max_length
    return out


def schema(definition: Definition) -> dict[str, Any]:
    """The whole questionnaire as JSON-serialisable data."""
    regions = definition.regions
    region_ids = list(regions.ids)
    return {
        "version": definition.version,
        "answers": {
            "description": (
                "One flat JSON object keyed by question id. Hidden questions "
                "(show_if false, or naming a hidden question) and unanswered optional "
                "questions are absent. age_under conditions use the age computed from "
                f"{DATE_OF_BIRTH} on the day of evaluation."
            ),
            "types": ANSWER_SHAPES,
            "json_schema": {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    q.id: _json_schema(q, region_ids) for q in definition.questions.values()
                },
            },
        },
        "steps": [
            {
                "id": step.id,
                "number": step.number,
                "title": step.title,
                **({"intro": step.intro} if step.intro else {}),
                "questions": [_question_data(q) for q in step.questions],
            }
            for step in definition.steps
        ],
        "regions": {
            "areas": [
                {
                    "id": area.id,
                    "label": area.label,
                    "views": list(area.views),
                    "thorax": area.thorax,
                    "midline": area.midline,
                    "adjacent": sorted(area.adjacent),
                }
                for area in regions.areas
            ],
            "regions": [
                {
                    "id": rid,
                    "label": regions.label(rid),
                    "area": regions.split(rid)[1].id,
                    "side": regions.split(rid)[0],
                    "thorax": regions.is_thorax(rid),
                    "adjacent": sorted(regions.adjacent(rid)),
                }
                for rid in region_ids
            ],
        },
    }
