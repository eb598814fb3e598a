"""The jobs the worker runs, registered on one app's Huey.

Each task takes ids, never patient data: it reads what it needs from the
database when it runs, so a job queued before a change sees the change.
Tasks are registered per app (a closure over it) so that the worker, the
web process and each test app have their own queue and configuration.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from huey import Huey, crontab

from intake import clock, mail
from intake.db import session_scope
from intake.documents import background
from intake.i18n import locale_for
from intake.models import Intake, hash_token
from intake.questionnaire.types import display
from intake.sealed import InvalidToken, unseal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tasks:
    render: object
    invite_email: object
    catch_up: object
    retention_sweep: object


def register(huey: Huey, app: Flask) -> Tasks:
    @huey.task(name="render_document")
    def render(document_id: int, attempt: int | None = None) -> None:
        outcome = background.render_document(app, document_id, attempt)
        if outcome.retry_in is not None:
            render.schedule(args=(document_id, outcome.attempts), delay=outcome.retry_in)

    @huey.task(name="send_invite_email", context=True, retry_backoff=2)
    def invite_email(intake_id: int, sealed_link: str, actor_id: int | None,
                     task=None) -> None:
        _send_invite(app, intake_id, sealed_link, actor_id,
                     final=task is None or not task.retries)

    @huey.periodic_task(crontab(minute="*"), name="catch_up")
    def catch_up(grace_seconds: float | None = None) -> int:
        """Queue what a crash or an outage left behind (every minute)."""
        grace = (background.STALE_PENDING if grace_seconds is None
                 else timedelta(seconds=grace_seconds))
        background.add_missing(app)  # queued by the commit hook
        due = background.due_documents(app, grace=grace)
        for document_id, attempts in due:
            render(document_id, attempts)
        if due:
            log.info("catch-up queued %s document(s)", len(due))
        return len(due)

    @huey.periodic_task(crontab(hour="3", minute="30"), name="retention_sweep")
    def retention_sweep() -> int:
        return _sweep(app)

    return Tasks(render, invite_email, catch_up, retention_sweep)


def _send_invite(app: Flask, intake_id: int, sealed_link: str, actor_id: int | None, *,
                 final: bool) -> None:
    cfg = app.config
    try:
        link = unseal(cfg["SECRET_KEY"], sealed_link)
    except InvalidToken:  # the secret key changed since: the link cannot be recovered
        log.warning("invite email for intake %s dropped: sealed with another key", intake_id)
        return
    with app.app_context(), session_scope(app) as session:
        intake = session.get(Intake, intake_id)
        to = intake.patient.email if intake and intake.patient else None
        current = intake is not None and intake.token_hash == hash_token(link.rsplit("/", 1)[-1])
        if not (to and current and mail.configured(cfg)):  # reissued since, or nothing to do
            return
        locale = locale_for(intake.language, cfg["LOCALE"])
        msg = mail.invite_message(cfg, to=to, link=link, clinic=cfg["CLINIC_NAME"],
                                  expires=display.day(clock.local(intake.token_expires_at)
                                                      .date(), locale),
                                  language=intake.language)
    try:
        mail.send(cfg, msg)
    except mail.MailNotSent as exc:
        log.warning("invite email for intake %s not sent (%s)%s", intake_id, exc,
                    "; giving up" if final else "; will retry")
        if final:
            _audit_email(app, intake_id, actor_id, sent=False, error=str(exc))
        raise
    _audit_email(app, intake_id, actor_id, sent=True)


def _audit_email(app: Flask, intake_id: int, actor_id: int | None, *, sent: bool,
                 error: str | None = None) -> None:
    from intake.operations.invites import record_invite_email

    with session_scope(app) as session:
        record_invite_email(session, session.get(Intake, intake_id), sent=sent,
                            actor_id=actor_id, error=error)


def _sweep(app: Flask) -> int:
    """The retention sweep: "report" (default) lists, "delete" destroys, "off" skips."""
    from intake.documents.retention import destroy, expired
    from intake.documents.storage import archive_for

    mode = app.config["RETENTION_SWEEP"]
    if mode == "off":
        return 0
    years = int(app.config["RETENTION_YEARS"])
    with app.app_context(), session_scope(app) as session:
        found = expired(session, years=years, today=clock.today(), zone=clock.zone())
        if mode == "delete" and found:
            destroy(session, archive_for(app), found, years=years)
    log.info("retention sweep: %s intake(s) past %s years, %s", len(found), years,
             "deleted" if mode == "delete" and found else "nothing deleted")
    return len(found)
