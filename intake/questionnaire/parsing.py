"""Strict checks of questionnaire.yaml, question by question.

Split from definition.py to keep both small: this module turns raw YAML into
checked keyword dictionaries, definition.py builds the objects. Every error
names the question (or step) id; the loader prefixes the file name.

Why so strict: unknown keys are refused because a misspelt ``show_if`` or
``requried`` would otherwise be ignored and a safety question would be
shown to everyone, hidden from everyone, or skippable. YAML 1.1 reads a bare
``yes`` as true, so option values must be quoted strings; that too is
refused with a hint rather than silently converted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from . import conditions
from .regions import Regions

SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
TOP_KEYS = frozenset({"version", "steps"})
STEP_KEYS = frozenset({"id", "title", "intro", "questions"})
COMMON_KEYS = frozenset({"id", "type", "label", "help", "required", "show_if", "preamble"})
TYPE_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"max_length", "autocomplete"}),
    "textarea": frozenset({"max_length"}),
    "email": frozenset(),
    "phone": frozenset(),
    "date": frozenset({"not_future", "not_past"}),
    "integer": frozenset({"min", "max", "unit"}),
    "decimal": frozenset({"min", "max", "unit"}),
    "scale": frozenset({"min", "max", "min_label", "max_label"}),
    "choice": frozenset({"options"}),
    "multi": frozenset({"options", "exclusive"}),
    "regions": frozenset({"picker"}),
    "boolean": frozenset(),
    "signature": frozenset(),
}
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
#: how a regions question is asked: the body diagram with the full list beside
#: it, or a compact list grouped by body part (follow-up "where?" questions)
REGION_PICKERS = ("list", "diagram")
OPTION_KEYS = frozenset({"value", "label", "help", "score", "group"})
NAMED_OPTIONS: dict[str, tuple[dict[str, str], ...]] = {
    "yes_no": ({"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}),
    "yes_no_not_sure": (
        {"value": "yes", "label": "Yes"},
        {"value": "no", "label": "No"},
        {"value": "not_sure", "label": "Not sure"},
    ),
}


class ParseError(ValueError):
    """One problem in questionnaire.yaml; the message starts with the id."""


def _text(raw: Mapping[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ParseError(f"{where}: {key} must be non-empty text")
    return value.strip()


def _bool(raw: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ParseError(f"{where}: {key} must be true or false")
    return value


def parse_questionnaire(data: Any, regions: Regions) -> tuple[str, list[dict[str, Any]]]:
    """Check the whole file; return (version, steps as dicts of checked kwargs)."""
    if not isinstance(data, Mapping):
        raise ParseError("the file must be a mapping with version and steps")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ParseError(f"unknown top-level keys {sorted(map(str, unknown))}")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ParseError('version must be a quoted string, e.g. "2026.11.1"')
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ParseError("steps must be a non-empty list")
    seen: dict[str, dict[str, Any]] = {}  # question id -> checked kwargs, in order
    everywhere = {  # every id in the file, to tell "unknown" from "asked later"
        q.get("id")
        for s in raw_steps
        if isinstance(s, Mapping) and isinstance(s.get("questions"), list)
        for q in s["questions"]
        if isinstance(q, Mapping) and isinstance(q.get("id"), str)
    }
    step_ids: set[str] = set()
    steps = []
    for i, raw in enumerate(raw_steps):
        step_id = raw.get("id") if isinstance(raw, Mapping) else None
        where = f"step {step_id!r}" if isinstance(step_id, str) else f"steps[{i}]"
        if not isinstance(raw, Mapping):
            raise ParseError(f"{where}: a step must be a mapping")
        if not isinstance(step_id, str) or not SNAKE.match(step_id):
            raise ParseError(f"{where}: step id must be snake_case")
        if step_id in step_ids:
            raise ParseError(f"{where}: duplicate step id")
        step_ids.add(step_id)
        unknown = set(raw) - STEP_KEYS
        if unknown:
            raise ParseError(f"{where}: unknown keys {sorted(map(str, unknown))}")
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            raise ParseError(f"{where}: questions must be a non-empty list")
        questions = [
            _question(q, j, step_id, seen, everywhere, regions) for j, q in enumerate(raw_questions)
        ]
        steps.append(
            {
                "id": step_id,
                "title": _text(raw, "title", where, required=True),
                "intro": _text(raw, "intro", where),
                "questions": questions,
            }
        )
    return version.strip(), steps


def _question(
    raw: Any,
    index: int,
    step_id: str,
    seen: dict[str, dict[str, Any]],
    everywhere: set[str],
    regions: Regions,
) -> dict[str, Any]:
    qid = raw.get("id") if isinstance(raw, Mapping) else None
    where = f"question {qid!r}" if isinstance(qid, str) else f"step {step_id!r} question {index}"
    if not isinstance(raw, Mapping):
        raise ParseError(f"{where}: a question must be a mapping")
    if not isinstance(qid, str):
        raise ParseError(f"{where}: id is missing or not text")
    prefix, dot, name = qid.partition(".")
    if prefix != step_id or not dot:
        raise ParseError(f"{where}: id must start with its step id, {step_id + '.'!r}")
    if not SNAKE.match(name):
        raise ParseError(f"{where}: id must be '<step id>.<snake_case name>'")
    if qid in seen:
        raise ParseError(f"{where}: duplicate question id")
    qtype = raw.get("type")
    if qtype not in TYPE_KEYS:
        raise ParseError(f"{where}: unknown type {qtype!r} (known: {', '.join(TYPE_KEYS)})")
    unknown = set(raw) - COMMON_KEYS - TYPE_KEYS[qtype]
    if unknown:
        for key in sorted(map(str, unknown)):
            if any(key in keys for keys in TYPE_KEYS.values()):
                raise ParseError(f"{where}: key {key!r} is not allowed for type {qtype}")
        raise ParseError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    out: dict[str, Any] = {
        "id": qid,
        "type": qtype,
        "label": _text(raw, "label", where, required=True),
        "help": _text(raw, "help", where),
        "preamble": _text(raw, "preamble", where),
        "required": _bool(raw, "required", where, qtype != "signature"),
    }
    if qtype == "signature" and out["required"]:
        raise ParseError(f"{where}: a signature is always optional (required: false)")
    if qtype in ("choice", "multi"):
        out["options"] = _options(raw, where)
    if qtype == "multi" and "exclusive" in raw:
        exclusive = raw["exclusive"]
        values = {o["value"] for o in out["options"]}
        if not isinstance(exclusive, list) or not exclusive:
            raise ParseError(f"{where}: exclusive must be a non-empty list of option values")
        for value in exclusive:
            if value not in values:
                raise ParseError(f"{where}: exclusive value {value!r} is not an option")
        out["exclusive"] = tuple(exclusive)
    if qtype in ("text", "textarea"):
        length = raw.get("max_length", DEFAULT_MAX_LENGTH[qtype])
        if not isinstance(length, int) or isinstance(length, bool) or length < 1:
            raise ParseError(f"{where}: max_length must be a positive whole number")
        out["max_length"] = length
    if qtype == "text":
        out["autocomplete"] = _text(raw, "autocomplete", where)
    if qtype == "date":
        out["not_future"] = _bool(raw, "not_future", where, False)
        out["not_past"] = _bool(raw, "not_past", where, False)
        if out["not_future"] and out["not_past"]:
            raise ParseError(f"{where}: not_future and not_past together leave only today")
    if qtype in ("integer", "decimal", "scale"):
        out.update(_bounds(raw, qtype, where))
    if qtype in ("integer", "decimal"):
        out["unit"] = _text(raw, "unit", where)
    if qtype == "regions":
        picker = raw.get("picker", "list")
        if picker not in REGION_PICKERS:
            raise ParseError(f"{where}: picker must be one of {', '.join(REGION_PICKERS)}")
        out["picker"] = picker
    if qtype == "scale":
        out["min_label"] = _text(raw, "min_label", where)
        out["max_label"] = _text(raw, "max_label", where)
    if "show_if" in raw:
        out["show_if"] = _show_if(raw["show_if"], where, seen, everywhere, regions)
    seen[qid] = out
    return out


def _options(raw: Mapping[str, Any], where: str) -> list[dict[str, Any]]:
    options = raw.get("options")
    if isinstance(options, str):
        if options not in NAMED_OPTIONS:
            raise ParseError(
                f"{where}: unknown option set {options!r} (known: {', '.join(NAMED_OPTIONS)})"
            )
        return [dict(o) for o in NAMED_OPTIONS[options]]
    if not isinstance(options, list) or len(options) < 2:
        raise ParseError(f"{where}: options must be a list of at least two options or a set name")
    out = []
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
        out.append(
            {
                "value": value,
                "label": _text(option, "label", f"{where}: option {value!r}", required=True),
                "help": _text(option, "help", f"{where}: option {value!r}"),
                "score": score,
                "group": _text(option, "group", f"{where}: option {value!r}"),
            }
        )
    return out


def _bounds(raw: Mapping[str, Any], qtype: str, where: str) -> dict[str, Any]:
    defaults = (0, 10) if qtype == "scale" else (None, None)
    lo, hi = raw.get("min", defaults[0]), raw.get("max", defaults[1])
    for key, value in (("min", lo), ("max", hi)):
        if value is None:
            continue
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if qtype != "decimal":
            ok = ok and isinstance(value, int)
        if not ok or not math.isfinite(value):
            kind = "a number" if qtype == "decimal" else "a whole number"
            raise ParseError(f"{where}: {key} must be {kind}")
    if lo is not None and hi is not None and lo > hi:
        raise ParseError(f"{where}: min {lo} is greater than max {hi}")
    if qtype == "scale" and lo == hi:
        raise ParseError(f"{where}: a scale needs min below max")
    return {"min": lo, "max": hi}


def _show_if(
    data: Any,
    where: str,
    seen: Mapping[str, Mapping[str, Any]],
    everywhere: set[str],
    regions: Regions,
) -> conditions.Condition:
    def resolve(qid: str) -> tuple[str, frozenset[Any] | None]:
        if qid not in everywhere:
            raise ValueError(f"show_if names unknown question {qid!r}")
        if qid not in seen:
            raise ValueError(
                f"show_if names {qid!r}, which is asked later (or is this question): "
                "a condition may only name questions asked before it"
            )
        target = seen[qid]
        if target["type"] == "regions":
            return "regions", frozenset(regions.ids)
        if target["type"] == "boolean":
            return "boolean", frozenset({True, False})
        if target["type"] in ("choice", "multi"):
            return target["type"], frozenset(o["value"] for o in target["options"])
        return target["type"], None

    try:
        return conditions.parse(data, resolve)
    except ValueError as exc:
        raise ParseError(f"{where}: {exc}") from exc
