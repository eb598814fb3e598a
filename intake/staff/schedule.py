"""The dashboard's list: intakes by appointment day, today first, then the
upcoming days, then the past, most urgent first within a day.

It stays fast with a large history by walking one day at a time: each day is
a range on the schedule index (intakes.coalesce(appointment_at, created_at);
walk-ins without an appointment sit on the day they started), sorted within
the day, and the next day is found with one index seek. A page cursor is a
day and an offset within that day, so no query skips more than one day's
rows. Front desk sees the same days ordered by time only: sorting by flag
would reveal the flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, contains_eager

from intake import clock
from intake.models import Intake, IntakeStatus, Patient

schedule_at = func.coalesce(Intake.appointment_at, Intake.created_at)
FEW_PATIENTS = 200
MAX_OFFSET = 2**31 - 1
LEVEL_RANKS = {
    "red_flag": (4, 6), "contraindication": (3, 3), "precaution": (2, 2),
    "note": (1, 1), "none": (0, 0),
}


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""
    level: str = ""
    day: date | None = None
    #: filled in by page(): the few patients a rare name matches
    patient_ids: tuple[int, ...] | None = None


@dataclass
class Day:
    day: date
    section: str  # "today", "upcoming" or "past"
    intakes: list[Intake] = field(default_factory=list)


@dataclass
class Page:
    days: list[Day]
    next_cursor: str | None


def parse_cursor(raw: str | None) -> tuple[date, int] | None:
    """A cursor from the URL; None (the first page) for anything we did not make,
    including an offset beyond what SQL OFFSET takes."""
    try:
        day, _, offset = (raw or "").partition(".")
        parsed = date.fromisoformat(day), max(int(offset), 0)
    except ValueError:
        return None
    return parsed if parsed[1] <= MAX_OFFSET else None


def page(session: Session, filters: Filters, *, clinical: bool, size: int = 50,
         cursor: str | None = None) -> Page:
    today = clock.today()
    filters = replace(filters, patient_ids=_few_patients(session, filters))
    start = parse_cursor(cursor)
    day, offset = start if start else (filters.day or today, 0)
    if not start and filters.day is None and not _has_rows(session, filters, today):
        day = _next_day(session, filters, today, today)
    days: list[Day] = []
    remaining = size
    while day is not None and remaining > 0:
        rows = _day_rows(session, filters, day, clinical, offset, remaining + 1)
        more_today = len(rows) > remaining
        rows = rows[:remaining]
        if rows:
            days.append(Day(day, _section(day, today), rows))
            remaining -= len(rows)
        if more_today:
            return Page(days, f"{day.isoformat()}.{offset + len(rows)}")
        offset = 0
        day = None if filters.day else _next_day(session, filters, day, today)
    return Page(days, f"{day.isoformat()}.0" if day is not None else None)


def _section(day: date, today: date) -> str:
    return "today" if day == today else ("upcoming" if day > today else "past")


def _filtered(stmt: Select, filters: Filters) -> Select:
    # "status || ''" and "worst_rank + 0" keep SQLite from choosing the
    # single-column status or worst_rank index: walking the schedule index and
    # checking each row is faster than gathering every matching row to sort.
    if filters.status:
        stmt = stmt.where((Intake.status + "") == filters.status)
    if filters.level in LEVEL_RANKS:
        low, high = LEVEL_RANKS[filters.level]
        stmt = stmt.where((Intake.worst_rank + 0).between(low, high))
    if filters.patient_ids is not None:
        stmt = stmt.where(Intake.patient_id.in_(filters.patient_ids))
    elif filters.q:
        stmt = stmt.join(Intake.patient).where(_name_matches(filters.q))
    return stmt


def _name_matches(q: str):
    needle = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Patient.display_name.ilike(f"%{needle}%", escape="\\")


def _few_patients(session: Session, filters: Filters) -> tuple[int, ...] | None:
    """For a rare name, the matching patients' ids (looked up once per page);
    None when there are many, and walking the schedule finds them soon enough."""
    if not filters.q:
        return None
    ids = list(session.scalars(
        select(Patient.id).where(_name_matches(filters.q)).limit(FEW_PATIENTS + 1)))
    return tuple(ids) if len(ids) <= FEW_PATIENTS else None


def _day_rows(session: Session, filters: Filters, day: date, clinical: bool,
              offset: int, limit: int) -> list[Intake]:
    lo, hi = clock.day_bounds(day)
    stmt = _filtered(select(Intake), filters).where(schedule_at >= lo, schedule_at < hi)
    if clinical:
        # Red flags and submissions waiting for review first, worst flag first.
        urgent = case(
            (Intake.worst_rank >= 4, 0), (Intake.status == IntakeStatus.SUBMITTED, 0), else_=1)
        stmt = stmt.order_by(urgent, Intake.worst_rank.desc(), schedule_at, Intake.id)
    else:
        stmt = stmt.order_by(schedule_at, Intake.id)
    if filters.q and filters.patient_ids is None:
        stmt = stmt.options(contains_eager(Intake.patient))
    else:
        stmt = stmt.outerjoin(Intake.patient).options(contains_eager(Intake.patient))
    return list(session.scalars(stmt.offset(offset).limit(limit)).unique())


def _has_rows(session: Session, filters: Filters, day: date) -> bool:
    lo, hi = clock.day_bounds(day)
    stmt = _filtered(select(Intake.id), filters).where(schedule_at >= lo, schedule_at < hi)
    stmt = stmt.limit(1)
    return session.scalar(stmt) is not None


def _next_day(session: Session, filters: Filters, day: date, today: date) -> date | None:
    """The day after `day` in dashboard order: upcoming days ascending, then the past."""
    if day >= today:
        after = clock.day_bounds(day)[1]
        found = _seek(session, filters, schedule_at >= after, ascending=True)
        if found is not None:
            return clock.day_of(found)
        before = clock.day_start(today)
    else:
        before = clock.day_start(day)
    found = _seek(session, filters, schedule_at < before, ascending=False)
    return clock.day_of(found) if found is not None else None


def _seek(session: Session, filters: Filters, condition, *, ascending: bool) -> datetime | None:
    stmt = _filtered(select(schedule_at), filters).where(condition)
    stmt = stmt.order_by(schedule_at.asc() if ascending else schedule_at.desc()).limit(1)
    value = session.scalar(stmt)
    if value is None:
        return None
    # coalesce() loses the column type: SQLite hands back a naive UTC value or text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=clock.UTC)
