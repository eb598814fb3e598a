"""Wizard state: which steps are asked, which are finished, and what a posted
step means for the saved draft.

Nothing here is kept in the session: the state is the intake's saved answers
and its list of completed steps, so a patient can leave and come back from
the link on any device. Whether a question is asked is decided on the merged
answers (saved draft + this post); posted data for a question that is not
asked is dropped and never stored, and changing an earlier answer drops the
answers it hides further on. `today` is the clinic's date (intake.clock),
passed in by the routes: age conditions and "not in the future" checks are
about the clinic's day, not the server's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from wtforms import Form

from intake.i18n.messages import translate
from intake.i18n.pages import current_language
from intake.patient.forms import answers_to_formdata, field_answer, step_form
from intake.questionnaire import Definition, Step
from intake.questionnaire.answers import REQUIRED, problem_of


def visible_steps(definition: Definition, answers: Mapping[str, Any],
                  today: date) -> list[Step]:
    """Steps with at least one question asked (pregnancy is skipped for men).

    One visibility pass for every step: asking each step in turn would build
    the memo's key (every answer, frozen) once per step."""
    visible = definition.visibility(answers, today)
    return [s for s in definition.steps if any(visible[q.id] for q in s.questions)]


def asks(definition: Definition, step: Step, answers: Mapping[str, Any], today: date) -> bool:
    """Whether anything on the step is asked, given the answers."""
    return step in visible_steps(definition, answers, today)


def neighbour(steps: list[Step], step_id: str, offset: int) -> Step | None:
    ids = [s.id for s in steps]
    if step_id not in ids:
        return None
    index = ids.index(step_id) + offset
    return steps[index] if 0 <= index < len(steps) else None


def problems_by_step(definition: Definition, answers: Mapping[str, Any],
                     today: date) -> dict[str, list[str]]:
    """The definition's whole-intake check, grouped by step id."""
    out: dict[str, list[str]] = {}
    for message in definition.check_answers(answers, today):
        qid = message.split(":", 1)[0]
        if qid in definition.questions:
            out.setdefault(definition.questions[qid].step_id, []).append(message)
    return out


def first_unfinished(definition: Definition, answers: Mapping[str, Any],
                     completed: list[str], today: date) -> Step | None:
    """The first asked step not yet completed, or whose saved answers no longer
    pass (an earlier change can make a new question appear); None: all done."""
    problems = problems_by_step(definition, answers, today)
    for step in visible_steps(definition, answers, today):
        if step.id not in completed or step.id in problems:
            return step
    return None


def step_after(definition: Definition, steps: list[Step], current: Step,
               answers: Mapping[str, Any], completed: list[str], today: date, *,
               from_review: bool) -> Step | None:
    """Where a valid Next leads (None: the review page): the following one of
    the asked `steps`; from the review page, or after the last step, the first
    unfinished one."""
    following = None if from_review else neighbour(steps, current.id, +1)
    if following is None:
        following = first_unfinished(definition, answers, completed, today)
    return following


@dataclass
class StepResult:
    form: Form
    #: question id -> messages, for asked questions only
    errors: dict[str, list[str]] = field(default_factory=dict)
    #: this step's answers to store
    values: dict[str, Any] = field(default_factory=dict)
    #: answer ids to remove from the draft (cleared, or now hidden anywhere)
    drop: set[str] = field(default_factory=set)
    #: question ids asked on this step, given the merged answers
    visible: set[str] = field(default_factory=set)
    #: what was typed for each answer with a mistake, kept beside the draft
    invalid: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def process_step(definition: Definition, step: Step, saved: Mapping[str, Any],
                 formdata, today: date) -> StepResult:
    """Validate a posted step against the merged answers and work out what to save.

    The valid part is always kept (so nothing typed correctly is lost when
    another answer has a mistake); for an answer with a mistake the earlier
    saved value, if any, stays.
    """
    form = step_form(definition, step, formdata, today)
    step_ids = {q.id for q in step.questions}
    posted = {q.id: field_answer(q, form[q.id]) for q in step.questions}
    others = {k: v for k, v in saved.items() if k not in step_ids}
    form.saved = others  # what a required_unless_answered on an earlier step reads
    merged = {**others, **{k: v for k, v in posted.items() if v is not None}}
    visibility = definition.visibility(merged, today)
    result = StepResult(form=form, visible={qid for qid in step_ids if visibility[qid]})
    for question in step.questions:
        if question.id in result.visible and not form[question.id].validate(form):
            result.errors[question.id] = list(form[question.id].errors)
    kept = {
        qid: value for qid, value in posted.items()
        if value is not None and qid in result.visible and qid not in result.errors
    }
    for qid in result.errors:
        if qid in saved:
            kept[qid] = saved[qid]
    pruned = definition.prune({**others, **kept}, today)
    _backstop(definition, step, pruned, result, today)
    result.values = {k: v for k, v in pruned.items() if k in step_ids}
    result.drop = (set(saved) - set(pruned)) | (step_ids - set(result.values))
    result.invalid = {qid: raw for qid in result.errors
                      if (raw := typed_input(question_fields(step, qid), formdata))}
    return result


#: Bounds on kept invalid input: a form is already bounded (request_limits),
#: this keeps a draft's row small whatever the patient pastes.
KEPT_VALUES = 10
KEPT_CHARS = 5000


def question_fields(step: Step, qid: str) -> tuple[str, ...]:
    """The form names a question posts (its type knows: a date posts three)."""
    question = next(q for q in step.questions if q.id == qid)
    return question.kind.form_names(question)


def typed_input(names: tuple[str, ...], formdata) -> dict[str, list[str]]:
    """The raw values posted under `names`, bounded; empty when nothing was typed."""
    raw = {}
    for name in names:
        values = [str(v)[:KEPT_CHARS] for v in formdata.getlist(name)[:KEPT_VALUES]]
        if any(v.strip() for v in values):
            raw[name] = values
    return raw


def reopen_step(definition: Definition, step: Step, answers: Mapping[str, Any],
                invalid: Mapping[str, Any], today: date) -> tuple[Form, dict[str, list[str]]]:
    """The step as last left: saved answers, with the kept invalid input in
    place of its question and that question's message worked out again."""
    data = answers_to_formdata(step, dict(answers))
    asked = {q.id for q in definition.visible_questions(step, answers, today)}
    kept = {qid: raw for qid, raw in (invalid or {}).items()
            if qid in asked and isinstance(raw, Mapping)}
    for raw in kept.values():
        for name, values in raw.items():
            if isinstance(values, list):
                data.setlist(name, [str(v) for v in values])
    form = step_form(definition, step, data, today)
    errors = {}
    for qid in kept:
        if not form[qid].validate(form):
            errors[qid] = list(form[qid].errors)
    return form, errors


def _backstop(definition: Definition, step: Step, pruned: dict[str, Any],
              result: StepResult, today: date) -> None:
    """The definition's own check on this step: the forms should already have
    caught everything, but a mismatch must never let a bad answer through."""
    for message in definition.check_answers(pruned, today):
        qid, problem = problem_of(message)
        if qid not in definition.questions or definition.questions[qid].step_id != step.id:
            continue
        if qid in result.errors:
            continue
        if problem == REQUIRED:
            result.errors[qid] = [_("Please answer this question.")]
        else:
            result.errors[qid] = [_("Please check this answer (%(problem)s).",
                                    problem=translate(problem, current_language()))]
            pruned.pop(qid, None)


def check_saved_step(definition: Definition, step: Step, answers: Mapping[str, Any],
                     today: date) -> StepResult:
    """Validate a step's saved answers exactly as if they had just been posted."""
    return process_step(definition, step, answers, answers_to_formdata(step, dict(answers)),
                        today)


def first_step_with_errors(definition: Definition, answers: Mapping[str, Any],
                           today: date) -> Step | None:
    """Before submitting: every asked step must pass its form and the definition."""
    problems = problems_by_step(definition, answers, today)
    for step in visible_steps(definition, answers, today):
        if step.id in problems or not check_saved_step(definition, step, answers, today).valid:
            return step
    return None
