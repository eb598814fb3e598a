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

from intake.documents import review_context
from intake.documents.summary import SummaryData
from intake.documents.visit_context import visit_context
from intake.questionnaire.signature import signature_png
from intake.questionnaire.types import AnswerFormat
from intake.questionnaire.types.display import DEFAULT_LOCALE
from intake.screening import severity


def fmt_datetime(value: datetime | None, zone: ZoneInfo) -> str:
    """In the clinic's time zone (SummaryData.timezone), named, so the archive
    stays unambiguous."""
    if not value:
        return "not recorded"
    local = value.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M %Z}"  # not "%-d": glibc only


class Labeller:
    """Question labels and answers as every reader shows them (the one
    formatter of the question types); tolerant of unknown ids."""

    def __init__(self, definition, locale: str = DEFAULT_LOCALE) -> None:
        self.definition = definition
        self.format = AnswerFormat(definition, locale)

    def label(self, qid: str) -> str:
        question = self.format.question(qid)
        return question.label if question else qid

    def value(self, qid: str, value: Any) -> str | list[str]:
        return self.format.items(qid, value)


def build_context(data: SummaryData, definition) -> dict[str, Any]:
    labels = Labeller(definition, data.locale)
    answers = data.answers
    raw_flags = (data.screening or {}).get("flags", [])
    titles = {f.get("rule_id"): f.get("title") for f in raw_flags if f.get("title")}

    def local_time(value: datetime | None) -> str:
        return fmt_datetime(value, data.zone)

    decisions = review_context.latest_decisions(data.review, titles, local_time)
    flags = [_flag(flag, labels, decisions) for flag in raw_flags]
    region_ids = _marked_regions(definition, answers)
    region = labels.format.region

    return {
        "data": data,
        "name": data.display_name,
        "dob": labels.format.day(data.date_of_birth) if data.date_of_birth else "Not given",
        "appointment": (fmt_datetime(data.appointment_at, data.zone) if data.appointment_at
                        else "Not booked"),
        "submitted": fmt_datetime(data.submitted_at, data.zone),
        "generated": fmt_datetime(data.generated_at, data.zone),
        "flags": flags,
        "overall": flags[0] if flags else None,
        "steps": _steps(definition, answers, labels),
        "regions": region_ids,
        "region_labels": [labels.format.region(r) for r in region_ids],
        "consent": _consent(definition, data, labels),
        "rules_version": (data.screening or {}).get("rules_version") or "unknown",
        "plan": review_context.plan_view((data.screening or {}).get("plan"), region),
        "plan_is_default": review_context.plan_is_default(data.review),
        "review": review_context.review_view(data.review, titles, region, local_time),
        "visit": visit_context(data.visit, definition, data.locale),
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
        "severity": severity.label(level, flag.get("urgency")),
        "title": flag.get("title", ""),
        "why": flag.get("why", ""),
        "action": flag.get("action", ""),
        "sources": list(flag.get("sources", [])),
        "evidence": evidence,
        "uncertain": bool(flag.get("uncertain")),
        "downgraded": bool(site.get("downgraded")),
        "decision": decisions.get(flag.get("rule_id")),
    }


def _is_quiet(question, value: Any) -> bool:
    """Answers shown grouped per step ("No: question; question"), so the
    answers that matter stand out and a long questionnaire stays a few pages:
    the negative ones (the type says which) without help or instrument wording."""
    if question.help or getattr(question, "preamble", None):
        return False  # shown in full: help and instrument wording stay visible
    return question.kind.negative(question, value)


def _steps(definition, answers: dict, labels: Labeller) -> list[dict[str, Any]]:
    steps = []
    for step in definition.steps:
        rows, quiet = [], {}
        for question in step.questions:
            if question.id not in answers:
                instead = labels.format.show_in(question, answers)
                if instead is not None:  # a pick list left blank, its free text typed
                    rows.append({"id": question.id, "label": question.label,
                                 "value": instead.plain, "many": False,
                                 "help": question.help, "preamble": None})
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


def _role_id(definition, role: str) -> str | None:
    return getattr(definition, "roles", {}).get(role)


def _marked_regions(definition, answers: dict) -> list[str]:
    """The regions of the pain_regions question: where the patient has pain.

    Regions given for other questions (a skin problem, an implant) are listed
    with their answers; the diagram keeps to the one thing it is for.
    """
    qid = _role_id(definition, "pain_regions")
    return [r for r in answers.get(qid) or [] if isinstance(r, str)] if qid else []


def _consent(definition, data: SummaryData, labels: Labeller) -> dict[str, Any]:
    """The consent record: the consent step's text, agreements, typed name,
    drawn signature and any further answers (a guardian's, for a minor)."""
    answers = data.answers
    consent = _role_id(definition, "consent")
    step = definition.step(definition.questions[consent].step_id) if consent else None
    typed, drawn_id = _role_id(definition, "typed_signature"), _role_id(definition,
                                                                          "drawn_signature")
    agreements, typed_name, signature, others, drawn = [], None, None, [], False
    for question in step.questions if step else ():
        value = answers.get(question.id)
        if question.id == typed:
            typed_name = str(value) if value else ""
        elif question.id == drawn_id:
            drawn = bool(value)
            signature = signature_png(value) if value else None
        elif question.kind.tick_box:
            agreements.append({"label": question.label, "agreed": bool(value)})
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
        "time": fmt_datetime(data.submitted_at, data.zone),
    }
