"""Sending a patient their invite link by email (when SMTP_HOST is set).

The link is a credential for the patient's record: it goes into the email
and nowhere else, never into a log line or an exception message.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send_invite(to: str, link: str, *, clinic: str, expires: str) -> bool:
    """Send the invite; True when the server accepted it. Failures are logged
    by type only (no address, no link)."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["Subject"] = f"Your questionnaire for {clinic}"
    msg["From"] = cfg.get("SMTP_FROM") or f"no-reply@{cfg['SMTP_HOST']}"
    msg["To"] = to
    msg.set_content(
        f"Hello,\n\n{clinic} asks you to fill in a short health questionnaire before "
        f"your appointment. Please open this link (it works until {expires}):\n\n"
        f"{link}\n\nIf you were not expecting this email, you can ignore it.\n"
    )
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT") or 587),
                          timeout=15) as smtp:
            if int(cfg.get("SMTP_PORT") or 587) != 25:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD") or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("invite email not sent: %s", type(exc).__name__)
        return False
    return True
