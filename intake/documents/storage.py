"""The clinic archive: content-addressed, append-only PDF files.

A file is stored under its SHA-256 (`<dir>/<aa>/<sha256>.pdf`), so a name
can never point at different content and the same bytes are stored once.
Writes go to a temporary file in the same folder, are fsynced and renamed
into place (rename is atomic on POSIX), then the folder is fsynced, so a
crash leaves either the old state or the whole new file, never half a PDF.
Reading checks the hash again: an altered file is reported, not served.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

HEX = frozenset("0123456789abcdef")
CHUNK = 1 << 20


class ArchiveError(Exception):
    """A stored file is missing or does not match its recorded hash."""


class MissingFile(ArchiveError):
    pass


class AlteredFile(ArchiveError):
    pass


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    path: Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Archive:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or not set(sha256) <= HEX:
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / f"{sha256}.pdf"

    def put(self, data: bytes) -> Stored:
        """Store `data`; an identical file already there is left untouched."""
        sha = sha256_bytes(data)
        path = self.path_for(sha)
        if path.exists() and path.stat().st_size == len(data) and sha256_file(path) == sha:
            return Stored(sha, len(data), path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o400)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
        return Stored(sha, len(data), path)

    def open_verified(self, sha256: str) -> bytes:
        """The stored bytes, after checking they still hash to `sha256`."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise MissingFile(sha256) from exc
        if sha256_bytes(data) != sha256:
            raise AlteredFile(sha256)
        return data

    def check(self, sha256: str) -> str | None:
        """None when the file is there and intact, else "missing" or "altered"."""
        path = self.path_for(sha256)
        if not path.is_file():
            return "missing"
        return None if sha256_file(path) == sha256 else "altered"

    def delete(self, sha256: str) -> bool:
        """Remove a file (retention only). True if something was removed."""
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_dir(path.parent)
        return True


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def archive_for(app) -> Archive:
    return Archive(app.config["ARCHIVE_DIR"])
