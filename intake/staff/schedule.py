"""The dashboard's list: intakes by appointment day, today first, then the
upcoming days, then the past, most urgent first within a day: a follow-up
with a red flag new since the last visit first of all.

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

from sqlalchemy import Select, String, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from intake import clock
from intake.models import Intake, IntakeStatus, search
from intake.screening.severity import RANK_RANGES, RED_FLAG
from intake.staff import schedule_rows

# the rows' side, named here too: the dashboard's route and tests read them as schedule.*
from intake.staff.schedule_rows import (  # noqa: F401
    ROW_COLUMNS,
    Listed,
    Row,
    needs_urgent_call,
    row_of,
    visit_marks,
)
from intake.staff.schedule_rows import at as _at

schedule_at = func.coalesce(Intake.appointment_at, Intake.created_at)
#: a name search matching at most this many intakes fetches them by id
FEW_PATIENTS = 200
MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""
    level: str = ""
    day: date | None = None
    #: filled in by page() for a rare name: the few patients whose invited name
    #: matches and the few intakes whose typed name does (None: a common name)
    matches: tuple[tuple[int, ...], tuple[int, ...]] | None = None


@dataclass
class Day:
    day: date
    section: str  # "today", "upcoming" or "past"
    intakes: list[Listed] = field(default_factory=list)


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
    filters = replace(filters, matches=_few_matches(session, filters))
    start = parse_cursor(cursor)
    day, offset = start if start else (filters.day or today, 0)
    days: list[Day] = []
    if filters.day is not None or offset:
        # One day on its own: the day filter, or the rest of a day longer than a page.
        rows = _day_rows(session, filters, day, clinical, offset, size + 1)
        if rows:
            days.append(Day(day, _section(day, today), rows[:size]))
        if len(rows) > size:
            return Page(days, f"{day.isoformat()}.{offset + size}")
        if filters.day is not None:
            return Page(days, None)
        return _walk(session, filters, day, today, clinical, size - len(rows), days,
                     include_day=False)
    return _walk(session, filters, day, today, clinical, size, days, include_day=True)


def _walk(session: Session, filters: Filters, day: date, today: date, clinical: bool,
          remaining: int, days: list[Day], *, include_day: bool) -> Page:
    """The next `remaining` intakes from `day` on, in a few statements whatever
    the number of days: which days they fall on (_times: the next schedule
    times, from the index), the whole days among them at once (_rows, sorted
    here), and the part of the day where the page ends (_day_rows)."""
    times = _times(session, filters, day, today, remaining + 1, include_day=include_day)
    counts: dict[date, int] = {}
    for at in times:
        found = clock.day_of(at)
        counts[found] = counts.get(found, 0) + 1
    next_cursor, last, taken = None, None, 0
    if len(times) > remaining:  # the last day found is where this page ends
        last = clock.day_of(times[-1])
        taken = remaining - (len(times) - counts.pop(last))
        next_cursor = f"{last.isoformat()}.{taken}"
    by_day: dict[date, list[Listed]] = {d: [] for d in counts}
    if counts:
        for intake in _rows(session, filters, list(counts)):
            by_day.setdefault(clock.day_of(_at(intake)), []).append(intake)
        for rows in by_day.values():
            rows.sort(key=_clinical_key if clinical else _time_key)
    if last is not None and taken:
        by_day[last] = _day_rows(session, filters, last, clinical, 0, taken)
    days.extend(Day(d, _section(d, today), rows) for d, rows in by_day.items() if rows)
    return Page(days, next_cursor)


def _section(day: date, today: date) -> str:
    return "today" if day == today else ("upcoming" if day > today else "past")


class unindexed(ColumnElement):  # noqa: N801 (used like a SQL function)
    """A status or rank the database must not find through its own
    single-column index: walking the schedule index in order and checking each
    row beats gathering every matching row to sort. SQLite: "+status" (its
    no-op unary plus). PostgreSQL costs the plans from its statistics, so
    where a statement walks to its LIMIT (the seek) it gets the plain column:
    "worst_rank + 0" there left it guessing how many match (89 red flags
    among 18,000 upcoming intakes; there were 2,500), and it sorted them all
    instead of walking to the first 51. A statement over a few whole days
    hides the column from it too ("status || ''"), or it adds every
    submitted intake from the status index to the days' few rows."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("estimated", InternalTraversal.dp_boolean)]

    def __init__(self, column, *, estimated: bool) -> None:
        self.column, self.estimated, self.type = column, estimated, column.type


@compiles(unindexed)
def _hidden(element: unindexed, compiler, **kw) -> str:
    column = compiler.process(element.column, **kw)
    if element.estimated:
        return column
    return f"({column} || '')" if isinstance(element.type, String) else f"({column} + 0)"


@compiles(unindexed, "sqlite")
def _unary_plus(element: unindexed, compiler, **kw) -> str:
    return "+" + compiler.process(element.column, **kw)


def _filtered(stmt: Select, filters: Filters, *, seek: bool = False) -> Select:
    """`filters` applied; `seek`: the statement walks the schedule to a LIMIT."""
    def hinted(column):
        return unindexed(column, estimated=seek)

    stmt = stmt.where(hinted(Intake.status) != IntakeStatus.CANCELLED)  # cancelled: gone
    if filters.status:
        stmt = stmt.where(hinted(Intake.status) == filters.status)
    if filters.level in RANK_RANGES:
        low, high = RANK_RANGES[filters.level]
        stmt = stmt.where(hinted(Intake.worst_rank).between(low, high))
    if filters.matches is not None:
        patient_ids, intake_ids = filters.matches
        stmt = stmt.where(or_(Intake.patient_id.in_(patient_ids), Intake.id.in_(intake_ids)))
    elif filters.q:
        stmt = stmt.outerjoin(Intake.patient).where(search.either_name_condition(filters.q))
    return stmt


def _few_matches(session: Session, filters: Filters
                 ) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """For a rare name, the matching patients' ids and the ids of the intakes
    whose typed name has it (looked up once per page, through the name
    indexes); None when there are many, and walking the schedule finds them
    soon enough."""
    if not filters.q:
        return None
    dialect = session.get_bind().dialect.name
    rows = session.execute(search.matching_names_statement(dialect, filters.q,
                                                           FEW_PATIENTS + 1)).all()
    if len(rows) > FEW_PATIENTS:
        return None
    return (tuple(sorted({i for kind, i in rows if kind == search.BY_PATIENT})),
            tuple(sorted({i for kind, i in rows if kind == search.BY_INTAKE})))


def _urgent():
    # Red flags and submissions waiting for review first (0), then the rest.
    return case((Intake.worst_rank >= RED_FLAG, 0), (Intake.status == IntakeStatus.SUBMITTED, 0),
                else_=1)


def _new_red_flag():
    # A follow-up with a red flag its last visit did not have: the top of the day.
    return case((Intake.new_red_flag.is_(True), 0), else_=1)


def _order(stmt: Select, clinical: bool) -> Select:
    """Within a day; _clinical_key and _time_key are the same orders in Python."""
    if clinical:
        return stmt.order_by(_new_red_flag(), _urgent(), Intake.worst_rank.desc(), schedule_at,
                             Intake.id)
    return stmt.order_by(schedule_at, Intake.id)


def _clinical_key(intake: Listed) -> tuple:
    urgent = 0 if intake.worst_rank >= RED_FLAG or intake.status == IntakeStatus.SUBMITTED else 1
    return (0 if intake.new_red_flag else 1, urgent, -intake.worst_rank, _at(intake), intake.id)


def _time_key(intake: Listed) -> tuple:
    return (_at(intake), intake.id)


def _listed(filters: Filters) -> Select:
    """The rows' columns, with the invited name from patients."""
    stmt = select(*schedule_rows.columns()).select_from(Intake)
    if not (filters.q and filters.matches is None):  # else _filtered joins them
        stmt = stmt.outerjoin(Intake.patient)
    return _filtered(stmt, filters)


def _day_rows(session: Session, filters: Filters, day: date, clinical: bool,
              offset: int, limit: int) -> list[Listed]:
    lo, hi = clock.day_bounds(day)
    stmt = _order(_listed(filters).where(schedule_at >= lo, schedule_at < hi), clinical)
    return schedule_rows.listed(session.execute(stmt.offset(offset).limit(limit)))


def _rows(session: Session, filters: Filters, days: list[date]) -> list[Listed]:
    """Every row of several whole days in one statement (unsorted): each run of
    adjacent days is one range on the schedule index."""
    stmt = _listed(filters).where(or_(*_ranges([clock.day_bounds(d) for d in days])))
    return schedule_rows.listed(session.execute(stmt))


def _ranges(bounds: list[tuple[datetime, datetime]]):
    merged: list[list[datetime]] = []
    for lo, hi in sorted(bounds):
        if merged and merged[-1][1] >= lo:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [and_(schedule_at >= lo, schedule_at < hi) for lo, hi in merged]


def _times(session: Session, filters: Filters, day: date, today: date, limit: int, *,
           include_day: bool) -> list[datetime]:
    """The schedule times of the next `limit` intakes in dashboard day order from
    `day` (upcoming days ascending, then the past descending): index seeks only."""
    lo, hi = clock.day_bounds(day)
    found: list[datetime] = []
    if day >= today:
        found = _seek(session, filters, schedule_at >= (lo if include_day else hi),
                      ascending=True, limit=limit)
        before = clock.day_start(today)
    else:
        before = hi if include_day else lo
    if len(found) < limit:
        found += _seek(session, filters, schedule_at < before, ascending=False,
                       limit=limit - len(found))
    return found


def _seek(session: Session, filters: Filters, condition, *, ascending: bool,
          limit: int) -> list[datetime]:
    stmt = _filtered(select(schedule_at), filters, seek=True).where(condition)
    if filters.matches is not None:
        # A few patients' intakes: fetch them all by patient and sort here, or
        # a planner may walk the whole schedule index looking for them.
        found = sorted((_aware(v) for v in session.scalars(stmt)), reverse=not ascending)
        return found[:limit]
    stmt = stmt.order_by(schedule_at.asc() if ascending else schedule_at.desc()).limit(limit)
    return [_aware(value) for value in session.scalars(stmt)]


def _aware(value) -> datetime:
    # coalesce() loses the column type: SQLite hands back a naive UTC value or text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=clock.UTC)
