"""A follow-up's own part of its summary and of the practitioner's page: the
visit it follows (and when), what changed since, and the progress charts.

``collect_visit(session, intake, zone)`` gathers plain, JSON-ready data (the
two visits' latest screenings and merged answers, every submitted visit of
the patient up to this one with its own answers); ``visit_context(visit,
definition, locale)`` words it for a template (intake.visits.side_by_side,
intake.visits.chart). The PDF's ``templates/pdf/_visit.html`` and the staff
intake page both read it, so the two say the same. None for a first intake.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import FlagRecord, Intake, ScreeningRecord
from intake.questionnaire.types import AnswerFormat
from intake.visits import chart
from intake.visits.changes import compare
from intake.visits.side_by_side import side_by_side


def visit_day(intake: Intake, zone: ZoneInfo) -> date:
    """The day of a visit, as the patient page lists it: submitted, else booked."""
    when: datetime = intake.submitted_at or intake.appointment_at or intake.created_at
    return when.astimezone(zone).date()


def latest_flags(session: Session, intake_id: int) -> list[dict[str, Any]]:
    """The latest screening's flags (rule id, level, urgency, title), in order."""
    latest = (select(ScreeningRecord.id).where(ScreeningRecord.intake_id == intake_id)
              .order_by(ScreeningRecord.id.desc()).limit(1).scalar_subquery())
    rows = session.execute(
        select(FlagRecord.rule_id, FlagRecord.level, FlagRecord.urgency, FlagRecord.title)
        .where(FlagRecord.screening_id == latest).order_by(FlagRecord.position)).all()
    return [{"rule_id": r, "level": lv, "urgency": u, "title": t} for r, lv, u, t in rows]


def course(session: Session, intake: Intake, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The patient's submitted visits up to and including ``intake``, oldest
    first, each with the answers asked at it (progress.progress's input)."""
    if intake.patient_id is None:
        found = [intake] if intake.is_submitted else []
    else:
        found = session.scalars(select(Intake).where(
            Intake.patient_id == intake.patient_id, Intake.is_submitted.is_(True))).all()
    mine = visit_day(intake, zone), intake.id
    return [{"day": visit_day(v, zone).isoformat(), "answers": dict(v.answers or {})}
            for v in sorted(found, key=lambda v: (visit_day(v, zone), v.id))
            if (visit_day(v, zone), v.id) <= mine]


def collect_visit(session: Session, intake: Intake, zone: ZoneInfo) -> dict[str, Any] | None:
    previous = intake.follows
    if not intake.is_follow_up or previous is None or not intake.is_submitted:
        return None
    return {
        "follows_id": previous.id,
        "follows_day": visit_day(previous, zone).isoformat(),
        "this_day": visit_day(intake, zone).isoformat(),
        "before": latest_flags(session, previous.id),
        "after": latest_flags(session, intake.id),
        "before_answers": dict(previous.visit_answers or {}),
        "after_answers": dict(intake.visit_answers or {}),
        "visits": course(session, intake, zone),
    }


def progress_charts(definition, visits: list[dict[str, Any]], fmt: AnswerFormat
                    ) -> list[chart.Chart]:
    days = [(date.fromisoformat(v["day"]), v["answers"]) for v in visits]
    # "21 Oct 2026": four long dates side by side overran each other on the axis
    return chart.charts(definition, days, lambda day: fmt.day(day, "medium"), fmt.language)


def visit_context(visit: dict[str, Any] | None, definition, locale: str, *,
                  with_charts: bool = True) -> dict[str, Any] | None:
    if not visit:
        return None
    fmt = AnswerFormat(definition, locale)
    titles = {f["rule_id"]: f.get("title") for f in visit["before"] + visit["after"]}
    changes = compare({"flags": visit["before"]}, {"flags": visit["after"]},
                      visit["before_answers"], visit["after_answers"],
                      order=definition.questions if definition is not None else ())
    charts = [c for c in progress_charts(definition, visit["visits"], fmt)
              if c.has_data] if with_charts else []
    return {
        "follows_id": visit["follows_id"],
        "follows_day": fmt.day(visit["follows_day"]),
        "this_day": fmt.day(visit["this_day"]),
        "side": side_by_side(changes, titles, fmt),
        "charts": [(c, chart.svg(c, prefix="pdf-chart")) for c in charts],
    }
