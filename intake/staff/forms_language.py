"""The language settings: a staff user's own, and the clinic's (admins).

Both offer English and French in their own names, and "none" (the stored
NULL: the clinic's language for a user, the deployment's for the clinic).
A value the form did not offer is refused next to the field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SubmitField
from wtforms.validators import ValidationError

from intake.i18n import LANGUAGES
from intake.staff.forms import StaffForm, options

#: the posted value of "no language of my own" (stored as NULL)
INHERIT = ""


def stored(value: str | None) -> str | None:
    """The column's value for a posted choice: a code, or None."""
    return value or None


class OneOfTheLanguages:
    """The posted value is a language the app speaks, or INHERIT; when
    `optional`, a form posted without the field leaves the setting as it is."""

    def __init__(self, *, optional: bool = False) -> None:
        self.optional = optional

    def __call__(self, form, field) -> None:
        if field.raw_data == [] and self.optional:
            return
        if not field.raw_data:
            raise ValidationError(_l("Please choose a language."))
        if field.raw_data[0] != INHERIT and field.raw_data[0] not in LANGUAGES:
            raise ValidationError(_l("Please choose one of the languages listed."))


def language_field(label, inherit_label, *, optional: bool = False) -> RadioField:
    return RadioField(label, choices=options([(INHERIT, inherit_label), *LANGUAGES.items()]),
                      validators=[OneOfTheLanguages(optional=optional)],
                      validate_choice=False, default=INHERIT)


class LanguageForm(StaffForm):
    language = language_field(_l("Language of your staff pages"),
                              _l("The clinic's language"))
    submit = SubmitField(_l("Save language"))
