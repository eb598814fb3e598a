"""Dashboard page times with 100,000 intakes, on SQLite and (--postgres) PostgreSQL.

Seeds synthetic intakes (random made-up names, appointments spread over
about three years around today, every status and flag rank), then times the
dashboard query (intake.staff.schedule.page) for the views a clinic uses
and prints the median of several runs for each database side by side, plus
each database's plan for the schedule queries so the use of the indexes is
visible. With --postgres a throwaway cluster is started and removed
(tests/services/postgres.py; it runs with fsync off, so the figures are
for reads, which is what the dashboard does).

    .venv/bin/python benchmarks/dashboard.py [--intakes 100000] [--runs 15] [--postgres]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from intake import create_app, migrate
from intake.config import test_config
from intake.models import Clinic, Intake, Patient
from intake.staff import schedule

FIRST = ["Alex", "Sam", "Jordan", "Robin", "Casey", "Drew", "Quinn", "Avery", "Blake", "Kim"]
LAST = ["Example", "Sample", "Demo", "Placeholder", "Testcase", "Fixture", "Mock", "Dummy"]
STATUSES = ["invited", "in_progress", "submitted", "reviewed"]


def seed(session, n: int, rng: random.Random) -> None:
    clinic = Clinic(name="Benchmark Clinic")
    session.add(clinic)
    session.flush()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    batch = 10_000
    for start in range(0, n, batch):
        count = min(batch, n - start)
        patients = [{"id": start + i + 1, "clinic_id": clinic.id,
                     "display_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}-{start + i}",
                     "created_at": now} for i in range(count)]
        session.execute(insert(Patient.__table__), patients)
        rows = []
        for i in range(count):
            at = now + timedelta(days=rng.randint(-900, 200), hours=rng.randint(-6, 8))
            status = rng.choice(STATUSES)
            submitted = status in ("submitted", "reviewed")
            rows.append({
                "clinic_id": clinic.id, "patient_id": start + i + 1,
                "token_hash": f"{rng.getrandbits(256):064x}", "token_expires_at": at,
                "appointment_at": at, "status": status, "answers": {},
                "completed_steps": [], "is_submitted": submitted,
                "submitted_at": at - timedelta(days=1) if submitted else None,
                "worst_rank": rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6]) if submitted else 0,
                "created_at": at - timedelta(days=7), "updated_at": at,
            })
        # Core, not the ORM: the ORM splits the batch wherever a row's None
        # columns differ from the previous row's (a statement per few rows).
        session.execute(insert(Intake.__table__), rows)
    session.commit()


def timed(fn, runs: int) -> float:
    fn()  # warm the page cache
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


CASES = (
    "first page (practitioner)", "first page (front desk)", "next page",
    "page 22 (deep in the past)", "status = submitted", "worst flag = red flag", "one day",
    "name search (common)", "name search (one match)",
)


def measure(url: str, tmp_path: Path, args) -> tuple[dict[str, tuple[float, int]], list[str]]:
    """Seed `url` and time each case: {label: (median ms, rows)}, plus plans."""
    rng = random.Random(20261122)
    migrate.upgrade(url)
    app = create_app({**test_config(tmp_path), "DATABASE_URL": url})
    make = app.extensions["intake_sessionmaker"]
    dialect = app.extensions["intake_engine"].dialect.name
    t0 = time.perf_counter()
    with make() as session:
        seed(session, args.intakes, rng)
        if dialect == "postgresql":
            session.execute(text("ANALYZE"))  # what autovacuum would soon do
            session.commit()
    print(f"{dialect}: seeded {args.intakes:,} intakes in {time.perf_counter() - t0:.1f} s")
    results: dict[str, tuple[float, int]] = {}
    with app.test_request_context(), make() as session:
        first = schedule.page(session, schedule.Filters(), clinical=True)
        later = schedule.page(session, schedule.Filters(), clinical=True,
                              cursor=first.next_cursor)
        for _ in range(20):  # deep into the past
            later = schedule.page(session, schedule.Filters(), clinical=True,
                                  cursor=later.next_cursor)
        deep = later.next_cursor
        day = first.days[0].day
        cases = dict(zip(CASES, (
            (schedule.Filters(), True, None),
            (schedule.Filters(), False, None),
            (schedule.Filters(), True, first.next_cursor),
            (schedule.Filters(), True, deep),
            (schedule.Filters(status="submitted"), True, None),
            (schedule.Filters(level="red_flag"), True, None),
            (schedule.Filters(day=day), True, None),
            (schedule.Filters(q="robin"), True, None),
            (schedule.Filters(q="-77777"), True, None),
        ), strict=True))
        for label, (filters, clinical, cursor) in cases.items():
            def run(filters=filters, clinical=clinical, cursor=cursor):
                session.expire_all()
                return schedule.page(session, filters, clinical=clinical, cursor=cursor)
            rows = sum(len(d.intakes) for d in run().days)
            results[label] = (timed(run, args.runs), rows)
        plans = query_plans(session, dialect)
    app.extensions["intake_engine"].dispose()
    return results, plans


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
        "name search": "SELECT id FROM patients WHERE lower(display_name) LIKE '%robin%' "
                       "LIMIT 21",
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", action="store_true",
                        help="also on a throwaway PostgreSQL cluster (tests/services/postgres.py)")
    args = parser.parse_args()
    measured: dict[str, dict] = {}
    plans: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        measured["sqlite"], plans["sqlite"] = measure(url, tmp_path, args)
        if args.postgres:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
            from services.postgres import PostgresCluster

            with PostgresCluster() as cluster:
                measured["postgresql"], plans["postgresql"] = measure(
                    cluster.url(), tmp_path, args)
    names = list(measured)
    print(f"median of {args.runs} runs, 50 intakes a page, {args.intakes:,} intakes:")
    print(f"  {'':<30}" + "".join(f"{name:>14}" for name in names) + "   rows")
    for label in CASES:
        cells = "".join(f"{measured[name][label][0]:11.1f} ms" for name in names)
        rows = "/".join(sorted({str(measured[name][label][1]) for name in names}))
        print(f"  {label:<30}{cells}   {rows}")
    for name in names:
        print(f"query plans ({name}):")
        print("\n".join(plans[name]))


if __name__ == "__main__":
    main()
