"""Load on the real server: gunicorn with the shipped gunicorn.conf.py on loopback.

A temporary folder with a freshly migrated database (SQLite, or with
--postgres a throwaway PostgreSQL cluster) and the demo clinic; invites are
made as the front desk makes them. Two phases:

  patients    N simulated patients (50 at once, 300 in all) walk every step
              with CSRF and submit, pausing 1-3 s before each Next, then:
              load: acknowledged A, stored S, errors E, step p50 X ms, p95 Y ms
              (stored: submissions found in the database afterwards).
              With `intake worker` beside the server, it then waits for the
              queue to drain and prints:
              summaries: R of S rendered, last one T s after the last submission
              and the step-save latency from a few clients while the worker
              renders a batch of summaries and again with the worker idle.
  throughput  the same step saves back to back from 2 x workers x threads
              clients, and the same against a bare endpoint (one row read and
              written with SQLAlchemy, benchmarks/bare_app.py) under the same
              gunicorn config and database, both servers up, in alternating
              slices (app, bare, bare, app, ...) so both see the same load:
              step-save throughput vs bare endpoint: R   (ratio of saves/s)

It stops by itself within ten minutes and touches only loopback.

    .venv/bin/python benchmarks/load.py [--postgres] [--quick]
        [--patients 300] [--concurrency 50] [--pause 1 3] [--seconds 20]
        [--phase both|patients|throughput] [--consumers 1]

Workers and threads are the shipped config's (INTAKE_WORKERS, INTAKE_THREADS).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

from answers import step_post, valid_answers  # noqa: E402
from load_client import Browser, Stats, csrf_token, hammer, pauser, walk  # noqa: E402
from services.gunicorn import Gunicorn  # noqa: E402
from services.worker import Worker  # noqa: E402

HARD_STOP = 595  # seconds: whatever happens, the run ends before ten minutes
DRAIN_LIMIT = 150  # seconds to wait for the queue after the last submission
INTAKE = [str(Path(sys.executable).parent / "intake")]  # the venv's command


def options(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    parser.add_argument("--quick", action="store_true",
                        help="20 patients, 10 at once, short pauses, 5 s throughput runs")
    parser.add_argument("--patients", type=int, help="patients in all (300)")
    parser.add_argument("--concurrency", type=int, help="patients at once (50)")
    parser.add_argument("--pause", type=float, nargs=2, metavar=("MIN", "MAX"),
                        help="seconds before each Next (1 3)")
    parser.add_argument("--seconds", type=float, help="length of each throughput run (20)")
    parser.add_argument("--phase", choices=["both", "patients", "throughput"], default="both")
    parser.add_argument("--consumers", type=int, default=1,
                        help="`intake worker` processes beside the server (1)")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {"patients": (20, 300), "concurrency": (10, 50),
                "pause": ((0.2, 0.5), (1.0, 3.0)), "seconds": (5.0, 20.0)}
    for name, (short, full) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, short if quick else full)
    if args.patients < 1 or args.concurrency < 1 or args.seconds <= 0 \
            or not 0 <= args.pause[0] <= args.pause[1]:
        parser.error("counts must be at least 1, seconds positive, 0 <= MIN <= MAX")
    return args


def server_env(url: str, folder: Path) -> dict[str, str]:
    return {
        "INTAKE_ENV": "production", "INTAKE_SECRET_KEY": secrets.token_hex(32),
        "INTAKE_AUDIT_KEY": secrets.token_hex(32),
        "INTAKE_DATABASE_URL": url, "INTAKE_INSTANCE_PATH": str(folder / "instance"),
        "INTAKE_ARCHIVE_DIR": str(folder / "archive"), "INTAKE_SECURE_COOKIES": "0",
        "INTAKE_BASE_URL": "http://127.0.0.1", "INTAKE_CLINIC_NAME": "Load Test Clinic",
        # Every simulated patient comes from 127.0.0.1, and the throughput run
        # hammers a few links: the per-address and per-link step-save limits
        # stay on (their cost is measured) but high enough not to refuse.
        "INTAKE_STEP_SAVE_ADDRESS_LIMIT": "1000000 per minute",
        "INTAKE_STEP_SAVE_LINK_LIMIT": "1000000 per minute",
    }


def prepare(env: dict[str, str], count: int) -> list[tuple[int, str]]:
    """Migrate, seed the demo clinic (its output, links and password, is not shown),
    and invite `count` synthetic patients. Returns (intake id, token) pairs."""
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(INTAKE + command, env={**os.environ, **env}, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    os.environ.update(env)
    from intake import create_app
    from intake.db import session_scope
    from intake.operations.invites import create_invite, get_clinic

    app = create_app()
    with session_scope(app) as session:
        clinic = get_clinic(session)
        made = [create_invite(session, clinic, name="Alex Example", days=14)
                for _ in range(count)]
        session.flush()
        pairs = [(intake.id, token) for intake, token in made]
    app.extensions["intake_engine"].dispose()
    return pairs


def stored_count(url: str, ids: list[int]) -> int:
    from sqlalchemy import func, select

    from intake.db import make_engine
    from intake.models import Intake

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Intake)
                               .where(Intake.id.in_(ids), Intake.is_submitted.is_(True)))
    finally:
        engine.dispose()


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def patients_phase(server, invites, fields_for, args, deadline) -> list[int]:
    stats = Stats()
    with ThreadPoolExecutor(args.concurrency) as pool:
        for n, (intake_id, token) in enumerate(invites):
            pool.submit(walk, Browser("127.0.0.1", server.port), token, fields_for, stats,
                        pauser(*args.pause, seed=n), deadline, intake_id)
    stored = stored_count(server.env["INTAKE_DATABASE_URL"], [i for i, _ in invites])
    print(f"load: acknowledged {len(stats.acknowledged)}, stored {stored}, "
          f"errors {len(stats.errors)}, step p50 {percentile(stats.step_ms, 50):.0f} ms, "
          f"p95 {percentile(stats.step_ms, 95):.0f} ms")
    print(f"  {len(stats.step_ms)} step saves; pages p50 {percentile(stats.page_ms, 50):.0f} ms, "
          f"p95 {percentile(stats.page_ms, 95):.0f} ms; {stats.unfinished} walks cut short")
    for error, count in sorted(_count(stats.errors).items())[:5]:
        print(f"  error x{count}: {error}")
    return list(stats.acknowledged)


def summary_times(url: str, ids: list[int]) -> tuple[int, int, float | None]:
    """(submitted, with a ready summary, seconds from the last submission to the
    last summary rendered) for the intakes `ids`."""
    from sqlalchemy import func, select

    from intake.db import make_engine
    from intake.models import Document, Intake

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            submitted = conn.execute(select(func.count(), func.max(Intake.submitted_at)).where(
                Intake.id.in_(ids), Intake.is_submitted.is_(True))).one()
            ready = conn.execute(select(func.count(), func.max(Document.rendered_at)).where(
                Document.intake_id.in_(ids), Document.kind == "summary",
                Document.status == "ready")).one()
    finally:
        engine.dispose()
    lag = (ready[1] - submitted[1]).total_seconds() if ready[1] and submitted[1] else None
    return submitted[0], ready[0], lag


def drain_phase(env, ids: list[int], deadline: float) -> None:
    """Wait for every submitted summary to be rendered (or the limit), then say so."""
    url = env["INTAKE_DATABASE_URL"]
    waited = time.monotonic()
    while True:
        submitted, ready, lag = summary_times(url, ids)
        if ready >= submitted or time.monotonic() > deadline:
            break
        time.sleep(1)
    lag_text = f"{lag:.0f} s" if lag is not None else "n/a"
    print(f"summaries: {ready} of {submitted} rendered, last one {lag_text} after the last "
          f"submission (waited {time.monotonic() - waited:.0f} s after the load)")


def queue_renders(ids: list[int]) -> int:
    """Add a pending version for each intake: the worker renders them (a batch
    of real render work to measure step saves against)."""
    from intake import create_app
    from intake.db import session_scope
    from intake.documents.pending import add_pending

    app = create_app()
    with session_scope(app) as session:
        for intake_id in ids:
            add_pending(session, intake_id, "reviewed_summary")
    app.extensions["intake_engine"].dispose()
    return len(ids)


def pending_count(url: str) -> int:
    from sqlalchemy import func, select

    from intake.db import make_engine
    from intake.models import Document

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Document)
                               .where(Document.status != "ready"))
    finally:
        engine.dispose()


def timed_saves(posters: list, seconds: float, busy=None) -> list[float]:
    """Each poster in turn, one at a time, for `seconds` (or while `busy()`): ms each."""
    times, end = [], time.monotonic() + seconds
    for post in itertools.cycle(posters):
        if time.monotonic() > end or (busy is not None and not busy()):
            break
        started = time.perf_counter()
        post()
        times.append((time.perf_counter() - started) * 1000)
    return times


def latency_phase(server, env, ids, invites, fields_for, steps, seconds: float) -> None:
    """Step saves from a few clients while the worker renders, then with it idle."""
    url = env["INTAKE_DATABASE_URL"]
    posters = app_saves(server, invites, fields_for, steps)
    queued = queue_renders(ids[:60])
    time.sleep(1)                                # the worker picks the batch up
    busy = timed_saves(posters, seconds, busy=lambda: pending_count(url) > 0)
    deadline = time.monotonic() + DRAIN_LIMIT
    while pending_count(url) and time.monotonic() < deadline:
        time.sleep(1)
    idle = timed_saves(posters, seconds)
    print(f"step save while rendering: p50 {percentile(busy, 50):.0f} ms, "
          f"p95 {percentile(busy, 95):.0f} ms ({len(busy)} saves, {queued} renders queued); "
          f"idle worker: p50 {percentile(idle, 50):.0f} ms, p95 {percentile(idle, 95):.0f} ms "
          f"({len(idle)} saves)")


def _count(items: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def app_saves(server, invites, fields_for, steps) -> list:
    """One poster per client: its own intake, the CSRF token read once."""
    posters = []
    for _, token in invites:
        browser = Browser("127.0.0.1", server.port)
        _, _, text, _ = browser.request("GET", f"/i/{token}/step/{steps[0]}")
        csrf = [("csrf_token", csrf_token(text, "step page"))]
        cycle = itertools.cycle(steps)

        def post(browser=browser, csrf=csrf, cycle=cycle, token=token):
            step_id = next(cycle)
            return browser.request("POST", f"/i/{token}/step/{step_id}",
                                   csrf + fields_for(step_id))[0]
        posters.append(post)
    return posters


def bare_saves(server, count, fields_for, steps) -> list:
    posters = []
    for row in range(1, count + 1):
        browser, cycle = Browser("127.0.0.1", server.port), itertools.cycle(steps)

        def post(browser=browser, cycle=cycle, row=row):
            return browser.request("POST", f"/row/{row}", fields_for(next(cycle)))[0]
        posters.append(post)
    return posters


#: Slices of each throughput run, app and bare in turn (A B B A ...): on a shared
#: machine whose load swings within seconds, both see the same load.
SLICES = 4


def throughput_phase(app_server, env, folder, invites, fields_for, steps, args,
                     deadline: float) -> None:
    clients = len(invites)
    import bare_app

    bare_app.prepare(env["INTAKE_DATABASE_URL"], clients)
    app_posts = app_saves(app_server, invites, fields_for, steps)
    with running(Gunicorn(env, folder / "bare", app="bare_app:create()",
                          args=["--pythonpath", str(ROOT / "benchmarks")])) as bare:
        bare_posts = bare_saves(bare, clients, fields_for, steps)
        slice_seconds = args.seconds / SLICES
        done = {"app": [0.0, 0, 0.0], "bare": [0.0, 0, 0.0]}  # saves, errors, seconds
        order = [("app", app_posts), ("bare", bare_posts)]
        for n in range(SLICES):
            for name, posts in order if n % 2 == 0 else order[::-1]:
                if time.monotonic() + slice_seconds + 30 > deadline:
                    break
                rate, errors = hammer(posts, slice_seconds, warm_up=0.5)
                done[name][0] += rate * slice_seconds
                done[name][1] += errors
                done[name][2] += slice_seconds
    app_rate, bare_rate = (saves / seconds if seconds else 0.0
                           for saves, _, seconds in done.values())
    app_errors, bare_errors = done["app"][1], done["bare"][1]
    ratio = app_rate / bare_rate if bare_rate else float("nan")
    print(f"step-save throughput vs bare endpoint: {ratio:.2f}")
    print(f"  app {app_rate:.1f} saves/s ({app_errors} errors), bare {bare_rate:.1f} saves/s "
          f"({bare_errors} errors), {clients} clients, {done['app'][2]:.0f} s and "
          f"{done['bare'][2]:.0f} s in {SLICES} alternating slices each")


def token_lines(log: Path, invites) -> tuple[int, int]:
    lines = log.read_text().splitlines() if log.exists() else []
    tokens = [t for _, t in invites]
    return len(lines), sum(1 for line in lines if any(t in line for t in tokens))


def run(args, folder: Path, url: str, started: float) -> None:
    env = server_env(url, folder)
    from intake.serving import default_workers, env_positive

    workers, threads = default_workers(), env_positive("THREADS", 4)  # as gunicorn.conf.py
    clients = 2 * workers * threads
    walkers = args.patients if args.phase != "throughput" else 0
    probes = 4 if walkers else 0                 # step savers for the latency phase
    invites = prepare(env, walkers + probes + (clients if args.phase != "patients" else 0))
    patients, probers = invites[:walkers], invites[walkers:walkers + probes]
    hammerers = invites[walkers + probes:]
    from intake.questionnaire import load_definition

    definition = load_definition()
    answers = valid_answers(definition)
    cache: dict[str, list] = {}

    def fields_for(step_id: str) -> list:
        if step_id not in cache:
            cache[step_id] = list(step_post(definition, step_id, answers).items(multi=True))
        return cache[step_id]

    steps = [s.id for s in definition.steps
             if s.id != "consent" and definition.visible_questions(s, answers, date.today())]
    print(f"load: {'PostgreSQL' if args.postgres else 'SQLite'}, gunicorn {workers} workers "
          f"x {threads} threads, {max(args.consumers, 1)} intake worker(s); {_load()}")
    with running(Gunicorn(env, folder / "app")) as server, contextlib.ExitStack() as consumers:
        for n in range(max(args.consumers, 1)):
            consumers.enter_context(running(Worker(env, folder / f"worker{n}")))
        # Time kept back for the throughput runs: two of them, two server stops,
        # a server start, and the PostgreSQL cluster's stop, on a busy machine.
        reserve = 2 * args.seconds + 120 if args.phase != "patients" else 30
        if args.phase != "throughput":
            reserve += 60
            acknowledged = patients_phase(server, patients, fields_for, args,
                                          started + HARD_STOP - reserve - DRAIN_LIMIT)
            drain_phase(env, [i for i, _ in patients],
                        min(time.monotonic() + DRAIN_LIMIT, started + HARD_STOP - reserve))
            latency_phase(server, env, acknowledged, probers, fields_for, steps,
                          min(args.seconds, 10))
        if args.phase != "patients":
            throughput_phase(server, env, folder, hammerers, fields_for, steps, args,
                             started + HARD_STOP - 30)
        lines, leaked = token_lines(server.access_log, invites)
    print(f"  access log: {lines} lines, {leaked} with a link token; {_load()}; "
          f"{time.monotonic() - started:.0f} s in all")


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


RUNNING: list = []


@contextlib.contextmanager
def running(server):
    """Start a server and remember it, so that the watchdog can stop it too."""
    RUNNING.append(server)
    try:
        yield server.start()
    finally:
        server.stop()
        RUNNING.remove(server)


def _hard_stop() -> None:
    print(f"load: stopped after {HARD_STOP} s", file=sys.stderr, flush=True)
    for server in reversed(RUNNING):
        with contextlib.suppress(Exception):
            server.stop()
    os._exit(3)


def main(argv=None) -> int:
    args = options(argv)
    started = time.monotonic()
    watchdog = threading.Timer(HARD_STOP, _hard_stop)
    watchdog.daemon = True
    watchdog.start()
    with tempfile.TemporaryDirectory(prefix="intake-load-") as tmp:
        folder = Path(tmp)
        if args.postgres:
            from services.postgres import PostgresCluster
            from sqlalchemy import create_engine, text

            with running(PostgresCluster()) as cluster:
                engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
                with engine.connect() as conn:
                    conn.execute(text("CREATE DATABASE intake_load"))
                engine.dispose()
                run(args, folder, cluster.url("intake_load"), started)
        else:
            run(args, folder, f"sqlite:///{folder / 'intake.sqlite3'}", started)
    watchdog.cancel()
    return 0


if __name__ == "__main__":
    sys.exit(main())
