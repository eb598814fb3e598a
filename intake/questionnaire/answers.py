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

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from intake.i18n.messages import N_

from .conditions import is_blank
from .types import TYPES

if TYPE_CHECKING:
    from .definition import Definition, Question

__all__ = ["REQUIRED", "check_answers", "is_blank", "problem_of", "question_problem", "schema",
           "unknown_ids"]


def check_answers(definition: Definition, answers: Any, today: date) -> list[str]:
    """Every problem with ``answers``: unknown ids, wrong types, unknown options,
    answers for hidden questions, missing required answers, out-of-range values."""
    if not isinstance(answers, Mapping):
        return ["answers must be an object keyed by question id"]
    errors = unknown_ids(definition, answers)
    visible = definition.visibility(answers, today)
    for question in definition.questions.values():
        problem = question_problem(definition, question, answers, visible, today)
        if problem:
            errors.append(problem)
    return errors


def unknown_ids(definition: Definition, answers: Mapping[str, Any]) -> list[str]:
    return [f"{qid!r}: unknown question id" for qid in answers if qid not in definition.questions]


def question_problem(definition: Definition, question: Question, answers: Mapping[str, Any],
                     visible: Mapping[str, bool], today: date) -> str | None:
    """The whole check's message for one question, or None: a function of the
    question, its answer, whether it is shown and the date only, and for a
    question with required_unless_answered of its stand-ins' answers and
    visibility too (questionnaire/near.py relies on that to check only what
    differs from a checked answers set)."""
    value = answers.get(question.id)
    if not visible[question.id]:
        if not question.kind.is_blank(value):
            return _about(question, N_("answered, but the question is not shown"))
        return None
    if question.kind.is_blank(value):
        if question.required and not stood_in(definition, question, answers, visible):
            return _about(question, REQUIRED)
        return None
    problem = question.kind.problem(question, value, definition, today)
    return _about(question, problem) if problem else None


#: the problem of a required question left blank (the patient's page has its own words)
REQUIRED = N_("an answer is required")


def _about(question: Question, problem: str) -> str:
    """"pain.back_now: must be at most 10": the id first (the web layer puts it
    next to the field), the problem a message (``problem_of`` reads it back)."""
    return N_("%(question)s: %(problem)s", question=question.id, problem=problem)


def problem_of(message: str) -> tuple[str, str]:
    """A check message's question id and its problem (a message where the check
    made it, so a page can show it in its own language)."""
    params = getattr(message, "params", {})
    if "question" in params and "problem" in params:
        return params["question"], params["problem"]
    qid, _sep, problem = message.partition(": ")
    return qid, problem


def stood_in(definition: Definition, question: Question, answers: Mapping[str, Any],
             visible: Mapping[str, bool]) -> bool:
    """Left blank, but a question of its required_unless_answered is shown and
    answered (a pick list whose free text says what the patient takes)."""
    return any(visible[qid] and not definition.questions[qid].kind.is_blank(answers.get(qid))
               for qid in question.required_unless_answered)


# --- schema -----------------------------------------------------------------------

#: type name -> what its answer is, in words
ANSWER_SHAPES = {name: kind.answer for name, kind in TYPES.items()}


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
    for key in ("min_label", "max_label", "autocomplete", "role"):
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
    if question.required_unless_answered:
        data["required_unless_answered"] = list(question.required_unless_answered)
    if question.show_if is not None:
        data["show_if"] = question.show_if.to_data()
    data["answer"] = question.kind.answer
    return data


def _born_from(definition: Definition) -> str:
    """Where age_under reads the date of birth: this definition's question with
    role date_of_birth, or the intake's one (a follow-up asks it only there)."""
    qid = dict(definition.roles).get("date_of_birth")
    where = qid if qid else "the intake's answer"
    return f"{where} (role date_of_birth)"


def schema(definition: Definition) -> dict[str, Any]:
    """The whole questionnaire as JSON-serialisable data."""
    regions = definition.regions
    region_ids = list(regions.ids)
    return {
        "version": definition.version,
        "roles": dict(definition.roles),
        "answers": {
            "description": (
                "One flat JSON object keyed by question id. Hidden questions "
                "(show_if false, or naming a hidden question) and unanswered optional "
                "questions are absent. age_under conditions use the age computed from "
                f"{_born_from(definition)} on the day of evaluation."
            ),
            "types": ANSWER_SHAPES,
            "json_schema": {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    q.id: q.kind.json_schema(q, definition) for q in definition.questions.values()
                },
            },
        },
        "steps": [
            {
                "id": step.id,
                "number": step.number,
                "title": step.title,
                **({"intro": step.intro} if step.intro else {}),
                **({"continues": step.continues} if step.continues else {}),
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
