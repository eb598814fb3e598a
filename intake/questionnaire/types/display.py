"""One way to read an answer, for the patient's review page, the staff pages
and the PDF alike.

Each type says how its answer reads (``QuestionType.show``); this module
holds what they share: the clinic's locale for dates, numbers without a
stray ".0", and labels that never hide an answer the definition no longer
knows (an older questionnaire version shows the raw value instead).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from intake.i18n import language_of
from intake.i18n.messages import N_, translate

from .base import Shown, is_blank

if TYPE_CHECKING:
    from ..definition import Definition, Question

#: for callers without the clinic's setting (INTAKE_LOCALE, checked in config.py)
DEFAULT_LOCALE = "en_GB"
NOT_ANSWERED = N_("Not answered")


def number(value: Any) -> str:
    """72, 72.5, 0.00001: no stray ".0", no exponent, at most the six decimals
    the form accepts (so a shown number can be typed back in as it is)."""
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def decimal(value: Any, locale: str = DEFAULT_LOCALE) -> str:
    """``number`` in the locale's digits: "71.5" in en_GB, "71,5" in fr_CA; no
    grouping (a weight of 1200 g reads "1200" in both)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return number(value)
    if isinstance(value, float) and not math.isfinite(value):
        return number(value)
    from babel.numbers import format_decimal  # only readers need it

    return format_decimal(value, format="0.######", locale=locale)


def day(value: Any, locale: str = DEFAULT_LOCALE, width: str = "long") -> str:
    """An ISO date in the clinic's words ("14 September 1968" in en_GB; the
    ``width`` "full" adds the weekday)."""
    if isinstance(value, date):
        when = value
    else:
        try:
            when = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    from babel.dates import format_date  # only readers need it, not the screening engine

    return format_date(when, format=width, locale=locale)


#: how a date and time may be written: (date width, time width)
MOMENTS = {
    "long": ("long", "short"),       # 2 December 2026, 09:30 (the patient's receipt)
    "medium": ("medium", "short"),   # 2 Dec 2026, 09:30 (staff pages)
    "seconds": ("medium", "medium"),  # 2 Dec 2026, 09:30:05 (the audit log)
}


def moment(when: datetime, locale: str = DEFAULT_LOCALE, style: str = "medium") -> str:
    """A date and time in the clinic's words, joined the locale's way (Babel's
    own date-time pattern, with the time kept short). ``when`` is already in
    the clinic's zone; ``style`` is a key of MOMENTS, or "date" / "time"."""
    from babel.dates import format_date, format_time, get_datetime_format

    if style == "date":
        return format_date(when, format="medium", locale=locale)
    if style == "time":
        return _unbroken(format_time(when, format="short", locale=locale))
    date_width, time_width = MOMENTS[style]
    pattern = get_datetime_format(date_width, locale=locale).replace("'", "")
    time = _unbroken(format_time(when, format=time_width, locale=locale))
    return (pattern.replace("{0}", time)
            .replace("{1}", format_date(when, format=date_width, locale=locale)))


def _unbroken(time: str) -> str:
    """A time never breaks across lines: French writes "17 h 32", and a line
    break left "17 h" above "32"."""
    return time.replace(" ", "\u00a0")


def fallback(value: Any) -> Shown:
    """An answer with no question to read it by (not in this definition)."""
    if isinstance(value, bool):
        return Shown(text=N_("Yes") if value else N_("No"))
    if isinstance(value, list):
        return Shown(items=tuple(str(item) for item in value))
    return Shown(text=number(value))


class AnswerFormat:
    """Shows answers by their question's type; tolerant of unknown ids and values."""

    def __init__(self, definition: Definition | None, locale: str = DEFAULT_LOCALE) -> None:
        self.definition = definition
        self.locale = locale
        #: the words of the answers ("Yes", "6 out of 10", "Not answered") follow
        #: the locale; the labels are the definition's (``translated(language)``)
        self.language = language_of(locale)

    def say(self, message: Any) -> Any:
        """A type's word or message (intake.i18n.messages) in this format's language."""
        return translate(message, self.language)

    def _said(self, shown: Shown) -> Shown:
        if self.language == "en":
            return shown
        return dataclasses.replace(shown, text=self.say(shown.text),
                                   items=tuple(self.say(i) for i in shown.items))

    def question(self, question_id: str) -> Question | None:
        if self.definition is None:
            return None
        return self.definition.questions.get(question_id)

    def show(self, question: Question | str | None, value: Any) -> Shown | None:
        """The answer as every reader shows it; None when unanswered."""
        if isinstance(question, str):
            question = self.question(question)
        if question is None:
            return None if is_blank(value) else self._said(fallback(value))
        if question.kind.is_blank(value):
            return None
        return self._said(question.kind.show(question, value, self))

    def show_in(self, question: Question, answers: Mapping[str, Any]) -> Shown | None:
        """The answer to ``question`` in stored ``answers``. Left blank where
        another answer stands in for it (required_unless_answered: a pick list
        and its free text), it reads "Nothing ticked; typed instead: …", never
        "Not answered"; None when simply unanswered."""
        shown = self.show(question, answers.get(question.id))
        if shown is not None or not question.required_unless_answered:
            return shown
        typed = [self.show(qid, answers.get(qid)) for qid in question.required_unless_answered]
        words = "; ".join(t.plain for t in typed if t is not None)
        if not words:
            return None
        return Shown(text=self.say(N_("%(left_blank)s; typed instead: %(words)s",
                                      left_blank=question.kind.left_blank, words=words)))

    def text(self, question: Question | str | None, value: Any) -> str:
        """One line, "Not answered" when blank."""
        shown = self.show(question, value)
        return shown.plain if shown is not None else self.say(NOT_ANSWERED)

    def items(self, question: Question | str | None, value: Any) -> str | list[str]:
        """The text, or the list of labels for a list answer (the PDF's rows)."""
        shown = self.show(question, value)
        if shown is None:
            return self.say(NOT_ANSWERED)
        return list(shown.items) if shown.items else (shown.text or "")

    # --- for the types ----------------------------------------------------------

    def option(self, question: Question, value: Any) -> str:
        for option in question.options:
            if option.value == value:
                return option.label
        return str(value)

    def region(self, region_id: Any) -> str:
        regions = self.definition.regions if self.definition is not None else None
        if regions is not None and region_id in regions:
            return regions.label(region_id)
        return str(region_id).replace("_", " ").capitalize()

    def day(self, value: Any, width: str = "long") -> str:
        return day(value, self.locale, width)

    def number(self, value: Any) -> str:
        """A number as this format's locale writes it ("71,5" in French)."""
        return decimal(value, self.locale)
