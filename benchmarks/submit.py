"""CPU per submit, in process, and what one submit computes (issue 15).

Submitting re-checks every asked step the way a post of it is checked. Each
of those checks used to work out visibility and the whole-intake check
again (27 and about 10 times per click); since 831f949 they are worked out
once per answers per request (questionnaire/memo.py). This prints both side
by side, interleaved submit by submit: the app as it is, and the same app
with the memo switched off (what a submit did before):

    submit (memo on):  C ms CPU per submit (median of N; min M ms)
      per submit: V visibility passes, K checks, A answer keys built, Q SQL statements
    submit (memo off): ...

The counts are counted, not timed, so they are the same on a busy machine.
The set-up is benchmarks/step_save.py's (a fresh migrated SQLite database,
the production-like config); each submit has its own invite, whose steps
are posted first and not timed.

    .venv/bin/python benchmarks/submit.py [--submits 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from answers import step_post, valid_answers  # noqa: E402
from step_save import CSRF_FIELD, setup  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

COUNTED = ("passes", "checks", "keys", "sql")


class Counter:
    """Counts what the questionnaire works out and the SQL sent, while on."""

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        from intake.questionnaire import answers as answers_module
        from intake.questionnaire.definition import Definition

        self.on, self.counts = False, dict.fromkeys(COUNTED, 0)
        self._wrap(Definition, "_visibility", "passes")
        self._wrap(Definition, "_values", "keys")
        self._wrap(answers_module, "check_answers", "checks")
        event.listen(Engine, "before_cursor_execute", lambda *_a, **_k: self._add("sql"))

    def _add(self, name: str) -> None:
        if self.on:
            self.counts[name] += 1

    def _wrap(self, owner, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)

        def counting(*args, **kwargs):
            self._add(name)
            return original(*args, **kwargs)
        setattr(owner, attribute, counting)


def invites(app, n: int) -> list[str]:
    from intake.db import session_scope
    from intake.operations.invites import create_invite, get_clinic

    with session_scope(app) as session:
        clinic = get_clinic(session)
        return [create_invite(session, clinic, name=f"Alex Example {i}", days=14)[1]
                for i in range(n)]


def filler(app):
    """fill(token): post every asked step of that invite, as a patient would."""
    from intake import clock
    from intake.questionnaire import load_definition

    definition = load_definition()
    answers = valid_answers(definition)
    with app.app_context():
        today = clock.today()
    steps = [s.id for s in definition.steps
             if definition.visible_questions(s, answers, today)]
    fields = {s: list(step_post(definition, s, answers).items(multi=True)) for s in steps}
    client = app.test_client()

    def fill(token: str) -> list[tuple[str, str]]:
        page = client.get(f"/i/{token}/step/{steps[0]}").get_data(as_text=True)
        csrf = [("csrf_token", CSRF_FIELD.search(page).group(1))]
        for step_id in steps:
            response = client.post(f"/i/{token}/step/{step_id}",
                                   data=MultiDict(csrf + fields[step_id]))
            if response.status_code not in (302, 303):
                raise SystemExit(f"step {step_id} answered {response.status_code}")
        return csrf
    return client, fill


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=30)
    args = parser.parse_args(argv)
    from intake.questionnaire import memo

    remembered = memo.remembered

    def without_memo(_kind, _owner, _key, compute, _copy):
        return compute()

    with tempfile.TemporaryDirectory(prefix="intake-submit-") as tmp:
        app, _ = setup(Path(tmp))
        counter = Counter()
        client, fill = filler(app)
        tokens = invites(app, 2 * args.submits + 2)
        cpu = {"on": [], "off": []}
        counts = {mode: dict.fromkeys(COUNTED, 0) for mode in cpu}
        modes = ["on", "off"] * (args.submits + 1)
        for i, (mode, token) in enumerate(zip(modes, tokens, strict=True)):
            csrf = fill(token)
            memo.remembered = remembered if mode == "on" else without_memo
            counter.counts, counter.on = dict.fromkeys(COUNTED, 0), True
            started = time.process_time()
            response = client.post(f"/i/{token}/submit", data=MultiDict(csrf))
            elapsed = time.process_time() - started
            counter.on, memo.remembered = False, remembered
            if response.status_code != 303 or not response.location.endswith("/done"):
                raise SystemExit(f"submit answered {response.status_code} {response.location}")
            if i >= 2:  # the first of each: templates compiled, rules loaded
                cpu[mode].append(elapsed * 1000)
                for name in COUNTED:
                    counts[mode][name] += counter.counts[name]
        app.extensions["intake_engine"].dispose()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.submits} submits each way, interleaved; load average {load}")
    for mode in cpu:
        n = len(cpu[mode])
        each = {name: counts[mode][name] / n for name in COUNTED}
        print(f"submit (memo {mode}): {statistics.median(cpu[mode]):.2f} ms CPU per submit "
              f"(median of {n}; min {min(cpu[mode]):.2f} ms)")
        print(f"  per submit: {each['passes']:.1f} visibility passes, "
              f"{each['checks']:.1f} whole checks, {each['keys']:.1f} answer keys built, "
              f"{each['sql']:.1f} SQL statements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
