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

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, contains_eager, load_only

from intake import clock
from intake.models import Intake, IntakeStatus, Patient, search
from intake.questionnaire.identity import Identity, identity
from intake.screening.severity import RANK_RANGES, RED_FLAG

schedule_at = func.coalesce(Intake.appointment_at, Intake.created_at)
#: a name search matching at most this many intakes fetches them by id
FEW_PATIENTS = 200
MAX_OFFSET = 2**31 - 1
#: What a dashboard row reads, and all it loads: the other columns (the
#: token, the draft's invalid input, the merged follow-up answers...) cost
#: time on every row and are never shown. Any other attribute raises on
#: access instead of loading row by row (one statement per row): to show
#: more on a row, add its column here.
ROW_COLUMNS = (Intake.id, Intake.patient_id, Intake.status, Intake.is_submitted,
               Intake.worst_rank, Intake.appointment_at, Intake.created_at, Intake.answers,
               # the visit marks (visit_marks below)
               Intake.kind, Intake.merged_answers, Intake.new_red_flag,
               # the patient's language (the row's badge)
               Intake.language)
PATIENT_COLUMNS = (Patient.id, Patient.display_name)


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
    intakes: list[Intake] = field(default_factory=list)


@dataclass
class Page:
    days: list[Day]
    next_cursor: str | None


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


def row_of(intake: Intake, today: date) -> Row:
    # a submitted follow-up's own answers hold no name or birth date: its merged set does
    who = identity(intake.merged_answers or intake.answers,
                   intake.patient.display_name if intake.patient else None)
    return Row(who, who.age_on(today), needs_urgent_call(intake), **visit_marks(intake, today))


def visit_marks(intake: Intake, today: date) -> dict[str, bool]:
    """What the row says about a follow-up, from the intake's own columns (no
    statement): a red flag new since the last visit; due today (its
    appointment is today); the re-check not completed (its appointment is
    today or past and it is not submitted)."""
    if not intake.is_follow_up or intake.is_cancelled:
        return {}
    day = clock.day_of(_at(intake))
    return {"new_red_flag": intake.is_submitted and intake.new_red_flag,
            "follow_up_due": day == today,
            "recheck_missed": not intake.is_submitted and day <= today}


def needs_urgent_call(intake: Intake) -> bool:
    """A submitted intake with a red flag (any urgency) not yet signed off: the
    clinic should phone the patient today. Front desk sees this mark, not the flag."""
    return (intake.is_submitted and intake.status != IntakeStatus.REVIEWED
            and intake.worst_rank >= RED_FLAG)


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
    by_day: dict[date, list[Intake]] = {d: [] for d in counts}
    if counts:
        for intake in _rows(session, filters, list(counts)):
            by_day.setdefault(clock.day_of(_at(intake)), []).append(intake)
        for rows in by_day.values():
            rows.sort(key=_clinical_key if clinical else _time_key)
    if last is not None and taken:
        by_day[last] = _day_rows(session, filters, last, clinical, 0, taken)
    days.extend(Day(d, _section(d, today), rows) for d, rows in by_day.items() if rows)
    return Page(days, next_cursor)


def _at(intake: Intake) -> datetime:
    return intake.appointment_at or intake.created_at


def _section(day: date, today: date) -> str:
    return "today" if day == today else ("upcoming" if day > today else "past")


def _filtered(stmt: Select, filters: Filters) -> Select:
    stmt = stmt.where((Intake.status + "") != IntakeStatus.CANCELLED)  # cancelled: gone
    # "status || ''" and "worst_rank + 0" keep SQLite from choosing the
    # single-column status or worst_rank index: walking the schedule index and
    # checking each row is faster than gathering every matching row to sort.
    if filters.status:
        stmt = stmt.where((Intake.status + "") == filters.status)
    if filters.level in RANK_RANGES:
        low, high = RANK_RANGES[filters.level]
        stmt = stmt.where((Intake.worst_rank + 0).between(low, high))
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


def _clinical_key(intake: Intake) -> tuple:
    urgent = 0 if intake.worst_rank >= RED_FLAG or intake.status == IntakeStatus.SUBMITTED else 1
    return (0 if intake.new_red_flag else 1, urgent, -intake.worst_rank, _at(intake), intake.id)


def _time_key(intake: Intake) -> tuple:
    return (_at(intake), intake.id)


def _with_patients(stmt: Select, filters: Filters) -> Select:
    if not (filters.q and filters.matches is None):  # else _filtered joined them already
        stmt = stmt.outerjoin(Intake.patient)
    return stmt.options(load_only(*ROW_COLUMNS, raiseload=True),
                        contains_eager(Intake.patient).load_only(*PATIENT_COLUMNS,
                                                                 raiseload=True))


def _day_rows(session: Session, filters: Filters, day: date, clinical: bool,
              offset: int, limit: int) -> list[Intake]:
    lo, hi = clock.day_bounds(day)
    stmt = _filtered(select(Intake), filters).where(schedule_at >= lo, schedule_at < hi)
    stmt = _with_patients(_order(stmt, clinical), filters)
    return list(session.scalars(stmt.offset(offset).limit(limit)).unique())


def _rows(session: Session, filters: Filters, days: list[date]) -> list[Intake]:
    """Every row of several whole days in one statement (unsorted): each run of
    adjacent days is one range on the schedule index."""
    stmt = _filtered(select(Intake), filters).where(
        or_(*_ranges([clock.day_bounds(d) for d in days])))
    return list(session.scalars(_with_patients(stmt, filters)).unique())


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
    stmt = _filtered(select(schedule_at), filters).where(condition)
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
