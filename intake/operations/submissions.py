"""Saving questionnaire steps and submitting an intake.

Like every operation these take the session, flush and never commit: the
request commits once at its end, and only then is `intake_submitted` sent,
so the PDF is never rendered from a submission that was rolled back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from intake import clock
from intake.documents import consent
from intake.documents.pending import add_pending
from intake.models import DocumentKind, FlagRecord, Intake, ScreeningRecord
from intake.operations import patients, visit_marks
from intake.questionnaire import Definition, load_definition
from intake.questionnaire.identity import typed_name_of
from intake.screening.severity import worst_rank


class AlreadySubmitted(Exception):
    """The intake was submitted already (a second click, or a second tab)."""


class IncompleteIntake(Exception):
    """The answers do not pass the questionnaire's own check."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) with the answers")
        self.problems = problems


def save_step(session: Session, intake: Intake, step_id: str, values: dict[str, Any],
              drop: set[str], *, completed: bool, invalid: dict[str, Any] | None = None,
              step_questions: frozenset[str] = frozenset()) -> None:
    """Store one step's answers in the draft; `drop` are answers no longer asked;
    `invalid` is the step's typed input that did not pass (kept beside the
    draft, never in the answers)."""
    intake.save_step(step_id, values, drop, completed=completed, invalid=invalid,
                     step_questions=step_questions)
    intake.typed_name = typed_name_of(intake.answers)  # found by the dashboard's search
    session.flush()


def record_screening(session: Session, intake: Intake, screening: Any, *,
                     created_by_id: int | None = None) -> ScreeningRecord:
    """Store a screening and its flags in the engine's order (most severe first)."""
    record = ScreeningRecord(
        intake=intake,
        rules_version=screening.rules_version,
        questionnaire_version=screening.questionnaire_version or intake.questionnaire_version,
        overall_level=screening.overall_level,
        plan=screening.plan or {},
        created_by_id=created_by_id,
    )
    for position, flag in enumerate(screening.flags):
        data = flag.to_dict()
        record.flags.append(FlagRecord(
            position=position, rule_id=flag.rule_id, level=flag.level, urgency=flag.urgency,
            title=flag.title, action=flag.action, sources=list(flag.sources),
            evidence=data.get("evidence", []),
            detail={k: data.get(k) for k in ("why", "site", "uncertain")},
        ))
    session.add(record)
    intake.worst_rank = worst_rank(screening.flags)
    visit_marks.mark_new_red_flag(session, intake, screening)
    return record


def claim(session: Session, intake: Intake, now: datetime) -> None:
    """Make the submission ours: an UPDATE conditional on ``is_submitted =
    false``; of two concurrent submits only one matches a row, the other gets
    AlreadySubmitted. The intake is then re-read as it is now."""
    claimed = session.execute(
        update(Intake)
        .where(Intake.id == intake.id, Intake.is_submitted.is_(False))
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise AlreadySubmitted(intake.id)
    session.refresh(intake)  # the answers as they are now that the row is ours


def submit_intake(session: Session, intake: Intake, *, now: datetime | None = None,
                  definition: Definition | None = None) -> ScreeningRecord:
    """Freeze the answers, screen them with the default plan and store the flags.

    The first statement is an UPDATE conditional on ``is_submitted = false``:
    of two concurrent submits only one matches a row, the other gets
    AlreadySubmitted, so an intake is never submitted or screened twice.
    The answers are checked and screened on the clinic's date at `now`.
    """
    from intake.screening import evaluate  # the engine loads its rules on first use

    now = now or clock.now()
    today = clock.day_of(now)
    definition = definition or load_definition()
    claim(session, intake, now)
    answers = definition.prune(intake.answers or {}, today)
    problems = definition.check_answers(answers, today)
    if problems:
        raise IncompleteIntake(problems)
    intake.mark_submitted(answers, now)
    intake.typed_name = typed_name_of(answers)
    intake.questionnaire_version = definition.version
    # The consent text the patient read, in their language: written in the
    # UPDATE that submits, immutable after (the 0017 guard).
    intake.consent_text_version = consent.text_version(definition, intake.language or "en")
    patients.record_date_of_birth(intake, definition)
    record = record_screening(session, intake, evaluate(answers, today=today))
    session.flush()
    # The summary's pending row commits with the submission: its render is
    # queued after the commit and can be retried, never lost.
    add_pending(session, intake.id, DocumentKind.SUMMARY, once=True)
    return record
