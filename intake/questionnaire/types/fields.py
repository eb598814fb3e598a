"""WTForms fields for the patient questionnaire (validators: validators.py).

The stock fields almost fit; these small subclasses exist because the
patient reads every message, so each says what to do in plain words; because
a date is typed as day, month and year boxes (easier on a phone than a
picker for a birth date); and because unknown option values must be refused
with a message, not silently dropped.
"""

from __future__ import annotations

import re
from datetime import date

from wtforms import Field
from wtforms.fields import BooleanField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import ValidationError
from wtforms.widgets import HiddenInput, TextArea

from intake import plaintext
from intake.i18n.messages import N_, both

from .display import number

__all__ = ["SelectChoice"]  # the choices the pick-list fields take (types/choices.py)

WHOLE = re.compile(r"[+-]?\d{1,9}")
ASCII_DIGITS = re.compile(r"[0-9]+")
DECIMAL = re.compile(r"[+-]?\d{1,9}(?:\.\d{1,6})?|[+-]?\.\d{1,6}")


def strip(value):
    return value.strip() if isinstance(value, str) else value


# --- fields -------------------------------------------------------------------------


class TextField(StringField):
    """Free text: control characters and bidi overrides are removed and the
    answer is refused once with a message, so the patient sees the cleaned
    text in the box and confirms it (plaintext.py holds the list)."""

    multiline = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, filters=[strip], **kwargs)

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data, removed = plaintext.clean(self.data, multiline=self.multiline)
            if removed:
                raise ValueError(plaintext.MESSAGE)


class TextAreaField(TextField):
    widget = TextArea()
    multiline = True


class SignatureField(StringField):
    """Fed by the signature pad script; without JavaScript it simply stays empty."""

    widget = HiddenInput()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, filters=[strip], **kwargs)


class NumberField(Field):
    """A number typed in a text box (inputmode numeric/decimal, as GOV.UK advises
    over type=number); a decimal comma is accepted."""

    def __init__(self, *args, decimal: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decimal = decimal

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return number(self.data)

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        text = text.replace(" ", "")
        try:
            if self.decimal:
                text = text.replace(",", ".")
                if not DECIMAL.fullmatch(text):
                    raise ValueError
                self.data = float(text)
            else:
                if not WHOLE.fullmatch(text):
                    raise ValueError
                self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(
                N_("Please enter a number, for example 72.5.") if self.decimal
                else N_("Please enter a whole number, for example 170.")
            ) from None


class ScaleField(NumberField):
    """0 to 10 and the like, shown as a row of radio buttons."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(N_("Please choose one of the numbers shown.")) from None


class ChoiceField(RadioField):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = strip(valuelist[0]) if valuelist else None

    def pre_validate(self, form) -> None:
        if self.data and self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(N_("Please choose one of the options shown."))


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; unknown values are refused, not silently dropped."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist) -> None:
        # A dict keeps the first-seen order and de-duplicates in linear time
        # (a list with `in` was quadratic: 40,000 values held a worker 85 s).
        self.data = list(dict.fromkeys(v for v in map(strip, valuelist) if v))

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(N_("Please choose only from the options shown."))


class TickField(BooleanField):
    """A single checkbox. Only "y" means ticked; anything else is not."""

    false_values = (False, "false", "", "n", "no", "off", "0")


class DatePartsField(Field):
    """A date typed as three boxes (day, month, year), posted as
    ``<name>-day``, ``<name>-month``, ``<name>-year``; data is "YYYY-MM-DD"."""

    PARTS = ("day", "month", "year")
    #: the parts' names in a message ("Please enter the day and year as well.")
    PART_NAMES = {"day": N_("day"), "month": N_("month"), "year": N_("year")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parts = dict.fromkeys(self.PARTS, "")
        self.date: date | None = None

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        self.object_data = None if data is unset_value else data
        self.data = None
        self.date = None
        self.raw_data = None
        if isinstance(self.object_data, str):
            try:
                self.date = date.fromisoformat(self.object_data)
                self.data = self.object_data
                self.parts = {
                    "day": str(self.date.day), "month": str(self.date.month),
                    "year": str(self.date.year),
                }
            except ValueError:
                pass
        if formdata is None:
            return
        self.parts = {p: (formdata.get(f"{self.name}-{p}") or "").strip() for p in self.PARTS}
        self.raw_data = [v for v in self.parts.values() if v]
        self.data = None
        self.date = None
        if self.raw_data:
            try:
                self.date = self._parse()
                self.data = self.date.isoformat()
            except ValueError as exc:
                self.process_errors.append(exc.args[0])

    def _parse(self) -> date:
        missing = [p for p in self.PARTS if not self.parts[p]]
        if missing:
            raise ValueError(N_("Please enter the %(parts)s as well.",
                                parts=both(self.PART_NAMES[p] for p in missing)))
        if not all(ASCII_DIGITS.fullmatch(self.parts[p]) for p in self.PARTS):
            raise ValueError(N_("Please use numbers only, for example 27 3 1980."))
        if len(self.parts["year"]) != 4:
            raise ValueError(N_("Please enter the year with 4 digits, for example 1980."))
        if len(self.parts["day"]) > 2 or len(self.parts["month"]) > 2:
            raise ValueError(N_("Please enter a real date, for example 27 3 1980."))
        try:
            return date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except (ValueError, OverflowError):
            raise ValueError(N_("Please enter a real date, for example 27 3 1980.")) from None

    def _value(self) -> str:
        return self.data or ""
