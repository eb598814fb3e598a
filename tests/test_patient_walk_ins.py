"""Walk-ins from the clinic start link: their typed name on the dashboard and in
the name search, finishing later with a resume code, and coming back with it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from answers import step_post
from patient_helpers import stored
from sqlalchemy import select

from intake.models import AuditEvent, Intake, Patient, utcnow
from intake.operations.invites import issue_start_token
from intake.operations.resume_codes import ALPHABET, normalise

pytest_plugins = ["patient_fixtures"]


@pytest.fixture
def walk_in(client_nocsrf, clinic, db):
    """walk_in() -> the token of a new walk-in intake, started as a patient would."""
    start = issue_start_token(db, clinic)
    db.commit()

    def _start() -> str:
        response = client_nocsrf.post(f"/start/{start}")
        assert response.status_code == 303
        return response.location.rsplit("/i/", 1)[1]

    return _start


def about(definition, answers, action="next", **changes):
    return step_post(definition, "about", {**answers, **changes}, action=action)


def finish_later(client, definition, answers, token, **changes) -> tuple[str, str]:
    """Save step 1 with "finish later"; returns (the code page's HTML, the code)."""
    response = client.post(f"/i/{token}/step/about",
                           data=about(definition, answers, "later", **changes))
    assert response.status_code == 303 and response.location.endswith("/later")
    page = client.get("/later")
    html = page.get_data(as_text=True)
    code = re.search(r"data-resume-code><strong>([A-Z0-9-]+)</strong>", html).group(1)
    return html, code


def dob_post(code, born=None):
    data = {"code": code}
    if isinstance(born, str):
        born = date.fromisoformat(born)
    if born:
        data |= {"dob-day": str(born.day), "dob-month": str(born.month),
                 "dob-year": str(born.year)}
    return data


def test_walk_in_takes_the_typed_name_on_step_one(client_nocsrf, walk_in, definition, answers,
                                                  db, auth, make_staff):
    token = walk_in()
    name_id = definition.role("full_name").id
    response = client_nocsrf.post(f"/i/{token}/step/about",
                                  data=about(definition, answers, **{name_id: "Quinn Walkerby"}))
    assert response.status_code == 303
    intake = stored(db, token)
    assert intake.walk_in and intake.patient.display_name == "Quinn Walkerby"
    db.commit()  # the test's session lets go of SQLite's write lock
    # Typing another name later renames the record; it is one record, not two.
    client_nocsrf.post(f"/i/{token}/step/about",
                       data=about(definition, answers, **{name_id: "Quinn Walkerby-Smith"}))
    db.expire_all()
    assert [p.display_name for p in db.scalars(select(Patient))] == ["Quinn Walkerby-Smith"]
    db.commit()
    auth.login(make_staff(role="practitioner").email)
    db.rollback()
    dashboard = auth._client.get("/staff/").get_data(as_text=True)
    assert "Quinn Walkerby-Smith" in dashboard and "name not given yet" not in dashboard
    # The name index (FTS5 trigger on SQLite, trigram index on PostgreSQL) follows.
    found = auth._client.get("/staff/?q=Walkerby-Sm").get_data(as_text=True)
    assert "Quinn Walkerby-Smith" in found
    assert "Quinn Walkerby-Smith" not in auth._client.get("/staff/?q=Nobodyelse").get_data(
        as_text=True)


def test_an_invited_patient_keeps_the_invited_name(client_nocsrf, token, definition, answers,
                                                   db):
    name_id = definition.role("full_name").id
    client_nocsrf.post(f"/i/{token}/step/about",
                       data=about(definition, answers, **{name_id: "Somebody Typed"}))
    intake = stored(db, token)
    assert not intake.walk_in and intake.patient.display_name == "Alex Example"
    db.commit()


def test_an_empty_name_leaves_a_walk_in_unnamed(client_nocsrf, walk_in, definition, answers, db):
    token = walk_in()
    name_id = definition.role("full_name").id
    client_nocsrf.post(f"/i/{token}/step/about",
                       data=about(definition, answers, "later", **{name_id: "   "}))
    assert db.scalars(select(Patient)).all() == []
    assert db.scalars(select(Intake)).one().walk_in
    db.commit()


def test_finish_later_shows_a_code_once_and_closes_the_old_link(
        client_nocsrf, walk_in, definition, answers, db):
    token = walk_in()
    html, code = finish_later(client_nocsrf, definition, answers, token)
    assert re.fullmatch(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
    assert "and your date of birth" in html and "only this once" in html
    # Nothing in the browser leads back to the answers: the page is not cached,
    # the old link and its step pages are dead, and the code is not shown again.
    later = client_nocsrf.get("/later")
    assert "no-store" in later.headers["Cache-Control"]
    assert code not in later.get_data(as_text=True)
    old = client_nocsrf.get(f"/i/{token}/step/about")
    assert old.status_code == 404
    assert answers[definition.role("full_name").id] not in old.get_data(as_text=True)
    stored_intake = db.scalars(select(Intake)).one()
    assert code.replace("-", "") not in (stored_intake.resume_code_hash or "")
    assert stored_intake.resume_code_hash and len(stored_intake.resume_code_hash) == 64
    db.commit()


def test_the_code_waits_in_the_database_not_in_the_cookie(
        app, client_nocsrf, walk_in, definition, answers, db):
    from intake.models import ShownOnce

    token = walk_in()
    client_nocsrf.post(f"/i/{token}/step/about", data=about(definition, answers, "later"))
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    raw = client_nocsrf.get_cookie(name).value
    cookie = app.session_interface.get_signing_serializer(app).loads(raw)
    [row] = db.scalars(select(ShownOnce)).all()
    assert row.owner.startswith("browser:") and cookie["resume_code_shown"] not in row.owner
    db.rollback()
    # another browser, with no handle, gets the plain page
    other = app.test_client().get("/later").get_data(as_text=True)
    assert "data-resume-code" not in other
    code = re.search(r"data-resume-code><strong>([A-Z0-9-]+)</strong>",
                     client_nocsrf.get("/later").get_data(as_text=True)).group(1)
    assert code not in raw and code.replace("-", "") not in str(cookie)
    assert db.scalars(select(ShownOnce)).all() == []
    db.rollback()
    # the cookie that held the handle, sent again, shows nothing: the row is gone
    client_nocsrf.set_cookie(name, raw)
    assert code not in client_nocsrf.get("/later").get_data(as_text=True)
    db.commit()


def test_the_code_and_date_of_birth_bring_the_answers_back(
        client_nocsrf, walk_in, definition, answers, db):
    token = walk_in()
    _, code = finish_later(client_nocsrf, definition, answers, token)
    born = answers[definition.role("date_of_birth").id]
    typed = code.lower().replace("-", " ")          # case, spaces and dash do not matter
    response = client_nocsrf.post("/continue", data=dob_post(typed, born))
    assert response.status_code == 303
    new_token = response.location.rsplit("/i/", 1)[1]
    assert new_token != token
    step = client_nocsrf.get(f"/i/{new_token}/step/about").get_data(as_text=True)
    assert answers[definition.role("full_name").id] in step
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == "resume.code")).all()
    assert event.detail == {"ok": True} and event.intake_id is not None
    db.commit()
    # The code keeps working until the link expires (the patient may stop again).
    assert client_nocsrf.post("/continue", data=dob_post(code, born)).status_code == 303


def test_without_a_saved_date_of_birth_the_code_alone_is_asked(
        client_nocsrf, walk_in, definition, answers, db):
    token = walk_in()
    dob_id = definition.role("date_of_birth").id
    html, code = finish_later(client_nocsrf, definition, answers, token, **{dob_id: None})
    assert "code alone" in html
    assert client_nocsrf.post("/continue", data=dob_post(code)).status_code == 303


@pytest.mark.parametrize("case", ["wrong_dob", "no_dob", "unknown", "malformed", "expired"])
def test_a_wrong_code_is_refused_the_same_way_and_audited(
        client_nocsrf, walk_in, definition, answers, db, case):
    token = walk_in()
    _, code = finish_later(client_nocsrf, definition, answers, token)
    born = date.fromisoformat(answers[definition.role("date_of_birth").id])
    other = "".join(ALPHABET[(ALPHABET.index(c) + 1) % len(ALPHABET)] if c != "-" else c
                    for c in code)
    data = {"wrong_dob": dob_post(code, born + timedelta(days=1)), "no_dob": dob_post(code),
            "unknown": dob_post(other, born), "malformed": dob_post("0O1IL-????", born),
            "expired": dob_post(code, born)}[case]
    if case == "expired":
        intake = db.scalars(select(Intake)).one()
        intake.token_expires_at = utcnow() - timedelta(minutes=1)
        db.commit()
    response = client_nocsrf.post("/continue", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="resume-code-error"' in html and "could not find a saved questionnaire" in html
    assert 'aria-invalid="true"' in html
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == "resume.code")).all()
    assert event.detail["ok"] is False
    text = str(event.detail) + str(event.ip)
    assert code not in text and code.replace("-", "") not in text and str(born) not in text


def test_an_invited_patient_finishes_later_on_the_same_link(
        client_nocsrf, token, definition, answers, db):
    # Invited patients finish later as before: same link, no code.
    response = client_nocsrf.post(f"/i/{token}/step/about",
                                  data=about(definition, answers, "later"))
    assert response.status_code == 303 and "saved=1" in response.location
    assert stored(db, token).resume_code_hash is None


def test_empty_code_and_bad_date_are_messages_next_to_the_fields(client_nocsrf, clinic):
    html = client_nocsrf.post("/continue", data={"code": "", "dob-day": "40", "dob-month": "1",
                                                 "dob-year": "1980"}).get_data(as_text=True)
    assert 'id="resume-code-error"' in html and 'id="dob-error"' in html


def test_the_start_and_landing_pages_link_to_continue(client_nocsrf, clinic, db):
    start = issue_start_token(db, clinic)
    db.commit()
    assert 'href="/continue"' in client_nocsrf.get(f"/start/{start}").get_data(as_text=True)
    assert 'href="/continue"' in client_nocsrf.get("/").get_data(as_text=True)
    assert client_nocsrf.get("/continue").status_code == 200


def test_normalise_refuses_what_cannot_be_a_code():
    assert normalise("abcd-2345") == "ABCD2345"
    assert normalise("ABCD 2345 ") == "ABCD2345"
    assert normalise("ABCD-234") == "" and normalise("ABCD-O345") == "" and normalise("") == ""
    assert normalise("A" * 10_000) == ""


def test_finish_later_emails_the_new_link_to_the_address_typed(
        app, client_nocsrf, walk_in, definition, answers, db):
    from services.smtp import SMTPServer

    token = walk_in()
    email_id = definition.roles["email"]
    with SMTPServer("starttls") as server:
        app.config.update(server.config())
        html, _ = finish_later(client_nocsrf, definition, answers, token,
                               **{email_id: "walkin@example.org"})
    assert "sent a link to carry on to the email address" in html
    [got] = server.messages
    assert got["To"] == "walkin@example.org"
    link = re.search(r"http://localhost/i/(\S+)", got.get_payload()).group(1)
    assert link != token
    assert client_nocsrf.get(f"/i/{link}").status_code == 302


def test_without_mail_configured_nothing_is_promised(client_nocsrf, walk_in, definition,
                                                     answers):
    token = walk_in()
    html, _ = finish_later(client_nocsrf, definition, answers, token,
                           **{definition.roles["email"]: "walkin@example.org"})
    assert "email address" not in html


@pytest.mark.parametrize("limit", ["per_code", "per_address"])
def test_entering_codes_is_rate_limited_per_code_and_per_address(
        tmp_path, make_database, monkeypatch, limit):
    from intake import create_app
    from intake.config import test_config as config_for_tests
    from intake.operations.invites import get_clinic

    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "limited"))
    folder = tmp_path / "limited-db"
    folder.mkdir()
    limits = {"RESUME_CODE_LIMIT": "2 per minute", "RESUME_ADDRESS_LIMIT": "100 per minute"}
    if limit == "per_address":
        limits = {"RESUME_CODE_LIMIT": "100 per minute", "RESUME_ADDRESS_LIMIT": "3 per minute"}
    limited = create_app({**config_for_tests(folder), "DATABASE_URL": make_database("limited"),
                          "RATELIMIT_ENABLED": True, "WTF_CSRF_ENABLED": False, **limits})
    try:
        session = limited.extensions["intake_sessionmaker"]()
        get_clinic(session, create_name="Limited Clinic")
        session.commit()
        session.close()
        client = limited.test_client()
        codes = ["AAAA-2222", "AAAA-3333", "AAAA-4444", "AAAA-5555"]
        if limit == "per_code":
            codes = ["AAAA-2222"] * 3
        statuses = [client.post("/continue", data={"code": c}).status_code for c in codes]
        assert statuses[-1] == 429 and set(statuses[:-1]) == {422}
        if limit == "per_code":  # another code from the same address is still heard
            assert client.post("/continue", data={"code": "BBBB-2222"}).status_code == 422
    finally:
        limited.extensions["intake_engine"].dispose()
