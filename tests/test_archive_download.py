"""The download, on both backends: a file this server lacks is "not available
here", never a tamper alarm; another intake's file is never served."""

from __future__ import annotations

from types import SimpleNamespace

from archive_helpers import (  # noqa: F401  (fixtures)
    archive_backend_fixture,
    remove,
    s3_server_fixture,
    set_row,
    tamper,
)
from documents_helpers import docs_app_fixture, submitted_fixture  # noqa: F401
from sqlalchemy import select

from intake.documents.storage import sha256_bytes
from intake.models import Document
from intake.models.audit import AuditEvent


def ready(db, intake_id) -> SimpleNamespace:
    """The first version's values (plain data: reading a lapsed ORM object later
    would open a transaction, which here takes SQLite's write lock)."""
    db.expire_all()
    document = db.scalars(select(Document).where(Document.intake_id == intake_id)
                          .order_by(Document.version)).first()
    assert document.status == "ready"
    found = SimpleNamespace(**{name: getattr(document, name) for name in (
        "id", "intake_id", "version", "kind", "sha256", "size")})
    db.commit()
    return found


def url(document) -> str:
    return f"/staff/intakes/{document.intake_id}/documents/{document.id}/download"


def actions(db) -> list[AuditEvent]:
    db.expire_all()
    found = db.scalars(select(AuditEvent).where(AuditEvent.action.like("document.%"))
                       .order_by(AuditEvent.id)).all()
    db.commit()
    return [e for e in found if e.action != "document.render"]


def test_download_from_either_backend(docs_app, archive_backend, db, submitted, client,
                                      auth, make_staff):
    document = ready(db, submitted())
    auth.login(make_staff("practitioner").email)
    response = client.get(url(document))
    assert response.status_code == 200
    assert sha256_bytes(response.data) == document.sha256
    [event] = actions(db)
    assert (event.action, event.detail["sha256"]) == ("document.download", document.sha256)


def test_a_file_this_server_lacks_is_not_a_tamper_alarm(
        docs_app, archive_backend, db, submitted, client, auth, make_staff, caplog):
    document = ready(db, submitted())
    remove(docs_app, document.sha256)          # e.g. a second machine that never held it
    auth.login(make_staff("practitioner").email)
    response = client.get(url(document))
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "not available on this server" in page
    assert "integrity" not in page and "%PDF" not in page
    [event] = actions(db)
    assert event.action == "document.unavailable" and event.detail["problem"] == "missing"
    assert "missing here" in caplog.text and document.sha256 not in caplog.text


def test_an_altered_file_is_an_integrity_error(docs_app, archive_backend, db, submitted,
                                              client, auth, make_staff):
    document = ready(db, submitted())
    tamper(docs_app, document.sha256, b"%PDF-1.7 not what was archived")
    auth.login(make_staff("practitioner").email)
    response = client.get(url(document))
    assert response.status_code == 409 and b"integrity check" in response.data
    [event] = actions(db)
    assert event.action == "document.integrity_error" and event.detail["problem"] == "altered"


def test_a_row_pointing_at_another_patients_file_is_refused(
        docs_app, archive_backend, db, submitted, client, auth, make_staff):
    mine = ready(db, submitted(name="Alex Example"))
    theirs = ready(db, submitted(answers={"about.full_name": "Robin Other"}))
    set_row(db, mine.id, sha256=theirs.sha256, size=theirs.size)
    auth.login(make_staff("practitioner").email)
    response = client.get(url(mine))
    assert response.status_code == 409
    assert b"%PDF" not in response.data and b"Robin" not in response.data
    [event] = actions(db)
    assert event.action == "document.integrity_error" and event.detail["problem"] == "mismatch"
    # The other patient's own download still works.
    assert client.get(url(theirs)).status_code == 200


def test_a_bad_sha256_value_is_an_integrity_error_not_a_500(
        docs_app, db, submitted, client, auth, make_staff):
    auth.login(make_staff("practitioner").email)
    for bad in ("not-hex-" * 8, "ab" * 20, "AB" * 32):
        document = ready(db, submitted())
        set_row(db, document.id, sha256=bad)
        response = client.get(url(document))
        assert response.status_code == 409, bad
        assert actions(db)[-1].detail["problem"] == "bad-sha256"
