"""The shipped gunicorn.conf.py, run for real: settings, start-up errors, and an
access log that never holds a patient's link token."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys

import pytest
from services.gunicorn import CONFIG, ROOT, Gunicorn
from serving_helpers import request, server_env

from intake.config import ConfigError


def _settings(monkeypatch, **env: str) -> dict:
    for name in ("INTAKE_WORKERS", "INTAKE_THREADS", "WEB_CONCURRENCY", "INTAKE_BIND",
                 "INTAKE_ACCESS_LOG", "INTAKE_WORKER_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_are_two_threaded_workers_on_loopback(monkeypatch):
    from gunicorn.config import Config

    settings = _settings(monkeypatch)
    assert settings["bind"] == ["127.0.0.1:8000"]
    assert (settings["workers"], settings["threads"]) == (2, 4)
    assert settings["worker_class"] == "gthread"
    assert settings["preload_app"] is False
    assert settings["accesslog"] == "-"
    config = Config()  # every value passes gunicorn's own validation
    for name, value in settings.items():
        if name in config.settings:
            config.set(name, value)
    assert config.forwarded_allow_ips == []
    assert config.logger_class.__name__ == "RedactingLogger"


def test_environment_changes_the_settings(monkeypatch):
    settings = _settings(monkeypatch, INTAKE_WORKERS="5", INTAKE_THREADS="8",
                         INTAKE_BIND="0.0.0.0:9000", INTAKE_ACCESS_LOG="off",
                         INTAKE_WORKER_TIMEOUT_SECONDS="60")
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (5, 8, 60)
    assert settings["bind"] == ["0.0.0.0:9000"]
    assert settings["accesslog"] is None
    assert _settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3


@pytest.mark.parametrize("value", ["two", "0", "-1", "1.5"])
def test_a_bad_worker_count_names_the_setting(monkeypatch, value):
    with pytest.raises(ConfigError, match="INTAKE_WORKERS must be a whole number of at least 1"):
        _settings(monkeypatch, INTAKE_WORKERS=value)


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "INTAKE_SECRET_KEY"}
    env.update(INTAKE_ENV="production", INTAKE_INSTANCE_PATH=str(tmp_path),
               INTAKE_BIND="127.0.0.1:0")
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(CONFIG)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "INTAKE_SECRET_KEY is not set" in result.stdout + result.stderr


def test_the_access_log_shows_patient_paths_without_their_token(app, make_invite, tmp_path):
    _, token = make_invite()
    with Gunicorn(server_env(app), tmp_path / "server") as server:
        first = request(server.url, "GET", f"/i/{token}")
        assert first.status == 200  # a fresh link: the language choice
        page = request(server.url, "GET", f"/i/{token}/step/about",
                       headers={"Referer": f"https://clinic.example/i/{token}"})
        assert page.status == 200
        assert request(server.url, "GET", "/i/not-a-real-token-at-all").status == 404
        lines = server.access_lines(expected=4)  # the start-up check, then ours
    text = "\n".join(lines)
    assert token not in text
    assert "not-a-real-token-at-all" not in text
    assert any('"GET /i/[token] HTTP/1.1" 200' in line for line in lines), text
    assert any('"GET /i/[token]/step/about HTTP/1.1" 200' in line
               and '"https://clinic.example/i/[token]"' in line for line in lines), text


def test_gunicorns_error_log_is_redacted_too():
    """A request that breaks inside gunicorn is logged with its URI."""
    import logging

    from gunicorn.config import Config

    from intake.serving import RedactingLogger

    config = Config()
    logger = RedactingLogger(config)
    logger.setup(config)  # a configuration reload must not stack filters
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.error_log.addHandler(handler)
    try:
        logger.error("Error handling request %s", "/i/AbCdEfGhIjKlMnOpQrStUv/step/about")
    finally:
        logger.error_log.removeHandler(handler)
    assert lines == ["Error handling request /i/[token]/step/about"]
    assert len(logger.error_log.filters) == 1
