"""CPU per step save, in process: the step view's own cost, free of the network.

The shared machine makes wall-clock throughput noisy; process CPU time is
what a save costs the server. A fresh migrated SQLite database in a temporary
folder, the production-like config (CSRF on, rate limits on), one invite; the
Flask test client posts every asked step in turn (as benchmarks/load.py's
throughput phase does) for `--saves` saves per round, and the script prints
the median over `--rounds` rounds:

    step save: C ms CPU per save (median of R rounds of N saves; min M ms)
    per save: V visibility calls, K answer keys built, Q SQL statements
              (I reads of the intake), T threads started, F form fields built

The second line is counted, not timed, so it is the same on a busy machine.

    .venv/bin/python benchmarks/step_save.py [--saves 200] [--rounds 5] [--profile]

`--profile` runs one round under cProfile and prints the top functions.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from answers import step_post, valid_answers  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INTAKE = [str(Path(sys.executable).parent / "intake")]


def setup(folder: Path):
    env = {
        "INTAKE_ENV": "production", "INTAKE_SECRET_KEY": "bench-secret-" + "0" * 40,
        "INTAKE_AUDIT_KEY": "bench-audit-" + "0" * 40,
        "INTAKE_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "INTAKE_INSTANCE_PATH": str(folder / "instance"),
        "INTAKE_ARCHIVE_DIR": str(folder / "archive"), "INTAKE_SECURE_COOKIES": "0",
        "INTAKE_BASE_URL": "http://127.0.0.1", "INTAKE_CLINIC_NAME": "Bench Clinic",
        "INTAKE_STEP_SAVE_ADDRESS_LIMIT": "1000000 per minute",
        "INTAKE_STEP_SAVE_LINK_LIMIT": "1000000 per minute",
    }
    subprocess.run(INTAKE + ["db", "upgrade"], env={**os.environ, **env}, cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    from intake import create_app
    from intake.db import session_scope
    from intake.operations.invites import create_invite, get_clinic

    app = create_app()
    with session_scope(app) as session:
        clinic = get_clinic(session, create_name="Bench Clinic")
        _, token = create_invite(session, clinic, name="Alex Example", days=14)
    return app, token


def poster(app, token: str):
    from intake.questionnaire import load_definition

    definition = load_definition()
    answers = valid_answers(definition)
    steps = [s.id for s in definition.steps
             if s.id != "consent" and definition.visible_questions(s, answers, date.today())]
    fields = {s: list(step_post(definition, s, answers).items(multi=True)) for s in steps}
    client = app.test_client()
    page = client.get(f"/i/{token}/step/{steps[0]}").get_data(as_text=True)
    csrf = [("csrf_token", CSRF_FIELD.search(page).group(1))]
    cycle = itertools.cycle(steps)

    def post() -> None:
        step_id = next(cycle)
        response = client.post(f"/i/{token}/step/{step_id}",
                               data=MultiDict(csrf + fields[step_id]))
        if response.status_code not in (302, 303):
            raise SystemExit(f"step save answered {response.status_code}")
    return post


def round_ms(post, saves: int) -> float:
    started = time.process_time()
    for _ in range(saves):
        post()
    return (time.process_time() - started) * 1000 / saves


def counted(post, saves: int) -> tuple[float, ...]:
    """Per save: Definition.visibility calls, memo keys over all answers, SQL
    statements, reads of the intakes table, threads started, form fields built."""
    import threading

    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from wtforms.fields.core import Field

    from intake.questionnaire import Definition

    counts = dict.fromkeys(("visibility", "_values", "sql", "reads", "start", "fields"), 0)
    patched = [(Definition, "visibility"), (Definition, "_values"),
               (threading.Thread, "start"), (Field, "__init__")]
    names = {"__init__": "fields"}
    originals = [getattr(owner, name) for owner, name in patched]

    def wrap(name, original):
        def inner(self, *args, **kwargs):
            counts[names.get(name, name)] += 1
            return original(self, *args, **kwargs)
        return inner

    def statement(_conn, _cursor, sql, *_args, **_kwargs):
        counts["sql"] += 1
        flat = " ".join(sql.split()).upper()
        counts["reads"] += flat.startswith("SELECT") and "FROM INTAKES" in flat

    for (owner, name), original in zip(patched, originals, strict=True):
        setattr(owner, name, wrap(name, original))
    event.listen(Engine, "before_cursor_execute", statement)
    try:
        for _ in range(saves):
            post()
    finally:
        for (owner, name), original in zip(patched, originals, strict=True):
            setattr(owner, name, original)
        event.remove(Engine, "before_cursor_execute", statement)
    return tuple(counts[k] / saves for k in counts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="intake-stepsave-") as tmp:
        app, token = setup(Path(tmp))
        post = poster(app, token)
        round_ms(post, 20)  # warm: templates compiled, caches filled
        if args.profile:
            import cProfile
            import pstats
            profile = cProfile.Profile()
            profile.runcall(round_ms, post, args.saves)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        rounds = [round_ms(post, args.saves) for _ in range(args.rounds)]
        visibility, keys, sql, reads, threads, fields = counted(post, 50)
        app.extensions["intake_engine"].dispose()
    print(f"step save: {statistics.median(rounds):.2f} ms CPU per save "
          f"(median of {args.rounds} rounds of {args.saves} saves; min {min(rounds):.2f} ms)")
    print(f"per save: {visibility:.1f} visibility calls, {keys:.1f} answer keys built, "
          f"{sql:.1f} SQL statements ({reads:.1f} reads of the intake), "
          f"{threads:.1f} threads started, {fields:.1f} form fields built")
    return 0


if __name__ == "__main__":
    sys.exit(main())
