"""`intake pdf` and `intake documents render-pending|verify|export|expire`."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from datetime import UTC, date, datetime

from archive_helpers import (  # noqa: F401  (fixtures: both archive backends)
    app_archive,
    archive_backend_fixture,
    s3_server_fixture,
)
from documents_helpers import (  # noqa: F401
    add_version,
    docs_app_fixture,
    pdf_attachments,
    pdf_text,
    submitted_fixture,
)
from sqlalchemy import select

from intake.cli import main
from intake.documents.storage import Archive
from intake.models import Document
from intake.models.audit import AuditEvent


def all_documents(db):
    db.expire_all()
    found = db.scalars(select(Document).order_by(Document.id)).all()
    db.commit()
    return found


def events(db, action):
    db.expire_all()
    found = db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
    db.commit()
    return found


def test_pdf_preview_from_answers_without_the_database(app, runner, tmp_path):
    from intake.documents.samples import demo_answers
    from intake.questionnaire import load_definition

    answers = demo_answers(load_definition(), today=date.today())
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(answers))
    out = tmp_path / "preview.pdf"
    result = runner.invoke(main, ["pdf", "--answers", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert "Jordan Sample" in text and "Screening flags" in text
    assert "Takes an anticoagulant" in text or "anticoagulant" in text.lower()
    payload = json.loads(pdf_attachments(out.read_bytes())["intake-preview-v0.json"][0])
    assert payload["answers"] == answers
    html = tmp_path / "preview.html"
    result = runner.invoke(main, ["pdf", "--answers", str(source), "-o", str(html), "--html"])
    assert result.exit_code == 0, result.output
    assert html.read_text().startswith("<!DOCTYPE html>")


def test_pdf_needs_exactly_one_source(app, runner, tmp_path):
    result = runner.invoke(main, ["pdf", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "exactly one" in result.output


def test_pdf_writes_the_latest_archived_version(docs_app, runner, submitted, tmp_path, db):
    intake_id = submitted()
    add_version(db, intake_id, "reviewed_summary")
    out = tmp_path / "latest.pdf"
    result = runner.invoke(main, ["pdf", "--intake", str(intake_id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    latest = all_documents(db)[-1]
    assert latest.version == 2
    assert hashlib.sha256(out.read_bytes()).hexdigest() == latest.sha256
    missing = runner.invoke(main, ["pdf", "--intake", "999", "-o", str(out)])
    assert missing.exit_code != 0 and "no finished summary" in missing.output


def test_verify_reports_altered_and_missing_files(docs_app, runner, submitted, db):
    first, second = submitted(), submitted(name="Robin Example")
    result = runner.invoke(main, ["documents", "verify"])
    assert result.exit_code == 0 and "checked 2 files, 0 problem(s)" in result.output
    archive = Archive(docs_app.config["ARCHIVE_DIR"])
    doc1, doc2 = all_documents(db)
    path = archive.path_for(doc1.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(path.read_bytes() + b"\n% tampered")
    archive.path_for(doc2.sha256).unlink()
    result = runner.invoke(main, ["documents", "verify"])
    assert result.exit_code == 1
    assert f"altered: document {doc1.id} (intake {first} v1)" in result.output
    assert f"missing: document {doc2.id} (intake {second} v1)" in result.output


def test_export_copies_files_with_a_manifest_and_is_audited(docs_app, archive_backend, runner,
                                                            submitted, db, tmp_path):
    submitted()
    submitted(name="Robin Example")
    target = tmp_path / "export"
    result = runner.invoke(main, ["documents", "export", "--since", "2000-01-01", str(target)])
    assert result.exit_code == 0, result.output
    with (target / "manifest.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    documents = all_documents(db)
    assert len(rows) == len(documents) == 2
    for row, document in zip(rows, documents, strict=True):
        data = (target / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"] == document.sha256
        assert int(row["size"]) == len(data)
        assert (int(row["intake_id"]), int(row["version"]), row["kind"]) == (
            document.intake_id, 1, "summary")
    [event] = events(db, "document.export")
    assert event.detail["count"] == 2
    later = runner.invoke(main, ["documents", "export", "--since", "2999-01-01",
                                 str(tmp_path / "none")])
    assert later.exit_code == 0 and "exported 0" in later.output


def test_expire_lists_only_and_deletes_only_when_asked(docs_app, archive_backend, runner,
                                                       submitted, db):
    old_visit = datetime(2010, 3, 1, 9, 0, tzinfo=UTC)
    adult = submitted(appointment_at=old_visit, submitted_at=old_visit)
    minor_answers = {"about.full_name": "Young Example", "about.date_of_birth": "2005-06-01"}
    minor = submitted(answers=minor_answers, appointment_at=old_visit, submitted_at=old_visit)
    recent = submitted()
    archive = app_archive(docs_app)
    before = {d.id: d.sha256 for d in all_documents(db)}

    dry = runner.invoke(main, ["documents", "expire", "--dry-run", "--today", "2026-11-22"])
    assert dry.exit_code == 0, dry.output
    assert f"intake {adult}:" in dry.output and "kept until 2020-03-01" in dry.output
    assert f"intake {minor}:" not in dry.output   # kept until 10 years after turning 18
    assert f"intake {recent}:" not in dry.output
    assert "nothing deleted" in dry.output
    assert {d.id: d.sha256 for d in all_documents(db)} == before
    assert all(archive.check(sha) is None for sha in before.values())
    assert not events(db, "document.expire")

    later = runner.invoke(main, ["documents", "expire", "--today", "2034-01-01"])
    assert f"intake {minor}:" in later.output and "kept until 2033-06-01" in later.output
    assert len(all_documents(db)) == 3

    gone = runner.invoke(main, ["documents", "expire", "--delete", "--today", "2026-11-22"])
    assert gone.exit_code == 0, gone.output
    # The rows stay as tombstones (the database refuses to delete a ready
    # document); only the files go.
    rows = all_documents(db)
    left = [d for d in rows if d.status != "expired"]
    assert {d.intake_id for d in left} == {minor, recent}
    assert {d.intake_id for d in rows if d.status == "expired"} == {adult}
    removed = [sha for doc_id, sha in before.items() if doc_id not in {d.id for d in left}]
    assert removed and all(archive.check(sha) == "missing" for sha in removed)
    [event] = events(db, "document.expire")
    assert event.intake_id == adult and event.detail["retention_years"] == 10

    again = runner.invoke(main, ["documents", "expire", "--delete", "--today", "2026-11-22"])
    assert again.exit_code == 0 and f"intake {adult}:" not in again.output
    assert len(events(db, "document.expire")) == 1
    # Nothing renders an expired summary again, and verify does not miss it.
    assert runner.invoke(main, ["documents", "render-pending"]).exit_code == 0
    assert len(all_documents(db)) == len(rows)
    assert runner.invoke(main, ["documents", "verify"]).exit_code == 0


def test_render_pending_reports_failures_with_exit_code(docs_app, runner, submitted,
                                                         monkeypatch):
    from intake.documents import background

    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    submitted()
    result = runner.invoke(main, ["documents", "render-pending"])
    assert result.exit_code == 1 and "still failing 1" in result.output
