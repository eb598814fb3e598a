"""The archive interface, the same on the local directory and on S3 (moto)."""

from __future__ import annotations

import pytest
from archive_helpers import (  # noqa: F401  (fixtures)
    app_archive,
    archive_backend_fixture,
    remove,
    s3_server_fixture,
    tamper,
)

from intake.documents.storage import (
    AlteredFile,
    ArchiveUnavailable,
    InvalidAddress,
    LocalArchive,
    MissingFile,
    archive_for,
    sha256_bytes,
)

PDF = b"%PDF-1.7 synthetic archive test"


def test_content_addressed_put_get_stat_iterate_delete(app, archive_backend):
    archive = app_archive(app)
    stored = archive.put(PDF)
    assert stored.sha256 == sha256_bytes(PDF) and stored.size == len(PDF)
    assert stored.location.endswith(f"/{stored.sha256[:2]}/{stored.sha256}.pdf")
    assert archive.put(PDF) == stored                  # the same bytes are stored once
    assert archive.get(stored.sha256) == PDF
    assert archive.open_verified(stored.sha256) == PDF
    assert archive.exists(stored.sha256)
    assert archive.stat(stored.sha256).size == len(PDF)
    other = archive.put(PDF + b" v2")
    assert sorted(s.sha256 for s in archive.iterate()) == sorted([stored.sha256, other.sha256])
    assert archive.check(stored.sha256) is None
    assert archive.delete(stored.sha256) is True
    assert archive.delete(stored.sha256) is False
    assert not archive.exists(stored.sha256) and archive.stat(stored.sha256) is None
    assert [s.sha256 for s in archive.iterate()] == [other.sha256]


def test_missing_is_not_altered(app, archive_backend):
    archive = app_archive(app)
    stored = archive.put(PDF)
    tamper(app, stored.sha256, PDF.replace(b"synthetic", b"forged!!!"))
    assert archive.check(stored.sha256) == "altered"
    with pytest.raises(AlteredFile):
        archive.open_verified(stored.sha256)
    remove(app, stored.sha256)
    assert archive.check(stored.sha256) == "missing"
    with pytest.raises(MissingFile):
        archive.open_verified(stored.sha256)
    assert archive.check("0" * 64) == "missing"


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "0" * 63, "", None, "g" * 64])
def test_a_bad_address_is_refused_not_looked_up(app, archive_backend, bad):
    archive = app_archive(app)
    for call in (archive.get, archive.stat, archive.delete, archive.open_verified):
        with pytest.raises(InvalidAddress):
            call(bad)
    assert archive.check(bad) == "bad-sha256"


def test_s3_objects_live_under_the_prefix(app, s3_server, monkeypatch, tmp_path):
    from archive_helpers import use_s3

    url = use_s3(app, s3_server, monkeypatch, tmp_path)
    archive = archive_for(app)
    stored = archive.put(PDF)
    bucket = url.removeprefix("s3://").split("/")[0]
    keys = [o["Key"] for o in archive.client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"clinic-a/{stored.sha256[:2]}/{stored.sha256}.pdf"]
    assert stored.location == f"s3://{bucket}/{keys[0]}"
    # Something else in the bucket is not mistaken for an archived file.
    archive.client.put_object(Bucket=bucket, Key="clinic-a/notes.txt", Body=b"x")
    archive.client.put_object(Bucket=bucket, Key=f"clinic-a/ff/{stored.sha256}.pdf", Body=b"x")
    assert [s.sha256 for s in archive.iterate()] == [stored.sha256]


def test_the_archive_url_picks_the_backend(tmp_path, monkeypatch):
    from intake.config import load_config
    from intake.documents.storage import _make
    from intake.documents.storage.s3 import S3Archive

    monkeypatch.setenv("INTAKE_ENV", "development")
    monkeypatch.setenv("INTAKE_ARCHIVE_URL", "s3://clinic-bucket/intake/archive")
    monkeypatch.setenv("INTAKE_S3_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    config = load_config(str(tmp_path))
    archive = _make(config)
    assert isinstance(archive, S3Archive)
    assert (archive.bucket, archive.prefix) == ("clinic-bucket", "intake/archive")
    assert archive.client.meta.endpoint_url == "http://127.0.0.1:9"
    monkeypatch.delenv("INTAKE_ARCHIVE_URL")
    monkeypatch.setenv("INTAKE_ARCHIVE_DIR", str(tmp_path / "here"))
    local = _make(load_config(str(tmp_path)))
    assert isinstance(local, LocalArchive) and local.root == tmp_path / "here"
    with pytest.raises(ValueError, match="s3://"):
        _make({"ARCHIVE_URL": "ftp://nowhere/x", "ARCHIVE_DIR": str(tmp_path)})
    with pytest.raises(ValueError, match="s3://bucket"):
        _make({"ARCHIVE_URL": "s3:///no-bucket", "ARCHIVE_DIR": str(tmp_path)})


def test_a_machine_without_the_archive_folder_says_unavailable(tmp_path):
    archive = LocalArchive(tmp_path / "not-mounted")
    with pytest.raises(ArchiveUnavailable):
        archive.get("0" * 64)
    assert archive.check("0" * 64) == "unreachable"
    assert list(archive.iterate()) == []


def test_an_unwritable_local_archive_is_unavailable_not_a_crash(tmp_path):
    # A file where the archive's folder should be: no write can succeed, even as root.
    (tmp_path / "archive").write_bytes(b"not a folder")
    with pytest.raises(ArchiveUnavailable):
        LocalArchive(tmp_path / "archive").put(PDF)
