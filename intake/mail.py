"""Email: the invite message, and sending it over SMTP with the right TLS.

TLS is chosen by INTAKE_SMTP_TLS: "ssl" (implicit TLS, as on port 465),
"starttls" (upgrade a plain connection, as on 587), "none" (a local relay
on 25); unset, the port decides. INTAKE_SMTP_CA_FILE names a private CA
when the relay's certificate is not signed by a public one.

The link is a credential for the patient's record: it goes into the message
and nowhere else. A failure is raised as MailNotSent carrying the error's
type only, since SMTP errors quote addresses.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from intake.i18n.messages import N_, translate

TIMEOUT = 30


class MailNotSent(Exception):
    """The server did not take the message (the type of error only)."""


def configured(config) -> bool:
    return bool(config.get("SMTP_HOST"))


def tls_mode(config) -> str:
    mode = (config.get("SMTP_TLS") or "").lower()
    if mode:
        return mode
    port = int(config.get("SMTP_PORT") or 587)
    return {465: "ssl", 25: "none"}.get(port, "starttls")


def invite_message(config, *, to: str, link: str, clinic: str, expires: str,
                   language: str = "en") -> EmailMessage:
    """The patient's link (an invite, or a walk-in's "finish later"), in the
    intake's language; `expires` is already worded in it."""
    subject = N_("Your questionnaire for %(clinic)s", clinic=clinic)
    body = N_("Hello,\n\n%(clinic)s asks you to fill in a short health questionnaire before "
              "your appointment. Please open this link (it works until %(expires)s):\n\n"
              "%(link)s\n\nIf you were not expecting this email, you can ignore it.\n",
              clinic=clinic, expires=expires, link=link)
    return _message(config, to=to, subject=translate(subject, language),
                    body=translate(body, language))


def sign_in_notice_message(config, *, to: str, clinic: str, failures: int,
                           last: str) -> EmailMessage:
    """Failed sign-ins to a staff account: how many and when, never what was typed."""
    return _message(
        config, to=to, subject=f"Failed sign-ins to your {clinic} staff account",
        body=f"Hello,\n\nThere have been {failures} failed attempts to sign in to your "
             f"staff account at {clinic}, the latest at {last}.\n\nIf they were yours, "
             "there is nothing to do. If not, someone may be guessing your password: choose "
             "a new, long one (Change password, once signed in) and tell the clinic's "
             "administrator. Your account is not locked; attempts are slowed down instead.\n")


def _message(config, *, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = config.get("SMTP_FROM") or f"no-reply@{config['SMTP_HOST']}"
    msg["To"] = to
    msg.set_content(body)
    return msg


def send(config, msg: EmailMessage) -> None:
    """Hand `msg` to the configured SMTP server, or raise MailNotSent."""
    host, port = config["SMTP_HOST"], int(config.get("SMTP_PORT") or 587)
    mode = tls_mode(config)
    context = ssl.create_default_context(cafile=config.get("SMTP_CA_FILE") or None)
    try:
        if mode == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with smtp:
            if mode == "starttls":
                smtp.starttls(context=context)
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(type(exc).__name__) from None
