"""WTForms validators for the questions (the types pick them), each with a message a patient
can act on ("Please enter a number from 0 to 10."), never a library default.

Required-ness looks at what was typed, not at its truth, so a pain score of 0
is an answer (DataRequired would refuse it).
"""

from __future__ import annotations

from wtforms.validators import Email, StopValidation, ValidationError

from .base import is_blank
from .text import is_phone

__all__ = ["Email"]  # WTForms' own, with our message (types/text.py)

from intake.i18n.messages import N_
from intake.questionnaire.signature import TOO_LARGE, signature_problem

EARLIEST_YEAR = 1900


class Required:
    """Something was typed, ticked or chosen; "0" counts (unlike DataRequired)."""

    field_flags = {"required": True}

    def __init__(self, message: str = N_("Please answer this question.")) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not any(str(v).strip() for v in field.raw_data or ()):
            field.errors[:] = []
            raise StopValidation(self.message)


class RequiredUnless(Required):
    """Required, unless one of ``others`` is answered: a pick list may be left
    blank when its "other" free text says what the patient takes. A question
    of this step is read from the form; one of an earlier step from the
    answers saved before this post (``form.saved``, set by whoever builds
    the form; the whole-intake check decides again on the merged answers)."""

    def __init__(self, message: str, others: tuple[str, ...]) -> None:
        super().__init__(message)
        self.others = others

    def __call__(self, form, field) -> None:
        if any(str(v).strip() for v in field.raw_data or ()):
            return
        saved = getattr(form, "saved", None) or {}
        for qid in self.others:
            if qid in form:
                answered = any(str(v).strip() for v in form[qid].raw_data or ())
            else:
                answered = not is_blank(saved.get(qid))
            if answered:
                field.errors[:] = []
                raise StopValidation()
        super().__call__(form, field)


class NotRequired:
    """A blank optional answer is valid and skips the other checks."""

    field_flags = {"optional": True}

    def __call__(self, form, field) -> None:
        if not any(str(v).strip() for v in field.raw_data or ()):
            field.errors[:] = []
            raise StopValidation()


class Ticked:
    """A required tick box (consent) must be ticked, not merely posted."""

    field_flags = {"required": True}

    def __init__(self, message: str = N_("Please tick the box to continue.")) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is not True:
            field.errors[:] = []
            raise StopValidation(self.message)


class MaxLength:
    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form, field) -> None:
        if field.data and len(field.data) > self.limit:
            raise ValidationError(N_(
                "Please shorten this to %(limit)s characters or fewer (it has %(length)s).",
                limit=self.limit, length=len(field.data)))


class Phone:
    def __call__(self, form, field) -> None:
        if not is_phone(field.data or ""):
            raise ValidationError(
                N_("Please enter a phone number using digits, spaces and + ( ) - only."))


class InRange:
    """NumberRange with a message that says the range."""

    def __init__(self, low, high, unit: str | None = None) -> None:
        self.low, self.high, self.unit = low, high, unit

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            unit = f" {self.unit}" if self.unit else ""
            low, high = _num(self.low), _num(self.high)
            if self.low is not None and self.high is not None:
                raise ValidationError(N_("Please enter a number from %(low)s to %(high)s%(unit)s.",
                                         low=low, high=high, unit=unit))
            if self.low is not None:
                raise ValidationError(N_("Please enter %(low)s%(unit)s or more.",
                                         low=low, unit=unit))
            raise ValidationError(N_("Please enter %(high)s%(unit)s or less.",
                                     high=high, unit=unit))


class DateLimits:
    """Sensible years, and no future (or past) date where the question says so.

    "Today" is the form's ``today`` (the clinic's, set by whoever builds the
    form: see forms.step_form), else the server's."""

    def __init__(self, *, not_future: bool, not_past: bool) -> None:
        self.not_future, self.not_past = not_future, not_past

    def __call__(self, form, field) -> None:
        day = field.date
        if day is None:
            return
        today = form.today  # the clinic's date, set by whoever builds the form (step_form)
        if self.not_future and day > today:
            raise ValidationError(N_("The date cannot be in the future."))
        if self.not_past and day < today:
            raise ValidationError(N_("The date cannot be in the past."))
        latest = today.year if self.not_future else today.year + 10
        if not EARLIEST_YEAR <= day.year <= latest:
            raise ValidationError(N_(
                "Please check the year: it should be between %(earliest)s and %(latest)s.",
                earliest=EARLIEST_YEAR, latest=latest))


class Exclusive:
    """Answers like "None of these" cannot be ticked together with others."""

    def __init__(self, values: tuple[str, ...], labels: dict[str, str]) -> None:
        self.values, self.labels = values, labels

    def __call__(self, form, field) -> None:
        chosen = field.data or []
        if len(chosen) < 2:
            return
        for value in self.values:
            if value in chosen:
                raise ValidationError(N_(
                    "“%(label)s” cannot be ticked together with other answers. "
                    "Please untick one.", label=self.labels.get(value, value)))


class Signature:
    """A drawn signature that intake.questionnaire.signature accepts."""

    def __call__(self, form, field) -> None:
        problem = signature_problem(field.data or "")
        if problem == TOO_LARGE:
            raise ValidationError(
                N_("The drawn signature is too large. Please clear it and sign again."))
        if problem:
            raise ValidationError(N_(
                "The drawn signature could not be read. Please clear it and sign again, "
                "or leave it empty: your typed name is enough."))


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
