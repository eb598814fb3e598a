"""The app the request tests share (tests/app_helpers.py): each test sees what a
fresh app would have given it, and nothing a previous test left behind."""

from __future__ import annotations

import pytest
from app_helpers import FRESH_ENV, SharedApp
from sqlalchemy import text

from intake.documents.storage import archive_for
from intake.jobs import jobs_for


@pytest.fixture
def shared(tmp_path):
    return SharedApp.build(tmp_path / "shared")


def _bind(shared, tmp_path, make_database, name):
    folder = tmp_path / name
    folder.mkdir()
    return shared.bind(folder, make_database(name)), folder


def _clinics(app) -> list[str]:
    with app.extensions["intake_sessionmaker"]() as session:
        return list(session.execute(text("SELECT name FROM clinics")).scalars())


def test_each_binding_has_its_own_database_folders_config_and_queue(shared, tmp_path,
                                                                    make_database):
    app, first = _bind(shared, tmp_path, make_database, "first")
    assert app.config["ARCHIVE_DIR"] == str(first / "archive")
    assert app.config["QUEUE_URL"] == f"sqlite:///{first / 'instance' / 'queue.sqlite3'}"
    with app.extensions["intake_sessionmaker"].begin() as session:
        session.execute(text("INSERT INTO clinics (name, created_at) "
                             "VALUES ('Left behind', CURRENT_TIMESTAMP)"))
    app.config["WTF_CSRF_ENABLED"] = False
    archive = archive_for(app)
    huey = jobs_for(app).huey
    huey.immediate = False  # as a test of the queue does: now on the test's queue file
    assert huey.storage_kwargs["filename"] == str(first / "instance" / "queue.sqlite3")
    assert shared.release() == []

    again, second = _bind(shared, tmp_path, make_database, "second")
    assert again is app
    assert _clinics(app) == []
    assert "WTF_CSRF_ENABLED" not in app.config or app.config["WTF_CSRF_ENABLED"]
    assert app.config["ARCHIVE_DIR"] == str(second / "archive")
    assert archive_for(app) is not archive
    assert huey.immediate and huey.storage.__class__.__name__ == "MemoryStorage"
    assert huey.scheduled() == [] and huey.pending_count() == 0
    assert shared.release() == []


def test_a_request_on_the_shared_app_uses_the_bound_database(shared, tmp_path, make_database):
    app, _ = _bind(shared, tmp_path, make_database, "first")
    assert app.test_client().get("/staff/login").status_code == 200
    assert shared.release() == []


def test_a_test_that_adds_a_view_is_told_to_ask_for_its_own_app(shared, tmp_path,
                                                                make_database):
    app, _ = _bind(shared, tmp_path, make_database, "first")
    app.add_url_rule("/extra", "extra", lambda: "extra")
    (problem,) = shared.release()
    assert "view functions" in problem and "extra" in problem
    assert "@pytest.mark.fresh_app" in problem


def test_a_different_environment_or_rate_limits_get_a_fresh_app(shared, tmp_path,
                                                                make_database, monkeypatch):
    monkeypatch.delenv(FRESH_ENV, raising=False)
    url = make_database("first")
    assert shared.fits(tmp_path, url)
    monkeypatch.setenv("INTAKE_TIMEZONE", "Asia/Tokyo")
    assert not shared.fits(tmp_path, url)
    monkeypatch.delenv("INTAKE_TIMEZONE")
    monkeypatch.setenv(FRESH_ENV, "1")
    assert not shared.fits(tmp_path, url)
    monkeypatch.delenv(FRESH_ENV)
    monkeypatch.setenv("INTAKE_TIMEZONE", "Not/A_Zone")
    assert not shared.fits(tmp_path, url)  # a fresh app reports the bad setting


@pytest.mark.fresh_app
def test_the_mark_gives_a_test_an_app_of_its_own(app, request):
    other = request.getfixturevalue("shared_app")()
    assert app is not other.app
