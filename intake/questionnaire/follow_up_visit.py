"""The follow-up re-check as asked at one visit: this visit's steps, read
against the answers carried from the visit before.

``for_visit`` narrows the follow-up definition to the steps of this visit
(``steps_for_visit``: PHQ-2 and STarT Back only at the periodic visits) and
binds the previous visit's answers, so the wizard's pure functions
(``visibility``, ``prune``, ``check_answers``, ``visible_questions``) work on
it exactly as on the intake definition: a question whose show_if names an
intake answer the follow-up does not ask (sex at birth, for pregnancy) reads
the carried answer; a question this visit asks reads only this visit's answer
(a red flag answered "yes" last time does not show its follow-on questions
until the patient says "yes" again). The draft holds the follow-up's own
answers only; they merge with the previous ones at submission
(intake.visits.carry_forward).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from .definition import Question
from .follow_up import DEFAULT_EVERY, FollowUpDefinition


@dataclass(frozen=True, eq=False)
class VisitFollowUp(FollowUpDefinition):
    #: the previous visit's answers (its visit_answers), keyed by intake ids
    previous: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: the whole follow-up definition this one was narrowed from
    base: FollowUpDefinition | None = None
    #: 2 for the first follow-up (the intake is visit 1)
    visit_number: int = 2
    #: how often the periodic steps come, and the last visit's date as worded
    every: int = DEFAULT_EVERY
    last_visit: str = "your last visit"

    def translated(self, language: str) -> VisitFollowUp:
        """This visit's re-check with the texts of ``language``: built again from
        the translated follow-up. ``last_visit`` stays as given: for a page in
        another language, call ``for_visit(follow_up.translated(lang), ...)``
        with the date worded in that language instead."""
        if self.base is None:
            return self
        return for_visit(self.base.translated(language), self.previous,
                         visit_number=self.visit_number, every=self.every,
                         last_visit=self.last_visit)

    def seen(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """What the show_ifs read: carried answers for what this visit does not
        ask, this visit's for what it does, with the medicines changes applied."""
        carried = {k: v for k, v in self.previous.items() if k not in self.questions}
        return self.context(carried, answers)

    def visibility(self, answers: Mapping[str, Any], today: date) -> dict[str, bool]:
        return super().visibility(self.seen(answers), today)

    def is_visible(self, question: Question | str, answers: Mapping[str, Any],
                   today: date) -> bool:
        """As ``visibility``; an intake question this visit does not ask is
        "asked" (its answer is the carried one)."""
        qid = question if isinstance(question, str) else question.id
        return qid not in self.questions or self.visibility(answers, today)[qid]

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)


def for_visit(follow_up: FollowUpDefinition, previous: Mapping[str, Any], *,
              visit_number: int, every: int = DEFAULT_EVERY,
              last_visit: str = "your last visit") -> VisitFollowUp:
    """The re-check before visit ``visit_number``, asked after ``previous``.

    ``last_visit``: the date of the last visit as the page words it (the
    clinic_date filter), put in place of ``{last_visit}``. A ``removes_from``
    question offers only what the previous answers list (the patient ticks
    what they stopped, the rest is still taken), and is left out when they
    list nothing."""
    steps = []
    for number, step in enumerate(follow_up.steps_for_visit(visit_number, every), start=1):
        questions = tuple(q for q in (_for_patient(follow_up, q, previous, last_visit)
                                      for q in step.questions) if q is not None)
        steps.append(dataclasses.replace(step, number=number, questions=questions,
                                         intro=_fill(step.intro, last_visit)))
    questions = {q.id: q for s in steps for q in s.questions}
    return VisitFollowUp(
        version=follow_up.version, questions=MappingProxyType(questions),
        regions=follow_up.regions, path=follow_up.path, regions_path=follow_up.regions_path,
        steps=tuple(steps), content_hash=follow_up.content_hash, roles=follow_up.roles,
        periodic=follow_up.periodic, effects=follow_up.effects,
        previous=MappingProxyType(dict(previous)), base=follow_up, visit_number=visit_number,
        every=every, last_visit=last_visit, intake=follow_up.intake,
        language=follow_up.language, english=None)


def _fill(text: str | None, last_visit: str) -> str | None:
    return text.replace("{last_visit}", last_visit) if text else text


def _for_patient(follow_up: FollowUpDefinition, question: Question,
                 previous: Mapping[str, Any], last_visit: str) -> Question | None:
    question = dataclasses.replace(question, label=_fill(question.label, last_visit),
                                   help=_fill(question.help, last_visit))
    effect = follow_up.effects.get(question.id)
    if effect is None or effect.removes_from is None:
        return question
    listed = set(previous.get(effect.removes_from) or ())
    options = tuple(o for o in question.options if o.value in listed)
    return dataclasses.replace(question, options=options) if options else None
