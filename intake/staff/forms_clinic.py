"""The clinic settings form (admins)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from intake.operations.clinic_settings import EVERY_MAX, EVERY_MIN
from intake.staff.forms import StaffForm
from intake.staff.forms_language import language_field


class ClinicSettingsForm(StaffForm):
    follow_up_every = IntegerField(
        _l("Ask PHQ-2 and STarT Back at every how-many-th visit"),
        validators=[InputRequired(message=_l("Please give a whole number of visits.")),
                    NumberRange(EVERY_MIN, EVERY_MAX,
                                message=_l("Please give a whole number from %(low)d to "
                                           "%(high)d.", low=EVERY_MIN, high=EVERY_MAX))],
        description=_l("The first intake is visit 1. With 4 (the default) the two "
                       "questionnaires are asked at visits 5, 9, 13 and so on, that is at "
                       "every fourth follow-up; with 1 they are asked at every follow-up. "
                       "The first intake always asks them."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    # Optional: a post without it (an older page) leaves the language as it is.
    language = language_field(_l("Language of the staff pages and the practitioner's "
                                 "summary"),
                              _l("The installation's default"), optional=True)
    submit = SubmitField(_l("Save settings"))
