"""The patient side: invite and start links, the questionnaire wizard, submit."""

from flask import Blueprint, g

from intake.questionnaire import memo

bp = Blueprint("patient", __name__)


@bp.before_request
def _open_answers_memo() -> None:
    # Submitting re-checks every step: visibility and the whole-intake check
    # are then computed once per answers for the request (questionnaire/memo.py).
    g.answers_memo = memo.open_scope()


@bp.teardown_request
def _close_answers_memo(_error=None) -> None:
    token = g.pop("answers_memo", None)
    if token is not None:
        memo.close_scope(token)


from intake.patient import copy, follow_up, resume, routes  # noqa: E402,F401  (registers the views)
