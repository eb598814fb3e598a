"""An intake: one questionnaire for one visit, from invite to sign-off.

Draft answers are saved on every step. Submitting freezes them: the database
ties `is_submitted` to `submitted_at` (a CHECK), and once submitted it refuses
any change to `answers`, `completed_steps`, `is_submitted` or `submitted_at`
and any DELETE of the row (triggers on SQLite and PostgreSQL, migration 0004).
A correction is a new intake. What may still change: `status` (review),
`worst_rank` and `new_red_flag` (a new screening), `updated_at` and the link's token.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.db import Base
from intake.models.clinic import Clinic, Patient
from intake.models.types import UTCDateTime, utcnow


class IntakeStatus(enum.StrEnum):
    INVITED = "invited"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    # Staff cancelled the invite before it was submitted: the link is dead and the
    # intake is off the dashboard (intake.operations.invites.cancel_invite).
    CANCELLED = "cancelled"


class IntakeKind(enum.StrEnum):
    """A patient's first intake, or a follow-up re-check linked to an earlier one."""

    FIRST = "first"
    FOLLOW_UP = "follow_up"


class IntakeLocked(Exception):
    """Raised when something tries to change a submitted intake's answers."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A long random value for a link: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


class Intake(Base):
    __tablename__ = "intakes"
    __table_args__ = (
        # Boolean against boolean: true on SQLite (0/1) and PostgreSQL alike.
        CheckConstraint("is_submitted = (submitted_at IS NOT NULL)", name="submitted_has_time"),
        # What the patient typed that did not pass is a draft's alone (migration 0011).
        CheckConstraint("draft_invalid IS NULL OR NOT is_submitted",
                        name="submitted_has_no_invalid_input"),
        CheckConstraint("language IN ('en', 'fr')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    # Set when the intake is made (invite time), never changed after: a
    # follow-up names the earlier intake of the same patient it follows.
    kind: Mapped[str] = mapped_column(String(20), default=IntakeKind.FIRST,
                                      server_default=IntakeKind.FIRST.value)
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Started from the clinic's public link: the patient names themselves (step 1).
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A walk-in's short way back (intake.operations.resume_codes): a keyed hash
    # only, valid while the link is; replaced each time the patient finishes later.
    resume_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), default=IntakeStatus.INVITED, index=True)
    questionnaire_version: Mapped[str | None] = mapped_column(String(40))
    #: the language the patient chose on the first page ('en', 'fr'; intake.i18n):
    #: their pages, confirmation and copy are in it, and so is the consent they
    #: gave. Immutable once submitted (0017).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    #: the consent text agreed to, "<questionnaire version>/<language>/<digest>",
    #: set at submission, immutable after (0017)
    consent_text_version: Mapped[str | None] = mapped_column(String(80))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: a follow-up's answers carried forward onto the intake it follows
    #: (intake.visits.carry_forward), keyed by intake question ids; written at
    #: its submission and immutable after (0014). None for a first intake.
    merged_answers: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    #: the name the patient typed (copied from the answers when a step is saved
    #: or the intake submitted) so the dashboard's name search finds it (0010)
    typed_name: Mapped[str | None] = mapped_column(String(200))
    # Steps the patient has completed (pressed Next on, with valid answers).
    completed_steps: Mapped[list] = mapped_column(JSON, default=list)
    # Typed input that did not pass, per question id ({field name: [values]}),
    # shown back with its message when the step is reopened. Never in
    # `answers`, so never screened or in the PDF; cleared at submission.
    draft_invalid: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    is_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Severity rank of the latest screening's worst flag (0 = none), for sorting lists.
    worst_rank: Mapped[int] = mapped_column(Integer, default=0, index=True)
    #: a follow-up whose latest screening has a red flag that the visit it
    #: follows did not have (intake.operations.visit_marks; 0016): first on the day
    new_red_flag: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    clinic: Mapped[Clinic] = relationship()
    patient: Mapped[Patient | None] = relationship()
    follows: Mapped[Intake | None] = relationship(remote_side=[id])

    @classmethod
    def invite(
        cls, clinic: Clinic, patient: Patient | None, *, days: int,
        appointment_at: datetime | None = None, now: datetime | None = None,
        follows: Intake | None = None,
    ) -> tuple[Intake, str]:
        """A new intake and the token for its link (shown once, stored hashed);
        with `follows`, a follow-up of that (earlier, submitted) intake."""
        now = now or utcnow()
        token = new_token()
        intake = cls(
            clinic=clinic, patient=patient, token_hash=hash_token(token),
            token_expires_at=now + timedelta(days=days), appointment_at=appointment_at,
            status=IntakeStatus.INVITED, answers={}, completed_steps=[],
            is_submitted=False,
            kind=IntakeKind.FOLLOW_UP if follows is not None else IntakeKind.FIRST,
            follows=follows,
            # a follow-up starts in the language the patient chose last time
            language=follows.language if follows is not None else "en",
        )
        return intake, token

    @property
    def is_follow_up(self) -> bool:
        return self.kind == IntakeKind.FOLLOW_UP

    @property
    def visit_answers(self) -> dict:
        """The answers this visit is screened on and summarised with, keyed by
        intake question ids: a follow-up's merged set ("as of this visit"; empty
        until it is submitted), else the intake's own answers."""
        if self.is_follow_up:
            return self.merged_answers or {}
        return self.answers

    @property
    def is_cancelled(self) -> bool:
        return self.status == IntakeStatus.CANCELLED

    @property
    def has_draft(self) -> bool:
        """Whether the patient has saved anything: then staff must not get a link."""
        return bool(self.answers or self.completed_steps
                    or self.status == IntakeStatus.IN_PROGRESS)

    def clear_draft(self) -> None:
        """Forget an unsubmitted draft (the patient starts again)."""
        if self.is_submitted:
            raise IntakeLocked(self.id)
        self.answers = {}
        self.draft_invalid = None
        self.completed_steps = []
        self.status = IntakeStatus.INVITED

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.token_expires_at

    def save_step(self, step_id: str, values: dict, drop: set[str], *, completed: bool,
                  invalid: dict | None = None, step_questions: frozenset[str] = frozenset()
                  ) -> None:
        """Merge one step's answers into the draft; `drop` are now-hidden answers.

        `invalid` is this step's typed input that did not pass, by question id:
        it replaces whatever was kept for `step_questions`, and input kept for
        a dropped (now hidden) question goes with it."""
        if self.is_submitted:
            raise IntakeLocked(self.id)
        answers = {k: v for k, v in (self.answers or {}).items() if k not in drop}
        answers.update(values)
        self.answers = answers
        kept = {k: v for k, v in (self.draft_invalid or {}).items()
                if k not in drop and k not in step_questions}
        kept.update(invalid or {})
        self.draft_invalid = kept or None
        steps = list(self.completed_steps or [])
        if completed and step_id not in steps:
            steps.append(step_id)
        self.completed_steps = steps
        if self.status == IntakeStatus.INVITED:
            self.status = IntakeStatus.IN_PROGRESS

    def mark_submitted(self, answers: dict, now: datetime | None = None) -> None:
        if self.is_submitted:
            raise IntakeLocked(self.id)
        self.answers = answers
        self.draft_invalid = None
        self.is_submitted = True
        self.submitted_at = now or utcnow()
        self.status = IntakeStatus.SUBMITTED
