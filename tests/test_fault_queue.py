"""Fault runs, short form: the server and the worker killed with SIGKILL while
patients submit, and the archive unwritable for longer than any single retry.
Nothing acknowledged is lost and every summary is rendered afterwards with no
command run by hand. Real processes: gunicorn and `intake worker`.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from answers import step_answers, step_post, valid_answers
from services.gunicorn import Gunicorn
from services.worker import Worker, kill_tree
from sqlalchemy import select

from intake.models import Document, Intake
from intake.questionnaire import load_definition

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from load_client import Browser, csrf_token, open_link  # noqa: E402

RENDER_DEADLINE = 60  # seconds after the restart: the "within a minute"


def settings(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "INTAKE_ENV": "production", "INTAKE_SECRET_KEY": "fault-test-key-" + "k" * 32,
        "INTAKE_AUDIT_KEY": "test-audit-key-not-for-production",
        "INTAKE_DATABASE_URL": database_url, "INTAKE_INSTANCE_PATH": str(tmp_path / "instance"),
        "INTAKE_ARCHIVE_DIR": str(tmp_path / "archive"), "INTAKE_SECURE_COOKIES": "0",
        "INTAKE_RATELIMIT_ENABLED": "0", "INTAKE_BASE_URL": "http://127.0.0.1",
        "INTAKE_RENDER_RETRY_BASE_SECONDS": "1", "INTAKE_RENDER_RETRY_MAX_SECONDS": "2",
        **extra,
    }


def summaries(db) -> dict[int, str]:
    """intake id -> status of its first summary, read in a short transaction."""
    db.expire_all()
    found = {d.intake_id: d.status for d in db.scalars(
        select(Document).where(Document.kind == "summary").order_by(Document.id))}
    db.commit()
    return found


def submitted_ids(db) -> set[int]:
    db.expire_all()
    found = set(db.scalars(select(Intake.id).where(Intake.is_submitted.is_(True))))
    db.commit()
    return found


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


class Patient(threading.Thread):
    """Walks the questionnaire with Next on each asked step, then submits (or
    stops after `steps` steps: a saved draft). Records what was acknowledged."""

    def __init__(self, port: int, token: str, definition, answers, steps: int | None):
        super().__init__(daemon=True)
        self.browser, self.token = Browser("127.0.0.1", port), token
        self.definition, self.answers, self.limit = definition, answers, steps
        self.saved: list[str] = []
        self.submitted = False

    def run(self) -> None:
        with contextlib.suppress(Exception):  # the server was killed under us: the test
            self._walk()

    def _walk(self) -> None:
        _, location = open_link(self.browser, self.token)
        if location is None:
            return
        for _ in range(40):
            status, _, text, _ = self.browser.request("GET", location)
            if status != 200:
                return
            fields = [("csrf_token", csrf_token(text, location))]
            if location.endswith("/review"):
                status, headers, _, _ = self.browser.request(
                    "POST", f"/i/{self.token}/submit", fields)
                self.submitted = status == 303 and headers["Location"].endswith("/done")
                return
            if self.limit is not None and len(self.saved) >= self.limit:
                return
            step_id = location.rsplit("/", 1)[1]
            data = step_post(self.definition, step_id, self.answers).items(multi=True)
            status, headers, _, _ = self.browser.request("POST", location, fields + list(data))
            if status != 303:
                return
            self.saved.append(step_id)
            location = urlsplit(headers["Location"]).path


def test_kill_9_of_server_and_worker_while_patients_submit_loses_nothing(
        tmp_path, database_url, db, make_invite):
    definition = load_definition()
    answers = valid_answers(definition)
    invites = [make_invite(name=f"Fault Patient {n}") for n in range(6)]
    env = settings(tmp_path, database_url)
    server, worker = Gunicorn(env, tmp_path / "web"), Worker(env, tmp_path / "work")
    try:
        server.start()
        worker.start()
        patients = [Patient(server.port, token, definition, answers,
                            steps=None if n < 4 else 3)
                    for n, (_, token) in enumerate(invites)]
        for patient in patients:
            patient.start()
        assert wait_for(lambda: sum(p.submitted for p in patients) >= 2, 120), \
            server.log_tail()
        kill_tree(server.process)                # mid-traffic, no clean-up
        worker.kill()
        for patient in patients:
            patient.join(90)
        acknowledged = {intake.id for (intake, _), p in zip(invites, patients, strict=True)
                        if p.submitted}
        drafts = {intake.id: p.saved for (intake, _), p in zip(invites, patients, strict=True)}
        assert len(acknowledged) >= 2

        server.start()                           # a restart, and no traffic at all
        worker.start()
        submitted = submitted_ids(db)
        assert acknowledged <= submitted
        rendered = wait_for(lambda: all(summaries(db).get(i) == "ready" for i in submitted),
                            RENDER_DEADLINE)
        assert rendered, (summaries(db), worker.log_tail())
        for intake_id, saved in drafts.items():
            db.expire_all()
            stored = db.get(Intake, intake_id).answers
            db.commit()
            for step_id in saved:
                for key, value in step_answers(definition, step_id, answers).items():
                    assert stored.get(key) == value, (intake_id, step_id, key)
    finally:
        server.stop()
        worker.stop()


@pytest.fixture
def blocked_archive(tmp_path):
    """An archive path that cannot be created, even by root: its parent is a file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    return blocker


def test_an_archive_outage_longer_than_the_retries_heals_by_itself(
        tmp_path, database_url, app, db, make_invite, blocked_archive, runner):
    from intake.cli import main
    from intake.jobs import jobs_for
    from intake.operations.submissions import submit_intake

    definition = load_definition()
    answers = valid_answers(definition)
    env = settings(tmp_path, database_url, INTAKE_ARCHIVE_DIR=str(blocked_archive / "archive"))
    jobs_for(app).huey.immediate = False         # this process enqueues; the worker renders
    worker = Worker(env, tmp_path / "work")
    try:
        worker.start()
        ids = []
        for n in range(4):
            intake, _ = make_invite(name=f"Outage Patient {n}")
            intake.answers = dict(answers)
            db.commit()
            with app.app_context():
                submit_intake(db, intake, definition=definition)
            db.commit()
            ids.append(intake.id)

        def attempts() -> list[int]:
            db.expire_all()
            found = [d.attempts for d in db.scalars(select(Document))]
            db.commit()
            return found

        # Several retries each, all failing, well past the 2 s cap of the backoff.
        assert wait_for(lambda: len(attempts()) == 4 and min(attempts()) >= 3, 90), \
            worker.log_tail()
        assert set(summaries(db).values()) == {"failed"}
        verify = runner.invoke(main, ["documents", "verify"])
        assert verify.exit_code == 1 and "failed: document" in verify.output
        blocked_archive.unlink()                 # the archive is back
        assert wait_for(lambda: set(summaries(db).values()) == {"ready"}, RENDER_DEADLINE), \
            (summaries(db), worker.log_tail())
        app.config["ARCHIVE_DIR"] = env["INTAKE_ARCHIVE_DIR"]
        verify = runner.invoke(main, ["documents", "verify"])
        assert verify.exit_code == 0, verify.output
    finally:
        worker.stop()
        jobs_for(app).huey.immediate = True


def test_a_worker_on_redis_renders_what_the_web_process_queued(
        tmp_path, database_url, app, db, make_invite):
    """Several machines share the queue through Redis: the web process's
    enqueue and a separate worker meet there. Redis down at the moment of
    the enqueue loses nothing either: the next worker start catches it up."""
    from services.redis import RedisServer

    from intake.jobs import jobs_for
    from intake.jobs.queue import make_huey
    from intake.jobs.tasks import register
    from intake.operations.submissions import submit_intake

    definition = load_definition()
    answers = valid_answers(definition)

    def submit(name: str) -> int:
        intake, _ = make_invite(name=name)
        intake.answers = dict(answers)
        db.commit()
        with app.app_context():
            submit_intake(db, intake, definition=definition)
        db.commit()
        return intake.id

    with RedisServer() as redis:
        jobs = jobs_for(app)
        queue = make_huey({"QUEUE_URL": redis.url})
        original = jobs.tasks
        object.__setattr__(jobs, "tasks", register(queue, app))   # this app now enqueues to Redis
        try:
            first = submit("Redis Patient")
            assert queue.pending_count() == 1
            with Worker(settings(tmp_path, database_url, INTAKE_QUEUE_URL=redis.url),
                        tmp_path / "work") as worker:
                assert wait_for(lambda: summaries(db).get(first) == "ready", RENDER_DEADLINE), \
                    worker.log_tail()
                worker.kill()
            redis.kill()                             # the queue and all in it are gone
            second = submit("Redis Outage Patient")  # commits; the enqueue fails quietly
            assert summaries(db)[second] == "pending"
            with RedisServer() as fresh, Worker(    # an empty Redis, on a new port
                    settings(tmp_path, database_url, INTAKE_QUEUE_URL=fresh.url),
                    tmp_path / "work2") as worker:
                assert wait_for(lambda: summaries(db).get(second) == "ready",
                                RENDER_DEADLINE), worker.log_tail()
        finally:
            object.__setattr__(jobs, "tasks", original)
