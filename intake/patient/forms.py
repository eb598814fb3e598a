"""The questionnaire definition turned into one WTForms form class per step.

A question is written once, in questionnaire.yaml; its form field, checks and
messages come from its type (intake.questionnaire.types). Forms are plain
``wtforms.Form`` (CSRFProtect guards every POST app-wide, so no per-form CSRF
field), and every field is built without required-ness tricks: whether a
question is asked at all depends on the answers, so the wizard validates only
the fields of visible questions (see wizard.py).

Field names are the question ids ("about.full_name"), so a posted form is
already keyed like the answers; element ids are ``q-<step>-<name>``.
"""

from __future__ import annotations

import copy
import functools
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Form

from intake.questionnaire import Definition, Question, Step


def field_id(question_id: str) -> str:
    return "q-" + question_id.replace(".", "-")


def build_field(question: Question, definition: Definition):
    """The unbound WTForms field for one question."""
    kind = question.kind
    return kind.form_field(question, definition, label=question.label,
                           id=field_id(question.id),
                           validators=kind.validators(question, definition))


@functools.lru_cache(maxsize=64)
def step_form_class(definition: Definition, step_id: str) -> type[Form]:
    """One Form subclass per step, with a field for every question of the step."""
    step = definition.step(step_id)
    attrs = {q.id: build_field(q, definition) for q in step.questions}
    return type(f"StepForm_{step.id}", (Form,), attrs)


@functools.lru_cache(maxsize=64)
def _prototype(definition: Definition, step_id: str) -> Form:
    """The step's form built once, holding no input: each request binds a copy.

    Building a field (its label, widget, flags, validator checks, a choice
    list's legacy-shape scan) cost a step save more than processing what was
    posted; none of that depends on the request. Only what `process` and
    `validate` set (data, raw_data, errors) differs between requests, and a
    copy gets its own. Never processed or validated itself, so safe to share
    between threads."""
    return step_form_class(definition, step_id)()


def step_form(definition: Definition, step: Step, formdata, today: date) -> Form:
    """The bound form; ``today`` (the clinic's) is what date checks compare with."""
    prototype = _prototype(definition, step.id)
    form = copy.copy(prototype)
    form._fields = {}
    for name, field in prototype._fields.items():
        bound = object.__new__(type(field))  # Field.__new__ would make an UnboundField
        bound.__dict__.update(field.__dict__, _form=form)
        form._fields[name] = bound
        form.__dict__[name] = bound  # as Form.__init__ sets each field as an attribute
    form.form_errors = []
    form.process(formdata)
    form.today = today
    return form


def field_answer(question: Question, field) -> Any:
    """What a field holds, in the answers' shape; None when blank or unreadable."""
    return question.kind.to_answer(question, field)


def answers_to_formdata(step: Step, answers: dict[str, Any]) -> MultiDict:
    """Saved answers as the browser would post them, so a stored draft can be
    validated by the same forms (InputRequired-style checks need raw input)."""
    data = MultiDict()
    for question in step.questions:
        value = answers.get(question.id)
        if value is not None:
            question.kind.to_formdata(question, value, data)
    return data
