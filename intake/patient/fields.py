"""WTForms fields and validators for the patient questionnaire.

The stock fields almost fit; these small subclasses exist for three reasons:
the patient reads every message, so each one says what to do in plain words;
a date is typed as day, month and year boxes (easier on a phone than a
picker for a birth date); and required-ness must accept 0 (a pain score of 0
is an answer), so "required" looks at what was typed, never at its truth.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date

from wtforms import Field
from wtforms.fields import BooleanField, RadioField, SelectMultipleField, StringField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import HiddenInput, TextArea

PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SIGNATURE_MAX = 200 * 1024
PHONE = re.compile(r"^\+?[0-9 ()./-]+(?: ?(?:x|ext\.?) ?[0-9]+)?$")
EARLIEST_YEAR = 1900


def strip(value):
    return value.strip() if isinstance(value, str) else value


# --- validators ---------------------------------------------------------------------


class Required:
    """Something was typed, ticked or chosen; "0" counts (unlike DataRequired)."""

    field_flags = {"required": True}

    def __init__(self, message: str = "Please answer this question.") -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not any(str(v).strip() for v in field.raw_data or ()):
            field.errors[:] = []
            raise StopValidation(self.message)


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

    def __init__(self, message: str = "Please tick the box to continue.") -> None:
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
            raise ValidationError(
                f"Please shorten this to {self.limit} characters or fewer "
                f"(it has {len(field.data)})."
            )


class Phone:
    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not PHONE.match(value) or sum(c.isdigit() for c in value) < 7:
            raise ValidationError(
                "Please enter a phone number using digits, spaces and + ( ) - only."
            )


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
            if self.low is not None and self.high is not None:
                raise ValidationError(
                    f"Please enter a number from {_num(self.low)} to {_num(self.high)}{unit}."
                )
            if self.low is not None:
                raise ValidationError(f"Please enter {_num(self.low)}{unit} or more.")
            raise ValidationError(f"Please enter {_num(self.high)}{unit} or less.")


class DateLimits:
    """Sensible years, and no future (or past) date where the question says so."""

    def __init__(self, *, not_future: bool, not_past: bool) -> None:
        self.not_future, self.not_past = not_future, not_past

    def __call__(self, form, field) -> None:
        day = field.date
        if day is None:
            return
        today = date.today()
        if self.not_future and day > today:
            raise ValidationError("The date cannot be in the future.")
        if self.not_past and day < today:
            raise ValidationError("The date cannot be in the past.")
        latest = today.year if self.not_future else today.year + 10
        if not EARLIEST_YEAR <= day.year <= latest:
            raise ValidationError(
                f"Please check the year: it should be between {EARLIEST_YEAR} and {latest}."
            )


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
                raise ValidationError(
                    f"“{self.labels.get(value, value)}” cannot be ticked together with "
                    "other answers. Please untick one."
                )


class Signature:
    """A PNG data URL of at most 200 kB, as the signature pad produces."""

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if len(value) > SIGNATURE_MAX:
            raise ValidationError(
                "The drawn signature is too large. Please clear it and sign again."
            )
        bad = ValidationError(
            "The drawn signature could not be read. Please clear it and sign again, "
            "or leave it empty: your typed name is enough."
        )
        if not value.startswith(PNG_PREFIX):
            raise bad
        try:
            data = base64.b64decode(value[len(PNG_PREFIX):], validate=True)
        except (binascii.Error, ValueError):
            raise bad from None
        if not data.startswith(PNG_MAGIC):
            raise bad


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- fields -------------------------------------------------------------------------


class TextField(StringField):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, filters=[strip], **kwargs)


class TextAreaField(TextField):
    widget = TextArea()


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
        return f"{self.data:g}" if isinstance(self.data, float) else str(self.data)

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        try:
            if self.decimal:
                self.data = float(text.replace(",", ".").replace(" ", ""))
                if self.data != self.data or self.data in (float("inf"), float("-inf")):
                    raise ValueError
            else:
                self.data = int(text.replace(" ", ""))
        except ValueError:
            self.data = None
            raise ValueError(
                "Please enter a number, for example 72.5." if self.decimal
                else "Please enter a whole number, for example 170."
            ) from None


class ScaleField(NumberField):
    """0 to 10 and the like, shown as a row of radio buttons."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Please choose one of the numbers shown.") from None


class ChoiceField(RadioField):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist) -> None:
        self.data = strip(valuelist[0]) if valuelist else None

    def pre_validate(self, form) -> None:
        if self.data and self.data not in {choice.value for choice in self.choices}:
            raise ValidationError("Please choose one of the options shown.")


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; unknown values are refused, not silently dropped."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist) -> None:
        seen: list[str] = []
        for value in valuelist:
            value = strip(value)
            if value and value not in seen:
                seen.append(value)
        self.data = seen

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError("Please choose only from the options shown.")


class TickField(BooleanField):
    """A single checkbox. Only "y" means ticked; anything else is not."""

    false_values = (False, "false", "", "n", "no", "off", "0")


class DatePartsField(Field):
    """A date typed as three boxes (day, month, year), posted as
    ``<name>-day``, ``<name>-month``, ``<name>-year``; data is "YYYY-MM-DD"."""

    PARTS = ("day", "month", "year")

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
            raise ValueError(f"Please enter the {' and '.join(missing)} as well.")
        if not all(self.parts[p].isdigit() for p in self.PARTS):
            raise ValueError("Please use numbers only, for example 27 3 1980.")
        if len(self.parts["year"]) != 4:
            raise ValueError("Please enter the year with 4 digits, for example 1980.")
        try:
            return date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except ValueError:
            raise ValueError("Please enter a real date, for example 27 3 1980.") from None

    def _value(self) -> str:
        return self.data or ""
