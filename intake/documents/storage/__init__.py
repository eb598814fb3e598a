"""The clinic archive: content-addressed, append-only PDF files.

A file is named by its SHA-256, so a name can never point at different
content and the same bytes are stored once. Two backends share one small
interface (put, get, exists, stat, iterate, delete by content address):

- `LocalArchive`: a directory (INTAKE_ARCHIVE_DIR, the embedded default);
- `S3Archive`: S3-compatible object storage (INTAKE_ARCHIVE_URL=s3://bucket/prefix).

The difference between the two failure kinds matters to an auditor: a file
that is *missing* (or a store that cannot be reached) is an availability
problem, for example a second machine that never held the file; a file whose
bytes no longer hash to their name is *altered*, which is a tamper alarm.
They are separate exceptions so nothing raises one for the other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

HEX = frozenset("0123456789abcdef")


class ArchiveError(Exception):
    """A stored file cannot be handed out as it is."""


class InvalidAddress(ArchiveError, ValueError):
    """Not a SHA-256 hex digest (64 lowercase hex digits): never a file name."""


class MissingFile(ArchiveError):
    """The store answered, and it does not hold this file."""


class ArchiveUnavailable(ArchiveError):
    """The store could not be reached or refused access: try again later."""


class AlteredFile(ArchiveError):
    """The stored bytes no longer hash to their address."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    #: where it lives, for messages (a path, or an s3:// URL)
    location: str

    @property
    def path(self):
        """The local file (LocalArchive only)."""
        from pathlib import Path

        return Path(self.location)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= HEX


def check_address(sha256: object) -> str:
    if not is_sha256(sha256):
        raise InvalidAddress("not a sha256 hex digest")
    return sha256


def problem_of(exc: ArchiveError) -> str:
    """One word for messages and audit details: missing, unreachable, altered
    or bad-sha256. Only "altered" and "bad-sha256" are integrity problems."""
    if isinstance(exc, InvalidAddress):
        return "bad-sha256"
    if isinstance(exc, MissingFile):
        return "missing"
    if isinstance(exc, ArchiveUnavailable):
        return "unreachable"
    return "altered"


class ArchiveBackend:
    """What every backend offers; the subclasses only move bytes.

    `get` returns the bytes as stored; `open_verified` is what callers that
    hand a file to someone use: it re-hashes first.
    """

    def put(self, data: bytes) -> Stored:  # pragma: no cover - interface
        raise NotImplementedError

    def get(self, sha256: str) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def stat(self, sha256: str) -> Stored | None:  # pragma: no cover - interface
        """Size and location, or None when the store does not hold it."""
        raise NotImplementedError

    def iterate(self) -> Iterator[Stored]:  # pragma: no cover - interface
        """Every stored file, in no particular order (verify looks for orphans)."""
        raise NotImplementedError

    def delete(self, sha256: str) -> bool:  # pragma: no cover - interface
        """Remove a file (retention only). True if something was removed."""
        raise NotImplementedError

    def exists(self, sha256: str) -> bool:
        return self.stat(sha256) is not None

    def open_verified(self, sha256: str) -> bytes:
        """The stored bytes, after checking they still hash to `sha256`."""
        data = self.get(check_address(sha256))
        if sha256_bytes(data) != sha256:
            raise AlteredFile(sha256)
        return data

    def check(self, sha256: str) -> str | None:
        """None when intact, else "missing", "unreachable" or "altered"."""
        try:
            self.open_verified(sha256)
        except ArchiveError as exc:
            return problem_of(exc)
        return None


def archive_for(app) -> ArchiveBackend:
    """The app's archive, made once per app (an S3 client is slow to build)."""
    key = "intake_archive"
    found = app.extensions.get(key)
    wanted = (app.config.get("ARCHIVE_URL"), app.config.get("ARCHIVE_DIR"))
    if found is None or found[0] != wanted:
        found = (wanted, _make(app.config))
        app.extensions[key] = found
    return found[1]


def _make(config) -> ArchiveBackend:
    url = (config.get("ARCHIVE_URL") or "").strip()
    if url.startswith("s3://"):
        from intake.documents.storage.s3 import S3Archive

        return S3Archive.from_config(url, config)
    if url.startswith("file://"):
        return LocalArchive(url.removeprefix("file://"))
    if url:
        raise ValueError("INTAKE_ARCHIVE_URL must start with s3:// or file://")
    return LocalArchive(config["ARCHIVE_DIR"])


from intake.documents.storage.local import LocalArchive  # noqa: E402

#: the default backend under its historical name
Archive = LocalArchive

__all__ = ["AlteredFile", "Archive", "ArchiveBackend", "ArchiveError", "ArchiveUnavailable",
           "InvalidAddress", "LocalArchive", "MissingFile", "Stored", "archive_for",
           "check_address", "is_sha256", "problem_of", "sha256_bytes"]
