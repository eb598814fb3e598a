"""Adding a pending summary version inside the transaction that needs it.

Kept light (models and SQLAlchemy only) so that the operations submitting
or signing off an intake can call it without loading the renderer.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.models import Document, DocumentStatus


def add_pending(session: Session, intake_id: int, kind: str, *,
                once: bool = False) -> Document | None:
    """Add a pending version in the caller's transaction; `once`: not if this kind exists.

    The version number is the next free one; a concurrent writer that took
    it first makes the savepoint fail and the next number is tried.
    """
    if once and session.scalar(select(Document.id).where(
            Document.intake_id == intake_id, Document.kind == kind).limit(1)):
        return None
    for _ in range(5):
        latest = session.scalar(select(func.max(Document.version))
                                .where(Document.intake_id == intake_id))
        document = Document(intake_id=intake_id, kind=kind, version=(latest or 0) + 1,
                            status=DocumentStatus.PENDING, attempts=0)
        try:
            with session.begin_nested():
                session.add(document)
        except IntegrityError:
            continue
        return document
    raise RuntimeError("could not allocate a document version")
