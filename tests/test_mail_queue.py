"""Invite email through the queue: TLS modes, a refused delivery retried, no leaks."""

from __future__ import annotations

import logging
import re

import pytest
from services.smtp import SMTPServer
from sqlalchemy import select

from intake import mail
from intake.jobs import jobs_for, queue_invite_email
from intake.models import AuditEvent


def message(config):
    return mail.invite_message(config, to="sam@example.org", link="http://x.example/i/TOKEN",
                               clinic="Test Clinic", expires="01 Jan 2031")


@pytest.mark.parametrize("tls", ["none", "starttls", "ssl"])
def test_each_tls_mode_delivers(tls):
    with SMTPServer(tls) as server:
        mail.send(server.config(), message(server.config()))
    [got] = server.messages
    assert got["To"] == "sam@example.org" and "http://x.example/i/TOKEN" in got.get_payload()


def test_the_tls_mode_follows_the_port_unless_set():
    assert [mail.tls_mode({"SMTP_PORT": port}) for port in (465, 587, 25, 2525)] == [
        "ssl", "starttls", "none", "starttls"]
    assert mail.tls_mode({"SMTP_PORT": 465, "SMTP_TLS": "starttls"}) == "starttls"


def test_an_untrusted_certificate_is_refused():
    with SMTPServer("ssl") as server:
        config = server.config() | {"SMTP_CA_FILE": None}     # the system CAs only
        with pytest.raises(mail.MailNotSent, match="SSLCertVerificationError"):
            mail.send(config, message(config))
    assert server.messages == []


def test_a_refused_email_is_retried_by_the_queue_and_then_delivered(
        app, db, make_invite, caplog):
    caplog.set_level(logging.DEBUG)
    huey = jobs_for(app).huey
    huey.immediate = False                       # the real SQLite queue, run by hand below
    with SMTPServer("starttls", fail_first=1) as server:
        app.config.update(server.config())
        intake, token = make_invite(email="sam@example.org")
        queue_invite_email(app, db, intake.id, f"http://clinic.example/i/{token}", None)
        db.commit()
        huey.execute(huey.dequeue())             # 451: the job is scheduled again
        assert server.messages == []
        [retry] = huey.scheduled()
        assert retry.retries == app.config["EMAIL_RETRIES"] - 1
        delay = (retry.eta - huey._get_timestamp()).total_seconds()
        assert 0 < delay <= app.config["EMAIL_RETRY_SECONDS"]
        huey.execute(retry, timestamp=retry.eta)
    huey.immediate = True
    [got] = server.messages
    assert got["To"] == "sam@example.org" and token in got.get_payload()
    db.expire_all()
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == "invite.email"))
    assert event.intake_id == intake.id and event.detail == {"sent": True}
    ours = "\n".join(logging.Formatter().format(r) for r in caplog.records
                     if not r.name.startswith("mail."))   # not the test server's own log
    assert token not in ours and "sam@example.org" not in ours
    assert "not sent (SMTPDataError); will retry" in ours


def test_a_reissued_link_is_not_emailed_from_an_old_job(app, db, make_invite):
    from intake.models import hash_token, new_token

    with SMTPServer() as server:
        app.config.update(server.config())
        huey = jobs_for(app).huey
        huey.immediate = False
        intake, token = make_invite(email="sam@example.org")
        queue_invite_email(app, db, intake.id, f"http://clinic.example/i/{token}", None)
        db.commit()
        intake.token_hash = hash_token(new_token())   # a new link made before the job ran
        db.commit()
        huey.execute(huey.dequeue())
        huey.immediate = True
    assert server.messages == []


def test_the_link_email_is_in_the_intakes_language(app, db, make_invite):
    french = mail.invite_message({"SMTP_HOST": "x"}, to="sam@example.org",
                                 link="http://x.example/i/TOKEN", clinic="Test Clinic",
                                 expires="1 janvier 2031", language="fr")
    assert french["Subject"] == "Votre questionnaire pour Test Clinic"
    body = french.get_content()
    assert body.startswith("Bonjour,") and "jusqu’au 1 janvier 2031" in body
    assert "http://x.example/i/TOKEN" in body and "Hello" not in body
    with SMTPServer() as server:
        app.config.update(server.config())
        intake, token = make_invite(email="sam@example.org")
        intake.language = "fr"
        db.commit()
        queue_invite_email(app, db, intake.id, f"http://clinic.example/i/{token}", None)
        db.commit()
    [got] = server.messages
    assert got["Subject"].startswith("Votre questionnaire pour")
    text = got.get_payload(decode=True).decode()
    assert "Veuillez ouvrir ce lien" in text and token in text
    assert re.search(r"jusqu’au \d{1,2} \w+ \d{4}", text), text
