"""`intake documents verify`: what an auditor needs to trust the archive.

Each check yields `Problem`s; the command prints one line per problem and a
summary, and exits non-zero on any. The checks:

- files: every ready row's file is fetched and re-hashed; a bad sha256 value
  is reported (never a traceback); missing or unreachable is told apart from
  altered; the PDF's embedded JSON must name the row's intake, version, kind;
- shared: no two rows point at one file (each render names its own row, so
  two rows can share a file only if they are the same render);
- versions: each intake's versions are 1..n with no gap (rows never deleted);
- audit: each ready row has a `document.render` event with the same sha256,
  each download event names a row that still records what was served, and
  a row that is gone must have been removed by a recorded expiry;
- orphans: a stored file that names a row which does not exist is reported.

The job queue's checks (failed or overdue renders) belong in CHECKS too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.documents.embedded import identity_of, names
from intake.documents.storage import (
    ArchiveBackend,
    ArchiveError,
    ArchiveUnavailable,
    MissingFile,
    is_sha256,
    sha256_bytes,
)
from intake.models import Document, DocumentStatus
from intake.models.audit import AuditEvent

AUDITED = ("document.render", "document.download", "document.expire")


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str

    def line(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class Context:
    session: Session
    archive: ArchiveBackend
    rows: list[Document]
    checked_files: int = 0
    orphans: int = 0
    events: dict[str, list[AuditEvent]] = field(default_factory=dict)

    @property
    def ready(self) -> list[Document]:
        return [row for row in self.rows if row.status == DocumentStatus.READY]


def label(row: Document) -> str:
    return f"document {row.id} (intake {row.intake_id} v{row.version})"


def check_files(ctx: Context) -> Iterator[Problem]:
    for row in ctx.ready:
        if not is_sha256(row.sha256):
            yield Problem("bad-sha256", f"{label(row)} records {str(row.sha256)[:80]!r}, "
                                        "not a SHA-256 hex digest")
            continue
        ctx.checked_files += 1
        try:
            data = ctx.archive.get(row.sha256)
        except MissingFile:
            yield Problem("missing", f"{label(row)} {row.sha256}")
            continue
        except ArchiveUnavailable as exc:
            yield Problem("unreachable", f"{label(row)} {row.sha256}: {exc}")
            continue
        except ArchiveError as exc:  # pragma: no cover - every subclass is handled above
            yield Problem("unreadable", f"{label(row)} {row.sha256}: {exc}")
            continue
        if sha256_bytes(data) != row.sha256:
            yield Problem("altered", f"{label(row)} {row.sha256}")
            continue
        if row.size is not None and row.size != len(data):
            yield Problem("size", f"{label(row)} records {row.size} bytes, the file has "
                                  f"{len(data)}")
        identity = identity_of(data)
        if identity is None:
            yield Problem("unnamed", f"{label(row)}: the file has no readable answers JSON")
        elif not names(row, identity):
            yield Problem("mismatch", f"{label(row)} points at the file of "
                                      f"{identity.describe()} {row.sha256}")


def check_shared(ctx: Context) -> Iterator[Problem]:
    by_file: dict[str, list[Document]] = defaultdict(list)
    for row in ctx.ready:
        if is_sha256(row.sha256):
            by_file[row.sha256].append(row)
    for sha, rows in by_file.items():
        if len({(r.intake_id, r.version, r.kind) for r in rows}) > 1:
            yield Problem("shared", ", ".join(label(r) for r in rows)
                          + f" point at one file {sha}")


def check_versions(ctx: Context) -> Iterator[Problem]:
    by_intake: dict[int, list[int]] = defaultdict(list)
    for row in ctx.rows:
        by_intake[row.intake_id].append(row.version)
    for intake_id, versions in sorted(by_intake.items()):
        have = set(versions)
        gone = sorted(set(range(1, max(have) + 1)) - have)
        if gone:
            yield Problem("gap", f"intake {intake_id} has no version "
                                 f"{', '.join(map(str, gone))} (a row was deleted)")


def _expired_ids(ctx: Context) -> set[int]:
    ids: set[int] = set()
    for event in ctx.events["document.expire"]:
        ids.update(i for i in (event.detail or {}).get("documents", []) if isinstance(i, int))
    return ids


def check_audit(ctx: Context) -> Iterator[Problem]:
    rows = {row.id: row for row in ctx.rows}
    expired = _expired_ids(ctx)
    rendered: dict[int, str | None] = {}
    for event in ctx.events["document.render"]:
        document_id = (event.detail or {}).get("document_id")
        rendered[document_id] = (event.detail or {}).get("sha256")
        if document_id not in rows and document_id not in expired:
            yield Problem("deleted", f"document {document_id} (render event {event.id}) is "
                                     "gone and no expiry removed it")
    for row in ctx.ready:
        if row.id not in rendered:
            yield Problem("unaudited", f"{label(row)} has no document.render audit event")
        elif rendered[row.id] != row.sha256:
            yield Problem("row-changed", f"{label(row)} records another sha256 than its "
                                         "render event")
    for event in ctx.events["document.download"]:
        detail = event.detail or {}
        row = rows.get(detail.get("document_id"))
        if row is None:
            if detail.get("document_id") not in expired:
                yield Problem("deleted", f"document {detail.get('document_id')} (download "
                                         f"event {event.id}) is gone and no expiry removed it")
        elif detail.get("sha256") != row.sha256:
            yield Problem("row-changed", f"{label(row)} records another sha256 than download "
                                         f"event {event.id} served")


def check_orphans(ctx: Context) -> Iterator[Problem]:
    """Files no row points at. Harmless after a render that stopped between
    storing and recording (its row is still there, not ready); a file that
    names a row which does not exist means the row was deleted."""
    referenced = {row.sha256 for row in ctx.rows}
    existing = {(row.intake_id, row.version) for row in ctx.rows}
    expired_intakes = {event.intake_id for event in ctx.events["document.expire"]}
    try:
        stored = list(ctx.archive.iterate())
    except ArchiveUnavailable as exc:
        yield Problem("unreachable", f"the archive could not be listed: {exc}")
        return
    for item in stored:
        if item.sha256 in referenced:
            continue
        ctx.orphans += 1
        try:
            identity = identity_of(ctx.archive.get(item.sha256))
        except ArchiveError:
            continue
        if identity is None or identity.intake_id in expired_intakes:
            continue
        if (identity.intake_id, identity.version) not in existing:
            yield Problem("deleted", f"file {item.sha256} is {identity.describe()}, "
                                     "which has no document row")


Check = Callable[[Context], Iterable[Problem]]
#: in order; the job queue adds its check of failed or overdue renders here
CHECKS: list[Check] = [check_files, check_shared, check_versions, check_audit, check_orphans]


def verify(session: Session, archive: ArchiveBackend,
           checks: Iterable[Check] = ()) -> tuple[Context, Iterator[Problem]]:
    """The context (counts fill in as problems are drawn) and the problems."""
    rows = list(session.scalars(select(Document).order_by(Document.id)))
    ctx = Context(session, archive, rows, events={action: [] for action in AUDITED})
    for event in session.scalars(select(AuditEvent).where(AuditEvent.action.in_(AUDITED))
                                 .order_by(AuditEvent.id)):
        ctx.events[event.action].append(event)

    def _problems() -> Iterator[Problem]:
        for check in [*CHECKS, *checks]:
            yield from check(ctx)

    return ctx, _problems()
