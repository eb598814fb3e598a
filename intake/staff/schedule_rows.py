"""What one dashboard row reads and says: plain values, not ORM objects.

A page shows up to 50 rows, and an ORM object per row (its identity-map
entry, its state, the whole answers JSON decoded to find a name) cost more
than the query that found them. So the list reads a few columns into a small
frozen value, ``Listed``, with the attributes the template and the marks use
(``id``, ``status``, ``worst_rank``, ``appointment_at``, ``created_at``,
``is_submitted``...), and takes the typed name and the birth date out of the
answers in SQL (a follow-up's merged answers first: its own hold neither).

To show more on a row: add the column to ROW_COLUMNS and a field of the same
name to ``Listed`` (the two must match; a mismatch fails every dashboard test).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, null

from intake import clock
from intake.models import Intake, IntakeKind, IntakeStatus, Patient
from intake.questionnaire.identity import (
    Identity,
    date_of_birth_question,
    identity_of,
    name_question,
)
from intake.screening.severity import RED_FLAG

#: The intake's own columns a row reads, each a field of Listed below.
ROW_COLUMNS = (Intake.id, Intake.patient_id, Intake.status, Intake.is_submitted,
               Intake.worst_rank, Intake.appointment_at, Intake.created_at,
               # the visit marks (visit_marks below)
               Intake.kind, Intake.new_red_flag)


@dataclass(frozen=True, slots=True)
class Listed:
    """One intake as the dashboard lists it."""
    id: int
    patient_id: int | None
    status: str
    is_submitted: bool
    worst_rank: int
    appointment_at: datetime | None
    created_at: datetime
    kind: str
    new_red_flag: bool
    #: the invite's name (patients.display_name) and the two answers as stored
    invited_name: str | None = None
    typed_name: Any = None
    date_of_birth: Any = None

    @property
    def is_follow_up(self) -> bool:
        return self.kind == IntakeKind.FOLLOW_UP

    @property
    def is_cancelled(self) -> bool:
        return self.status == IntakeStatus.CANCELLED


def columns() -> tuple:
    """What the list selects (the patients table outer-joined), labelled as
    Listed's fields."""
    return (*ROW_COLUMNS, Patient.display_name.label("invited_name"),
            _answer(name_question()).label("typed_name"),
            _answer(date_of_birth_question()).label("date_of_birth"))


def _answer(question_id: str | None):
    """One answer as stored (text), a submitted follow-up's merged set first;
    NULL when the shipped questionnaire has no such question."""
    if question_id is None:
        return null()
    return func.coalesce(Intake.merged_answers[question_id].as_string(),
                         Intake.answers[question_id].as_string())


def listed(rows) -> list[Listed]:
    return [Listed(**row._mapping) for row in rows]


@dataclass(frozen=True)
class Row:
    """What one dashboard row says about its patient: both names where they
    differ, the date of birth and age, and for front desk only whether to
    call the patient today. Identifying, never clinical."""
    who: Identity
    age: int | None
    urgent_call: bool
    #: visit marks (intake.staff.visit_marks): clinical, then for every role
    new_red_flag: bool = False
    follow_up_due: bool = False
    recheck_missed: bool = False


def row_of(intake: Listed, today: date) -> Row:
    who = identity_of(intake.typed_name, intake.date_of_birth, intake.invited_name)
    return Row(who, who.age_on(today), needs_urgent_call(intake), **visit_marks(intake, today))


def visit_marks(intake: Listed | Intake, today: date) -> dict[str, bool]:
    """What the row says about a follow-up, from the intake's own columns (no
    statement): a red flag new since the last visit; due today (its
    appointment is today); the re-check not completed (its appointment is
    today or past and it is not submitted)."""
    if not intake.is_follow_up or intake.is_cancelled:
        return {}
    day = clock.day_of(at(intake))
    return {"new_red_flag": intake.is_submitted and intake.new_red_flag,
            "follow_up_due": day == today,
            "recheck_missed": not intake.is_submitted and day <= today}


def needs_urgent_call(intake: Listed | Intake) -> bool:
    """A submitted intake with a red flag (any urgency) not yet signed off: the
    clinic should phone the patient today. Front desk sees this mark, not the flag."""
    return (intake.is_submitted and intake.status != IntakeStatus.REVIEWED
            and intake.worst_rank >= RED_FLAG)


def at(intake: Listed | Intake) -> datetime:
    """Where the row sits on the schedule: its appointment, else when it started."""
    return intake.appointment_at or intake.created_at
