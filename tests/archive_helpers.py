"""Fixtures for running archive tests on both backends.

`archive_backend` is parametrised: each test that asks for it runs once on
the local directory and once on S3 (moto's server on loopback, one bucket per
test). `s3_server` is the session's S3Server (tests/services/s3.py), for
tests that stop and restart the object store. Import the `*_fixture` names.
"""

from __future__ import annotations

import itertools

import pytest
from services.s3 import CREDENTIALS, S3Server

_buckets = itertools.count(1)


@pytest.fixture(name="s3_server", scope="session")
def s3_server_fixture():
    server = S3Server().start()
    yield server
    server.close()


def use_s3(app, server: S3Server, monkeypatch, tmp_path, **settings) -> str:
    """Point `app` at a fresh bucket on `server`; returns its s3:// URL."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    # No shared config from the machine's user, no metadata-service look-ups.
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    import boto3

    bucket = f"archive-test-{next(_buckets)}"
    boto3.session.Session().client("s3", endpoint_url=server.endpoint_url).create_bucket(
        Bucket=bucket)
    url = f"s3://{bucket}/clinic-a"
    app.config.update({"ARCHIVE_URL": url, "S3_ENDPOINT_URL": server.endpoint_url,
                       "S3_MAX_ATTEMPTS": 3, "S3_TIMEOUT_SECONDS": 10, **settings})
    return url


@pytest.fixture(name="archive_backend", params=["local", "s3"])
def archive_backend_fixture(request, app, monkeypatch, tmp_path):
    """"local" or "s3": the app's archive for this test (see module docstring)."""
    if request.param == "s3":
        use_s3(app, request.getfixturevalue("s3_server"), monkeypatch, tmp_path)
    return request.param


def app_archive(app):
    from intake.documents.storage import archive_for

    return archive_for(app)


def tamper(app, sha256: str, data: bytes) -> None:
    """Overwrite a stored file behind the archive's back (as an intruder would)."""
    import os

    archive = app_archive(app)
    if hasattr(archive, "path_for"):
        path = archive.path_for(sha256)
        os.chmod(path, 0o600)
        path.write_bytes(data)
    else:
        archive.client.put_object(Bucket=archive.bucket, Key=archive.key_for(sha256),
                                  Body=data)


def remove(app, sha256: str) -> None:
    """Lose a stored file behind the archive's back (a machine that lacks it)."""
    archive = app_archive(app)
    if hasattr(archive, "path_for"):
        archive.path_for(sha256).unlink()
    else:
        archive.client.delete_object(Bucket=archive.bucket, Key=archive.key_for(sha256))


def force(db, statement, params=None) -> None:
    """Run a write the schema's own triggers would refuse (an intruder with the
    database file in hand), then put the triggers back; commits."""
    from sqlalchemy import text

    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        db.execute(text("ALTER TABLE documents DISABLE TRIGGER USER"))
        db.execute(statement, params or {})
        db.execute(text("ALTER TABLE documents ENABLE TRIGGER USER"))
    else:
        triggers = db.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'documents'")).all()
        for name, _sql in triggers:
            db.execute(text(f'DROP TRIGGER "{name}"'))
        db.execute(statement, params or {})
        for _name, sql in triggers:
            db.execute(text(sql))
    db.commit()


def set_row(db, document_id: int, **values) -> None:
    from sqlalchemy import update

    from intake.models import Document

    force(db, update(Document).where(Document.id == document_id).values(**values))


def delete_row(db, document_id: int) -> None:
    from sqlalchemy import delete

    from intake.models import Document

    force(db, delete(Document).where(Document.id == document_id))
