"""Dashboard page times for a small and a big clinic, on SQLite and (--postgres) PostgreSQL.

Seeds synthetic intakes (random made-up names, appointments spread over
about three years around today, every status and flag rank, answers with a
typed name, a birth date and the bulk of a questionnaire) twice: a small
clinic (--small, 1,000: about one intake a day, so a page spans weeks) and a
big one (--intakes, 100,000). Then times the dashboard's page
(intake.staff.schedule.page, from an empty identity map as in a request,
and the row each intake shows: schedule.row_of) for the views a clinic
uses, the two sizes interleaved run by run so that
the shared machine's drifting load slows both alike, and prints, per
database, the median of several runs for each size, the ratio of the big
clinic's time to the small one's (issue 15: at most 1.5) and the SQL
statements one page takes (at most 10), plus each database's plans so the
use of the indexes is visible. With --postgres a throwaway cluster is
started and removed (tests/services/postgres.py; it runs with fsync off, so
the figures are for reads, which is what the dashboard does).

Each view must show the same page at both sizes, or the ratio measures rows,
not the history behind them: a walk fills its 50 rows at either size, but a
random day holds one or two of the small clinic's intakes against 90 of the
big one's. So both clinics get the same busy day (BUSY_DAY: 60 intakes, the
same ones, and no random intake falls on it), and "one day" shows it: 50
rows at both sizes, found among 1,000 or 100,000.

What a page costs is CPU time: on SQLite this process's (the database runs
in it), on PostgreSQL this process's plus its server backend's
(/proc/PID/schedstat, in nanoseconds). Wall time on a shared two-core
machine at load 10 is mostly waiting for a core: a page PostgreSQL runs in
2 ms (EXPLAIN ANALYZE) took 20 to 40 ms, and one view's ratio moved from 1.0
to 1.6 between two runs of the same code. The wall ratio is printed beside it.

    .venv/bin/python benchmarks/dashboard.py [--small 1000] [--intakes 100000] [--runs 15]
                                             [--postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, text

from intake import clock, create_app, migrate
from intake.config import test_config
from intake.models import Clinic, Intake, Patient
from intake.questionnaire import identity
from intake.staff import schedule

FIRST = ["Alex", "Sam", "Jordan", "Robin", "Casey", "Drew", "Quinn", "Avery", "Blake", "Kim"]
LAST = ["Example", "Sample", "Demo", "Placeholder", "Testcase", "Fixture", "Mock", "Dummy"]
STATUSES = ["invited", "in_progress", "submitted", "reviewed"]
#: one patient in either clinic; searched for by a part of the name, as people type
RARE_NAME = "Wilhelmina Rarename"
#: the day "one day" shows, days from today, and its intakes (more than a page)
BUSY_DAY, BUSY_COUNT = 3, 60
#: a submitted questionnaire's bulk beside the name and birth date: a row
#: that loads the answers pays for all of it
FILLER = {f"history.item_{n}": "no" for n in range(40)} | {
    "pain.where": ["lower_back", "left_leg"], "pain.nprs_now": 6, "goals.text": "x" * 120}


def answers_of(name: str, rng: random.Random) -> dict:
    born = date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
    return {identity.name_question(): name, DATE_OF_BIRTH: born.isoformat(), **FILLER}


DATE_OF_BIRTH = "about.date_of_birth"


def busy_day() -> date:
    return clock.today() + timedelta(days=BUSY_DAY)


def seed(session, n: int, rng: random.Random) -> None:
    """`n` random intakes, then the same BUSY_COUNT on the busy day (within the
    app's context: days are the clinic's)."""
    clinic = Clinic(name="Benchmark Clinic")
    session.add(clinic)
    session.flush()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    busy = busy_day()
    opening = clock.day_start(busy) + timedelta(hours=8)
    same = random.Random(BUSY_DAY)  # the busy day's intakes: the same at both sizes
    batch = 10_000
    for start in range(0, n + BUSY_COUNT, batch):
        count = min(batch, n + BUSY_COUNT - start)
        patients = [{"id": start + i + 1, "clinic_id": clinic.id,
                     "display_name": (RARE_NAME if start + i == n // 2 else
                                      f"{rng.choice(FIRST)} {rng.choice(LAST)}-{start + i}"),
                     "created_at": now} for i in range(count)]
        session.execute(insert(Patient.__table__), patients)
        rows = []
        for i in range(count):
            if start + i < n:
                pick = rng
                at = now + timedelta(days=rng.randint(-900, 200), hours=rng.randint(-6, 8))
                if clock.day_of(at) == busy:
                    at += timedelta(days=1)
            else:
                pick = same
                at = opening + timedelta(minutes=6 * (start + i - n))
            status = pick.choice(STATUSES)
            submitted = status in ("submitted", "reviewed")
            typed = f"{pick.choice(FIRST)} {pick.choice(LAST)}"
            rows.append({
                "clinic_id": clinic.id, "patient_id": start + i + 1,
                "token_hash": f"{rng.getrandbits(256):064x}", "token_expires_at": at,
                "appointment_at": at, "status": status,
                "answers": answers_of(typed, pick) if status != "invited" else {},
                "completed_steps": [], "is_submitted": submitted,
                "submitted_at": at - timedelta(days=1) if submitted else None,
                "worst_rank": pick.choice([0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6]) if submitted else 0,
                "created_at": at - timedelta(days=7), "updated_at": at,
            })
        # Core, not the ORM: the ORM splits the batch wherever a row's None
        # columns differ from the previous row's (a statement per few rows).
        session.execute(insert(Intake.__table__), rows)
    session.commit()


def timed(pair: dict[int, tuple], runs: int) -> dict[int, tuple[float, float]]:
    """Median CPU and wall ms of each size's (run, cpu clock), the sizes
    interleaved run by run: a shared machine whose load drifts then slows
    both alike, and the ratio holds."""
    samples: dict[int, list[tuple[float, float]]] = {size: [] for size in pair}
    for fn, _ in pair.values():
        fn()  # warm the page cache
    for _ in range(runs):
        for size, (fn, cpu) in pair.items():
            c0, t0 = cpu(), time.perf_counter()
            fn()
            samples[size].append((cpu() - c0, time.perf_counter() - t0))
    return {size: tuple(statistics.median(v[i] for v in values) * 1000 for i in (0, 1))
            for size, values in samples.items()}


def cpu_clock(session, dialect: str):
    """Seconds of CPU the page costs: this process's, plus on PostgreSQL its
    server backend's (the session keeps one connection: it never commits)."""
    if dialect == "sqlite":
        return time.process_time
    stat = Path(f"/proc/{session.execute(text('SELECT pg_backend_pid()')).scalar()}/schedstat")

    def clock_() -> float:
        return time.process_time() + int(stat.read_text().split()[0]) / 1e9
    return clock_


CASES = (
    "first page (practitioner)", "first page (front desk)", "next page",
    "page 22 (deep in the past)", "status = submitted", "worst flag = red flag", "one day",
    "name search (common)", "name search (one match)",
)


def prepare(url: str, tmp_path: Path, size: int, stack: ExitStack):
    """Seed `url` with `size` intakes: {label: (run, rows, statements)}, plus plans.
    Each run starts from an empty identity map, as a request's session does."""
    rng = random.Random(20261122)
    migrate.upgrade(url)
    app = create_app({**test_config(tmp_path), "DATABASE_URL": url})
    make = app.extensions["intake_sessionmaker"]
    engine = app.extensions["intake_engine"]
    stack.callback(engine.dispose)
    dialect = engine.dialect.name
    t0 = time.perf_counter()
    with app.app_context(), make() as session:
        seed(session, size, rng)
        if dialect == "postgresql":
            session.execute(text("ANALYZE"))  # what autovacuum would soon do
            session.commit()
    print(f"{dialect}: seeded {size:,} intakes in {time.perf_counter() - t0:.1f} s")
    statements = [0]

    def count(*_args):
        statements[0] += 1

    stack.enter_context(app.test_request_context())
    session = stack.enter_context(make())
    first = schedule.page(session, schedule.Filters(), clinical=True)
    later = schedule.page(session, schedule.Filters(), clinical=True,
                          cursor=first.next_cursor)
    for _ in range(20):  # deep into the past
        later = schedule.page(session, schedule.Filters(), clinical=True,
                              cursor=later.next_cursor)
    deep = later.next_cursor
    cases = dict(zip(CASES, (
        (schedule.Filters(), True, None),
        (schedule.Filters(), False, None),
        (schedule.Filters(), True, first.next_cursor),
        (schedule.Filters(), True, deep),
        (schedule.Filters(status="submitted"), True, None),
        (schedule.Filters(level="red_flag"), True, None),
        (schedule.Filters(day=busy_day()), True, None),
        (schedule.Filters(q="robin"), True, None),
        (schedule.Filters(q="rarenam"), True, None),
    ), strict=True))
    results: dict[str, tuple] = {}
    for label, (filters, clinical, cursor) in cases.items():
        def run(filters=filters, clinical=clinical, cursor=cursor):
            session.expunge_all()
            page = schedule.page(session, filters, clinical=clinical, cursor=cursor)
            today = clock.today()
            return [schedule.row_of(i, today) for d in page.days for i in d.intakes]
        statements[0] = 0
        event.listen(engine, "before_cursor_execute", count)
        rows = len(run())
        event.remove(engine, "before_cursor_execute", count)
        results[label] = (run, rows, statements[0])
    return results, query_plans(session, dialect), cpu_clock(session, dialect)


def measure(urls: dict[int, str], tmp_path: Path, args) -> tuple[dict[int, dict], list[str]]:
    """Both sizes seeded side by side, then each case timed with the sizes
    interleaved: {size: {label: ((CPU ms, wall ms), rows, statements)}}, plus plans."""
    with ExitStack() as stack:
        prepared, plans, clocks = {}, [], {}
        for size, url in urls.items():
            prepared[size], plans, clocks[size] = prepare(url, tmp_path, size, stack)
        measured: dict[int, dict] = {size: {} for size in urls}
        for label in CASES:
            times = timed({size: (prepared[size][label][0], clocks[size]) for size in urls},
                          args.runs)
            for size in urls:
                _, rows, statements = prepared[size][label]
                measured[size][label] = (times[size], rows, statements)
    return measured, plans


def query_plans(session, dialect: str) -> list[str]:
    """How the database runs one day's query, a walk to the next day, and a name
    search: each should use an index, not read the whole table."""
    lo, hi = datetime.now(UTC) - timedelta(hours=12), datetime.now(UTC)
    params = {"lo": lo.replace(tzinfo=None), "hi": hi.replace(tzinfo=None)}
    queries = {
        "one day": "SELECT id FROM intakes WHERE "
                   "coalesce(intakes.appointment_at, intakes.created_at) >= :lo AND "
                   "coalesce(intakes.appointment_at, intakes.created_at) < :hi "
                   "ORDER BY worst_rank DESC",
        "next day": "SELECT coalesce(appointment_at, created_at) AS at FROM intakes WHERE "
                    "coalesce(appointment_at, created_at) >= :hi "
                    "ORDER BY coalesce(appointment_at, created_at) LIMIT 1",
        "patient by id": "SELECT id FROM intakes WHERE patient_id IN (7, 77777)",
        # A substring match: no b-tree index can serve it on either database.
        "name search": schedule_name_search_sql(dialect),
    }
    explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (COSTS OFF) "
    lines = []
    for label, sql in queries.items():
        rows = session.execute(text(explain + sql),
                               {k: v for k, v in params.items() if f":{k}" in sql}).all()
        if dialect == "sqlite":
            steps = [row[-1] for row in rows]
        else:  # plan nodes only, not their conditions
            steps = [row[0].strip().removeprefix("->").strip() for row in rows]
            steps = [s for s in steps if not s.split(":")[0].endswith(("Cond", "Key", "Filter"))]
        lines.append(f"  {label}: " + " | ".join(step.strip() for step in steps))
    return lines


def schedule_name_search_sql(dialect: str) -> str:
    """The statement the dashboard runs to find the few patients a typed name matches."""
    from sqlalchemy.dialects import postgresql, sqlite

    from intake.models import search

    stmt = search.matching_ids_statement(dialect, "rarenam", 201)
    compiled = stmt.compile(dialect=(sqlite if dialect == "sqlite" else postgresql).dialect(),
                            compile_kwargs={"literal_binds": True})
    return str(compiled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--intakes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", action="store_true",
                        help="also on a throwaway PostgreSQL cluster (tests/services/postgres.py)")
    args = parser.parse_args()
    sizes = (args.small, args.intakes)
    measured: dict[str, dict[int, dict]] = {}
    plans: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        measured["sqlite"], plans["sqlite"] = measure(
            {size: f"sqlite:///{tmp_path / f'bench-{size}.sqlite3'}" for size in sizes},
            tmp_path, args)
        if args.postgres:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
            from services.postgres import PostgresCluster

            with PostgresCluster() as cluster:
                admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
                for size in sizes:
                    with admin.connect() as conn:
                        conn.exec_driver_sql(f"CREATE DATABASE bench_{size}")
                admin.dispose()
                measured["postgresql"], plans["postgresql"] = measure(
                    {size: cluster.url(f"bench_{size}") for size in sizes}, tmp_path, args)
    small, big = sizes
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"median of {args.runs} runs, 50 intakes a page; load average {load}:")
    header = (f"{small:,}".rjust(9) + f"{big:,}".rjust(10)
              + "  ratio  statements   rows   wall ratio")
    for name, by_size in measured.items():
        print(f"  {name + ' (CPU time)':<30}{header}")
        for label in CASES:
            ((c_small, w_small), r_small, s_small) = by_size[small][label]
            ((c_big, w_big), r_big, s_big) = by_size[big][label]
            print(f"    {label:<28}{c_small:6.1f} ms{c_big:7.1f} ms  {c_big / c_small:5.2f}"
                  f"  {s_small:>4} / {s_big:<4}  {r_small:>2}/{r_big:<2}"
                  f"  {w_big / w_small:9.2f}")
    for name in measured:
        print(f"query plans ({name}, {big:,} intakes):")
        print("\n".join(plans[name]))


if __name__ == "__main__":
    main()
