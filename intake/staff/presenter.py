"""What the intake page shows, built from the questionnaire definition.

Answers are listed step by step with the patient-facing question labels and
option labels; evidence on a flag names the question and the patient's own
answer. When the definition cannot be loaded the page still works and falls
back to question ids, so a practitioner is never locked out of a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake.questionnaire.body_diagram import staff_diagram
from intake.questionnaire.signature import signature_png


@dataclass(frozen=True)
class AnswerRow:
    id: str
    label: str
    text: str
    kind: str = "text"  # "text", "signature", "regions"


@dataclass(frozen=True)
class StepAnswers:
    id: str
    title: str
    rows: list[AnswerRow]


def definition_or_none():
    try:
        from intake.questionnaire import load_definition

        return load_definition()
    except Exception:  # a missing or invalid file: show raw ids instead  # noqa: BLE001
        return None


def region_label(definition, region_id: str) -> str:
    if definition is not None:
        try:
            return definition.regions.label(region_id)
        except KeyError:
            pass
    return region_id.replace("_", " ").capitalize()


def format_answer(definition, question_id: str, value: Any) -> str:
    """An answer as the patient saw it: option labels, units, yes/no."""
    if value is None or value == "" or value == []:
        return "Not answered"
    question = _question(definition, question_id)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if question is not None and question.type == "regions":
        return ", ".join(region_label(definition, r) for r in value)
    if isinstance(value, list):
        return ", ".join(_option(definition, question, v) for v in value)
    if question is not None and question.type in {"choice"}:
        return _option(definition, question, value)
    if question is not None and question.unit:
        return f"{value} {question.unit}"
    if question is not None and question.type == "signature":
        return "Signature drawn" if signature_png(value) else "Signature (could not be read)"
    return str(value)


def question_label(definition, question_id: str, fallback: str | None = None) -> str:
    question = _question(definition, question_id)
    if question is not None:
        return question.label
    if question_id.startswith("plan."):
        return "Treatment plan: " + question_id.removeprefix("plan.").replace("_", " ")
    return fallback or question_id


def evidence_rows(definition, flag, answers: dict) -> list[dict]:
    """Why a flag fired: each piece of evidence with its label and the answer."""
    rows = []
    for item in flag.evidence or []:
        qid = str(item.get("question", ""))
        if qid.startswith("rules."):
            label, text = "Because this rule fired", qid.removeprefix("rules.")
        else:
            label = question_label(definition, qid, item.get("label"))
            value = answers.get(qid, item.get("value")) if not qid.startswith("plan.") \
                else item.get("value")
            text = format_answer(definition, qid, value)
        rows.append({"label": label, "answer": text, "note": item.get("note"),
                     "uncertain": bool(item.get("uncertain"))})
    return rows


def answers_by_step(definition, answers: dict) -> list[StepAnswers]:
    if definition is None:
        rows = [AnswerRow(k, k, format_answer(None, k, v), _kind(None, k, v))
                for k, v in answers.items()]
        return [StepAnswers("answers", "Answers", rows)] if rows else []
    steps = []
    seen: set[str] = set()
    for step in definition.steps:
        rows = []
        for question in step.questions:
            if question.id not in answers:
                continue
            seen.add(question.id)
            value = answers[question.id]
            rows.append(AnswerRow(question.id, question.label,
                                  format_answer(definition, question.id, value),
                                  _kind(definition, question.id, value)))
        if rows:
            steps.append(StepAnswers(step.id, step.title, rows))
    extra = [AnswerRow(k, k, format_answer(definition, k, v)) for k, v in answers.items()
             if k not in seen]
    if extra:
        steps.append(StepAnswers("other", "Other answers (not in this questionnaire version)",
                                 extra))
    return steps


def _kind(definition, question_id: str, value: Any) -> str:
    """Only a drawn-signature question's answer that passes the signature check
    is shown as an image: a free-text answer that merely starts with
    ``data:image/png;base64,`` is text like any other."""
    question = _question(definition, question_id)
    if question is not None and question.type == "signature" and signature_png(value):
        return "signature"
    return "regions" if question is not None and question.type == "regions" else "text"


def regions_by_area(definition) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(area label, [(region id, "Left knee"), ...]), ...] for the plan form."""
    if definition is None:
        return []
    return [(area.label, [(f"{side}_{area.id}", f"{side.capitalize()}")
                          for side in ("left", "right")])
            for area in definition.regions.areas]


def _question(definition, question_id: str):
    if definition is None:
        return None
    try:
        return definition.question(question_id)
    except KeyError:
        return None


def _option(definition, question, value: Any) -> str:
    if question is None:
        return str(value)
    try:
        return question.option(value).label
    except KeyError:
        return str(value)


def diagram(definition, regions: list[str]):
    """The patient side's body diagram with `regions` marked, worded for staff
    (the patient's own left and right), or None without a definition."""
    if definition is None:
        return None
    return staff_diagram(definition.regions, regions)
