"""Behind an HTTPS proxy: whom the app believes about the client's address and
scheme (INTAKE_TRUSTED_PROXIES), and what follows for rate limits and HSTS."""

from __future__ import annotations

import logging

import pytest

from intake import create_app
from intake.config import ConfigError, load_config
from intake.config import test_config as config_for_tests
from intake.operations.invites import get_clinic, issue_start_token

HSTS = "Strict-Transport-Security"


@pytest.fixture
def make_app(tmp_path, make_database, monkeypatch):
    """make_app(**config) -> (app, start link path), a fresh database each."""
    made = []

    def _make(**config):
        folder = tmp_path / f"app{len(made)}"
        folder.mkdir()
        monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(folder / "instance"))
        app = create_app({**config_for_tests(folder), "DATABASE_URL": make_database(folder.name),
                          "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": True, "START_LINK_LIMIT": "2 per minute",
                          **config})
        made.append(app)
        session = app.extensions["intake_sessionmaker"]()
        start = issue_start_token(session, get_clinic(session, create_name="Proxy Clinic"))
        session.commit()
        session.close()
        return app, f"/start/{start}"

    yield _make
    for app in made:
        app.extensions["intake_engine"].dispose()


def _start(client, path: str, forwarded_for: str | None = None, **headers) -> int:
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    return client.post(path, headers=headers).status_code


def test_by_default_a_forged_forwarded_for_does_not_change_the_rate_limit_key(make_app):
    app, path = make_app()
    assert app.config["TRUSTED_PROXIES"] == 0
    client = app.test_client()
    assert _start(client, path, "203.0.113.1") == 303
    assert _start(client, path, "203.0.113.2") == 303
    # A new made-up address each time does not buy a new bucket.
    assert _start(client, path, "203.0.113.3") == 429


def test_with_one_trusted_proxy_each_client_has_its_own_limit(make_app):
    app, path = make_app(TRUSTED_PROXIES=1)
    client = app.test_client()  # every request comes from the proxy, 127.0.0.1
    for _ in range(2):
        assert _start(client, path, "203.0.113.1") == 303
    assert _start(client, path, "203.0.113.1") == 429
    # Another patient behind the same proxy is not held up by the first.
    assert _start(client, path, "203.0.113.2") == 303
    # What the client itself put in front of the proxy's entry is not believed.
    assert _start(client, path, "198.51.100.7, 203.0.113.1") == 429


def test_the_client_address_reaches_the_sign_in_audit(make_app):
    from sqlalchemy import select

    from intake.models import AuditEvent

    app, _ = make_app(TRUSTED_PROXIES=1)
    client = app.test_client()
    client.post("/staff/login", data={"email": "nobody@example.org", "password": "wrong"},
                headers={"X-Forwarded-For": "203.0.113.44"})
    session = app.extensions["intake_sessionmaker"]()
    try:
        ips = session.scalars(select(AuditEvent.ip)).all()
        assert ips and set(ips) == {"203.0.113.44"}
    finally:
        session.close()


def test_hsts_is_sent_when_the_trusted_proxy_says_https(make_app):
    app, _ = make_app(TRUSTED_PROXIES=1)
    client = app.test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https",
                                        "X-Forwarded-For": "203.0.113.1"})
    assert response.headers[HSTS].startswith("max-age=")
    assert HSTS not in client.get("/").headers  # the proxy did not say https


def test_an_untrusted_forwarded_proto_does_not_turn_on_hsts(make_app):
    app, _ = make_app()
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert HSTS not in response.headers


def test_secure_cookies_are_set_behind_an_https_proxy(make_app):
    app, path = make_app(TRUSTED_PROXIES=1, SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=True)
    response = app.test_client().get(path, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_forwarded_for_without_trusted_proxies_is_reported_once(make_app, caplog):
    app, _ = make_app()
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="intake.proxy"):
        client.get("/", headers={"X-Forwarded-For": "203.0.113.1"})
        client.get("/", headers={"X-Forwarded-For": "203.0.113.2"})
    warnings = [r for r in caplog.records if "INTAKE_TRUSTED_PROXIES" in r.getMessage()]
    assert len(warnings) == 1
    assert "203.0.113" not in caplog.text  # no client address in the log


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_bad_trusted_proxies_setting_is_a_start_up_error(tmp_path, monkeypatch, value):
    monkeypatch.setenv("INTAKE_TRUSTED_PROXIES", value)
    with pytest.raises(ConfigError, match="INTAKE_TRUSTED_PROXIES"):
        load_config(str(tmp_path), require_secret=False)


def test_trusted_proxies_is_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_TRUSTED_PROXIES", "2")
    assert load_config(str(tmp_path), require_secret=False)["TRUSTED_PROXIES"] == 2
