"""A practitioner's review: screening again with a plan, decisions, sign-off.

Each function takes the session, flushes and writes an audit event; the
request commits. Decisions and sign-offs are only ever appended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit, clock
from intake.documents.pending import add_pending
from intake.models import (
    Decision,
    DocumentKind,
    FlagRecord,
    Intake,
    IntakeStatus,
    ScreeningRecord,
    SignOff,
)
from intake.operations.submissions import record_screening
from intake.questionnaire import load_definition
from intake.screening.decisions import DECISION_LEVELS, DECISIONS, NOTE_REQUIRED_LEVELS


class ReviewError(ValueError):
    """A review step the rules refuse; the message is safe to show."""


@dataclass(frozen=True)
class FlagChange:
    rule_id: str
    title: str
    before: str | None  # level (with urgency) before; None when added
    after: str | None   # None when removed


@dataclass
class ScreeningDiff:
    added: list[FlagChange] = field(default_factory=list)
    removed: list[FlagChange] = field(default_factory=list)
    changed: list[FlagChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class FlagReview:
    flag: FlagRecord
    current: Decision | None
    history: list[Decision]

    @property
    def needs_decision(self) -> bool:
        return self.flag.level in DECISION_LEVELS

    @property
    def note_required(self) -> bool:
        return self.flag.level in NOTE_REQUIRED_LEVELS


def latest_screening(session: Session, intake_id: int) -> ScreeningRecord | None:
    return session.scalars(
        select(ScreeningRecord).where(ScreeningRecord.intake_id == intake_id)
        .order_by(ScreeningRecord.id.desc()).limit(1)
    ).first()


def previous_screening(session: Session, record: ScreeningRecord) -> ScreeningRecord | None:
    return session.scalars(
        select(ScreeningRecord).where(ScreeningRecord.intake_id == record.intake_id,
                                      ScreeningRecord.id < record.id)
        .order_by(ScreeningRecord.id.desc()).limit(1)
    ).first()


def store_screening(session: Session, intake: Intake, screening: Any, *,
                    created_by_id: int | None = None) -> ScreeningRecord:
    """Keep an `intake.screening.Screening` as a record (the same storage as a
    submission's screening) and update the intake's worst rank; flushes."""
    record = record_screening(session, intake, screening, created_by_id=created_by_id)
    session.flush()
    return record


def current_plan(session: Session, intake: Intake) -> dict:
    """The plan of the latest screening, or the default (the painful regions)."""
    record = latest_screening(session, intake.id)
    if record is not None and record.plan:
        return dict(record.plan)
    pain = load_definition().role("pain_regions").id
    regions = (intake.visit_answers or {}).get(pain) or []
    return {"regions": list(regions), "electrical_stimulation": False,
            "noncompressible_targets": []}


def rescreen(session: Session, intake: Intake, plan: dict, *, actor_id: int,
             ip: str | None = None) -> tuple[ScreeningRecord, ScreeningDiff]:
    """Screen the submitted answers again with the practitioner's plan."""
    from intake.screening import Plan, evaluate

    if not intake.is_submitted:
        raise ReviewError(_("This intake has not been submitted yet."))
    before = latest_screening(session, intake.id)
    # The clinic's date of the submission, as at submit: the same answers
    # give the same age-based flags whenever they are screened again.
    screening = evaluate(intake.visit_answers or {}, Plan.from_dict(plan),
                         today=clock.day_of(intake.submitted_at or clock.now()))
    record = store_screening(session, intake, screening, created_by_id=actor_id)
    diff = diff_screenings(before, record)
    if intake.status == IntakeStatus.REVIEWED:
        intake.status = IntakeStatus.SUBMITTED  # the sign-off was for the old screening
    session.flush()
    audit.record(session, action="screening.plan", actor_id=actor_id, intake_id=intake.id, ip=ip,
                 detail={"screening_id": record.id, "plan": record.plan,
                         "added": [c.rule_id for c in diff.added],
                         "removed": [c.rule_id for c in diff.removed],
                         "changed": [c.rule_id for c in diff.changed]})
    return record, diff


def _level_text(flag: FlagRecord) -> str:
    return f"{flag.level} ({flag.urgency})" if flag.urgency else flag.level


def diff_screenings(old: ScreeningRecord | None, new: ScreeningRecord) -> ScreeningDiff:
    before = {f.rule_id: f for f in (old.flags if old else [])}
    after = {f.rule_id: f for f in new.flags}
    diff = ScreeningDiff()
    for rule_id, flag in after.items():
        if rule_id not in before:
            diff.added.append(FlagChange(rule_id, flag.title, None, _level_text(flag)))
        elif _level_text(before[rule_id]) != _level_text(flag):
            diff.changed.append(FlagChange(rule_id, flag.title, _level_text(before[rule_id]),
                                           _level_text(flag)))
    for rule_id, flag in before.items():
        if rule_id not in after:
            diff.removed.append(FlagChange(rule_id, flag.title, _level_text(flag), None))
    return diff


def flag_reviews(session: Session, intake: Intake,
                 record: ScreeningRecord | None) -> list[FlagReview]:
    """Each flag of the screening with its current decision and the full history."""
    if record is None:
        return []
    decisions = list(session.scalars(
        select(Decision).where(Decision.intake_id == intake.id).order_by(Decision.id)
    ))
    reviews = []
    for flag in record.flags:
        history = [d for d in decisions if d.rule_id == flag.rule_id]
        current = next((d for d in reversed(history) if d.covers(flag)), None)
        reviews.append(FlagReview(flag, current, history))
    return reviews


def record_decision(session: Session, intake: Intake, flag: FlagRecord, *, choice: str,
                    note: str, actor_id: int, ip: str | None = None) -> Decision:
    record = latest_screening(session, intake.id)
    if record is None or flag.screening_id != record.id:
        raise ReviewError(_("This flag is from an earlier screening; decide on the current one."))
    if flag.level not in DECISION_LEVELS:
        raise ReviewError(_("Notes do not need a decision."))
    if choice not in DECISIONS:
        raise ReviewError(_("Choose one of the decisions."))
    note = (note or "").strip()
    if flag.level in NOTE_REQUIRED_LEVELS and not note:
        raise ReviewError(_("A note is required for contraindications and red flags."))
    decision = Decision(intake_id=intake.id, screening_id=record.id, flag_id=flag.id,
                        rule_id=flag.rule_id, level=flag.level, urgency=flag.urgency,
                        choice=choice, note=note, by_id=actor_id, at=clock.now())
    session.add(decision)
    reopened = intake.status == IntakeStatus.REVIEWED
    if reopened:  # the sign-off and its archived summary were for the old decision
        intake.status = IntakeStatus.SUBMITTED
    session.flush()
    audit.record(session, action="review.decision", actor_id=actor_id, intake_id=intake.id,
                 ip=ip, detail={"decision_id": decision.id, "flag_id": flag.id,
                                "rule_id": flag.rule_id, "choice": choice,
                                "reopened": reopened})
    return decision


def undecided(session: Session, intake: Intake, record: ScreeningRecord | None) -> list[str]:
    return [r.flag.rule_id for r in flag_reviews(session, intake, record)
            if r.needs_decision and r.current is None]


def sign_off(session: Session, intake: Intake, *, actor_id: int,
             ip: str | None = None) -> SignOff:
    """Mark the intake reviewed; every flag that needs a decision must have one."""
    if not intake.is_submitted:
        raise ReviewError(_("This intake has not been submitted yet."))
    if intake.status == IntakeStatus.REVIEWED:
        raise ReviewError(_("This intake is signed off already; a changed decision or plan "
                            "reopens it."))
    record = latest_screening(session, intake.id)
    if record is None:
        raise ReviewError(_("This intake has no screening yet: save a treatment plan first."))
    missing = undecided(session, intake, record)
    if missing:
        raise ReviewError(ngettext("%(num)d flag still needs a decision.",
                                   "%(num)d flags still need a decision.", len(missing)))
    signed = SignOff(intake_id=intake.id, screening_id=record.id, by_id=actor_id, at=clock.now())
    session.add(signed)
    intake.status = IntakeStatus.REVIEWED
    session.flush()
    add_pending(session, intake.id, DocumentKind.REVIEWED_SUMMARY)  # rendered after the commit
    audit.record(session, action="review.sign_off", actor_id=actor_id, intake_id=intake.id,
                 ip=ip, detail={"sign_off_id": signed.id, "screening_id": record.id})
    return signed


def sign_offs(session: Session, intake_id: int) -> list[SignOff]:
    return list(session.scalars(
        select(SignOff).where(SignOff.intake_id == intake_id).order_by(SignOff.id)
    ))
