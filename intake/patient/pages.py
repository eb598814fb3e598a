"""Everything a step page needs, gathered in one place for the template.

Kept out of routes.py so the views read as the wizard's flow, and so the
template gets plain values (which questions to show, their hints, error
anchors, progress) instead of working them out in Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template, request, url_for
from markupsafe import Markup
from wtforms import Form

from intake.i18n.messages import translate
from intake.i18n.pages import current_language
from intake.models import Intake
from intake.patient.display import describe, live_question_ids, page_context
from intake.patient.forms import field_id
from intake.patient.wizard import neighbour, problems_by_step, visible_steps
from intake.questionnaire import Definition, Question, Step
from intake.questionnaire.body_diagram import body_diagram


@dataclass
class QuestionView:
    question: Question
    field: Any
    id: str
    errors: list[str]
    #: shown and hidden by the page script as the patient answers
    live: bool = False
    #: "Answer only if ..." for browsers without JavaScript
    condition_text: str | None = None
    diagram: Markup | None = None

    @property
    def kind(self):
        """The question's type: the template asks it which fragment to render."""
        return self.question.kind

    @property
    def anchor(self) -> str:
        """Where a link in the error summary takes the patient: the first input."""
        return self.kind.anchor(self.question, self.id, self.field)

    @property
    def described_by(self) -> str:
        ids = []
        if self.question.help:
            ids.append(f"{self.id}-hint")
        if self.condition_text:
            ids.append(f"{self.id}-condition")
        if self.question.unit:
            ids.append(f"{self.id}-unit")
        ids += self.kind.described_by(self.question, self.id)
        if self.errors:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


def paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def step_nav(definition: Definition, intake: Intake, token: str, steps: list[Step],
             current: Step, today: date, endpoint: str = "patient.step") -> list[dict[str, Any]]:
    """The step list: done, current or still to do; links to any step reached."""
    answers = intake.answers or {}
    completed = intake.completed_steps or []
    problems = problems_by_step(definition, answers, today)
    reachable = True
    items = []
    for number, step in enumerate(steps, start=1):
        done = step.id in completed and step.id not in problems
        state = "current" if step is current else "done" if done else "todo"
        items.append({
            "step": step, "number": number, "state": state,
            "url": url_for(endpoint, token=token, step_id=step.id)
            if reachable or done else None,
        })
        if not done and step is not current:
            reachable = False
    return items


def render_step(definition: Definition, intake: Intake, token: str, step: Step, form: Form,
                errors: dict[str, list[str]], visible: set[str], *, today: date,
                status: int = 200,
                checking: bool = False, saved: bool = False, more: bool = False,
                endpoint: str = "patient.step",
                read: dict[str, Any] | None = None, extra: dict[str, Any] | None = None):
    """The step page; a follow-up passes its own ``endpoint``, what its show_ifs
    ``read`` (the carried answers with its own) and ``extra`` template values."""
    answers = intake.answers or {}
    steps = visible_steps(definition, answers, today)
    live = live_question_ids(step, visible)
    language = current_language()
    views = []
    for question in step.questions:
        if question.id not in visible and question.id not in live:
            continue
        # the types' messages are written in English and translated where shown
        messages = [translate(m, language) for m in errors.get(question.id, [])]
        view = QuestionView(question, form[question.id], field_id(question.id), messages,
                            live=question.id in live)
        if view.live:
            view.condition_text = describe(definition, question.show_if)
        if question.picker == "diagram":
            view.diagram = body_diagram(definition.regions, view.field.data or ())
        views.append(view)
    rendered = {v.question.id for v in views}
    summary = [(v.anchor, v.question.label, message) for v in views for message in v.errors]
    from_review = (request.values.get("from") == "review")
    number = [s.id for s in steps].index(step.id) + 1
    page = render_template(
        "patient/step.html", intake=intake, token=token, step=step, questions=views,
        summary=summary, number=number, total=len(steps), intro=paragraphs(step.intro),
        previous=neighbour(steps, step.id, -1), nav=step_nav(definition, intake, token, steps,
                                                              step, today, endpoint),
        context=page_context(definition, step, answers if read is None else read, rendered,
                             today),
        checking=checking, saved=saved, more=more, from_review=from_review,
        regions=definition.regions,
        date_of_birth=definition.roles.get("date_of_birth", ""), endpoint=endpoint,
        **(extra or {}),
    )
    return page, status
