"""The archive in a local directory: `<root>/<aa>/<sha256>.pdf`.

Writes go to a temporary file in the same folder, are fsynced and renamed
into place (rename is atomic on POSIX), then the folder is fsynced, so a
crash leaves either the old state or the whole new file, never half a PDF.
A file that is not there is `MissingFile`; any other OS error (permissions,
an unmounted share) is `ArchiveUnavailable`, never a tamper alarm.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from intake.documents.storage import (
    ArchiveBackend,
    ArchiveUnavailable,
    MissingFile,
    Stored,
    check_address,
    is_sha256,
    sha256_bytes,
)

CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class LocalArchive(ArchiveBackend):
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalArchive({str(self.root)!r})"

    def path_for(self, sha256: str) -> Path:
        sha256 = check_address(sha256)
        return self.root / sha256[:2] / f"{sha256}.pdf"

    def put(self, data: bytes) -> Stored:
        """Store `data`; an identical file already there is left untouched."""
        sha = sha256_bytes(data)
        path = self.path_for(sha)
        try:
            if path.exists() and path.stat().st_size == len(data) and sha256_file(path) == sha:
                return Stored(sha, len(data), str(path))
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
        except OSError as exc:
            raise ArchiveUnavailable(f"archive directory not writable ({type(exc).__name__})") \
                from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o400)
            os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise ArchiveUnavailable(f"archive write failed ({type(exc).__name__})") \
                    from exc
            raise
        _fsync_dir(path.parent)
        return Stored(sha, len(data), str(path))

    def get(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            if not self.root.is_dir():
                # No archive folder at all: a machine that never held one, or a
                # share that is not mounted. Still not a tamper alarm.
                raise ArchiveUnavailable(f"no archive directory at {self.root}") from exc
            raise MissingFile(sha256) from exc
        except OSError as exc:
            raise ArchiveUnavailable(f"archive read failed ({type(exc).__name__})") from exc

    def stat(self, sha256: str) -> Stored | None:
        path = self.path_for(sha256)
        try:
            return Stored(sha256, path.stat().st_size, str(path))
        except FileNotFoundError:
            return None

    def iterate(self) -> Iterator[Stored]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*.pdf")):
            sha = path.stem
            if is_sha256(sha) and path.parent.name == sha[:2]:
                yield Stored(sha, path.stat().st_size, str(path))

    def delete(self, sha256: str) -> bool:
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
