"""What the intake page shows, built from the questionnaire definition.

Answers are listed step by step with the patient-facing question labels and
option labels; evidence on a flag names the question and the patient's own
answer. When the definition cannot be loaded the page still works and falls
back to question ids, so a practitioner is never locked out of a record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from intake.i18n import locale_for
from intake.i18n.pages import current_language, current_locale
from intake.questionnaire.body_diagram import staff_diagram
from intake.questionnaire.types import AnswerFormat
from intake.questionnaire.types.display import NOT_ANSWERED


@dataclass(frozen=True)
class PatientWording:
    """What the patient read and chose, in their language, where it differs
    from the page's: the question's label and the answer's text (None: the
    same as the page's), and the BCP 47 tag to mark it with ("fr-CA")."""
    label: str | None
    text: str | None
    lang: str
    #: the language the question's own texts are in where not ``lang`` (Question.text_language)
    text_language: str | None = None


@dataclass(frozen=True)
class AnswerRow:
    id: str
    label: str
    text: str
    #: a data URL to show as an image (a drawn signature that passed its check)
    image: str | None = None
    #: the patient's own wording, when they answered in another language
    patient: PatientWording | None = None
    #: the language the question's texts are in where not the page's (Question.text_language)
    text_language: str | None = None


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


def in_language(definition, language: str | None):
    """The definition with its texts in ``language`` (English where it has
    no translation, or when the translation cannot be built)."""
    if definition is None or language is None:
        return definition
    try:
        return definition.translated(language)
    except Exception:  # a broken translation file must not lock staff out  # noqa: BLE001
        return definition


def page_definition():
    """The questionnaire worded in the current page's language (None: unloadable)."""
    return in_language(definition_or_none(), current_language())


def answer_format(definition, locale: str | None = None) -> AnswerFormat:
    """The one answer formatter (the patient's review page and the PDF use it
    too), in the page's locale unless told another."""
    return AnswerFormat(definition, locale or current_locale())


def region_label(definition, region_id: str) -> str:
    return answer_format(definition).region(region_id)


def format_answer(definition, question_id: str, value: Any) -> str:
    """An answer as the patient saw it: option labels, units, yes/no."""
    return answer_format(definition).text(question_id, value)


def question_label(definition, question_id: str, fallback: str | None = None) -> str:
    question = _question(definition, question_id)
    if question is not None:
        return question.label
    if question_id.startswith("plan."):
        return _("Treatment plan: %(item)s",
                 item=question_id.removeprefix("plan.").replace("_", " "))
    return fallback or question_id


def evidence_rows(definition, flag, answers: dict) -> list[dict]:
    """Why a flag fired: each piece of evidence with its label and the answer."""
    rows = []
    for item in flag.evidence or []:
        qid = str(item.get("question", ""))
        if qid.startswith("rules."):
            label, text = _("Because this rule fired"), qid.removeprefix("rules.")
        else:
            label = question_label(definition, qid, item.get("label"))
            value = answers.get(qid, item.get("value")) if not qid.startswith("plan.") \
                else item.get("value")
            text = format_answer(definition, qid, value)
        rows.append({"label": label, "answer": text, "note": item.get("note"),
                     "uncertain": bool(item.get("uncertain")),
                     "text_language": _text_language(definition, qid)})
    return rows


def answers_by_step(definition, answers: dict, patient_language: str | None = None
                    ) -> list[StepAnswers]:
    """Every answer, step by step, in the page's language; where the patient
    answered in another language and read another wording, theirs too."""
    fmt = answer_format(definition)
    if definition is None:
        rows = [_row(fmt, k, k, v) for k, v in answers.items()]
        return [StepAnswers("answers", _("Answers"), rows)] if rows else []
    theirs = _patient_format(definition, patient_language)
    steps = []
    seen: set[str] = set()
    for step in definition.steps:
        rows = []
        for question in step.questions:
            row = _question_row(fmt, question, answers)
            if question.id in answers:
                seen.add(question.id)
            if row is not None:
                rows.append(_with_patient_wording(row, theirs, answers))
        if rows:
            steps.append(StepAnswers(step.id, step.title, rows))
    extra = [AnswerRow(k, k, fmt.text(None, v)) for k, v in answers.items() if k not in seen]
    if extra:
        steps.append(StepAnswers("other", _("Other answers (not in this questionnaire "
                                            "version)"), extra))
    return steps


def _question_row(fmt: AnswerFormat, question, answers: dict) -> AnswerRow | None:
    if question.id in answers:
        row = _row(fmt, question.id, question.label, answers[question.id])
    elif (instead := fmt.show_in(question, answers)) is not None:
        row = AnswerRow(question.id, question.label, instead.plain)
    else:
        return None
    return replace(row, text_language=question.text_language)


def _text_language(definition, question_id: str) -> str | None:
    question = _question(definition, question_id)
    return question.text_language if question is not None else None


def _patient_format(definition, language: str | None) -> AnswerFormat | None:
    """The formatter of the patient's language, if it is not the page's."""
    if language is None or language == current_language():
        return None
    locale = locale_for(language, current_app.config["LOCALE"])
    return answer_format(in_language(definition.english or definition, language), locale)


def _with_patient_wording(row: AnswerRow, theirs: AnswerFormat | None,
                          answers: dict) -> AnswerRow:
    """The row, with the patient's label and answer where either differs."""
    if theirs is None or row.image is not None:
        return row
    question = theirs.question(row.id)
    if question is None:
        return row
    other = _question_row(theirs, question, answers)
    label = question.label if question.label != row.label else None
    text = other.text if other is not None and other.text != row.text else None
    if label is None and text is None:
        return row
    return replace(row, patient=PatientWording(label, text, theirs.locale.replace("_", "-"),
                                               question.text_language))


def _row(fmt: AnswerFormat, question_id: str, label: str, value: Any) -> AnswerRow:
    """Only a drawn-signature answer that passes the signature check is shown
    as an image (the type decides): a free-text answer that merely starts
    with ``data:image/png;base64,`` is text like any other."""
    shown = fmt.show(question_id, value)
    if shown is None:
        return AnswerRow(question_id, label, fmt.say(NOT_ANSWERED))
    return AnswerRow(question_id, label, shown.plain, shown.image)


def painful_regions(definition, answers: dict | None) -> list[str]:
    """The answer to the question with role pain_regions (none without a definition)."""
    if definition is None:
        return []
    return list((answers or {}).get(definition.role("pain_regions").id) or [])


def regions_by_area(definition) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(area label, [(region id, "Left knee"), ...]), ...] for the plan form."""
    if definition is None:
        return []
    sides = {"left": _("Left"), "right": _("Right")}
    return [(area.label, [(f"{side}_{area.id}", sides[side]) for side in ("left", "right")])
            for area in definition.regions.areas]


def _question(definition, question_id: str):
    if definition is None:
        return None
    try:
        return definition.question(question_id)
    except KeyError:
        return None


def diagram(definition, regions: list[str]):
    """The patient side's body diagram with `regions` marked, worded for staff
    (the patient's own left and right), or None without a definition."""
    if definition is None:
        return None
    return staff_diagram(definition.regions, regions)
