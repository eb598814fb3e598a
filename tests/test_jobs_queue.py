"""The job queue: enqueue after commit, status and verify, the periodic jobs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from documents_helpers import (  # noqa: F401  (fixtures)
    add_version,
    docs_app_fixture,
    store_submission,
    submitted_fixture,
)
from sqlalchemy import select

from intake.cli import main
from intake.config import ConfigError
from intake.documents import background
from intake.jobs import jobs_for
from intake.jobs.queue import make_huey
from intake.models import AuditEvent, Document, utcnow


def rows(db):
    db.expire_all()
    found = db.scalars(select(Document).order_by(Document.id)).all()
    db.commit()
    return found


@pytest.fixture
def queued(app):
    """Jobs wait in the app's SQLite queue file instead of running inline."""
    huey = jobs_for(app).huey
    huey.immediate = False
    yield huey
    huey.immediate = True


def test_queue_storage_follows_the_url(tmp_path):
    from huey import RedisHuey, SqliteHuey

    sqlite = make_huey({"QUEUE_URL": f"sqlite:///{tmp_path / 'a' / 'q.sqlite3'}"})
    assert isinstance(sqlite, SqliteHuey) and (tmp_path / "a").is_dir()
    assert isinstance(make_huey({"QUEUE_URL": "redis://127.0.0.1:1/0"}), RedisHuey)
    with pytest.raises(ConfigError, match="INTAKE_QUEUE_URL"):
        make_huey({"QUEUE_URL": "amqp://user:secret@host/"})


def test_bad_queue_settings_are_refused(monkeypatch, tmp_path):
    from intake.config import load_config

    monkeypatch.setenv("INTAKE_SMTP_TLS", "maybe")
    with pytest.raises(ConfigError, match="INTAKE_SMTP_TLS"):
        load_config(str(tmp_path), require_secret=False)
    monkeypatch.delenv("INTAKE_SMTP_TLS")
    monkeypatch.setenv("INTAKE_RETENTION_SWEEP", "yes please")
    with pytest.raises(ConfigError, match="INTAKE_RETENTION_SWEEP"):
        load_config(str(tmp_path), require_secret=False)


def test_a_patient_submission_commits_its_pending_summary_and_queues_it(
        app, db, make_invite, client, queued):
    from answers import valid_answers
    from patient_helpers import fill_steps

    from intake.questionnaire import load_definition

    app.config["WTF_CSRF_ENABLED"] = False
    intake, token = make_invite()
    definition = load_definition()
    fill_steps(client, token, definition, valid_answers(definition))
    response = client.post(f"/i/{token}/submit", data={})
    assert response.status_code == 303 and response.headers["Location"].endswith("/done")
    [doc] = rows(db)
    assert (doc.intake_id, doc.kind, doc.status) == (intake.id, "summary", "pending")
    assert queued.pending_count() == 1
    [job] = queued.pending()
    assert (job.name, job.args) == ("render_document", (doc.id, 0))


def test_a_broken_queue_loses_no_submission_and_the_catch_up_finds_it(
        docs_app, db, make_invite, queued, monkeypatch, caplog):
    def down(*_a, **_kw):
        raise ConnectionError("queue storage unavailable")

    monkeypatch.setattr(queued.storage, "enqueue", down)
    intake_id = store_submission(db, make_invite)
    add_version(db, intake_id)                   # the commit succeeds; the enqueue fails
    assert [d.status for d in rows(db)] == ["pending"]
    assert "could not queue document" in caplog.text
    monkeypatch.undo()
    queued.immediate = True
    old = utcnow() - timedelta(minutes=5)
    db.execute(Document.__table__.update().values(created_at=old))
    db.commit()
    assert jobs_for(docs_app).tasks.catch_up.call_local() == 1
    assert [d.status for d in rows(db)] == ["ready"]


def test_status_counts_by_state_and_names_the_oldest(docs_app, db, submitted, make_invite,
                                                    runner, queued):
    queued.immediate = True
    submitted()
    queued.immediate = False
    waiting = store_submission(db, make_invite, name="Wait Example")
    add_version(db, waiting)
    result = runner.invoke(main, ["documents", "status"])
    assert result.exit_code == 0, result.output
    assert "pending 1, ready 1, failed 0, expired 0, overdue 0" in result.output
    [_, doc] = rows(db)
    assert f"oldest waiting: document {doc.id} (intake {waiting} v1, pending)" in result.output


def test_verify_fails_on_a_failed_or_overdue_summary(docs_app, db, submitted, runner,
                                                    monkeypatch, make_invite, queued):
    queued.immediate = True
    submitted()
    ok = runner.invoke(main, ["documents", "verify"])
    assert ok.exit_code == 0, ok.output
    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    failing = submitted(name="Fail Example")
    result = runner.invoke(main, ["documents", "verify"])
    assert result.exit_code == 1
    assert f"failed: document 2 (intake {failing} v1), 1 attempt(s), last error " \
           "ZeroDivisionError" in result.output
    monkeypatch.undo()
    assert runner.invoke(main, ["documents", "render-pending"]).exit_code == 0
    assert runner.invoke(main, ["documents", "verify"]).exit_code == 0
    queued.immediate = False                     # queued, and no worker runs
    late = store_submission(db, make_invite, name="Late Example")
    add_version(db, late)
    assert runner.invoke(main, ["documents", "verify"]).exit_code == 0    # not overdue yet
    db.execute(Document.__table__.update().where(Document.intake_id == late)
               .values(created_at=utcnow() - timedelta(hours=1)))
    db.commit()
    result = runner.invoke(main, ["documents", "verify"])
    assert result.exit_code == 1 and "overdue: document 3" in result.output
    assert "pending for 60 min" in result.output


def test_render_pending_retries_failed_documents_and_names_the_stuck(
        docs_app, runner, submitted, monkeypatch, db):
    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    submitted()
    result = runner.invoke(main, ["documents", "render-pending"])
    assert result.exit_code == 1
    assert "rendered 0, still failing 1 (documents 1)" in result.output
    assert rows(db)[0].attempts == 2             # it really tried again
    monkeypatch.undo()
    result = runner.invoke(main, ["documents", "render-pending"])
    assert result.exit_code == 0 and "rendered 1, still failing 0" in result.output


def test_each_render_is_audited(docs_app, db, submitted):
    intake_id = submitted()
    [doc] = rows(db)
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == "document.render"))
    assert event.intake_id == intake_id
    assert event.detail == {"document_id": doc.id, "sha256": doc.sha256, "attempts": 1}


@pytest.mark.parametrize("mode", ["off", "report", "delete"])
def test_the_retention_sweep_deletes_only_when_configured(docs_app, db, submitted, mode,
                                                         monkeypatch):
    from intake import clock

    old_visit = datetime(2010, 3, 1, 9, 0, tzinfo=UTC)
    submitted(appointment_at=old_visit, submitted_at=old_visit)
    submitted()
    docs_app.config["RETENTION_SWEEP"] = mode
    monkeypatch.setattr(clock, "today", lambda: datetime(2026, 11, 22).date())
    found = jobs_for(docs_app).tasks.retention_sweep.call_local()
    assert found == (0 if mode == "off" else 1)
    # a destroyed summary's row stays as an expired tombstone (migration 0004)
    documents = rows(db)
    assert len(documents) == 2
    assert [d.status for d in documents].count("expired") == (1 if mode == "delete" else 0)


def test_the_default_sweep_only_reports(app):
    assert app.config["RETENTION_SWEEP"] == "report"


def test_a_queued_invite_link_is_sealed_in_the_queue_storage(app, db, make_invite, tmp_path):
    from intake.jobs import queue_invite_email

    huey = jobs_for(app).huey
    huey.immediate = False
    intake, token = make_invite(email="sam@example.org")
    queue_invite_email(app, db, intake.id, f"http://clinic.example/i/{token}", None)
    db.commit()
    assert huey.pending_count() == 1
    path = app.config["QUEUE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        stored = b"".join(bytes(row[0]) for row in conn.execute("select data from task"))
    assert stored and token.encode() not in stored and b"sam@example.org" not in stored
    huey.immediate = True
