"""The object store stopped and restarted mid-way: an error that is retried,
never a lost, corrupted or falsely "tampered" document.

Each test stops the store (tests/services/s3.py: new connections refused,
live ones reset) in the middle of a PUT or a GET, then starts it again on the
same address with its objects intact.
"""

from __future__ import annotations

import threading

import pytest
from archive_helpers import app_archive, s3_server_fixture, use_s3  # noqa: F401
from documents_helpers import docs_app_fixture, submitted_fixture  # noqa: F401
from sqlalchemy import select

from intake.cli import main
from intake.documents.embedded import identity_of
from intake.documents.storage import ArchiveUnavailable, sha256_bytes
from intake.models import Document
from intake.models.audit import AuditEvent


@pytest.fixture(name="store")
def store_fixture(docs_app, s3_server, monkeypatch, tmp_path):
    # Few retries, so that an outage outlasts them within the test.
    use_s3(docs_app, s3_server, monkeypatch, tmp_path, S3_MAX_ATTEMPTS=2,
           S3_TIMEOUT_SECONDS=5)
    yield s3_server
    s3_server.start()            # whatever a test did, the store is up for the next


def documents(db):
    db.expire_all()
    found = [(d.id, d.intake_id, d.version, d.status, d.sha256, d.last_error)
             for d in db.scalars(select(Document).order_by(Document.id))]
    db.commit()
    return found


def events(db, action):
    db.expire_all()
    found = [e.detail for e in db.scalars(select(AuditEvent).where(AuditEvent.action == action))]
    db.commit()
    return found


def in_thread(target):
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_store_stopped_during_a_put_then_restarted(docs_app, store, db, submitted, runner):
    stalled = store.hold(upload_after=2048)          # the PDF is half uploaded...
    thread, outcome = in_thread(submitted)
    assert stalled.wait(60)
    store.stop()                                     # ...when the store goes away
    thread.join(120)
    assert "error" not in outcome                    # the submission itself never fails
    [(doc_id, intake_id, _, status, sha, error)] = documents(db)
    assert (status, sha, error) == ("failed", None, "ArchiveUnavailable")
    store.start()
    assert list(app_archive(docs_app).iterate()) == []    # no half-written object
    result = runner.invoke(main, ["documents", "render-pending"])
    assert result.exit_code == 0, result.output
    [(_, _, _, status, sha, _)] = documents(db)
    assert status == "ready"
    data = app_archive(docs_app).open_verified(sha)
    assert identity_of(data).intake_id == intake_id
    verified = runner.invoke(main, ["documents", "verify"])
    assert verified.exit_code == 0, verified.output
    assert doc_id


def test_store_stopped_during_a_download_then_restarted(docs_app, store, db, submitted,
                                                        client, auth, make_staff):
    submitted()
    [(doc_id, intake_id, _, _, sha, _)] = documents(db)
    url = f"/staff/intakes/{intake_id}/documents/{doc_id}/download"
    auth.login(make_staff("practitioner").email)
    stalled = store.hold(download_after=1024)        # the PDF is half sent...
    thread, outcome = in_thread(lambda: client.get(url))
    assert stalled.wait(60)
    store.stop()
    thread.join(120)
    response = outcome["value"]
    assert response.status_code == 503
    assert b"not available on this server" in response.data and b"%PDF" not in response.data
    assert [d["problem"] for d in events(db, "document.unavailable")] == ["unreachable"]
    assert events(db, "document.integrity_error") == []
    store.start()
    again = client.get(url)
    assert again.status_code == 200 and sha256_bytes(again.data) == sha


def test_verify_says_unreachable_while_the_store_is_down(docs_app, store, db, submitted,
                                                         runner):
    submitted()
    store.stop()
    down = runner.invoke(main, ["documents", "verify"])
    assert down.exit_code == 1
    assert down.output.startswith("unreachable: document ")
    assert "altered" not in down.output and "missing" not in down.output
    store.start()
    up = runner.invoke(main, ["documents", "verify"])
    assert up.exit_code == 0, up.output


def test_a_put_while_the_store_is_down_raises_and_stores_nothing(docs_app, store):
    archive = app_archive(docs_app)
    store.stop()
    with pytest.raises(ArchiveUnavailable):
        archive.put(b"%PDF-1.7 synthetic")
    store.start()
    assert list(archive.iterate()) == []
    stored = archive.put(b"%PDF-1.7 synthetic")          # the retry after the restart
    assert archive.open_verified(stored.sha256) == b"%PDF-1.7 synthetic"


def test_a_killed_store_is_unreachable_not_missing(tmp_path, monkeypatch):
    import signal

    from services.s3 import CREDENTIALS, S3Server

    from intake.documents.storage.s3 import S3Archive

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    with S3Server() as own:                          # its own: this one does not come back
        archive = S3Archive.from_config("s3://killed/archive", {
            "S3_ENDPOINT_URL": own.backend_url, "S3_MAX_ATTEMPTS": 2})
        archive.client.create_bucket(Bucket="killed")
        stored = archive.put(b"%PDF-1.7 synthetic")
        own.process.send_signal(signal.SIGKILL)
        own.process.wait()
        with pytest.raises(ArchiveUnavailable):
            archive.get(stored.sha256)
        assert archive.check(stored.sha256) == "unreachable"
        with pytest.raises(ArchiveUnavailable):
            list(archive.iterate())
