"""Staff forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from intake import plaintext
from intake.models.staff import Role
from intake.screening.decisions import DECISIONS
from intake.screening.severity import LEVEL_LABELS, NO_FLAGS
from intake.staff.labels import STATUS_LABELS, lazily


def options(pairs) -> list:
    """Choices for a select, radio or checkbox field from (value, label) pairs."""
    pairs = list(pairs)
    return [SelectChoice(v, label) for v, label in pairs]  # tuples are deprecated in 3.3


class StaffForm(FlaskForm):
    """Every staff form: a field shown again after a mistake carries no control
    characters, whatever its type (a typed date or email is re-shown as typed)."""

    class Meta:
        def render_field(self, field, render_kw):
            return plaintext.strip_markup(super().render_field(field, render_kw))


class PlainText:
    """No control characters or bidi overrides (plaintext.py), said next to the field."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and plaintext.has_unsafe(field.data,
                                                               multiline=self.multiline):
            raise ValidationError(_l(
                "Please remove the hidden control characters from this text "
                "(they can come from copying and pasting)."))


class LoginForm(StaffForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(StaffForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired()],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=256)],
                        description=_l("At least 12 characters. A few unrelated words work well."),
                        render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("New password again"), validators=[InputRequired()],
                           render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Change password"))


class ActionForm(StaffForm):
    """A button that changes something: only the CSRF token is posted."""

    submit = SubmitField(_l("Confirm"))


ROLE_CHOICES = [(r.value, lazily(r.label)) for r in Role]


class CreateUserForm(StaffForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(check_deliverability=False),
                                            Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200), PlainText()])
    role = SelectField(_l("Role"), choices=options(ROLE_CHOICES), default=Role.PRACTITIONER.value)
    submit = SubmitField(_l("Create account"))


#: Appointments are booked at most this far back and ahead of the clinic's today:
#: a mistyped 9999 or 0001 is refused next to the field, never stored.
APPOINTMENT_DAYS_BACK = 366
APPOINTMENT_YEARS_AHEAD = 5


class AppointmentDay:
    """The appointment date lies in a sane range around the clinic's today."""

    def __call__(self, form, field) -> None:
        if field.data is None:
            return
        from datetime import timedelta

        from intake import clock
        from intake.dates_shown import clinic_date

        today = clock.today()
        earliest = today - timedelta(days=APPOINTMENT_DAYS_BACK)
        try:
            latest = today.replace(year=today.year + APPOINTMENT_YEARS_AHEAD)
        except ValueError:  # 29 February
            latest = today.replace(year=today.year + APPOINTMENT_YEARS_AHEAD, day=28)
        if not earliest <= field.data <= latest:
            raise ValidationError(_(
                "Please choose a date between %(earliest)s and %(latest)s.",
                earliest=clinic_date(earliest, "medium"), latest=clinic_date(latest, "medium")))


class InviteForm(StaffForm):
    name = StringField(_l("Patient name"), validators=[InputRequired(), Length(max=200),
                                                   PlainText()],
                       render_kw={"autocomplete": "off"})
    day = DateField(_l("Appointment date"), validators=[InputRequired(), AppointmentDay()])
    at = TimeField(_l("Appointment time"), validators=[InputRequired()])
    email = EmailField(_l("Email (optional)"),
                       validators=[Optional(), Email(check_deliverability=False),
                                   Length(max=254)],
                       description=_l("If given and the clinic has email set up, the link is "
                                   "sent to the patient."),
                       render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Create invite"))


class EditInviteForm(InviteForm):
    submit = SubmitField(_l("Save changes"))


class ReissueForm(StaffForm):
    """Make a new link; `clear_draft` is the choice offered when the new link cannot
    go by email and the patient has saved answers (staff must not see them)."""

    clear_draft = HiddenField(default="")
    submit = SubmitField(_l("Make a new link"))


class DashboardFilterForm(StaffForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Patient name"), validators=[Optional(), Length(max=100), PlainText()])
    status = SelectField(_l("Status"), validators=[Optional()], choices=options([
        ("", _l("Any status")), *((k, STATUS_LABELS[k]) for k in
                                  ("invited", "in_progress", "submitted", "reviewed")),
    ]))
    level = SelectField(_l("Worst flag"), validators=[Optional()], choices=options([
        ("", _l("Any")), *((k, lazily(v)) for k, v in LEVEL_LABELS.items()),
        ("none", lazily(NO_FLAGS)),
    ]))
    day = DateField(_l("Date"), validators=[Optional()])


class DecisionForm(StaffForm):
    choice = RadioField(_l("Decision"),
                        choices=options((k, lazily(v)) for k, v in DECISIONS.items()),
                        validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000),
                                             PlainText(multiline=True)])
    submit = SubmitField(_l("Record decision"))


class SignOffForm(StaffForm):
    # DataRequired, not InputRequired: "confirm=false" is input, and it is not a yes.
    confirm = BooleanField(_l("I have reviewed every flag and the answers."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Sign off as reviewed"))
