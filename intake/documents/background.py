"""Render summaries after the fact: on submission, on sign-off, and on retry.

The submission has already committed when `intake_submitted` arrives, so
nothing here can lose or hold up a patient's answers: a pending Document row
is committed first, the render runs (in a thread, or inline in tests), and a
failure only marks the row failed with `attempts + 1`. Failed and stale
pending rows are picked up again by the next request (at most once every
RENDER_RETRY_SECONDS), by `intake documents render-pending`, and at start-up.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from intake.audit import record as audit
from intake.db import session_scope
from intake.documents.collect import collect
from intake.documents.render import render_pdf
from intake.documents.storage import archive_for
from intake.models import Document, DocumentKind, DocumentStatus, Intake, SignOff, utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
#: a pending row younger than this may still be rendering in another thread
STALE_PENDING = timedelta(seconds=120)
_in_flight: set[int] = set()
_in_flight_lock = threading.Lock()


def definition_for(app: Flask):
    found = app.config.get("DOCUMENTS_DEFINITION")
    if found is not None:
        return found
    from intake.questionnaire import load_definition

    return load_definition()


def enqueue(app: Flask, intake_id: int, kind: str, *, once: bool = False) -> int | None:
    """Commit a new pending version; `once`: not if this kind already exists."""
    for _ in range(3):
        try:
            with session_scope(app) as session:
                if once and session.scalar(select(Document.id).where(
                        Document.intake_id == intake_id, Document.kind == kind)):
                    return None
                latest = session.scalar(select(func.max(Document.version))
                                        .where(Document.intake_id == intake_id))
                document = Document(intake_id=intake_id, kind=kind,
                                    version=(latest or 0) + 1,
                                    status=DocumentStatus.PENDING, attempts=0)
                session.add(document)
                session.flush()
                return document.id
        except IntegrityError:  # another writer took the version number: next one
            continue
    raise RuntimeError("could not allocate a document version")


def render_document(app: Flask, document_id: int) -> bool:
    """Render and archive one document; True when it is ready afterwards."""
    with _in_flight_lock:
        if document_id in _in_flight:
            return False
        _in_flight.add(document_id)
    try:
        return _render(app, document_id)
    finally:
        with _in_flight_lock:
            _in_flight.discard(document_id)


def _render(app: Flask, document_id: int) -> bool:
    with app.app_context():
        with session_scope(app) as session:
            document = session.get(Document, document_id)
            if document is None or document.status == DocumentStatus.READY:
                return document is not None
            data = collect(session, document, app.config)
        try:
            rendered = render_pdf(data, definition_for(app))
            stored = archive_for(app).put(rendered.pdf)
        except Exception as exc:  # any failure: record it, never raise to the caller
            log.exception("rendering document %s failed", document_id)
            _record_failure(app, document_id, exc)
            return False
        with session_scope(app) as session:
            done = session.execute(
                update(Document).where(Document.id == document_id,
                                       Document.status != DocumentStatus.READY)
                .values(status=DocumentStatus.READY, sha256=stored.sha256, size=stored.size,
                        rendered_at=utcnow(), attempts=Document.attempts + 1,
                        last_error=None)
            ).rowcount
            if done:  # verify reports a ready summary without this event
                audit(session, action="document.render", actor_id=None,
                      intake_id=data.intake_id, detail={
                          "document_id": document_id, "sha256": stored.sha256})
        return True


def _record_failure(app: Flask, document_id: int, exc: Exception) -> None:
    # The type and a clipped message only: exception text may quote patient data
    # for some libraries, so anything past the type is kept short and generic.
    error = type(exc).__name__
    try:
        with session_scope(app) as session:
            session.execute(
                update(Document).where(Document.id == document_id)
                .values(status=DocumentStatus.FAILED, attempts=Document.attempts + 1,
                        last_error=error[:300])
            )
    except Exception:
        log.exception("could not record the failure of document %s", document_id)


def due_documents(app: Flask, limit: int = 20) -> list[int]:
    """Failed rows with attempts left, and pending rows that look abandoned."""
    stale_before = utcnow() - STALE_PENDING
    with session_scope(app) as session:
        return list(session.scalars(
            select(Document.id).where(
                Document.attempts < app.config.get("RENDER_MAX_ATTEMPTS", MAX_ATTEMPTS),
                or_(Document.status == DocumentStatus.FAILED,
                    (Document.status == DocumentStatus.PENDING)
                    & (Document.created_at <= stale_before)),
            ).order_by(Document.id).limit(limit)
        ))


def enqueue_missing(app: Flask, limit: int = 20) -> list[int]:
    """Queue summaries that were never queued.

    The signals that queue a summary run after the submission or sign-off
    commits; if the process stops in between (or an intake was submitted
    outside a request, like the demo's), nothing else would ever notice. A
    submitted intake with no summary gets one; a sign-off older than
    STALE_PENDING with no reviewed version made after it gets one (younger
    sign-offs are left to their own signal, so none is made twice).
    """
    has_summary = select(Document.id).where(
        Document.intake_id == Intake.id, Document.kind == DocumentKind.SUMMARY
    ).exists()
    last_sign_off = (select(func.max(SignOff.at)).where(SignOff.intake_id == Intake.id)
                     .scalar_subquery())
    reviewed_since = select(Document.id).where(
        Document.intake_id == Intake.id, Document.kind == DocumentKind.REVIEWED_SUMMARY,
        Document.created_at >= last_sign_off,
    ).exists()
    with session_scope(app) as session:
        unsummarised = list(session.scalars(
            select(Intake.id).where(Intake.is_submitted, ~has_summary)
            .order_by(Intake.id).limit(limit)
        ))
        unreviewed = list(session.scalars(
            select(Intake.id).where(last_sign_off <= utcnow() - STALE_PENDING, ~reviewed_since)
            .order_by(Intake.id).limit(limit)
        ))
    queued = [enqueue(app, intake_id, DocumentKind.SUMMARY, once=True)
              for intake_id in unsummarised]
    queued += [enqueue(app, intake_id, DocumentKind.REVIEWED_SUMMARY) for intake_id in unreviewed]
    return [document_id for document_id in queued if document_id is not None]


def render_pending(app: Flask, *, include_fresh: bool = False) -> tuple[int, int]:
    """Render everything due now; returns (rendered, still failing)."""
    fresh = enqueue_missing(app)
    ids = sorted(set(due_documents(app)) | set(fresh))
    if include_fresh:
        with session_scope(app) as session:
            ids = sorted(set(ids) | set(session.scalars(select(Document.id).where(
                Document.status == DocumentStatus.PENDING))))
    done = sum(1 for document_id in ids if render_document(app, document_id))
    return done, len(ids) - done


def dispatch(app: Flask, document_id: int | None) -> None:
    if document_id is None:
        return
    if app.config.get("RENDER_IN_BACKGROUND", True):
        threading.Thread(target=render_document, args=(app, document_id),
                         name=f"render-document-{document_id}", daemon=True).start()
    else:
        render_document(app, document_id)


def on_submitted(app: Flask, intake_id: int, **_kw) -> None:
    try:
        dispatch(app, enqueue(app, intake_id, DocumentKind.SUMMARY, once=True))
    except Exception:
        log.exception("could not queue the summary of intake %s", intake_id)


def on_signed_off(app: Flask, intake_id: int, **_kw) -> None:
    try:
        dispatch(app, enqueue(app, intake_id, DocumentKind.REVIEWED_SUMMARY))
    except Exception:
        log.exception("could not queue the reviewed summary of intake %s", intake_id)


def retry_hook(app: Flask):
    """A before_request hook: at most once per interval, retry what is due."""
    state = {"next": 0.0}
    lock = threading.Lock()

    def _hook() -> None:
        now = time.monotonic()
        with lock:
            if now < state["next"]:
                return
            state["next"] = now + app.config.get("RENDER_RETRY_SECONDS", 60)
        try:
            for document_id in enqueue_missing(app, limit=5) + due_documents(app, limit=5):
                dispatch(app, document_id)
        except Exception:
            log.exception("retrying pending documents failed")

    return _hook
