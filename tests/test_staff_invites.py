"""Invites from the staff side, and the practitioners' rules page."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from intake import mail
from intake.models import AuditEvent, Intake, hash_token


@pytest.fixture
def desk(make_staff, auth, db, app):
    app.config["WTF_CSRF_ENABLED"] = False
    auth.login(make_staff(role="front_desk").email)
    db.rollback()
    return auth._client


def _link(page: str) -> str | None:
    found = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page)
    return found[1] if found else None


def test_invite_shows_the_link_once(desk, db, caplog):
    caplog.set_level(logging.DEBUG)
    response = desk.post("/staff/invites/new", data={
        "name": "Quinn Patient", "day": "2030-01-15", "at": "09:30"})
    assert response.status_code == 302
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    link = _link(page)
    assert link and "/i/" in link and "Quinn Patient" in page
    token = link.rsplit("/i/", 1)[1]
    intake = db.query(Intake).one()
    assert intake.token_hash == hash_token(token)
    assert intake.appointment_at.isoformat().startswith("2030-01-15T09:30")
    db.rollback()
    again = desk.get(response.headers["Location"]).get_data(as_text=True)
    assert _link(again) is None and "shown once" in again
    assert token not in caplog.text
    assert db.query(AuditEvent).filter_by(action="invite.create").count() == 1


def test_invite_needs_a_name_and_time(desk, db):
    response = desk.post("/staff/invites/new", data={"name": "", "day": "2030-01-15"})
    assert response.status_code == 400
    assert db.query(Intake).count() == 0


def test_reissue_replaces_the_link(desk, db):
    desk.post("/staff/invites/new", data={"name": "Quinn", "day": "2030-01-15", "at": "09:30"})
    intake = db.query(Intake).one()
    intake_id, old_hash = intake.id, intake.token_hash
    db.rollback()
    desk.get(f"/staff/invites/{intake_id}")
    response = desk.post(f"/staff/invites/{intake_id}/reissue")
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    new = _link(page)
    assert new and hash_token(new.rsplit("/i/", 1)[1]) != old_hash
    db.expire_all()
    assert db.get(Intake, intake_id).token_hash == hash_token(new.rsplit("/i/", 1)[1])


def test_invite_email_is_sent_when_smtp_is_configured(desk, db, app, monkeypatch, caplog):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, msg):
            sent.append(("send", msg["To"], msg.get_content()))

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="smtp.example.org", SMTP_PORT=587, SMTP_USER="u",
                      SMTP_PASSWORD="p", SMTP_FROM="clinic@example.org")
    caplog.set_level(logging.DEBUG)
    response = desk.post("/staff/invites/new", data={
        "name": "Mo Mail", "day": "2030-01-15", "at": "09:30", "email": "mo@example.org"})
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    link = _link(page)
    assert "emailed to the patient" in page
    assert sent[0] == ("connect", "smtp.example.org", 587) and ("starttls",) in sent
    to, body = sent[-1][1], sent[-1][2]
    assert to == "mo@example.org" and link in body
    assert link not in caplog.text


def test_failed_email_still_shows_the_link(desk, app, monkeypatch, caplog):
    def broken(*a, **k):
        raise OSError("connection refused by mo@example.org")

    monkeypatch.setattr(mail.smtplib, "SMTP", broken)
    app.config["SMTP_HOST"] = "smtp.example.org"
    caplog.set_level(logging.DEBUG)
    response = desk.post("/staff/invites/new", data={
        "name": "Mo Mail", "day": "2030-01-15", "at": "09:30", "email": "mo@example.org"})
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    # The first try failed; the queue retries later, and the link is on the page.
    assert _link(page) and "being emailed" in page
    assert "mo@example.org" not in caplog.text and "/i/" not in caplog.text


def test_email_given_up_after_its_retries_says_so(desk, app, db, monkeypatch, caplog):
    def broken(*a, **k):
        raise OSError("connection refused")

    monkeypatch.setattr(mail.smtplib, "SMTP", broken)
    app.config.update(SMTP_HOST="smtp.example.org", EMAIL_RETRIES=0)
    caplog.set_level(logging.DEBUG)
    response = desk.post("/staff/invites/new", data={
        "name": "Mo Mail", "day": "2030-01-15", "at": "09:30", "email": "mo@example.org"})
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    assert _link(page) and "could not be sent" in page
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == "invite.email")).all()
    assert event.detail == {"sent": False, "error": "OSError"}
    assert "mo@example.org" not in caplog.text and "/i/" not in caplog.text


def test_rules_page_lists_every_rule(make_staff, auth, db):
    from intake.screening import load_rules

    auth.login(make_staff(role="practitioner").email)
    page = auth._client.get("/staff/rules").get_data(as_text=True)
    rules = load_rules().rules
    assert len(rules) > 30
    for rule in rules:
        assert rule.id in page
    assert "SA-BN121" in page and "Red flag: emergency" in page


def test_rules_page_says_when_rules_do_not_load(make_staff, auth, db, monkeypatch):
    import intake.screening

    def broken():
        raise intake.screening.RuleSetError("rules/x.yaml: rule y: bad")

    monkeypatch.setattr(intake.screening, "load_rules", broken)
    auth.login(make_staff(role="practitioner").email)
    response = auth._client.get("/staff/rules")
    assert response.status_code == 503 and "could not be loaded" in response.get_data(
        as_text=True)
