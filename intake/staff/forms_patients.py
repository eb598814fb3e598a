"""Forms for finding a patient and for answering a possible match."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from intake.staff.forms import PlainText, StaffForm


class FindPatientForm(StaffForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    name = StringField(_l("Name"), validators=[Optional(), Length(max=100), PlainText()],
                       render_kw={"autocomplete": "off"})
    dob = DateField(_l("Date of birth"), validators=[Optional()])


class MatchForm(StaffForm):
    """Confirm or dismiss the match named by `patient_id` (the page showed it)."""

    patient_id = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    confirm = SubmitField(_l("Same person: link"))
    dismiss = SubmitField(_l("Not the same person"))
