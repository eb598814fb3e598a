"""A follow-up re-check: what it asks at this visit, and its submission.

A follow-up's draft (``Intake.answers``) holds the re-check's own answers.
Submitting merges them onto the answers of the visit it follows
(``follows.visit_answers``: that intake's answers, or its own merged set if
it is a follow-up too) with intake.visits.carry_forward, writes the merged
set to ``merged_answers`` in the same UPDATE that marks it submitted (the
0014 trigger keeps it unchanged after), and screens the merged set with the
plan in force on the visit it follows: the latest screening's plan there,
or the default (the painful regions). Like every operation this flushes and
never commits.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from intake import audit, clock
from intake.documents.pending import add_pending
from intake.models import DocumentKind, Intake, ScreeningRecord
from intake.operations.review import current_plan
from intake.operations.submissions import IncompleteIntake, claim, record_screening
from intake.questionnaire import Definition, load_definition
from intake.questionnaire.follow_up import load_follow_up
from intake.questionnaire.follow_up_visit import VisitFollowUp, for_visit
from intake.questionnaire.identity import typed_name_of
from intake.visits.carry_forward import carry_forward

#: a chain of follow-ups longer than this is not walked (a loop would never end)
MAX_VISITS = 500


def visit_number(intake: Intake) -> int:
    """1 for a first intake, 2 for its first follow-up, and so on."""
    number, seen = 1, intake
    while seen.follows is not None and number < MAX_VISITS:
        number, seen = number + 1, seen.follows
    return number


def last_visit_day(intake: Intake) -> date | None:
    """The clinic's date of the visit this follow-up follows: its appointment,
    else the day it was submitted."""
    previous = intake.follows
    if previous is None:
        return None
    when = previous.appointment_at or previous.submitted_at
    return clock.day_of(when) if when is not None else None


def definition_for(intake: Intake, *, last_visit: str = "your last visit") -> VisitFollowUp:
    """The re-check for this follow-up's visit, with the clinic's interval;
    ``last_visit``: the last visit's date as the page words it."""
    previous = intake.follows.visit_answers if intake.follows is not None else {}
    return for_visit(load_follow_up(), previous or {}, visit_number=visit_number(intake),
                     every=intake.clinic.follow_up_questionnaires_every, last_visit=last_visit)


def merged_for(intake: Intake, follow_up: VisitFollowUp, answers: dict, today: date,
               definition: Definition | None = None) -> dict:
    """The answers as of this visit: the previous visit's with this one's merged."""
    return carry_forward(definition or load_definition(), follow_up.base or follow_up,
                         follow_up.previous, answers, today=today, steps=follow_up.step_ids)


def submit_follow_up(session: Session, intake: Intake, *, now: datetime | None = None,
                     follow_up: VisitFollowUp | None = None) -> ScreeningRecord:
    """Freeze the re-check's answers and the merged set, screen the merged set.

    Raises AlreadySubmitted (a second click or tab) or IncompleteIntake."""
    from intake.screening import Plan, evaluate  # the engine loads its rules on first use

    now = now or clock.now()
    today = clock.day_of(now)
    claim(session, intake, now)
    follow_up = follow_up or definition_for(intake)
    answers = follow_up.prune(intake.answers or {}, today)
    problems = follow_up.check_answers(answers, today)
    if problems:
        raise IncompleteIntake(problems)
    merged = merged_for(intake, follow_up, answers, today)
    # One UPDATE: merged_answers is written while the row is still a draft.
    intake.merged_answers = merged
    intake.mark_submitted(answers, now)
    intake.typed_name = typed_name_of(merged)
    intake.questionnaire_version = follow_up.version
    plan = current_plan(session, intake.follows)
    record = record_screening(session, intake, evaluate(merged, Plan.from_dict(plan),
                                                        today=today))
    session.flush()
    add_pending(session, intake.id, DocumentKind.SUMMARY, once=True)
    audit.record(session, action="follow_up.submit", actor_id=None, intake_id=intake.id,
                 detail={"follows_id": intake.follows_id, "visit": follow_up.visit_number,
                         "screening_id": record.id, "steps": list(follow_up.step_ids)})
    return record
