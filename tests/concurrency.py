"""Driving two transactions into a chosen interleaving, without sleeps.

`StatementWatch` listens to an engine's cursor events and tells, per thread,
which statement is in flight and which have finished. A test pauses the
first writer while it holds its lock, starts the second, and resumes the
first only once the second is either waiting for that lock (correct code)
or has already read the row the lock protects (the bug): both outcomes are
observed, never guessed from elapsed time.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: generous: only reached when the code under test hangs
WAIT_SECONDS = 60


class StatementWatch:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.cond = threading.Condition()
        self.in_flight: dict[int, str] = {}
        self.finished: dict[int, list[str]] = defaultdict(list)
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, statement, *_args) -> None:
        with self.cond:
            self.in_flight[threading.get_ident()] = statement
            self.cond.notify_all()

    def _after(self, _conn, _cursor, statement, *_args) -> None:
        with self.cond:
            self.in_flight.pop(threading.get_ident(), None)
            self.finished[threading.get_ident()].append(statement)
            self.cond.notify_all()

    def waiting_for_lock(self, ident: int, table: str) -> bool:
        """The thread is inside a statement that must wait for a held lock."""
        statement = " ".join(self.in_flight.get(ident, "").split()).upper()
        return statement == "BEGIN IMMEDIATE" or (
            "FOR UPDATE" in statement and f"FROM {table.upper()}" in statement)

    def has_read(self, ident: int, table: str) -> bool:
        """The thread has finished a SELECT from the table."""
        return any(s.lstrip().upper().startswith("SELECT")
                   and f"FROM {table.upper()}" in " ".join(s.split()).upper()
                   for s in self.finished.get(ident, []))

    def wait_blocked_or_read(self, ident_of, table: str) -> str:
        """Wait until the thread `ident_of()` waits for a lock, or has read `table`."""

        def state() -> str | None:
            ident = ident_of()
            if ident is None:
                return None
            if self.waiting_for_lock(ident, table):
                return "waiting"
            if self.has_read(ident, table):
                return "read without waiting"
            return None

        with self.cond:
            self.cond.wait_for(lambda: state() is not None, timeout=WAIT_SECONDS)
            return state() or "timed out"


def run_in_thread(target, *args) -> tuple[threading.Thread, dict]:
    """Start `target(*args)`; the returned dict gets "result" or "error"."""
    out: dict = {}

    def _run() -> None:
        try:
            out["result"] = target(*args)
        except BaseException as exc:  # reported by the test, not lost in the thread
            out["error"] = exc

    thread = threading.Thread(target=_run, daemon=True)
    thread.start()
    return thread, out


def append_audit_events(url: str, instance: str, tag: str, count: int, barrier) -> None:
    """A separate process's writer of the audit log (multiprocessing target)."""
    import os
    from pathlib import Path

    os.environ["INTAKE_INSTANCE_PATH"] = instance
    from intake import audit, create_app
    from intake.config import test_config
    from intake.db import session_scope

    app = create_app({**test_config(Path(instance)), "DATABASE_URL": url})
    try:
        barrier.wait()
        for n in range(count):
            with session_scope(app) as session:
                audit.record(session, action=f"test.{tag}", actor_id=None, detail={"n": n})
    finally:
        app.extensions["intake_engine"].dispose()
