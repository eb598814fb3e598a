"""How answers and show conditions read to a patient.

The review page shows every asked question with a human answer, read by the
question's type exactly as the staff pages and the PDF read it; the step
page says in words when a question applies, for browsers without
JavaScript, and hands the conditions to the page script as data so it can
show and hide questions as the patient answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import has_app_context
from flask_babel import gettext as _

from intake.i18n.messages import both, either, translate
from intake.i18n.pages import current_language
from intake.patient.wizard import problems_by_step, visible_steps
from intake.questionnaire import Definition, Question, Step
from intake.questionnaire.conditions import AgeUnder, All, AnyOf, Condition, Leaf, Not
from intake.questionnaire.types import AnswerFormat, Shown
from intake.questionnaire.types.display import DEFAULT_LOCALE

__all__ = ["Shown", "describe", "live_question_ids", "page_context", "review_steps",
           "show_answer"]


def show_answer(definition: Definition, question: Question, value: Any,
                locale: str = DEFAULT_LOCALE) -> Shown | None:
    """The answer as the patient should read it back (as staff and the PDF
    read it too); None when unanswered."""
    return AnswerFormat(definition, locale).show(question, value)


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    shown: Shown | None

    @property
    def missing(self) -> bool:
        return self.shown is None and self.question.required


@dataclass(frozen=True)
class ReviewStep:
    step: Step
    items: tuple[ReviewItem, ...]
    unfinished: bool


def review_steps(definition: Definition, answers: Mapping[str, Any], completed: list[str],
                 today: date, locale: str = DEFAULT_LOCALE) -> list[ReviewStep]:
    problems = problems_by_step(definition, answers, today)
    fmt = AnswerFormat(definition, locale)
    out = []
    for step in visible_steps(definition, answers, today):
        items = tuple(
            ReviewItem(q, fmt.show_in(q, answers))
            for q in definition.visible_questions(step, answers, today)
        )
        out.append(ReviewStep(step, items, step.id in problems or step.id not in completed))
    return out


# --- conditions -----------------------------------------------------------------------


def _quote(text: str) -> str:
    return _("“%(text)s”", text=text.strip())


def _either(words: list[str], joiner=either) -> str:
    """"a, b or c" (or with ``both``, "a, b and c") in the page's language."""
    return translate(joiner(words), current_language() if has_app_context() else "en")


def describe(definition: Definition, condition: Condition) -> str:
    """A condition in words: 'you answered “Yes” to “Do you need an interpreter…?”'."""
    if isinstance(condition, Leaf):
        question = definition.question(condition.question)
        label = _quote(question.label)
        op, value = condition.operator, condition.value
        if op == "answered":
            return (_("you answered %(question)s", question=label) if value
                    else _("you left %(question)s unanswered", question=label))
        if question.kind.tick_box:
            return (_("you ticked %(question)s", question=label) if value
                    else _("you did not tick %(question)s", question=label))
        values = list(value) if isinstance(value, tuple) else [value]
        names = _either([_quote(definition.option_label(question.id, v)) for v in values])
        if op in ("equals", "in"):
            return _("you answered %(answers)s to %(question)s", answers=names, question=label)
        if op == "not_in":
            return _("you did not answer %(answers)s to %(question)s", answers=names,
                     question=label)
        return _("you ticked %(answers)s for %(question)s", answers=names, question=label)
    if isinstance(condition, AgeUnder):
        return _("the patient is under %(years)s", years=condition.years)
    if isinstance(condition, All):
        return _either([describe(definition, c) for c in condition.items], both)
    if isinstance(condition, AnyOf):
        return _either([describe(definition, c) for c in condition.items])
    if isinstance(condition, Not):
        return _("it is not the case that %(condition)s",
                 condition=describe(definition, condition.item))
    raise TypeError(condition)


def live_question_ids(step: Step, visible: set[str] | None = None) -> set[str]:
    """Questions whose condition names a question of the same step that is on
    the page: the page decides these as the patient answers (and the server
    decides again). With ``visible`` (the questions shown for the saved
    answers), a condition that names only same-step questions hidden by
    earlier steps is the server's to decide, so an adult never sees the
    guardian's questions, even without JavaScript."""
    live: set[str] = set()
    on_page: set[str] = set()
    own = {q.id for q in step.questions} if visible is None else on_page
    for question in step.questions:
        if question.show_if and question.show_if.question_ids() & own:
            live.add(question.id)
        if visible is None or question.id in visible or question.id in live:
            on_page.add(question.id)
    return live


def page_context(definition: Definition, step: Step, answers: Mapping[str, Any],
                 rendered: set[str], today: date) -> dict[str, Any]:
    """What the page script needs about questions named by live conditions but
    not on the page: their saved answer if asked, or that they are hidden."""
    named: set[str] = set()
    for question in step.questions:
        if question.id in rendered and question.show_if is not None:
            named |= question.show_if.question_ids()
    named -= rendered
    context: dict[str, Any] = {"answers": {}, "hidden": [], "today": today.isoformat()}
    for qid in sorted(named):
        if definition.is_visible(qid, answers, today):
            if qid in answers:
                context["answers"][qid] = answers[qid]
        else:
            context["hidden"].append(qid)
    return context
