"""Turn SummaryData into what the template shows: labels, not ids.

Every label comes from the questionnaire definition (question labels,
option labels, region labels), so the PDF says what the patient read. An id
the definition does not know (an older questionnaire version) is shown as
the raw value rather than dropped: the summary must never hide an answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from intake.documents import review_context
from intake.documents.assets import signature_png
from intake.documents.summary import SummaryData, parse_date

LEVEL_LABELS = {
    "red_flag": "Red flag", "contraindication": "Contraindication",
    "precaution": "Precaution", "note": "Note",
}
URGENCY_LABELS = {"emergency": "Emergency", "urgent": "Urgent", "prompt": "Prompt"}


def fmt_date(value: Any) -> str:
    day = parse_date(value)
    return day.strftime("%-d %b %Y") if day else ("" if value is None else str(value))


def fmt_datetime(value: datetime | None) -> str:
    """In the clinic's time zone, named, so the archive stays unambiguous."""
    if not value:
        return "not recorded"
    return value.astimezone(_clinic_zone()).strftime("%-d %b %Y, %H:%M %Z")


def _clinic_zone() -> ZoneInfo:
    try:
        return ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")
    except RuntimeError:  # no app: a preview outside the application
        return ZoneInfo("UTC")


class Labeller:
    """Formats answers with the definition's labels; tolerant of unknown ids."""

    def __init__(self, definition) -> None:
        self.definition = definition

    def question(self, qid: str):
        try:
            return self.definition.question(qid)
        except KeyError:
            return None

    def label(self, qid: str) -> str:
        question = self.question(qid)
        return question.label if question else qid

    def option(self, qid: str, value: Any) -> str:
        try:
            return self.definition.option_label(qid, value)
        except (KeyError, ValueError):
            return str(value)

    def value(self, qid: str, value: Any) -> str | list[str]:
        question = self.question(qid)
        kind = question.type if question else None
        if value is None or value == "" or value == []:
            return "Not answered"
        if kind in ("choice",):
            return self.option(qid, value)
        if kind in ("multi", "regions"):
            items = value if isinstance(value, list) else [value]
            return [self.option(qid, item) for item in items]
        if kind == "boolean":
            return "Yes" if value else "No"
        if kind == "signature":
            return "Signed (see the consent record)"
        if kind == "date":
            return fmt_date(value)
        if kind == "scale":
            return f"{value} out of {question.max if question.max is not None else 10}"
        if kind in ("integer", "decimal") and question.unit:
            return f"{value} {question.unit}"
        if isinstance(value, list):
            return [str(item) for item in value]
        return str(value)


def build_context(data: SummaryData, definition) -> dict[str, Any]:
    labels = Labeller(definition)
    answers = data.answers
    raw_flags = (data.screening or {}).get("flags", [])
    titles = {f.get("rule_id"): f.get("title") for f in raw_flags if f.get("title")}
    decisions = review_context.latest_decisions(data.review, titles, fmt_datetime)
    flags = [_flag(flag, labels, decisions) for flag in raw_flags]
    region_ids = _marked_regions(definition, answers)
    regions_question = _regions_question(definition) or ""

    def region(rid: str) -> str:
        return labels.option(regions_question, rid)

    return {
        "data": data,
        "name": data.display_name,
        "dob": fmt_date(data.date_of_birth) if data.date_of_birth else "Not given",
        "appointment": fmt_datetime(data.appointment_at) if data.appointment_at else "Not booked",
        "submitted": fmt_datetime(data.submitted_at),
        "generated": fmt_datetime(data.generated_at),
        "flags": flags,
        "overall": flags[0] if flags else None,
        "steps": _steps(definition, answers, labels),
        "regions": region_ids,
        "region_labels": [labels.option(_regions_question(definition) or "", r)
                          for r in region_ids],
        "consent": _consent(definition, data, labels),
        "rules_version": (data.screening or {}).get("rules_version") or "unknown",
        "plan": review_context.plan_view((data.screening or {}).get("plan"), region),
        "plan_is_default": review_context.plan_is_default(data.review),
        "review": review_context.review_view(data.review, titles, region, fmt_datetime),
        "level_labels": LEVEL_LABELS,
    }


def _flag(flag: dict, labels: Labeller, decisions: dict[str, dict]) -> dict[str, Any]:
    evidence = []
    for item in flag.get("evidence", []):
        qid = item.get("question", "")
        if qid.startswith(("plan.", "rules.")):
            shown = item.get("label") or qid
            answer = item.get("value")
            answer = ", ".join(map(str, answer)) if isinstance(answer, list) else answer
        else:
            shown = labels.label(qid)
            answer = labels.value(qid, item.get("value"))
            answer = ", ".join(answer) if isinstance(answer, list) else answer
        evidence.append({"question": shown, "answer": answer, "note": item.get("note"),
                         "uncertain": bool(item.get("uncertain"))})
    level = flag.get("level", "note")
    site = flag.get("site") or {}
    return {
        "rule_id": flag.get("rule_id", ""),
        "level": level,
        "level_label": LEVEL_LABELS.get(level, level),
        "urgency": URGENCY_LABELS.get(flag.get("urgency")) if flag.get("urgency") else None,
        "title": flag.get("title", ""),
        "why": flag.get("why", ""),
        "action": flag.get("action", ""),
        "sources": list(flag.get("sources", [])),
        "evidence": evidence,
        "uncertain": bool(flag.get("uncertain")),
        "downgraded": bool(site.get("downgraded")),
        "decision": decisions.get(flag.get("rule_id")),
    }


#: Answers shown grouped per step ("No: question; question"), so the answers
#: that matter stand out and a long questionnaire stays a few pages.
QUIET_ANSWERS = ("no", "none", "never")


def _is_quiet(question, value: Any) -> bool:
    if question.help or getattr(question, "preamble", None):
        return False  # shown in full: help and instrument wording stay visible
    if question.type == "choice":
        return value in QUIET_ANSWERS
    return question.type == "multi" and value == ["none"]


def _steps(definition, answers: dict, labels: Labeller) -> list[dict[str, Any]]:
    steps = []
    for step in definition.steps:
        rows, quiet = [], {}
        for question in step.questions:
            if question.id not in answers:
                continue
            value = labels.value(question.id, answers[question.id])
            if _is_quiet(question, answers[question.id]):
                shown = "; ".join(value) if isinstance(value, list) else value
                quiet.setdefault(shown, []).append(question.label)
                continue
            rows.append({"id": question.id, "label": question.label, "value": value,
                         "many": isinstance(value, list), "help": question.help,
                         "preamble": getattr(question, "preamble", None)})
        if rows or quiet:
            steps.append({"number": step.number, "title": step.title, "rows": rows,
                          "quiet": [{"answer": k, "labels": v} for k, v in quiet.items()]})
    known = set(definition.questions)
    extra = [k for k in answers if k not in known]
    if extra:  # answers the current definition no longer has: show, never drop
        steps.append({"number": None, "title": "Other answers", "quiet": [], "rows": [
            {"id": k, "label": k, "value": str(answers[k]), "many": False, "help": None,
             "preamble": None} for k in extra]})
    return steps


def _regions_question(definition) -> str | None:
    for question in definition.questions.values():
        if question.type == "regions":
            return question.id
    return None


def _marked_regions(definition, answers: dict) -> list[str]:
    """The regions of the first regions question: where the patient has pain.

    Regions given for other questions (a skin problem, an implant) are listed
    with their answers; the diagram keeps to the one thing it is for.
    """
    qid = _regions_question(definition)
    return [r for r in answers.get(qid) or [] if isinstance(r, str)] if qid else []


def _consent(definition, data: SummaryData, labels: Labeller) -> dict[str, Any]:
    """The consent record: the consent step's text, agreements, typed name,
    drawn signature and any further answers (a guardian's, for a minor)."""
    answers = data.answers
    step = next((s for s in definition.steps
                 if any(q.type in ("boolean", "signature") for q in s.questions)), None)
    agreements, typed_name, signature, others, drawn = [], None, None, [], False
    for question in step.questions if step else ():
        value = answers.get(question.id)
        if question.type == "boolean":
            agreements.append({"label": question.label, "agreed": bool(value)})
        elif question.type == "signature":
            drawn = drawn or bool(value)
            signature = signature or (signature_png(value) if value else None)
        elif question.type == "text" and typed_name is None:
            typed_name = str(value) if value else ""
        elif question.id in answers:
            shown = labels.value(question.id, value)
            others.append({"label": question.label,
                           "value": ", ".join(shown) if isinstance(shown, list) else shown})
    return {
        "present": step is not None,
        "text": step.intro if step else None,
        "version": data.questionnaire_version or getattr(definition, "version", None),
        "agreements": agreements,
        "typed_name": typed_name,
        "others": others,
        "has_signature": signature is not None,
        "signature_png": signature,
        "signature_invalid": drawn and signature is None,
        "time": fmt_datetime(data.submitted_at),
    }
