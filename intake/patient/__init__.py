"""The patient side: invite and start links, the questionnaire wizard, submit."""

from flask import Blueprint

bp = Blueprint("patient", __name__)

from intake.patient import routes  # noqa: E402,F401  (registers the views)
