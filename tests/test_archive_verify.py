"""`intake documents verify`: one line per problem, a summary, non-zero on any."""

from __future__ import annotations

from archive_helpers import (  # noqa: F401  (fixtures)
    app_archive,
    archive_backend_fixture,
    delete_row,
    remove,
    s3_server_fixture,
    set_row,
    tamper,
)
from documents_helpers import add_version, docs_app_fixture, submitted_fixture  # noqa: F401
from sqlalchemy import select

from intake.cli import main
from intake.models import Document


def rows(db) -> list[tuple]:
    db.expire_all()
    found = [(d.id, d.intake_id, d.version, d.kind, d.sha256, d.size)
             for d in db.scalars(select(Document).order_by(Document.id))]
    db.commit()
    return found


def verify(runner):
    result = runner.invoke(main, ["documents", "verify"])
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    return result.exit_code, lines[:-1], lines[-1]


def test_a_sound_archive_passes(docs_app, archive_backend, runner, submitted, db):
    first = submitted()
    submitted(name="Robin Example")
    add_version(db, first, "reviewed_summary")  # as a sign-off does
    code, problems, summary = verify(runner)
    assert (code, problems) == (0, [])
    assert summary.startswith("checked 3 files, 0 problem(s)")


def test_altered_and_missing_are_told_apart(docs_app, archive_backend, runner, submitted, db):
    first, second = submitted(), submitted(name="Robin Example")
    (id1, *_, sha1, _), (id2, *_, sha2, _) = rows(db)
    tamper(docs_app, sha1, b"%PDF-1.7 forged")
    remove(docs_app, sha2)
    code, problems, summary = verify(runner)
    assert code == 1
    assert problems == [f"altered: document {id1} (intake {first} v1) {sha1}",
                        f"missing: document {id2} (intake {second} v1) {sha2}"]
    assert "2 problem(s)" in summary


def test_a_row_pointing_at_another_patients_file(docs_app, archive_backend, runner,
                                                 submitted, db):
    mine, theirs = submitted(), submitted(name="Robin Example")
    (id1, *_), (id2, _, _, _, sha2, size2) = rows(db)
    set_row(db, id1, sha256=sha2, size=size2)
    code, problems, _ = verify(runner)
    assert code == 1
    assert (f"mismatch: document {id1} (intake {mine} v1) points at the file of "
            f"intake {theirs} v1 (summary) {sha2}") in problems
    assert (f"shared: document {id1} (intake {mine} v1), document {id2} (intake {theirs} v1)"
            f" point at one file {sha2}") in problems
    assert f"row-changed: document {id1} (intake {mine} v1) records another sha256 than " \
           "its render event" in problems


def test_a_bad_sha256_is_reported_not_a_traceback(docs_app, runner, submitted, db):
    submitted(), submitted(name="Robin Example"), submitted(name="Sam Example")
    (id1, i1, *_), (id2, i2, *_), (id3, i3, *_) = rows(db)
    set_row(db, id1, sha256="not hex at all")
    set_row(db, id2, sha256="ab" * 20)
    set_row(db, id3, sha256=None)
    code, problems, summary = verify(runner)
    assert code == 1
    bad = [line for line in problems if line.startswith("bad-sha256:")]
    assert bad == [
        f"bad-sha256: document {id1} (intake {i1} v1) records 'not hex at all', "
        "not a SHA-256 hex digest",
        f"bad-sha256: document {id2} (intake {i2} v1) records '{'ab' * 20}', "
        "not a SHA-256 hex digest",
        f"bad-sha256: document {id3} (intake {i3} v1) records 'None', "
        "not a SHA-256 hex digest"]
    assert summary.startswith("checked 0 files")


def test_a_deleted_row_is_a_gap(docs_app, archive_backend, runner, submitted, db):
    intake_id = submitted()
    add_version(db, intake_id, "reviewed_summary")
    add_version(db, intake_id, "reviewed_summary")
    _, (id2, _, _, _, sha2, _), _ = rows(db)
    delete_row(db, id2)
    code, problems, summary = verify(runner)
    assert code == 1
    assert f"gap: intake {intake_id} has no version 2 (a row was deleted)" in problems
    assert (f"deleted: document {id2} (render event " in "\n".join(problems))
    assert (f"deleted: file {sha2} is intake {intake_id} v2 (reviewed_summary), which has "
            "no document row") in problems
    assert "1 unreferenced files" in summary


def test_a_render_with_no_audit_event_is_reported(docs_app, archive_backend, runner,
                                                  submitted, db):
    submitted()
    [(document_id, intake_id, _, _, sha, size)] = rows(db)
    # A second ready version made around the renderer: a real file, no audit event.
    archive = app_archive(docs_app)
    data = archive.get(sha)
    db.add(Document(intake_id=intake_id, kind="summary", version=2, status="ready",
                    sha256=sha, size=size, attempts=1))
    db.commit()
    code, problems, _ = verify(runner)
    assert code == 1
    [new_id] = [r[0] for r in rows(db) if r[0] != document_id]
    assert (f"unaudited: document {new_id} (intake {intake_id} v2) has no document.render "
            "audit event") in problems
    assert any(p.startswith(f"mismatch: document {new_id} ") for p in problems)
    assert data


def test_a_download_and_then_an_edited_row(docs_app, runner, submitted, db, client, auth,
                                           make_staff):
    submitted()
    [(document_id, intake_id, _, _, sha, _)] = rows(db)
    auth.login(make_staff("practitioner").email)
    assert client.get(f"/staff/intakes/{intake_id}/documents/{document_id}/download"
                      ).status_code == 200
    assert verify(runner)[0] == 0
    set_row(db, document_id, size=1)
    code, problems, _ = verify(runner)
    size = len(archive_bytes(docs_app, sha))
    assert code == 1 and problems == [
        f"size: document {document_id} (intake {intake_id} v1) records 1 bytes, "
        f"the file has {size}"]
    set_row(db, document_id, sha256="0" * 64)
    code, problems, _ = verify(runner)
    label = f"document {document_id} (intake {intake_id} v1)"
    assert problems[:3] == [
        f"missing: {label} {'0' * 64}",
        f"row-changed: {label} records another sha256 than its render event",
        f"row-changed: {label} records another sha256 than download event "
        f"{download_event_id(db)} served"]


def archive_bytes(app, sha):
    return app_archive(app).get(sha)


def download_event_id(db):
    from intake.models.audit import AuditEvent

    found = db.scalars(select(AuditEvent.id).where(AuditEvent.action == "document.download")).one()
    db.commit()
    return found


def test_expired_summaries_are_not_reported_as_deleted(docs_app, archive_backend, runner,
                                                       submitted, db):
    from datetime import UTC, datetime

    old = datetime(2010, 3, 1, 9, 0, tzinfo=UTC)
    submitted(appointment_at=old, submitted_at=old)
    submitted()
    result = runner.invoke(main, ["documents", "expire", "--delete", "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    code, problems, summary = verify(runner)
    assert (code, problems) == (0, [])
    assert summary.startswith("checked 1 files")
