"""What a QuestionnaireResponse may pre-fill in a new intake's draft.

In the spirit of SDC's $populate: the answers are offered, never taken as
given. The patient walks every step and confirms them (no step is marked
complete), and the consent step is never pre-filled: agreeing and signing
are the patient's own, each time. An answer to a question that the other
answers hide is a problem like any other, so nothing is half-imported.
The response's ``language`` ("fr-CA") becomes the intake's when the app
speaks it; the patient's first page still offers the choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from intake.i18n import known

from .response import ResponseError, read_response


def prefill_answers(definition, data: Any, today: date) -> tuple[dict[str, Any], list[str]]:
    """(answers for the draft, ids left out because they are the consent's);
    ResponseError with every problem otherwise."""
    answers = read_response(definition, data, today)
    visible = definition.visibility(answers, today)
    hidden = [f"{qid}: answered, but not asked with these answers" for qid in answers
              if not visible[qid]]
    if hidden:
        raise ResponseError(hidden)
    consent_step = _consent_step(definition)
    left_out = [qid for qid in answers if definition.questions[qid].step_id == consent_step]
    return {k: v for k, v in answers.items() if k not in left_out}, left_out


def _consent_step(definition) -> str | None:
    try:
        return definition.role("consent").step_id
    except KeyError:
        return None


def response_language(data: Any) -> str | None:
    """The app's code for a response's BCP 47 ``language`` ("fr-CA" -> "fr");
    None when it has none or names one the app does not speak."""
    tag = data.get("language") if isinstance(data, dict) else None
    if not isinstance(tag, str):
        return None
    return known(tag.replace("_", "-").split("-")[0].lower())
