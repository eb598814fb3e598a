"""The questionnaire definition turned into one WTForms form class per step.

A question is written once, in questionnaire.yaml; its form field, checks and
messages all follow from its type here. Forms are plain ``wtforms.Form``
(CSRFProtect guards every POST app-wide, so no per-form CSRF field), and
every field is built without required-ness tricks: whether a question is
asked at all depends on the answers, so the wizard validates only the fields
of visible questions (see wizard.py).

Field names are the question ids ("about.full_name"), so a posted form is
already keyed like the answers; element ids are ``q-<step>-<name>``.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email

from intake.patient import fields as f
from intake.patient import validators as v
from intake.questionnaire import Definition, Question, Step

#: Length limits for text types without max_length (email/phone as in answers.py).
TEXT_LIMITS = {"text": 200, "textarea": 2000, "email": 254, "phone": 40}


def field_id(question_id: str) -> str:
    return "q-" + question_id.replace(".", "-")


def build_field(question: Question, definition: Definition):
    """The unbound WTForms field for one question."""
    qtype = question.type
    validators: list = []
    if question.required and qtype != "signature":
        if qtype == "boolean":
            validators.append(v.Ticked())
        else:
            message = (
                "Please choose an answer." if qtype in ("choice", "scale")
                else "Please tick at least one box." if qtype in ("multi", "regions")
                else "Please answer this question."
            )
            validators.append(v.Required(message))
    elif qtype != "boolean":
        validators.append(v.NotRequired())
    kwargs: dict[str, Any] = {
        "label": question.label, "id": field_id(question.id), "validators": validators,
    }
    if qtype in TEXT_LIMITS:
        validators.append(v.MaxLength(question.max_length or TEXT_LIMITS[qtype]))
        if qtype == "email":
            validators.append(Email(
                message="Please enter an email address in the form name@example.com.",
                granular_message=False, check_deliverability=False,
            ))
        elif qtype == "phone":
            validators.append(v.Phone())
        return (f.TextAreaField if qtype == "textarea" else f.TextField)(**kwargs)
    if qtype == "date":
        validators.append(v.DateLimits(not_future=question.not_future,
                                       not_past=question.not_past))
        return f.DatePartsField(**kwargs)
    if qtype in ("integer", "decimal", "scale"):
        low, high = question.min, question.max
        if qtype == "scale":
            low = 0 if low is None else low
            high = 10 if high is None else high
        validators.append(v.InRange(low, high, question.unit))
        if qtype == "scale":
            return f.ScaleField(**kwargs)
        return f.NumberField(decimal=qtype == "decimal", **kwargs)
    if qtype == "choice":
        return f.ChoiceField(choices=[SelectChoice(o.value, o.label) for o in question.options],
                             **kwargs)
    if qtype in ("multi", "regions"):
        if qtype == "regions":
            choices = [SelectChoice(rid, definition.regions.label(rid))
                       for rid in definition.regions.ids]
        else:
            choices = [SelectChoice(o.value, o.label) for o in question.options]
        if question.exclusive:
            labels = {c.value: c.label for c in choices}
            validators.append(v.Exclusive(question.exclusive, labels))
        return f.MultiCheckboxField(choices=choices, **kwargs)
    if qtype == "boolean":
        return f.TickField(**kwargs)
    if qtype == "signature":
        validators.append(v.Signature())
        return f.SignatureField(**kwargs)
    raise ValueError(f"{question.id}: no form field for type {qtype!r}")


@functools.lru_cache(maxsize=64)
def step_form_class(definition: Definition, step_id: str) -> type[Form]:
    """One Form subclass per step, with a field for every question of the step."""
    step = definition.step(step_id)
    attrs = {q.id: build_field(q, definition) for q in step.questions}
    return type(f"StepForm_{step.id}", (Form,), attrs)


def step_form(definition: Definition, step: Step, formdata, today: date) -> Form:
    """The bound form; ``today`` (the clinic's) is what date checks compare with."""
    form = step_form_class(definition, step.id)(formdata=formdata)
    form.today = today
    return form


def field_answer(question: Question, field) -> Any:
    """What a field holds, in the answers' shape; None when blank or unreadable."""
    data = field.data
    if question.type == "boolean":
        return bool(data)
    if question.type in ("multi", "regions"):
        if not data:
            return None
        order = [choice.value for choice in field.choices]
        return sorted(data, key=lambda v: order.index(v) if v in order else len(order))
    if isinstance(data, str) and not data.strip():
        return None
    return data


def answers_to_formdata(step: Step, answers: dict[str, Any]) -> MultiDict:
    """Saved answers as the browser would post them, so a stored draft can be
    validated by the same forms (InputRequired-style checks need raw input)."""
    data = MultiDict()
    for question in step.questions:
        value = answers.get(question.id)
        if value is None:
            continue
        if question.type == "date":
            year, month, day = str(value).split("-")
            data.add(f"{question.id}-day", str(int(day)))
            data.add(f"{question.id}-month", str(int(month)))
            data.add(f"{question.id}-year", year)
        elif question.type in ("multi", "regions"):
            for item in value:
                data.add(question.id, item)
        elif question.type == "boolean":
            if value:
                data.add(question.id, "y")
        elif question.type == "decimal":
            data.add(question.id, f"{value:g}" if isinstance(value, float) else str(value))
        else:
            data.add(question.id, str(value))
    return data
