"""Turn SummaryData into what the template shows: labels, not ids.

Every label comes from the questionnaire definition (question labels,
option labels, region labels), so the PDF says what the patient read. An id
the definition does not know (an older questionnaire version) is shown as
the raw value rather than dropped: the summary must never hide an answer.

The summary is written in its own language (the clinic's, SummaryData.
language); where the patient answered in another, each answer also carries
the patient's wording (intake.documents.languages), and the consent is the
text the patient read (intake.documents.consent).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from intake.documents import review_context
from intake.documents.consent import consent_view
from intake.documents.languages import (
    N_,
    Gettext,
    as_they_read,
    gettext_for,
    html_lang,
    language_name,
    page_margins,
    translated,
)
from intake.documents.summary import SummaryData
from intake.documents.visit_context import visit_context
from intake.questionnaire.types import AnswerFormat
from intake.questionnaire.types.display import DEFAULT_LOCALE, moment
from intake.screening import severity

#: the severity words (intake.screening.severity), marked for the pdf catalog
SEVERITY_WORDS = {"Red flag": N_("Red flag"), "Contraindication": N_("Contraindication"),
                  "Precaution": N_("Precaution"), "Note": N_("Note"),
                  "emergency": N_("emergency"), "urgent": N_("urgent"), "prompt": N_("prompt")}


def fmt_datetime(value: datetime | None, zone: ZoneInfo, locale: str = DEFAULT_LOCALE,
                 _: Gettext | None = None) -> str:
    """In the clinic's time zone (SummaryData.timezone), named, so the archive
    stays unambiguous; in the summary's locale."""
    if not value:
        return _("not recorded") if _ else "not recorded"
    local = value.astimezone(zone)
    return f"{moment(local, locale)} {local:%Z}"


def severity_text(level: str, urgency: str | None, _: Gettext) -> str:
    """severity.label in the summary's language."""
    words = severity.label(level, urgency)
    if level == "red_flag" and urgency:
        return _("%(level)s: %(urgency)s", level=_(severity.LEVEL_LABELS["red_flag"]),
                 urgency=_(severity.URGENCY_LABELS.get(urgency, urgency)))
    return _(words)


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

    def text_language(self, qid: str) -> str | None:
        """The language the question's texts are in where not the document's."""
        question = self.format.question(qid)
        return getattr(question, "text_language", None) if question else None


def build_context(data: SummaryData, definition) -> dict[str, Any]:
    _ = gettext_for(data.summary_language)
    ours = translated(definition, data.summary_language)
    labels = Labeller(ours, data.locale)
    theirs = (Labeller(translated(definition, data.patient_language), data.patient_locale)
              if data.patient_language != data.summary_language else None)
    answers = data.answers
    raw_flags = (data.screening or {}).get("flags", [])
    titles = {f.get("rule_id"): f.get("title") for f in raw_flags if f.get("title")}

    def local_time(value: datetime | None) -> str:
        return fmt_datetime(value, data.zone, data.locale, _)

    decisions = review_context.latest_decisions(data.review, titles, local_time)
    flags = [_flag(flag, labels, decisions, _) for flag in raw_flags]
    region_ids = _marked_regions(ours, answers)
    region = labels.format.region

    return {
        "data": data,
        "lang": html_lang(data.locale),
        "page_style": page_margins(data.summary_language),
        "patient_lang": html_lang(data.patient_locale),
        "patient_language": language_name(data.patient_locale, data.locale),
        "name": data.display_name if data.identity.name else _("Name not given"),
        "dob": (labels.format.day(data.date_of_birth) if data.date_of_birth
                else _("Not given")),
        "appointment": (local_time(data.appointment_at) if data.appointment_at
                        else _("Not booked")),
        "submitted": local_time(data.submitted_at),
        "generated": local_time(data.generated_at),
        "flags": flags,
        "overall": flags[0] if flags else None,
        "steps": steps_view(ours, answers, labels, theirs, _),
        "regions": region_ids,
        "region_labels": [labels.format.region(r) for r in region_ids],
        "consent": consent_view(definition, data, local_time),
        "rules_version": (data.screening or {}).get("rules_version") or _("unknown"),
        "plan": review_context.plan_view((data.screening or {}).get("plan"), region),
        "plan_is_default": review_context.plan_is_default(data.review),
        "review": review_context.review_view(data.review, titles, region, local_time),
        "visit": visit_context(data.visit, ours, data.locale),
    }


def _flag(flag: dict, labels: Labeller, decisions: dict[str, dict], _: Gettext
          ) -> dict[str, Any]:
    evidence = []
    for item in flag.get("evidence", []):
        qid = item.get("question", "")
        if qid.startswith(("plan.", "rules.")):
            shown = item.get("label") or qid
            answer = item.get("value")
            answer = ", ".join(map(str, answer)) if isinstance(answer, list) else answer
            text_language = None
        else:
            text_language = labels.text_language(qid)
            shown = labels.label(qid)
            answer = labels.value(qid, item.get("value"))
            answer = ", ".join(answer) if isinstance(answer, list) else answer
        evidence.append({"question": shown, "answer": answer, "note": item.get("note"),
                         "uncertain": bool(item.get("uncertain")),
                         "text_language": text_language})
    level = flag.get("level", "note")
    site = flag.get("site") or {}
    return {
        "rule_id": flag.get("rule_id", ""),
        "level": level,
        "severity": severity_text(level, flag.get("urgency"), _),
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


def _row(question, value, help_=None, preamble=None) -> dict[str, Any]:
    return {"id": question.id if hasattr(question, "id") else question,
            "label": question.label if hasattr(question, "label") else question,
            "value": value, "many": isinstance(value, list), "help": help_,
            "preamble": preamble, "text_language": getattr(question, "text_language", None)}


def steps_view(definition, answers: dict, labels: Labeller, theirs: Labeller | None,
               _: Gettext) -> list[dict[str, Any]]:
    """The answers step by step; with ``theirs`` (the patient's language, where
    it is not the summary's), each row and group also as the patient read it."""
    steps = []
    for step in definition.steps:
        rows, quiet = [], {}
        for question in step.questions:
            shown = _shown(question, answers, labels)
            if shown is None:
                continue
            value, is_quiet = shown
            if is_quiet:
                text = "; ".join(value) if isinstance(value, list) else value
                group = quiet.setdefault(text, {"answer": text, "labels": [], "ids": []})
                group["labels"].append(question.label)
                group["ids"].append(question.id)
                continue
            row = _row(question, value, question.help, getattr(question, "preamble", None))
            row["patient"] = _their_row(question.id, answers, row, theirs)
            rows.append(row)
        if rows or quiet:
            groups = [{**g, "patient": _their_group(g, answers, theirs)} for g in quiet.values()]
            steps.append({"number": step.number, "title": step.title, "rows": rows,
                          "quiet": groups, "patient_title": _their_title(step, theirs)})
    known = set(definition.questions)
    extra = [k for k in answers if k not in known]
    if extra:  # answers the current definition no longer has: show, never drop
        steps.append({"number": None, "title": _("Other answers"), "quiet": [],
                      "patient_title": None, "rows": [
            {**_row(k, str(answers[k])), "patient": None} for k in extra]})
    return steps


def _shown(question, answers: dict, labels: Labeller) -> tuple[Any, bool] | None:
    """(the answer as shown, whether it is quiet), None when not answered."""
    if question.id not in answers:
        instead = labels.format.show_in(question, answers)
        # a pick list left blank, its free text typed
        return (instead.plain, False) if instead is not None else None
    return labels.value(question.id, answers[question.id]), _is_quiet(question,
                                                                       answers[question.id])


def _their_title(step, theirs: Labeller | None) -> str | None:
    if theirs is None or theirs.definition is None:
        return None
    try:
        title = theirs.definition.step(step.id).title
    except KeyError:
        return None
    return title if title != step.title else None


def _their_row(qid: str, answers: dict, row: dict, theirs: Labeller | None) -> dict | None:
    if theirs is None:
        return None
    question = theirs.format.question(qid)
    if question is None:
        return None
    shown = _shown(question, answers, theirs)
    value = shown[0] if shown else row["value"]
    read = as_they_read(row, {"label": question.label, "value": value,
                              "many": isinstance(value, list)})
    return read and {**read, "text_language": getattr(question, "text_language", None)}


def _their_group(group: dict, answers: dict, theirs: Labeller | None) -> list[dict] | None:
    """A quiet group as the patient read it: one line per answer wording (a
    "No" may be "Non" for one question and "Jamais" for another)."""
    if theirs is None:
        return None
    lines: dict[str, list[str]] = {}
    for qid in group["ids"]:
        value = theirs.value(qid, answers.get(qid))
        answer = "; ".join(value) if isinstance(value, list) else value
        lines.setdefault(answer, []).append(theirs.label(qid))
    if list(lines) == [group["answer"]] and lines[group["answer"]] == group["labels"]:
        return None  # reads the same
    return [{"answer": answer, "labels": labels} for answer, labels in lines.items()]


def _role_id(definition, role: str) -> str | None:
    return getattr(definition, "roles", {}).get(role)


def _marked_regions(definition, answers: dict) -> list[str]:
    """The regions of the pain_regions question: where the patient has pain.

    Regions given for other questions (a skin problem, an implant) are listed
    with their answers; the diagram keeps to the one thing it is for.
    """
    qid = _role_id(definition, "pain_regions")
    return [r for r in answers.get(qid) or [] if isinstance(r, str)] if qid else []
