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

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from . import conditions
from .regions import Regions
from .types import TYPES
from .types.base import SNAKE, ParseError, QuestionType, bool_key, text_key

__all__ = ["ROLES", "ParseError", "check_roles", "parse_questionnaire"]

TOP_KEYS = frozenset({"version", "steps"})
STEP_KEYS = frozenset({"id", "title", "intro", "questions", "continues"})
COMMON_KEYS = frozenset({"id", "type", "label", "help", "required", "show_if", "preamble",
                         "role", "required_unless_answered"})
#: what the code finds by role instead of by id: role -> the type it must be
ROLES: dict[str, str] = {
    "full_name": "text",          # the name the patient typed (identity.py)
    "date_of_birth": "date",      # age, the staff header, retention
    "email": "email",             # where a walk-in's way back is sent (resume codes)
    "pain_regions": "regions",    # the body diagram and the default treatment plan
    "consent": "boolean",         # the agreement; its step is the consent record
    "typed_signature": "text",    # the typed name that signs the consent
    "drawn_signature": "signature",
}
#: roles a questionnaire may leave out (the feature then does without)
OPTIONAL_ROLES = frozenset({"email"})


#: what a ``use:`` entry (a question of another file, asked again) may change
USE_KEYS = frozenset({"use", "label", "help", "show_if"})


def parse_questionnaire(
    data: Any, regions: Regions, outside: Mapping[str, Mapping[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Check the whole file; return (version, steps as dicts of checked kwargs).

    ``outside`` (the follow-up re-check): the checked questions of the intake,
    id -> kwargs. A ``{use: <id>}`` entry asks one of them again, id, type and
    options unchanged (``label``, ``help`` and ``show_if`` may be given anew),
    and a show_if may name any of them."""
    outside = outside or {}
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
        q.get("id", q.get("use"))
        for s in raw_steps
        if isinstance(s, Mapping) and isinstance(s.get("questions"), list)
        for q in s["questions"]
        if isinstance(q, Mapping) and isinstance(q.get("id", q.get("use")), str)
    }
    # what a show_if may name: questions asked before it, and intake questions
    # this file does not ask (their answers are the carried ones)
    known = ChainMap(seen, {k: v for k, v in outside.items() if k not in everywhere})
    everywhere |= set(outside)
    step_ids: set[str] = set()
    prefixes: dict[str, str] = {}  # step id -> the id prefix of its questions
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
        prefix = prefixes[step_id] = _continues(raw, where, prefixes)
        questions = [
            _used(q, known, seen, everywhere, regions, outside)
            if isinstance(q, Mapping) and "use" in q
            else _question(q, j, prefix, known, seen, everywhere, regions)
            for j, q in enumerate(raw_questions)
        ]
        steps.append(
            {
                "id": step_id,
                "title": text_key(raw, "title", where, required=True),
                "intro": text_key(raw, "intro", where),
                "continues": raw.get("continues"),
                "questions": questions,
            }
        )
    _check_stand_ins(steps, everywhere)
    return version.strip(), steps


def _continues(raw: Mapping[str, Any], where: str, earlier: Mapping[str, str]) -> str:
    """The id prefix of a step's questions: its own id, or with ``continues:``
    the earlier step it is the second part of (a step split in two keeps its
    question ids, which rules, clinical cases and stored answers name)."""
    if "continues" not in raw:
        return str(raw["id"])
    continued = raw["continues"]
    if not isinstance(continued, str) or continued not in earlier:
        raise ParseError(f"{where}: continues must name an earlier step, not {continued!r}")
    return earlier[continued]


def _stand_ins(raw: Any, where: str, qid: str, required: bool) -> tuple[str, ...]:
    """``required_unless_answered: [ids]``: the question may be left blank when
    one of these is answered (a pick list whose "other" free text says it)."""
    key = "required_unless_answered"
    if (not isinstance(raw, list) or not raw
            or not all(isinstance(i, str) for i in raw) or len(set(raw)) != len(raw)):
        raise ParseError(f"{where}: {key} must be a non-empty list of distinct question ids")
    if qid in raw:
        raise ParseError(f"{where}: {key} names the question itself")
    if not required:
        raise ParseError(f"{where}: {key} has no meaning on an optional question "
                         "(required: false)")
    return tuple(raw)


def _check_stand_ins(steps: list[dict[str, Any]], everywhere: set[str]) -> None:
    """Each id a required_unless_answered names is asked in this file, on the
    question's step or an earlier one: the patient must be able to have
    answered it by the time the question is checked."""
    asked_on = {q["id"]: n for n, step in enumerate(steps) for q in step["questions"]}
    for n, step in enumerate(steps):
        for question in step["questions"]:
            for other in question.get("required_unless_answered", ()):
                where = f"question {question['id']!r}: required_unless_answered"
                if other not in asked_on:
                    why = ("is not asked in this file: ask it too" if other in everywhere
                           else "is not a question of this file")
                    raise ParseError(f"{where} names {other!r}, which {why}")
                if asked_on[other] > n:
                    raise ParseError(f"{where} names {other!r}, which is asked on a later "
                                     f"step ({steps[asked_on[other]]['id']})")


def _question(
    raw: Any,
    index: int,
    step_id: str,  # the id prefix: the step's own, or the step it continues
    known: Mapping[str, Mapping[str, Any]],
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
    if qid in known:
        raise ParseError(f"{where}: duplicate question id")
    qtype = raw.get("type")
    kind = TYPES.get(qtype) if isinstance(qtype, str) else None
    if kind is None:
        raise ParseError(f"{where}: unknown type {qtype!r} (known: {', '.join(TYPES)})")
    unknown = set(raw) - COMMON_KEYS - kind.keys
    if unknown:
        for key in sorted(map(str, unknown)):
            if any(key in other.keys for other in TYPES.values()):
                raise ParseError(f"{where}: key {key!r} is not allowed for type {qtype}")
        raise ParseError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    out: dict[str, Any] = {
        "id": qid,
        "type": qtype,
        "label": text_key(raw, "label", where, required=True),
        "help": text_key(raw, "help", where),
        "preamble": text_key(raw, "preamble", where),
        "required": bool_key(raw, "required", where, kind.default_required),
    }
    kind.parse(raw, where, out)
    if "required_unless_answered" in raw:
        out["required_unless_answered"] = _stand_ins(raw["required_unless_answered"], where,
                                                     qid, out["required"])
    if "role" in raw:
        out["role"] = _role(raw["role"], qtype, where)
    if "show_if" in raw:
        out["show_if"] = _show_if(raw["show_if"], where, known, everywhere, regions)
    seen[qid] = out
    return out


def _used(raw: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]],
          seen: dict[str, dict[str, Any]], everywhere: set[str], regions: Regions,
          outside: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    qid = raw["use"]
    where = f"use {qid!r}"
    if not isinstance(qid, str) or qid not in outside:
        raise ParseError(f"{where}: not a question of the intake questionnaire")
    if qid in seen:
        raise ParseError(f"{where}: asked twice")
    unknown = set(raw) - USE_KEYS
    if unknown:
        allowed = ", ".join(sorted(USE_KEYS - {"use"}))
        raise ParseError(f"{where}: unknown keys {sorted(map(str, unknown))} "
                         f"(a used question may change only {allowed})")
    out = {k: v for k, v in outside[qid].items() if k != "role"}
    for key in ("label", "help"):
        if key in raw:
            out[key] = text_key(raw, key, where, required=key == "label")
    if "show_if" in raw:
        out["show_if"] = _show_if(raw["show_if"], where, known, everywhere, regions)
    seen[qid] = out
    return out


def _role(role: Any, qtype: str, where: str) -> str:
    if role not in ROLES:
        raise ParseError(f"{where}: unknown role {role!r} (known: {', '.join(ROLES)})")
    if ROLES[role] != qtype:
        raise ParseError(f"{where}: role {role} needs a {ROLES[role]} question, not {qtype}")
    return role


def check_roles(steps: list[dict[str, Any]]) -> dict[str, str]:
    """role -> question id; each role must be given to exactly one question."""
    found: dict[str, list[str]] = {role: [] for role in ROLES}
    for step in steps:
        for question in step["questions"]:
            if question.get("role"):
                found[question["role"]].append(question["id"])
    for role, ids in found.items():
        if len(ids) > 1:
            raise ParseError(f"role {role} is given to {len(ids)} questions ({', '.join(ids)});"
                             " it must be exactly one")
    for role, ids in found.items():
        if not ids and role not in OPTIONAL_ROLES:
            raise ParseError(f"no question has role: {role} (give it to one {ROLES[role]} "
                             "question)")
    return {role: ids[0] for role, ids in found.items() if ids}


def _show_if(
    data: Any,
    where: str,
    seen: Mapping[str, Mapping[str, Any]],
    everywhere: set[str],
    regions: Regions,
) -> conditions.Condition:
    def resolve(qid: str) -> tuple[QuestionType, frozenset[Any] | None]:
        if qid not in everywhere:
            raise ValueError(f"show_if names unknown question {qid!r}")
        if qid not in seen:
            raise ValueError(
                f"show_if names {qid!r}, which is asked later (or is this question): "
                "a condition may only name questions asked before it"
            )
        target = seen[qid]
        kind = TYPES[target["type"]]
        return kind, kind.condition_values(target, regions)

    date_of_birth = next((qid for qid, q in seen.items() if q.get("role") == "date_of_birth"),
                         None)
    try:
        return conditions.parse(data, resolve, date_of_birth)
    except ValueError as exc:
        raise ParseError(f"{where}: {exc}") from exc
