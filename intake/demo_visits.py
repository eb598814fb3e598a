"""Submitted follow-ups made directly, for the demo and the tests: a follow-up's
own answers carried forward onto the visit it follows (intake.visits.
carry_forward), stored as its merged answers and screened, as the patient's
submission does. Synthetic data only.

Until the follow-up wizard's submission (intake.operations.submissions)
lands, this is the one way a submitted follow-up is made: keep it in step
with that submission (merged answers, screening, pending summary).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from intake import clock
from intake.documents.pending import add_pending
from intake.models import DocumentKind, Intake
from intake.operations.invites import create_invite
from intake.operations.submissions import record_screening
from intake.questionnaire import load_definition
from intake.questionnaire.follow_up import load_follow_up
from intake.visits.carry_forward import carry_forward


def record_follow_up(session: Session, follows: Intake, answers: dict[str, Any], *,
                     when: datetime, appointment_at: datetime | None = None,
                     visit_number: int = 2, every: int = 4) -> Intake:
    """A follow-up of ``follows`` submitted at ``when`` with the follow-up's own
    ``answers``; the steps asked are those of visit ``visit_number`` at a
    PHQ-2/STarT Back interval of ``every`` visits."""
    from intake.screening import evaluate

    definition, follow_up = load_definition(), load_follow_up()
    today = clock.day_of(when)
    intake, _ = create_invite(session, follows.clinic, name="", days=14,
                              appointment_at=appointment_at or when, follows=follows,
                              now=when)
    steps = [s.id for s in follow_up.steps_for_visit(visit_number, every)]
    merged = carry_forward(definition, follow_up, follows.visit_answers, answers,
                           today=today, steps=steps)
    intake.merged_answers = merged
    intake.mark_submitted(dict(answers), when)
    intake.typed_name = follows.typed_name
    intake.questionnaire_version = definition.version
    session.flush()
    record_screening(session, intake, evaluate(merged, today=today))
    session.flush()
    add_pending(session, intake.id, DocumentKind.SUMMARY, once=True)
    return intake
