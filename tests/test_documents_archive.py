"""Rendering after submission, the content-addressed archive, failures and retries."""

from __future__ import annotations

import json
import os
import stat

import pytest
from documents_helpers import (  # noqa: F401  (fixtures)
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


def test_a_second_submitted_signal_does_not_duplicate(docs_app, db, submitted):
    from intake.signals import intake_submitted

    intake_id = submitted()
    intake_submitted.send(docs_app, intake_id=intake_id)
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


def test_the_next_request_retries_a_failed_render(docs_app, db, submitted, client,
                                                  monkeypatch):
    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    intake_id = submitted()
    monkeypatch.undo()
    docs_app.config["RENDER_RETRY_SECONDS"] = 3600
    client.get("/")                              # the hook's first run: retries now
    [doc] = documents(db, intake_id)
    assert doc.status == "ready" and doc.attempts == 2


def test_a_submission_whose_summary_was_never_queued_is_caught_up(
        docs_app, db, make_invite, runner, client):
    # The process stopped after the submission committed, before the signal ran.
    lost = store_submission(db, make_invite)
    assert documents(db, lost) == []
    result = runner.invoke(main, ["documents", "render-pending"])
    assert result.exit_code == 0, result.output
    [doc] = documents(db, lost)
    assert (doc.kind, doc.status) == ("summary", "ready")
    # The next request catches up too, and never adds a second summary.
    other = store_submission(db, make_invite, name="Jordan Synthetic")
    client.get("/")
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
    # A fresh sign-off is left to its own signal, so no version is made twice.
    db.add(SignOff(intake_id=intake_id, screening_id=screening.id, by=user, at=utcnow()))
    db.commit()
    background.render_pending(docs_app)
    assert len(documents(db, intake_id)) == 2


def test_retries_stop_after_the_maximum(docs_app, db, submitted, monkeypatch):
    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    docs_app.config["RENDER_MAX_ATTEMPTS"] = 2
    intake_id = submitted()
    assert background.render_pending(docs_app) == (0, 1)
    assert background.render_pending(docs_app) == (0, 0)    # not due any more
    [doc] = documents(db, intake_id)
    assert (doc.status, doc.attempts) == ("failed", 2)


def test_sign_off_adds_a_version_and_never_overwrites(docs_app, db, submitted):
    from intake.signals import intake_signed_off

    intake_id = submitted()
    [first] = documents(db, intake_id)
    archive = Archive(docs_app.config["ARCHIVE_DIR"])
    before = archive.path_for(first.sha256).read_bytes()
    intake_signed_off.send(docs_app, intake_id=intake_id)
    intake_signed_off.send(docs_app, intake_id=intake_id)
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


def test_rendering_in_a_background_thread(docs_app, db, submitted):
    import threading

    docs_app.config["RENDER_IN_BACKGROUND"] = True
    intake_id = submitted()                      # returns before the render has finished
    for thread in threading.enumerate():
        if thread.name.startswith("render-document-"):
            thread.join(timeout=60)
    [doc] = documents(db, intake_id)
    assert doc.status == "ready" and doc.sha256
