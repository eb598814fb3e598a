"""Dashboard page times with 100,000 intakes in a temporary SQLite database.

Seeds synthetic intakes (random made-up names, appointments spread over
about three years around today, every status and flag rank), then times the
dashboard query (intake.staff.schedule.page) for the views a clinic uses
and prints the median of several runs, plus SQLite's plan for one day's
query so the use of the schedule index is visible.

    .venv/bin/python benchmarks/dashboard.py [--intakes 100000] [--runs 15]
"""

from __future__ import annotations

import argparse
import random
import statistics
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
        session.execute(insert(Patient), patients)
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
        session.execute(insert(Intake), rows)
    session.commit()


def timed(fn, runs: int) -> float:
    fn()  # warm the page cache
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(20261122)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        migrate.upgrade(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        app = create_app(test_config(tmp_path))
        make = app.extensions["intake_sessionmaker"]
        t0 = time.perf_counter()
        with make() as session:
            seed(session, args.intakes, rng)
        print(f"seeded {args.intakes:,} intakes in {time.perf_counter() - t0:.1f} s")
        with app.test_request_context(), make() as session:
            first = schedule.page(session, schedule.Filters(), clinical=True)
            later = schedule.page(session, schedule.Filters(), clinical=True,
                                  cursor=first.next_cursor)
            for _ in range(20):  # deep into the past
                later = schedule.page(session, schedule.Filters(), clinical=True,
                                      cursor=later.next_cursor)
            deep = later.next_cursor
            day = first.days[0].day
            cases = {
                "first page (practitioner)": (schedule.Filters(), True, None),
                "first page (front desk)": (schedule.Filters(), False, None),
                "next page": (schedule.Filters(), True, first.next_cursor),
                "page 22 (deep in the past)": (schedule.Filters(), True, deep),
                "status = submitted": (schedule.Filters(status="submitted"), True, None),
                "worst flag = red flag": (schedule.Filters(level="red_flag"), True, None),
                "one day": (schedule.Filters(day=day), True, None),
                "name search (common)": (schedule.Filters(q="robin"), True, None),
                "name search (one match)": (schedule.Filters(q="-77777"), True, None),
            }
            print(f"median of {args.runs} runs, 50 intakes a page:")
            for label, (filters, clinical, cursor) in cases.items():
                def run(filters=filters, clinical=clinical, cursor=cursor):
                    session.expire_all()
                    return schedule.page(session, filters, clinical=clinical, cursor=cursor)
                rows = sum(len(d.intakes) for d in run().days)
                print(f"  {label:<30} {timed(run, args.runs):8.1f} ms  ({rows} rows)")
            lo, hi = datetime.now(UTC) - timedelta(hours=12), datetime.now(UTC)
            plan = session.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM intakes WHERE "
                "coalesce(intakes.appointment_at, intakes.created_at) >= :lo AND "
                "coalesce(intakes.appointment_at, intakes.created_at) < :hi"),
                {"lo": lo.replace(tzinfo=None), "hi": hi.replace(tzinfo=None)}).all()
            print("query plan for one day:", "; ".join(row[-1] for row in plan))
        app.extensions["intake_engine"].dispose()


if __name__ == "__main__":
    main()
