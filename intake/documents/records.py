"""Recording a finished render: the row turns ready and the audit log says so.

Both happen in one transaction, so an archived summary without its
`document.render` event (which `intake documents verify` reports) means
something went around this function. The event carries the sha256 the row
was given, so a row edited later no longer matches its own render event.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from intake.audit import record as audit
from intake.documents.storage import Stored
from intake.models import Document, DocumentStatus, utcnow


def mark_ready(session: Session, document_id: int, stored: Stored) -> bool:
    """Ready with this file, unless another render got there first; flushes."""
    done = session.execute(
        update(Document).where(Document.id == document_id,
                               Document.status != DocumentStatus.READY)
        .values(status=DocumentStatus.READY, sha256=stored.sha256, size=stored.size,
                rendered_at=utcnow(), attempts=Document.attempts + 1, last_error=None)
    ).rowcount
    if not done:
        return False
    document = session.get(Document, document_id)
    session.refresh(document)
    audit(session, action="document.render", actor_id=None, intake_id=document.intake_id,
          detail={"document_id": document.id, "version": document.version,
                  "kind": document.kind, "sha256": stored.sha256, "size": stored.size})
    return True
