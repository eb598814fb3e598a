"""The Document row's state machine: pending -> ready, or failed -> retried.

A pending row is added in the same transaction as the submission or sign-off
that needs it (`add_pending`), so once the patient sees "submitted" the work
is on record and cannot be lost. The job queue (intake.jobs) renders it after
the commit; this module holds what a render does to the row, and which rows a
catch-up must queue again. Nothing here knows about the queue.

A failed render is never given up: its row says `failed`, how many attempts,
the exception type (never its text: it may quote patient data) and when the
next attempt is due, on a capped exponential backoff.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, or_, select, update

from intake.audit import record as audit
from intake.db import session_scope
from intake.documents.collect import collect
from intake.documents.pending import add_pending
from intake.documents.render import render_pdf
from intake.documents.storage import archive_for
from intake.models import Document, DocumentKind, DocumentStatus, Intake, SignOff, utcnow
from intake.models.document import UNFINISHED

log = logging.getLogger(__name__)
#: a pending row older than this has probably lost its queued job (a crash)
STALE_PENDING = timedelta(seconds=120)


def definition_for(app: Flask):
    found = app.config.get("DOCUMENTS_DEFINITION")
    if found is not None:
        return found
    from intake.questionnaire import load_definition

    return load_definition()


def retry_delay(attempts: int, config) -> float:
    """Seconds before attempt `attempts + 1`: doubling from the base, capped."""
    base = max(1, int(config.get("RENDER_RETRY_BASE_SECONDS", 10)))
    cap = max(base, int(config.get("RENDER_RETRY_MAX_SECONDS", 900)))
    return float(min(cap, base * 2 ** min(max(attempts - 1, 0), 30)))


@dataclass(frozen=True)
class Outcome:
    status: str              #: "ready", "failed" or "skipped" (gone, or another job's turn)
    attempts: int = 0        #: the row's attempts afterwards
    retry_in: float | None = None


def render_document(app: Flask, document_id: int, attempt: int | None = None) -> Outcome:
    """Render and archive one document.

    `attempt` is the row's attempt count when the job was queued: a job that
    finds another count is a duplicate (a catch-up queued it again while the
    original was waiting) and stops, so one chain of retries is left.
    """
    with app.app_context():
        with session_scope(app) as session:
            document = session.get(Document, document_id)
            if document is None:
                return Outcome("skipped")
            if document.status == DocumentStatus.READY:
                return Outcome("ready", document.attempts)
            if document.status not in UNFINISHED:  # expired: its file was destroyed
                return Outcome("skipped", document.attempts)
            if attempt is not None and document.attempts != attempt:
                return Outcome("skipped", document.attempts)
            attempts = document.attempts
            data = collect(session, document, app.config)
        try:
            rendered = render_pdf(data, definition_for(app))
            stored = archive_for(app).put(rendered.pdf)
        except Exception as exc:  # any failure: record it and back off
            return _record_failure(app, document_id, attempts, exc)
        with session_scope(app) as session:
            done = session.execute(
                update(Document).where(Document.id == document_id,
                                       Document.status.in_(UNFINISHED))
                .values(status=DocumentStatus.READY, sha256=stored.sha256, size=stored.size,
                        rendered_at=utcnow(), attempts=Document.attempts + 1,
                        last_error=None, next_attempt_at=None)
            ).rowcount
            if done:
                audit(session, action="document.render", actor_id=None,
                      intake_id=data.intake_id, detail={
                          "document_id": document_id, "sha256": stored.sha256,
                          "attempts": attempts + 1})
        return Outcome("ready", attempts + 1)


def _record_failure(app: Flask, document_id: int, attempts: int, exc: Exception) -> Outcome:
    # The type only: exception text may quote patient data.
    error = type(exc).__name__
    delay = retry_delay(attempts + 1, app.config)
    log.warning("rendering document %s failed (%s, attempt %s); next try in %.0f s",
                document_id, error, attempts + 1, delay)
    try:
        with session_scope(app) as session:
            claimed = session.execute(
                update(Document).where(Document.id == document_id,
                                       Document.attempts == attempts,
                                       Document.status.in_(UNFINISHED))
                .values(status=DocumentStatus.FAILED, attempts=attempts + 1,
                        last_error=error[:300],
                        next_attempt_at=utcnow() + timedelta(seconds=delay))
            ).rowcount
    except Exception as db_exc:  # the database is down too: the catch-up will find the row
        log.warning("could not record the failure of document %s (%s)", document_id,
                    type(db_exc).__name__)
        return Outcome("failed", attempts, delay)
    if not claimed:  # another job recorded this attempt: leave the retry to it
        return Outcome("skipped", attempts + 1)
    return Outcome("failed", attempts + 1, delay)


def due_documents(app: Flask, *, grace: timedelta = STALE_PENDING,
                  limit: int = 500) -> list[tuple[int, int]]:
    """(id, attempts) of rows whose job looks lost: pending for longer than
    `grace`, or failed with the retry `grace` overdue. Zero grace: all of them
    (the worker's start-up, when nothing can be running)."""
    now = utcnow()
    with session_scope(app) as session:
        return [tuple(row) for row in session.execute(
            select(Document.id, Document.attempts).where(or_(
                (Document.status == DocumentStatus.PENDING)
                & (Document.created_at <= now - grace),
                (Document.status == DocumentStatus.FAILED)
                & (or_(Document.next_attempt_at.is_(None),
                       Document.next_attempt_at <= now - grace)),
            )).order_by(Document.id).limit(limit)
        )]


def add_missing(app: Flask, limit: int = 50) -> list[int]:
    """Add pending rows for summaries that no transaction ever added.

    Submissions and sign-offs add their row themselves; this catches intakes
    submitted outside them (the demo's, or before this version), and a
    sign-off older than STALE_PENDING with no reviewed version since.
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
            .order_by(Intake.id).limit(limit)))
        unreviewed = list(session.scalars(
            select(Intake.id).where(last_sign_off <= utcnow() - STALE_PENDING, ~reviewed_since)
            .order_by(Intake.id).limit(limit)))
        added = [add_pending(session, i, DocumentKind.SUMMARY, once=True) for i in unsummarised]
        added += [add_pending(session, i, DocumentKind.REVIEWED_SUMMARY) for i in unreviewed]
        session.flush()
        return [d.id for d in added if d is not None]


def render_pending(app: Flask) -> tuple[int, list[int]]:
    """Render every unfinished row now, failed ones included (the CLI's
    "do it now"): returns (rendered, ids still failing)."""
    add_missing(app)
    with session_scope(app) as session:
        ids = list(session.scalars(select(Document.id).where(
            Document.status.in_(UNFINISHED)).order_by(Document.id)))
    rendered, failing = 0, []
    for document_id in ids:
        outcome = render_document(app, document_id)
        if outcome.status == "ready":
            rendered += 1
        elif outcome.status == "failed":
            failing.append(document_id)
    return rendered, failing

