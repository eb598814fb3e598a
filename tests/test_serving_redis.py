"""Rate limits shared by every worker when INTAKE_RATELIMIT_STORAGE_URI names
Redis, and what happens when that Redis goes away."""

from __future__ import annotations

import os

import pytest
from services.gunicorn import Gunicorn
from services.redis import RedisServer, RedisUnavailable
from serving_helpers import FormClient, server_env

from intake import create_app
from intake.config import test_config as config_for_tests
from intake.operations.invites import get_clinic, issue_start_token


@pytest.fixture
def redis_server():
    try:
        server = RedisServer().start()
    except RedisUnavailable as exc:
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def start_link(app, db, clinic) -> str:
    start = issue_start_token(db, clinic)
    db.commit()
    return f"/start/{start}"


def _two_servers(app, tmp_path, storage: str):
    env = server_env(app, INTAKE_WORKERS="1", INTAKE_RATELIMIT_STORAGE_URI=storage,
                     INTAKE_START_LINK_LIMIT="2 per hour")
    return Gunicorn(env, tmp_path / "a"), Gunicorn(env, tmp_path / "b")


def test_two_servers_sharing_redis_count_one_limit(app, start_link, tmp_path, redis_server):
    first, second = _two_servers(app, tmp_path, redis_server.url)
    with first, second:
        patient = FormClient()
        assert patient.post_form(first.url, start_link).status == 303
        assert patient.post_form(second.url, start_link).status == 303
        # The third walk-in from the same address is refused by either server.
        assert patient.post_form(first.url, start_link).status == 429
        assert patient.post_form(second.url, start_link).status == 429


def test_without_redis_each_process_counts_alone(app, start_link, tmp_path):
    """The reason for Redis: in-memory limits are per worker process."""
    first, second = _two_servers(app, tmp_path, "memory://")
    with first, second:
        patient = FormClient()
        for _ in range(2):
            assert patient.post_form(first.url, start_link).status == 303
        assert patient.post_form(first.url, start_link).status == 429
        assert patient.post_form(second.url, start_link).status == 303


def test_a_killed_redis_falls_back_to_memory_not_to_errors(tmp_path, make_database,
                                                          monkeypatch, redis_server):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    limited = create_app({
        **config_for_tests(tmp_path), "DATABASE_URL": make_database("limited"),
        "RATELIMIT_ENABLED": True, "WTF_CSRF_ENABLED": False,
        "START_LINK_LIMIT": "2 per hour", "RATELIMIT_STORAGE_URI": redis_server.url,
    })
    try:
        session = limited.extensions["intake_sessionmaker"]()
        path = f"/start/{issue_start_token(session, get_clinic(session, create_name='C'))}"
        session.commit()
        session.close()
        client = limited.test_client()
        assert client.post(path).status_code == 303  # counted in Redis
        redis_server.kill()
        statuses = [client.post(path).status_code for _ in range(3)]
        assert 500 not in statuses
        assert statuses[:2] == [303, 303]  # a fresh count in this worker's memory
        assert statuses[2] == 429          # that still limits
    finally:
        limited.extensions["intake_engine"].dispose()
