"""Rendering after submission, the content-addressed archive, failures and retries."""

from __future__ import annotations

import json
import os
import stat

import pytest
from documents_helpers import (  # noqa: F401  (fixtures)
    add_version,
    docs_app_fixture,
    pdf_attachments,
    pdf_text,
    store_submission,
    submitted_fixture,
)
from sqlalchemy import select

from intake.cli import main
from intake.documents import background
from intake.documents.storage import AlteredFile, Archive, MissingFile, sha256_bytes
from intake.models import Document, Intake


def documents(db, intake_id):
    """The intake's documents, read in a transaction that is then closed: every
    SQLite transaction here takes the write lock, which the renderer needs."""
    db.expire_all()
    found = db.scalars(select(Document).where(Document.intake_id == intake_id)
                       .order_by(Document.version)).all()
    db.commit()
    return found


def test_submission_renders_and_archives_a_summary(docs_app, db, submitted):
    intake_id = submitted()
    [doc] = documents(db, intake_id)
    assert (doc.kind, doc.version, doc.status, doc.attempts) == ("summary", 1, "ready", 1)
    archive = Archive(docs_app.config["ARCHIVE_DIR"])
    path = archive.path_for(doc.sha256)
    assert path.parent.name == doc.sha256[:2] and path.name == f"{doc.sha256}.pdf"
    data = path.read_bytes()
    assert sha256_bytes(data) == doc.sha256 and len(data) == doc.size
    assert doc.rendered_at is not None and doc.last_error is None
    assert "Alex Example" in pdf_text(data)


def test_attachment_equals_the_stored_answers_and_flags(docs_app, db, submitted):
    intake_id = submitted()
    [doc] = documents(db, intake_id)
    data = Archive(docs_app.config["ARCHIVE_DIR"]).open_verified(doc.sha256)
    payload = json.loads(pdf_attachments(data)[f"intake-{intake_id}-v1.json"][0])
    intake = db.get(Intake, intake_id)
    assert payload["answers"] == intake.answers
    stored = [(f["rule_id"], f["level"], f["evidence"]) for f in payload["screening"]["flags"]]
    from intake.models import ScreeningRecord

    record = db.scalars(select(ScreeningRecord).where(
        ScreeningRecord.intake_id == intake_id)).one()
    assert stored == [(f.rule_id, f.level, f.evidence) for f in record.flags]
    assert payload["screening"]["rules_version"] == record.rules_version


def test_a_second_summary_is_not_added(docs_app, db, submitted):
    intake_id = submitted()
    assert add_version(db, intake_id) is None
    assert len(documents(db, intake_id)) == 1


def test_render_failure_leaves_the_submission_and_a_retry_completes(
        docs_app, db, submitted, monkeypatch, runner):
    def broken(*_a, **_kw):
        raise RuntimeError("Pango fell over on Alex Example's answers")

    monkeypatch.setattr(background, "render_pdf", broken)
    intake_id = submitted()                      # the signal handler must not raise
    [doc] = documents(db, intake_id)
    assert (doc.status, doc.attempts, doc.sha256) == ("failed", 1, None)
    assert doc.last_error == "RuntimeError"      # no patient text in the row
    assert db.get(Intake, intake_id).is_submitted
    db.commit()
    monkeypatch.undo()
    result = runner.invoke(main, ["documents", "render-pending"])
    assert result.exit_code == 0, result.output
    assert "rendered 1, still failing 0" in result.output
    [doc] = documents(db, intake_id)
    assert (doc.status, doc.attempts, doc.last_error) == ("ready", 2, None)


def test_a_failed_render_schedules_its_retry_on_the_queue(docs_app, db, submitted,
                                                          monkeypatch):
    from intake.jobs import jobs_for
    from intake.models import utcnow

    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    intake_id = submitted()
    [doc] = documents(db, intake_id)
    assert (doc.status, doc.attempts) == ("failed", 1)
    wait = (doc.next_attempt_at - utcnow()).total_seconds()
    assert 0 < wait <= docs_app.config["RENDER_RETRY_BASE_SECONDS"]
    huey = jobs_for(docs_app).huey
    [retry] = huey.scheduled()
    assert retry.name == "render_document" and retry.args == (doc.id, 1)
    monkeypatch.undo()
    huey.execute(retry, timestamp=retry.eta)     # the scheduler runs it when it is due
    [doc] = documents(db, intake_id)
    assert (doc.status, doc.attempts, doc.next_attempt_at) == ("ready", 2, None)


def test_a_duplicate_job_stops_and_leaves_one_chain_of_retries(docs_app, db, submitted,
                                                               monkeypatch):
    from intake.jobs import jobs_for

    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    intake_id = submitted()
    [doc] = documents(db, intake_id)
    huey = jobs_for(docs_app).huey
    huey.flush()
    # A catch-up queued the first attempt again while it was waiting: it finds
    # the row already at attempt 1 and neither renders nor schedules.
    assert background.render_document(docs_app, doc.id, 0).status == "skipped"
    assert background.render_document(docs_app, doc.id, 1).status == "failed"
    [doc] = documents(db, intake_id)
    assert doc.attempts == 2


def test_the_backoff_doubles_up_to_its_cap_and_never_ends():
    config = {"RENDER_RETRY_BASE_SECONDS": 10, "RENDER_RETRY_MAX_SECONDS": 900}
    assert [background.retry_delay(n, config) for n in (1, 2, 3, 4, 7, 8, 50, 10_000)] == [
        10, 20, 40, 80, 640, 900, 900, 900]


def test_the_catch_up_requeues_a_failed_render_whose_retry_was_lost(
        docs_app, db, submitted, monkeypatch):
    from datetime import timedelta

    from intake.jobs import jobs_for

    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    intake_id = submitted()
    jobs = jobs_for(docs_app)
    jobs.huey.flush()                            # the worker died with its schedule
    monkeypatch.undo()
    assert jobs.tasks.catch_up.call_local() == 0     # the retry is not due yet
    [doc] = documents(db, intake_id)
    doc.next_attempt_at -= timedelta(hours=1)
    db.commit()
    assert jobs.tasks.catch_up.call_local() == 1
    [doc] = documents(db, intake_id)
    assert (doc.status, doc.attempts) == ("ready", 2)


def test_a_submission_whose_summary_was_never_queued_is_caught_up(
        docs_app, db, make_invite, runner):
    from intake.jobs import jobs_for

    # The process stopped after the submission committed, before the signal ran.
    lost = store_submission(db, make_invite)
    assert documents(db, lost) == []
    result = runner.invoke(main, ["documents", "render-pending"])
    assert result.exit_code == 0, result.output
    [doc] = documents(db, lost)
    assert (doc.kind, doc.status) == ("summary", "ready")
    # The worker's periodic catch-up does too, and never adds a second summary.
    other = store_submission(db, make_invite, name="Jordan Synthetic")
    jobs_for(docs_app).tasks.catch_up.call_local()
    assert [d.status for d in documents(db, other)] == ["ready"]
    assert len(documents(db, lost)) == 1


def test_a_sign_off_whose_reviewed_version_was_never_queued_is_caught_up(
        docs_app, db, submitted):
    from datetime import timedelta

    from intake.models import ScreeningRecord, SignOff, utcnow
    from intake.operations.accounts import create_user

    intake_id = submitted()
    user = create_user(db, email="pat@example.org", role="practitioner",
                       password="a-long-synthetic-pass-9", name="Pat")
    screening = db.scalars(select(ScreeningRecord).where(
        ScreeningRecord.intake_id == intake_id)).one()
    # Signed off, but the process stopped before the signal queued a version.
    db.add(SignOff(intake_id=intake_id, screening_id=screening.id, by=user,
                   at=utcnow() - timedelta(minutes=10)))
    db.commit()
    background.render_pending(docs_app)
    assert [(d.kind, d.status) for d in documents(db, intake_id)] == [
        ("summary", "ready"), ("reviewed_summary", "ready")]
    background.render_pending(docs_app)          # caught up: nothing more
    assert len(documents(db, intake_id)) == 2
    # A fresh sign-off adds its own version, so none is made twice.
    db.add(SignOff(intake_id=intake_id, screening_id=screening.id, by=user, at=utcnow()))
    db.commit()
    background.render_pending(docs_app)
    assert len(documents(db, intake_id)) == 2


def test_failed_renders_are_never_given_up(docs_app, db, submitted, monkeypatch):
    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    intake_id = submitted()
    for attempt in range(2, 8):
        [doc] = documents(db, intake_id)
        assert background.render_pending(docs_app) == (0, [doc.id])
        [doc] = documents(db, intake_id)
        assert (doc.status, doc.attempts) == ("failed", attempt)
    monkeypatch.undo()
    assert background.render_pending(docs_app) == (1, [])


def test_sign_off_adds_a_version_and_never_overwrites(docs_app, db, submitted):
    intake_id = submitted()
    [first] = documents(db, intake_id)
    archive = Archive(docs_app.config["ARCHIVE_DIR"])
    before = archive.path_for(first.sha256).read_bytes()
    add_version(db, intake_id, "reviewed_summary")
    add_version(db, intake_id, "reviewed_summary")
    docs = documents(db, intake_id)
    assert [(d.version, d.kind, d.status) for d in docs] == [
        (1, "summary", "ready"), (2, "reviewed_summary", "ready"),
        (3, "reviewed_summary", "ready")]
    assert docs[0].sha256 == first.sha256
    assert archive.path_for(first.sha256).read_bytes() == before
    assert len({d.sha256 for d in docs}) == 3
    reviewed = pdf_text(archive.open_verified(docs[1].sha256))
    assert "Reviewed intake summary" in reviewed and "Review and sign-off" in reviewed


def test_version_numbers_are_unique_per_intake(docs_app, db, submitted):
    from sqlalchemy.exc import IntegrityError

    intake_id = submitted()
    db.add(Document(intake_id=intake_id, kind="summary", version=1, status="pending",
                    attempts=0))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_archive_writes_once_read_only_and_checks_on_read(tmp_path):
    archive = Archive(tmp_path / "archive")
    stored = archive.put(b"%PDF-1.7 synthetic")
    assert archive.put(b"%PDF-1.7 synthetic") == stored
    assert stat.S_IMODE(os.stat(stored.path).st_mode) == 0o400
    assert not list(stored.path.parent.glob(".tmp-*"))
    assert archive.open_verified(stored.sha256) == b"%PDF-1.7 synthetic"
    os.chmod(stored.path, 0o600)
    stored.path.write_bytes(b"%PDF-1.7 changed")
    assert archive.check(stored.sha256) == "altered"
    with pytest.raises(AlteredFile):
        archive.open_verified(stored.sha256)
    stored.path.unlink()
    assert archive.check(stored.sha256) == "missing"
    with pytest.raises(MissingFile):
        archive.open_verified(stored.sha256)
    with pytest.raises(ValueError):
        archive.path_for("../../etc/passwd")


def test_the_web_process_only_enqueues_and_the_worker_renders(docs_app, db, make_invite,
                                                              tmp_path):
    """With a real queue (SQLite storage), committing queues the job and
    renders nothing; the consumer's execution of the job renders it."""
    from intake.jobs import jobs_for
    from intake.jobs.queue import make_huey
    from intake.jobs.tasks import register

    jobs = jobs_for(docs_app)
    queue = make_huey({"QUEUE_URL": f"sqlite:///{tmp_path / 'q' / 'queue.sqlite3'}"})
    tasks = register(queue, docs_app)
    monkeypatched = jobs.tasks
    object.__setattr__(jobs, "tasks", tasks)
    try:
        intake_id = store_submission(db, make_invite)
        document = add_version(db, intake_id)
        assert [d.status for d in documents(db, intake_id)] == ["pending"]
        assert queue.pending_count() == 1
        queue.execute(queue.dequeue())
    finally:
        object.__setattr__(jobs, "tasks", monkeypatched)
    [doc] = documents(db, intake_id)
    assert (doc.id, doc.status) == (document.id, "ready")


def test_a_rolled_back_transaction_queues_nothing(docs_app, db, make_invite):
    from intake.documents.pending import add_pending

    intake_id = store_submission(db, make_invite)
    add_pending(db, intake_id, "summary")
    db.rollback()
    db.commit()                                  # a later commit does not resurrect it
    assert documents(db, intake_id) == []
    assert background.due_documents(docs_app) == []
