"""Which archived versions are still the record, and which were superseded.

A reviewed summary is the record of one sign-off. A changed decision or plan
reopens the sign-off, and the next one archives a new reviewed version; the
earlier file stays (the archive is append-only) but is superseded.

"Superseded" is derived, never stored: a ready row is immutable (migration
0004 lets it change only from ready to expired), and the fact is already in
the table: a newer reviewed version of the same intake exists. Deriving it
keeps the archive's guarantee whole and the mark always consistent.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.models import Document, DocumentKind


def superseded_ids(documents: Iterable[Document]) -> set[int]:
    """The ids of the reviewed summaries that a newer reviewed version replaces."""
    documents = list(documents)
    newest: dict[int, int] = {}
    for d in documents:
        if d.kind == DocumentKind.REVIEWED_SUMMARY:
            newest[d.intake_id] = max(d.version, newest.get(d.intake_id, 0))
    return {d.id for d in documents if superseded_by(d, newest) is not None}


def newest_reviewed(session: Session, intake_ids: Iterable[int]) -> dict[int, int]:
    """Per intake, the version number of its newest reviewed summary (a query
    per 500 intakes, so an export of years stays within any bound-parameter limit)."""
    ids = sorted(set(intake_ids))
    newest: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        newest.update(session.execute(
            select(Document.intake_id, func.max(Document.version))
            .where(Document.intake_id.in_(ids[start:start + 500]),
                   Document.kind == DocumentKind.REVIEWED_SUMMARY)
            .group_by(Document.intake_id)).all())
    return newest


def superseded_by(document: Document, newest: dict[int, int]) -> int | None:
    """The newer reviewed version that replaces `document`, or None."""
    latest = newest.get(document.intake_id)
    if document.kind != DocumentKind.REVIEWED_SUMMARY or latest is None:
        return None
    return latest if latest > document.version else None
