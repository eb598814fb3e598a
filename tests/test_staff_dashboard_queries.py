"""The dashboard's queries: the same order as a plain sort of every intake, a
bounded number of SQL statements however many days a page spans, and a name
search through the name index that still finds a part of a name."""

from __future__ import annotations

import random
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text
from staff_helpers import days_from_now

from intake import clock
from intake.models import Intake, IntakeStatus, Patient, search, utcnow
from intake.operations.invites import create_invite
from intake.staff import schedule

FIRST = ["Robin", "Sam", "Émile", "Quinn", "O'Brien", "Zoë"]
LAST = ["Example", "Sample", "Fixture", "Testcase"]


@contextmanager
def counted(app):
    """The SQL statements run inside the block (the list fills as they run)."""
    seen: list[str] = []
    engine = app.extensions["intake_engine"]

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def seed_spread(db, clinic, rng: random.Random, count: int = 90) -> list[Intake]:
    """Intakes on about 50 days around today, a few days with several, every
    status and rank, some walk-ins (no appointment): synthetic names only."""
    made = []
    for n in range(count):
        offset = rng.choice([rng.randint(-45, 12), rng.choice([-3, 0, 2])])
        at = None if n % 17 == 0 else days_from_now(offset, hour=rng.randint(7, 18))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
        intake, _ = create_invite(db, clinic, name=name, days=14, appointment_at=at)
        kind = rng.random()
        if kind < 0.5:
            intake.mark_submitted({"pain.regions": ["left_knee"]}, utcnow())
            intake.worst_rank = rng.choice([0, 0, 1, 2, 3, 4, 5, 6])
            if kind < 0.2:
                intake.status = IntakeStatus.REVIEWED
        elif kind < 0.7:
            intake.status = IntakeStatus.IN_PROGRESS
        made.append(intake)
    db.commit()
    return made


def in_order(intakes, filters: schedule.Filters, *, clinical: bool) -> list[int]:
    """The dashboard order by brute force: filter and sort every intake in Python."""
    today = clock.today()
    # The ranks written out here, not read from severity.py, so that a wrong
    # table there fails this test instead of agreeing with it.
    low, high = {"red_flag": (4, 6), "contraindication": (3, 3), "precaution": (2, 2),
                 "note": (1, 1), "none": (0, 0)}.get(filters.level, (None, None))

    def at(i):
        return i.appointment_at or i.created_at

    def keep(i):
        return ((not filters.status or i.status == filters.status)
                and (low is None or low <= i.worst_rank <= high)
                and (not filters.q or filters.q.strip().lower() in i.patient.display_name.lower())
                and (filters.day is None or clock.day_of(at(i)) == filters.day))

    def key(i):
        day = clock.day_of(at(i))
        day_key = (0, day.toordinal()) if day >= today else (1, -day.toordinal())
        if not clinical:
            return (day_key, at(i), i.id)
        urgent = 0 if i.worst_rank >= 4 or i.status == IntakeStatus.SUBMITTED else 1
        return (day_key, urgent, -i.worst_rank, at(i), i.id)

    return [i.id for i in sorted(filter(keep, intakes), key=key)]


def walk(db, filters, *, clinical: bool, size: int) -> tuple[list[int], list[int]]:
    """Every page from the first: the ids in page order and each page's length."""
    ids, sizes, cursor = [], [], None
    today = clock.today()
    for _ in range(200):
        result = schedule.page(db, filters, clinical=clinical, size=size, cursor=cursor)
        for day in result.days:
            assert day.intakes and day.section == schedule._section(day.day, today)
            assert all(clock.day_of(i.appointment_at or i.created_at) == day.day
                       for i in day.intakes)
        assert len({d.day for d in result.days}) == len(result.days)
        page_ids = [i.id for d in result.days for i in d.intakes]
        ids += page_ids
        sizes.append(len(page_ids))
        cursor = result.next_cursor
        if cursor is None:
            return ids, sizes
    raise AssertionError("the pages never end")


FILTERS = [
    schedule.Filters(),
    schedule.Filters(status="submitted"),
    schedule.Filters(status="invited"),
    schedule.Filters(level="red_flag"),
    schedule.Filters(level="precaution"),
    schedule.Filters(q="robin"),
    schedule.Filters(q="ÉMILE"[0] + "mile"),
    schedule.Filters(q="ample 1"),
    schedule.Filters(q="o'b"),
    schedule.Filters(q="zz-nobody"),
]


@pytest.mark.parametrize("size", [1, 4, 50])
def test_pages_match_a_plain_sort_of_every_intake(app, db, clinic, size):
    made = seed_spread(db, clinic, random.Random(15 + size))
    with app.test_request_context():
        for filters in FILTERS:
            for clinical in (True, False):
                expected = in_order(made, filters, clinical=clinical)
                ids, sizes = walk(db, filters, clinical=clinical, size=size)
                assert ids == expected, (filters, clinical)
                assert all(n == size for n in sizes[:-1]) and sizes[-1] <= size


def test_the_day_filter_and_a_rare_name_give_the_same_as_a_plain_sort(app, db, clinic,
                                                                      monkeypatch):
    made = seed_spread(db, clinic, random.Random(7))
    with app.test_request_context():
        busiest = max({clock.day_of(i.appointment_at or i.created_at) for i in made},
                      key=lambda d: sum(clock.day_of(i.appointment_at or i.created_at) == d
                                        for i in made))
        for filters in (schedule.Filters(day=busiest), schedule.Filters(day=busiest, q="a")):
            ids, _ = walk(db, filters, clinical=True, size=2)
            assert ids == in_order(made, filters, clinical=True)
        monkeypatch.setattr(schedule, "FEW_PATIENTS", 0)  # every name counts as common
        ids, _ = walk(db, schedule.Filters(q="robin"), clinical=True, size=5)
        assert ids == in_order(made, schedule.Filters(q="robin"), clinical=True)


def test_a_sparse_page_takes_a_few_statements_not_two_per_day(app, db, clinic):
    """A small clinic: 60 intakes, one a day, so a page of 50 spans 50 days."""
    for n in range(60):
        create_invite(db, clinic, name=f"Sparse Patient {n}", days=14,
                      appointment_at=days_from_now(-n * 2 + 5))
    db.commit()
    with app.test_request_context():
        past = f"{(clock.today() - timedelta(days=10)).isoformat()}.0"
        for filters, cursor in ((schedule.Filters(), None),
                                (schedule.Filters(q="patient 1"), None),
                                (schedule.Filters(status="invited"), past)):
            with counted(app) as statements:
                result = schedule.page(db, filters, clinical=True, cursor=cursor)
            assert sum(len(d.intakes) for d in result.days) > 0
            assert len(statements) <= 4, statements
        first = schedule.page(db, schedule.Filters(), clinical=True)
        assert len(first.days) == 50
        with counted(app) as statements:
            schedule.page(db, schedule.Filters(), clinical=True, size=1,
                          cursor=first.next_cursor.split(".")[0] + ".1")  # inside a day
        assert len(statements) <= 4, statements


def test_a_dashboard_request_stays_within_ten_statements(app, db, clinic, make_staff, auth):
    for n in range(60):
        create_invite(db, clinic, name=f"Sparse Patient {n}", days=14,
                      appointment_at=days_from_now(-n + 3))
    db.commit()
    auth.login(make_staff().email)
    for query in ("", "?q=patient", "?status=invited&level=none"):
        with counted(app) as statements:
            response = auth._client.get(f"/staff/{query}")
        assert response.status_code == 200
        page_statements = [s for s in statements if "intakes" in s or "patients" in s]
        assert len(page_statements) <= 10 and len(statements) <= 16, statements


def test_name_search_finds_a_part_of_a_name_in_any_case(app, db, clinic):
    names = ["Wilhelmina Rarename", "Robin O'Brien-Smith", "Zoë 100% Example",
             "under_score Person"]
    for name in names:
        create_invite(db, clinic, name=name, days=14, appointment_at=utcnow())
    db.commit()
    dialect = db.get_bind().dialect.name

    def found(q):
        ids = db.scalars(search.matching_ids_statement(dialect, q, 10)).all()
        return sorted(db.get(Patient, i).display_name for i in ids)

    assert found("rarenam") == ["Wilhelmina Rarename"]
    assert found("ILHELM") == ["Wilhelmina Rarename"]
    assert found("  mina rar ") == ["Wilhelmina Rarename"]
    assert found("o'brien") == ["Robin O'Brien-Smith"]
    assert found("100%") == ["Zoë 100% Example"]  # % is a character, not a wildcard
    assert found("wilhelmina%rarename") == []
    assert found("robin_o") == []  # and so is _
    assert found("der_sc") == ["under_score Person"]
    assert found("zoë") == ["Zoë 100% Example"]
    assert found('"quoted"') == []
    assert found("ob") == ["Robin O'Brien-Smith"]  # too short for trigrams: a plain scan
    assert found("nobody here") == []


def test_the_name_index_follows_renames_and_deletions(app, db, clinic):
    intake, _ = create_invite(db, clinic, name="Casey Original", days=14)
    other, _ = create_invite(db, clinic, name="Drew Leaving", days=14)
    db.commit()
    dialect = db.get_bind().dialect.name

    def found(q):
        return list(db.scalars(search.matching_ids_statement(dialect, q, 10)))

    patient = intake.patient
    patient.display_name = "Casey Renamed"
    db.commit()
    assert found("original") == [] and found("renamed") == [patient.id]
    db.delete(other)
    db.flush()
    db.delete(db.get(Patient, other.patient_id))
    db.commit()
    assert found("leaving") == []


def query_plan(db, statement) -> str:
    """The database's plan for `statement` (PostgreSQL: with sequential scans off)."""
    dialect = db.get_bind().dialect
    sql = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    connection = db.connection()
    if dialect.name == "sqlite":
        return " ".join(str(row[-1]) for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {sql}"))
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))


def test_the_name_search_uses_the_index(app, db, clinic):
    create_invite(db, clinic, name="Wilhelmina Rarename", days=14)
    db.commit()
    dialect = db.get_bind().dialect
    plan = query_plan(db, search.matching_ids_statement(dialect.name, "rarenam", 201))
    if dialect.name == "sqlite":
        assert "VIRTUAL TABLE INDEX" in plan and search.FTS_TABLE in plan, plan
    else:
        assert search.TRIGRAM_INDEX in plan, plan
    db.rollback()


def test_the_trigram_indexes_keep_no_pending_list(app, db, clinic):
    """PostgreSQL: new names go straight into the trigram indexes (migration
    0018), not into a GIN pending list that every search reads end to end
    until VACUUM (10.8 ms against 0.07 for a rare name at 100,000 intakes)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 tables keep no pending list")
    from intake.operations.submissions import save_step

    for n in range(30):
        intake, _ = create_invite(db, clinic, name=f"Pending Patient {n}", days=14)
        save_step(db, intake, "about", {"about.full_name": f"Typed Pending {n}"}, set(),
                  completed=False)
    db.commit()
    for index in (search.TRIGRAM_INDEX, search.TYPED_TRIGRAM_INDEX):
        merged = db.execute(text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))
        assert merged.scalar() == 0, index
    db.rollback()


def test_found_patients_are_the_ones_a_substring_scan_finds(app, db, clinic):
    rng = random.Random(3)
    for n in range(120):
        create_invite(db, clinic, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}-{n}", days=14)
    db.commit()
    dialect = db.get_bind().dialect.name
    everyone = db.execute(select(Patient.id, Patient.display_name)).all()
    for q in ("rob", "ROBIN", "ample-1", "zoë", "-11", "fixture", "e t"):
        found = set(db.scalars(search.matching_ids_statement(dialect, q, 1000)))
        assert found == {i for i, name in everyone if q.lower() in name.lower()}, q


def test_the_index_covers_rows_from_before_the_migration(make_database):
    from database_support import raw_connection

    from intake import migrate

    url = make_database("before_0005", empty=True)
    migrate.upgrade(url, "0004")
    with raw_connection(url) as conn:
        conn.exec_driver_sql("INSERT INTO clinics (id, name, created_at) "
                             "VALUES (1, 'Old Clinic', '2026-01-01 00:00:00')")
        conn.exec_driver_sql("INSERT INTO patients (id, clinic_id, display_name, created_at) "
                             "VALUES (1, 1, 'Frederica Earlier', '2026-01-01 00:00:00')")
    migrate.upgrade(url)
    with raw_connection(url) as conn:
        stmt = search.matching_ids_statement(conn.dialect.name, "ederica", 5)
        assert list(conn.scalars(stmt)) == [1]


def test_either_name_is_found_through_its_index_and_follows_changes(app, db, clinic):
    from intake.operations.invites import start_intake
    from intake.operations.submissions import save_step

    invited, _ = create_invite(db, clinic, name="Sam Sample", days=14)
    save_step(db, invited, "about", {"about.full_name": "Samantha Typedname"}, set(),
              completed=False)
    walk_in, _ = start_intake(db, clinic, days=1)
    save_step(db, walk_in, "about", {"about.full_name": "Wally 100% Walkin"}, set(),
              completed=False)
    db.commit()
    dialect = db.get_bind().dialect

    def found(q):
        return sorted(map(tuple, db.execute(
            search.matching_names_statement(dialect.name, q, 10))))

    by_typed, by_invited = ("intake", invited.id), ("patient", invited.patient_id)
    assert found("typedNAME") == [by_typed] and found("sam samp") == [by_invited]
    assert found("sam") == [by_typed, by_invited]
    assert found("100%") == [("intake", walk_in.id)] and found("wally%walkin") == []
    assert found("wa") == [("intake", walk_in.id)]  # too short for trigrams: the plain scan
    save_step(db, walk_in, "about", {"about.full_name": "Wendy Renamed"}, set(),
              completed=False)
    db.commit()
    assert found("walkin") == [] and found("renamed") == [("intake", walk_in.id)]

    plan = query_plan(db, search.matching_names_statement(dialect.name, "typedname", 201))
    if dialect.name == "sqlite":
        assert search.FTS_TABLE in plan and search.TYPED_FTS_TABLE in plan, plan
    else:
        assert search.TRIGRAM_INDEX in plan and search.TYPED_TRIGRAM_INDEX in plan, plan
    db.rollback()


def test_a_page_reads_plain_rows_and_only_what_they_show(app, db, clinic):
    """The token, the draft's kept input, the completed steps and the bulk of
    the answers cost time on every row and are never shown: the page selects
    none of them and builds no ORM object, only plain rows (schedule.Listed;
    to show more, add a column to schedule.ROW_COLUMNS and a field to
    Listed). The typed name and birth date come out of the answers in SQL."""
    from intake.operations.submissions import save_step

    made = [create_invite(db, clinic, name=f"Loaded Patient {n}", days=14,
                          appointment_at=days_from_now(0, hour=9 + n))[0] for n in range(5)]
    save_step(db, made[0], "about", {"about.full_name": " Samantha Typed ",
                                     "about.date_of_birth": "1980-05-17"}, set(),
              completed=False)
    db.commit()
    db.expunge_all()
    with app.test_request_context(), counted(app) as statements:
        (day,) = schedule.page(db, schedule.Filters(), clinical=True).days
        today = clock.today()
    assert not [o for o in db.identity_map.values() if isinstance(o, Intake)]
    rows = sorted(day.intakes, key=lambda r: r.appointment_at)
    assert all(type(r) is schedule.Listed for r in rows)
    assert [r.invited_name for r in rows] == [f"Loaded Patient {n}" for n in range(5)]
    for column in ("token_hash", "draft_invalid", "completed_steps"):
        assert not [s for s in statements if column in s], column
    whole_answers = re.compile(r"(?:SELECT|,)\s+intakes\.(?:merged_)?answers\s*(?:,|FROM)")
    assert not [s for s in statements if whole_answers.search(s)], statements
    with pytest.raises(AttributeError):
        getattr(rows[0], "token_hash")  # noqa: B009
    row = schedule.row_of(rows[0], today)
    assert (row.who.name, row.who.invited_as) == ("Samantha Typed", "Loaded Patient 0")
    assert str(row.who.date_of_birth) == "1980-05-17" and row.age is not None
    assert schedule.row_of(rows[1], today).who.name == "Loaded Patient 1"


def test_the_planner_sees_status_and_rank_only_where_it_walks_to_a_limit(app, db, clinic):
    """SQLite is kept off the single-column status and rank indexes everywhere
    ("+status", its no-op unary plus), so it walks the schedule index in
    order. PostgreSQL gets the plain columns where it seeks the next page's
    times ("worst_rank + 0" left it guessing how many rows match, and it
    sorted every upcoming intake to find a page of red flags), and hidden ones
    where it reads a few whole days (else it adds the status index's every
    submitted intake to them)."""
    from sqlalchemy.dialects import postgresql, sqlite

    filters = schedule.Filters(status="submitted", level="red_flag")
    seek, days = (schedule._filtered(select(Intake.id), filters, seek=s) for s in (True, False))
    for stmt in (seek, days):
        lite = str(stmt.compile(dialect=sqlite.dialect()))
        assert "+intakes.status = " in lite and "+intakes.worst_rank BETWEEN" in lite
    plain = str(seek.compile(dialect=postgresql.dialect()))
    assert "intakes.status = " in plain and "intakes.worst_rank BETWEEN" in plain
    assert "+" not in plain and "||" not in plain
    hidden = str(days.compile(dialect=postgresql.dialect()))
    assert "(intakes.status || '') = " in hidden
    assert "(intakes.worst_rank + 0) BETWEEN" in hidden
    if db.get_bind().dialect.name == "sqlite":
        walk = seek.where(schedule.schedule_at >= utcnow()).order_by(schedule.schedule_at)
        plan = query_plan(db, walk.limit(51))
        assert "ix_intakes_schedule" in plan and "ix_intakes_status" not in plan, plan
        assert "ix_intakes_worst_rank" not in plan, plan
