"""The job queue (Huey): the web process enqueues, `intake worker` runs.

`init_app` builds the app's Huey (see queue.py), registers the tasks and
hooks the session so that a committed pending Document row is queued for
rendering (outbox.py). Tests run with QUEUE_IMMEDIATE: a job runs inside the
call that enqueues it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from huey import Huey
from sqlalchemy.orm import Session

from intake.jobs import notices, outbox
from intake.jobs.queue import make_huey
from intake.jobs.tasks import Tasks, register
from intake.sealed import seal


@dataclass(frozen=True)
class Jobs:
    huey: Huey
    tasks: Tasks
    sign_in_notice: object = None

    def render(self, document_id: int, attempt: int | None = 0) -> None:
        self.tasks.render(document_id, attempt)

    def catch_up(self, grace_seconds: float | None = None) -> None:
        self.tasks.catch_up(grace_seconds)


def init_app(app: Flask) -> None:
    huey = make_huey(app.config)
    jobs = Jobs(huey, register(huey, app), notices.register(huey, app))
    app.extensions["intake_jobs"] = jobs
    outbox.listen(app.extensions["intake_sessionmaker"], jobs.render)


def jobs_for(app: Flask) -> Jobs:
    return app.extensions["intake_jobs"]


def queue_invite_email(app: Flask, session: Session, intake_id: int, link: str,
                       actor_id: int | None) -> None:
    """Email the invite once the session's transaction has committed."""
    cfg = app.config
    jobs = jobs_for(app)
    job = jobs.tasks.invite_email.s(intake_id, seal(cfg["SECRET_KEY"], link), actor_id,
                                    retries=cfg["EMAIL_RETRIES"],
                                    retry_delay=cfg["EMAIL_RETRY_SECONDS"])
    outbox.after_commit(session, lambda: jobs.huey.enqueue(job),
                        f"invite email of intake {intake_id}")


def queue_sign_in_notice(app: Flask, session: Session, user_id: int) -> None:
    """Tell a staff member of failed sign-ins once the session's transaction commits."""
    cfg = app.config
    jobs = jobs_for(app)
    job = jobs.sign_in_notice.s(user_id, retries=cfg["EMAIL_RETRIES"],
                                retry_delay=cfg["EMAIL_RETRY_SECONDS"])
    outbox.after_commit(session, lambda: jobs.huey.enqueue(job),
                        f"sign-in notice for staff {user_id}")
