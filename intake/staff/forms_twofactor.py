"""Forms for two-factor sign-in (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from intake.staff.forms import PlainText, StaffForm


class CodeForm(StaffForm):
    code = StringField(
        _l("Code from your authenticator app"), validators=[InputRequired(), Length(max=20),
                                                            PlainText()],
        description=_l("The 6-digit code the app shows now."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "spellcheck": "false", "autocapitalize": "off"})
    submit = SubmitField(_l("Continue"))


class RecoveryForm(StaffForm):
    code = StringField(
        _l("Recovery code"), validators=[InputRequired(), Length(max=64), PlainText()],
        description=_l("One of the codes you saved when you set up two-factor sign-in, "
                       "like abcde-23456. Each works once."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"})
    submit = SubmitField(_l("Sign in with recovery code"))


class NewRecoveryCodesForm(CodeForm):
    submit = SubmitField(_l("Make new recovery codes"))


class RequireForm(StaffForm):
    required = BooleanField(_l("Require two-factor sign-in for administrators and "
                                "practitioners"))
    submit = SubmitField(_l("Save setting"))


class TurnOffForm(StaffForm):
    """Shown on the account page next to NewRecoveryCodesForm: made with
    prefix=TURN_OFF_PREFIX so the two forms' ids differ."""

    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[InputRequired(), Length(max=64), PlainText()],
        description=_l("The 6-digit code the app shows now, or one of your unused recovery "
                       "codes (each works once)."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false",
                   "autocapitalize": "off"})
    submit = SubmitField(_l("Turn off two-factor sign-in"))


TURN_OFF_PREFIX = "off"
