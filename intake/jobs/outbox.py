"""Queue jobs only once the transaction that needs them has committed.

A pending Document row flushed in a transaction is noted in `session.info`;
when that transaction commits, its render is queued; when it rolls back, the
note is dropped with it. Other jobs (an invite email) are noted with
`after_commit`. A job whose enqueue fails after the commit (the queue's
storage down) is not lost: its row is still pending, and the worker's
catch-up queues it again.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from intake.models import Document, DocumentStatus

log = logging.getLogger(__name__)
KEY = "intake_after_commit"


def after_commit(session: Session, job: Callable[[], object], label: str) -> None:
    """Run `job` (an enqueue) once the session's current transaction commits."""
    session.info.setdefault(KEY, []).append((job, label))


def listen(factory: sessionmaker, render: Callable[[int], object]) -> None:
    @event.listens_for(factory, "after_flush")
    def _note_pending(session: Session, _context) -> None:
        for obj in session.new:
            if isinstance(obj, Document) and obj.status == DocumentStatus.PENDING:
                after_commit(session, functools.partial(render, obj.id), f"document {obj.id}")

    @event.listens_for(factory, "after_commit")
    def _run(session: Session) -> None:
        if session.in_nested_transaction():  # a savepoint: the real commit is still to come
            return
        for job, label in session.info.pop(KEY, []):
            try:
                job()
            except Exception as exc:  # the row is committed: the catch-up will queue it
                log.warning("could not queue %s (%s)", label, type(exc).__name__)

    @event.listens_for(factory, "after_rollback")
    def _drop(session: Session) -> None:
        if not session.in_nested_transaction():
            session.info.pop(KEY, None)
