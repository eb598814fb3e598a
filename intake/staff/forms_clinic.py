"""The clinic settings form (admins)."""

from __future__ import annotations

from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from intake.operations.clinic_settings import EVERY_MAX, EVERY_MIN
from intake.staff.forms import StaffForm


class ClinicSettingsForm(StaffForm):
    follow_up_every = IntegerField(
        "Ask PHQ-2 and STarT Back at every how-many-th visit",
        validators=[InputRequired(message="Please give a whole number of visits."),
                    NumberRange(EVERY_MIN, EVERY_MAX,
                                message=f"Please give a whole number from {EVERY_MIN} "
                                        f"to {EVERY_MAX}.")],
        description="The first intake is visit 1. With 4 (the default) the two "
                    "questionnaires are asked at visits 5, 9, 13 and so on, that is at "
                    "every fourth follow-up; with 1 they are asked at every follow-up. "
                    "The first intake always asks them.",
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    submit = SubmitField("Save settings")
