"""Downloading an archived summary: who may, what is sent, what is audited."""

from __future__ import annotations

import os

from documents_helpers import (  # noqa: F401
    add_version,
    docs_app_fixture,
    store_submission,
    submitted_fixture,
)
from sqlalchemy import select

from intake.documents.storage import Archive, sha256_bytes
from intake.jobs import jobs_for
from intake.models import Document
from intake.models.audit import AuditEvent


def ready_document(db, intake_id) -> Document:
    db.expire_all()
    document = db.scalars(select(Document).where(Document.intake_id == intake_id)).one()
    db.commit()
    assert document.status == "ready"
    return document


def url(document: Document) -> str:
    return f"/staff/intakes/{document.intake_id}/documents/{document.id}/download"


def events(db, action):
    db.expire_all()
    found = db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
    db.commit()
    return found


def test_anonymous_is_sent_to_sign_in(docs_app, db, submitted, client):
    document = ready_document(db, submitted())
    response = client.get(url(document))
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]
    assert not events(db, "document.download")


def test_front_desk_is_refused(docs_app, db, submitted, client, auth, make_staff):
    document = ready_document(db, submitted())
    desk = make_staff("front_desk")
    auth.login(desk.email)
    response = client.get(url(document))
    assert response.status_code == 403
    assert b"%PDF" not in response.data
    assert not events(db, "document.download")


def test_practitioner_downloads_the_archived_file_audited(
        docs_app, db, submitted, client, auth, make_staff):
    intake_id = submitted()
    document = ready_document(db, intake_id)
    practitioner = make_staff("practitioner")
    auth.login(practitioner.email)
    response = client.get(url(document))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"intake-{intake_id}-v1-summary.pdf" in disposition
    assert "Alex" not in disposition                    # no patient name in the file name
    assert response.headers["Cache-Control"] == "no-store"
    assert sha256_bytes(response.data) == document.sha256
    [event] = events(db, "document.download")
    assert (event.actor_id, event.intake_id) == (practitioner.id, intake_id)
    assert event.detail["document_id"] == document.id
    assert event.detail["sha256"] == document.sha256


def test_admin_may_download(docs_app, db, submitted, client, auth, make_staff):
    document = ready_document(db, submitted())
    auth.login(make_staff("admin").email)
    assert client.get(url(document)).status_code == 200


def test_an_altered_file_is_not_served(docs_app, db, submitted, client, auth, make_staff):
    document = ready_document(db, submitted())
    path = Archive(docs_app.config["ARCHIVE_DIR"]).path_for(document.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))
    auth.login(make_staff("practitioner").email)
    response = client.get(url(document))
    assert response.status_code == 409
    assert b"%PDF" not in response.data
    assert b"integrity check" in response.data
    [event] = events(db, "document.integrity_error")
    assert event.detail["problem"] == "altered"
    assert not events(db, "document.download")


def test_wrong_intake_or_unknown_document_is_404(docs_app, db, submitted, client, auth,
                                                 make_staff):
    document = ready_document(db, submitted())
    auth.login(make_staff("practitioner").email)
    other = f"/staff/intakes/{document.intake_id + 1}/documents/{document.id}/download"
    assert client.get(other).status_code == 404
    missing = f"/staff/intakes/{document.intake_id}/documents/9999/download"
    assert client.get(missing).status_code == 404


def test_a_failing_summary_says_it_is_retried(docs_app, db, submitted, client, auth,
                                              make_staff, monkeypatch):
    from intake.documents import background

    monkeypatch.setattr(background, "render_pdf", lambda *a, **kw: 1 / 0)
    intake_id = submitted()
    db.expire_all()
    document = db.scalars(select(Document).where(Document.intake_id == intake_id)).one()
    db.commit()
    auth.login(make_staff("practitioner").email)
    response = client.get(url(document))
    assert response.status_code == 409
    assert b"not ready: rendering failed (1 attempt). It is retried automatically" in response.data
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert "being prepared" not in page and "rendering failed (1 attempt)" in page


def test_a_summary_waiting_too_long_shows_as_delayed(docs_app, db, make_invite, client, auth,
                                                     make_staff):
    from datetime import timedelta

    from intake.models import utcnow

    intake_id = store_submission(db, make_invite)
    jobs_for(docs_app).huey.immediate = False    # queued, but no worker has run for a while
    db.add(Document(intake_id=intake_id, kind="summary", version=1, status="pending",
                    attempts=0, created_at=utcnow() - timedelta(minutes=11)))
    db.commit()
    auth.login(make_staff("practitioner").email)
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert "delayed</span>." in page and "Taking longer than usual" in page
    assert "being prepared" not in page


def test_staff_intake_page_lists_versions(docs_app, db, submitted, client, auth, make_staff,
                                          monkeypatch):
    intake_id = submitted()
    document = ready_document(db, intake_id)
    docs_app.config["QUEUE_IMMEDIATE"] = False
    jobs_for(docs_app).huey.immediate = False    # version 2 waits in the queue
    add_version(db, intake_id, "reviewed_summary")
    auth.login(make_staff("practitioner").email)
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert url(document) in page
    assert "Summary, version 1 (PDF)" in page
    assert "Reviewed summary, version 2" in page and "summary being prepared" in page


def test_an_expired_summary_says_it_was_destroyed(docs_app, db, submitted, client, auth,
                                                  make_staff, runner):
    from datetime import UTC, datetime

    from intake.cli import main

    old = datetime(2010, 3, 1, 9, 0, tzinfo=UTC)
    intake_id = submitted(appointment_at=old, submitted_at=old)
    document = ready_document(db, intake_id)
    expired = runner.invoke(main, ["documents", "expire", "--delete", "--today", "2026-11-22"])
    assert expired.exit_code == 0, expired.output
    auth.login(make_staff("practitioner").email)
    response = client.get(url(document))
    assert response.status_code == 410
    assert b"retention period" in response.data
    page = client.get(f"/staff/intakes/{intake_id}").get_data(as_text=True)
    assert "Summary, version 1:" in page and "destroyed after the retention period" in page
    assert url(document) not in page
