"""Emails to staff about their own account: a burst of failed sign-ins.

The job carries the account's id and nothing typed: the worker reads the
address when it runs, and the message never holds an attempted password or
email, only how many attempts failed. With no SMTP server configured there
is nothing to send (the audit log still has `auth.failure_notice`).
"""

from __future__ import annotations

import logging

from flask import Flask
from huey import Huey

from intake import clock, mail
from intake.db import session_scope
from intake.models.staff import StaffUser

log = logging.getLogger(__name__)


def register(huey: Huey, app: Flask):
    @huey.task(name="send_sign_in_notice")
    def sign_in_notice(user_id: int) -> None:
        _send(app, user_id)

    return sign_in_notice


def _send(app: Flask, user_id: int) -> None:
    cfg = app.config
    if not mail.configured(cfg):
        return
    with app.app_context(), session_scope(app) as session:
        user = session.get(StaffUser, user_id)
        if user is None or not user.active:
            return
        since = clock.local(user.last_failed_at) if user.last_failed_at else None
        msg = mail.sign_in_notice_message(
            cfg, to=user.email, clinic=cfg["CLINIC_NAME"], failures=user.failed_attempts,
            last=f"{since:%d %b %Y %H:%M}" if since else "recently")
    try:
        mail.send(cfg, msg)
    except mail.MailNotSent as exc:
        log.warning("sign-in notice for staff %s not sent (%s)", user_id, exc)
        raise
