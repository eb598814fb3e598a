"""Links and their edges: landing page, clinic start link (rate limited),
unknown and expired tokens, one patient never seeing another's intake, CSRF,
and nothing about the patient in the session cookie or the logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from answers import step_post
from patient_helpers import fill_steps, post_step, stored
from sqlalchemy import select

from intake import create_app
from intake.config import test_config as config_for_tests
from intake.models import Intake, utcnow
from intake.operations.invites import issue_start_token

pytest_plugins = ["patient_fixtures"]


def test_landing_page_says_to_use_the_clinic_link(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "open the link your clinic sent you" in response.get_data(as_text=True)


def test_unknown_token_gets_a_friendly_404_with_the_clinic_phone(client, clinic):
    for url in ("/i/not-a-real-token", "/i/not-a-real-token/step/about",
                "/i/not-a-real-token/review", "/i/not-a-real-token/done"):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.get_data(as_text=True)
        assert "This link does not work" in html and "555-0199" in html


def test_expired_token_gets_a_410_page_saying_to_contact_the_clinic(client_nocsrf, make_invite,
                                                                   db):
    intake, token = make_invite()
    intake.token_expires_at = utcnow() - timedelta(minutes=1)
    db.commit()
    for url in (f"/i/{token}", f"/i/{token}/step/about", f"/i/{token}/review"):
        response = client_nocsrf.get(url)
        assert response.status_code == 410, url
        html = response.get_data(as_text=True)
        assert "This link has expired" in html and "Test Clinic" in html
        assert 'href="tel:555-0199"' in html
    assert post_step(client_nocsrf, token, "about", {"about.full_name": "X"}).status_code == 410
    assert client_nocsrf.post(f"/i/{token}/submit").status_code == 410


def test_each_token_sees_only_its_own_intake(client_nocsrf, make_invite, definition, answers,
                                             db):
    _, mine = make_invite(name="Alex Example")
    _, theirs = make_invite(name="Robin Other")
    fill_steps(client_nocsrf, mine, definition, answers, until="pain")
    other = {**answers, "about.full_name": "Robin Other", "about.phone": "+1 555 0100 9999"}
    fill_steps(client_nocsrf, theirs, definition, other, until="pain")
    html = client_nocsrf.get(f"/i/{theirs}/step/about").get_data(as_text=True)
    assert "Robin Other" in html and "Alex Example" not in html
    html = client_nocsrf.get(f"/i/{mine}/review").get_data(as_text=True)
    assert "Alex Example" in html and "Robin Other" not in html
    assert stored(db, mine).answers["about.full_name"] == "Alex Example"


def test_start_link_shows_a_welcome_and_creates_a_walk_in_intake(client_nocsrf, clinic, db):
    start = issue_start_token(db, clinic)
    clinic_id = clinic.id
    db.commit()
    page = client_nocsrf.get(f"/start/{start}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Before your visit to Test Clinic" in html and ">Start</button>" in html
    assert db.scalars(select(Intake)).all() == []
    db.commit()
    response = client_nocsrf.post(f"/start/{start}")
    assert response.status_code == 303 and "/i/" in response.location
    token = response.location.rsplit("/i/", 1)[1]
    intake = stored(db, token)
    assert intake.patient_id is None and intake.clinic_id == clinic_id
    assert client_nocsrf.get(f"/i/{token}").location.endswith("/step/about")


def test_unknown_start_link_is_a_404_page(client_nocsrf, clinic):
    assert client_nocsrf.get("/start/nope").status_code == 404
    assert client_nocsrf.post("/start/nope").status_code == 404


def test_start_link_is_rate_limited(tmp_path, make_database, monkeypatch, clinic):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "limited"))
    folder = tmp_path / "limited-db"
    folder.mkdir()
    limited = create_app({
        **config_for_tests(folder), "DATABASE_URL": make_database("limited"),
        "RATELIMIT_ENABLED": True, "START_LINK_LIMIT": "2 per minute", "WTF_CSRF_ENABLED": False,
    })
    try:
        session = limited.extensions["intake_sessionmaker"]()
        from intake.operations.invites import get_clinic

        start = issue_start_token(session, get_clinic(session, create_name="Limited Clinic"))
        session.commit()
        session.close()
        client = limited.test_client()
        assert client.get(f"/start/{start}").status_code == 200
        assert client.post(f"/start/{start}").status_code == 303
        assert client.post(f"/start/{start}").status_code == 303
        refused = client.post(f"/start/{start}")
        assert refused.status_code == 429
        assert "Please wait a moment" in refused.get_data(as_text=True)
        assert client.get(f"/start/{start}").status_code == 200  # only creating is limited
    finally:
        limited.extensions["intake_engine"].dispose()


def test_a_post_without_csrf_token_is_refused_and_nothing_is_saved(client, token, definition,
                                                                    answers, db):
    assert client.application.config["WTF_CSRF_ENABLED"]
    response = post_step(client, token, "about", step_post(definition, "about", answers))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This page timed out" in html
    assert f'href="/i/{token}/step/about"' in html  # the way back, nothing lost
    assert stored(db, token).answers == {}


def test_a_post_with_the_csrf_token_from_the_page_is_accepted(client, token, definition,
                                                               answers, db):
    html = client.get(f"/i/{token}/step/about").get_data(as_text=True)
    csrf = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = step_post(definition, "about", answers)
    data.add("csrf_token", csrf)
    assert post_step(client, token, "about", data).status_code == 303
    assert stored(db, token).answers["about.full_name"] == "Alex Example"


def test_csrf_tokens_last_long_enough_for_a_long_questionnaire(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 12 * 3600


def test_no_patient_data_in_the_session_cookie_or_the_logs(app, client_nocsrf, token, definition,
                                                           answers, caplog):
    caplog.set_level(logging.DEBUG)
    fill_steps(client_nocsrf, token, definition, answers)
    client_nocsrf.get(f"/i/{token}/review")
    client_nocsrf.post(f"/i/{token}/submit")
    client_nocsrf.get(f"/i/{token}/done")
    cookie = client_nocsrf.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is not None:
        data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
        assert set(data) <= {"csrf_token"}
    for secret in ("Alex Example", "1980-04-02", "+1 555 0100 2000", "alex@example.org"):
        assert secret not in caplog.text


@pytest.mark.parametrize("path", ["/", "/i/nope"])
def test_patient_pages_are_never_cached(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"
