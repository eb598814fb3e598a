"""Synthetic, complete and valid answers built from the questionnaire definition.

For any test that needs a submitted-looking intake (screening, staff pages,
PDFs) without hand-writing ninety answers that go stale when a question is
added. The defaults are the "nothing to report" answer wherever there is one
("no", "None of these", no pain at night), so the baseline screens with as few
flags as the rules allow; pass ``overrides`` to add what a test is about.

    answers = valid_answers()                                  # whole intake
    answers = valid_answers(overrides={"symptoms.bladder": "new"})
    step_answers(definition, "pain", answers)                  # one step's part
    step_post(definition, "pain", answers)                     # as a browser posts it
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from werkzeug.datastructures import MultiDict

from intake.questionnaire import Definition, Question, load_definition

#: Answers for particular questions where the generic pick would read oddly.
NAMED = {
    "about.full_name": "Alex Example",
    "about.date_of_birth": "1980-04-02",
    "about.sex_at_birth": "male",
    "about.phone": "+1 555 0100 2000",
    "about.email": "alex@example.org",
    "about.emergency_contact_name": "Sam Example",
    "about.emergency_contact_phone": "+1 555 0100 3000",
    "about.height_cm": 175,
    "about.weight_kg": 72.5,
    "about.completed_by": "patient",
    "pain.regions": ["left_buttock", "left_back_of_thigh"],
    "pain.back_pain": "yes",
    "pain.started_when": "two_to_6_weeks",
    "pain.how_started": "no_injury",
    "pain.first_episode": "no",
    "pain.back_now": 4,
    "pain.back_worst_24h": 6,
    "needling.fear": "comfortable",
    "needling.willing": "yes",
    "needling.can_decide": "yes",
    "consent.read_understood": True,
    "consent.typed_signature": "Alex Example",
}
#: Preferred option values, in order, for questions not named above.
CALM = ("no", "none", "never", "not_at_all", "disagree", "comfortable", "patient")


def sample_value(question: Question, definition: Definition, today: date) -> Any:
    """One valid answer for a question, independent of the others."""
    if question.id in NAMED:
        return NAMED[question.id]
    qtype = question.type
    if qtype in ("text", "textarea"):
        return "Example answer"
    if qtype == "email":
        return "someone@example.org"
    if qtype == "phone":
        return "+1 555 0100 4000"
    if qtype == "date":
        if question.not_past:
            return (today + timedelta(days=7)).isoformat()
        return "2020-01-15"
    if qtype in ("integer", "decimal", "scale"):
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else (10 if qtype == "scale" else low + 10)
        value = int((low + high) // 2)
        return float(value) if qtype == "decimal" else value
    if qtype == "choice":
        values = [o.value for o in question.options]
        return next((v for v in CALM if v in values), values[0])
    if qtype == "multi":
        values = [o.value for o in question.options]
        return [next((v for v in question.exclusive if v in CALM), values[0])]
    if qtype == "regions":
        return [definition.regions.ids[0]]
    if qtype == "boolean":
        return True
    return None  # signature: optional, left blank


def valid_answers(definition: Definition | None = None, *, today: date | None = None,
                  overrides: Mapping[str, Any] | None = None,
                  check: bool = True) -> dict[str, Any]:
    """A complete answers dict that passes ``definition.check_answers``.

    Questions are visited in order (a condition only names earlier questions),
    so each show_if is decided on the answers chosen so far; ``overrides`` are
    applied as they are reached, so they steer which later questions appear.
    An override of None leaves that question unanswered.
    """
    definition = definition or load_definition()
    today = today or date.today()
    overrides = dict(overrides or {})
    answers: dict[str, Any] = {}
    for question in definition.questions.values():
        if not definition.is_visible(question, answers, today):
            continue
        value = (overrides[question.id] if question.id in overrides
                 else sample_value(question, definition, today))
        if value is not None:
            answers[question.id] = value
    if check:
        problems = definition.check_answers(answers, today)
        assert not problems, problems
    return answers


def clinic_today(app) -> date:
    """The app's clinic day (intake.clock), for calls outside a request."""
    from intake import clock

    return clock.today_in(clock.zone(app))


def step_answers(definition: Definition, step_id: str,
                 answers: Mapping[str, Any]) -> dict[str, Any]:
    ids = {q.id for q in definition.step(step_id).questions}
    return {k: v for k, v in answers.items() if k in ids}


def step_post(definition: Definition, step_id: str, answers: Mapping[str, Any],
              action: str = "next", extra: Mapping[str, Any] | None = None) -> MultiDict:
    """A step's answers as the browser posts them (date parts, repeated keys);
    ``extra`` replaces raw posted values (a list for repeated keys)."""
    from intake.patient.forms import answers_to_formdata

    data = answers_to_formdata(definition.step(step_id), dict(answers))
    data.add("action", action)
    for key, value in (extra or {}).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def save_steps(intake, definition: Definition, answers: Mapping[str, Any], *, until: str,
               including: bool) -> None:
    """Store a draft step by step, as completed steps, up to the step `until`
    (with it when `including`): a patient part-way through the wizard."""
    for step in definition.steps:
        if step.id == until and not including:
            return
        intake.save_step(step.id, step_answers(definition, step.id, answers), set(),
                         completed=True)
        if step.id == until:
            return
