"""Shared fixtures: an app on a fresh migrated database per test, a client,
a CLI runner, and small factories for synthetic clinics and invites.

The database is a SQLite file unless INTAKE_TEST_DATABASE_URL names a
PostgreSQL server (`make test-postgres` starts one): then each test gets its
own database there, copied from a migrated template.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import SharedApp, app_config
from database_support import SqliteTemplate, make_template

from intake import create_app

# The YAML parse cache (intake/datafiles.py) stays out of the tester's home;
# tests of the cache point it at a temporary directory themselves.
os.environ.setdefault("INTAKE_CACHE_DIR", "")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """One database migrated to head; each test gets a copy of it."""
    template = make_template(tmp_path_factory.mktemp("template"))
    yield template
    template.close()


@pytest.fixture(scope="session")
def migrated_template(database_template, tmp_path_factory) -> Path:
    """Kept for tests written before PostgreSQL: a migrated SQLite file to copy.
    New tests use make_database(), which gives the run's kind of database."""
    if isinstance(database_template, SqliteTemplate):
        return database_template.path
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template")).path


@pytest.fixture
def make_database(database_template, tmp_path):
    """make_database(name="test", empty=False) -> URL of a fresh database, migrated to
    head unless `empty`, dropped after the test."""
    made: list[str] = []

    def _make(name: str = "test", *, empty: bool = False) -> str:
        made.append(database_template.copy(tmp_path, name, empty=empty))
        return made[-1]

    yield _make
    for url in made:
        database_template.drop(url)


@pytest.fixture
def database_url(make_database) -> str:
    """The test's database (tmp_path/test.sqlite3 on SQLite)."""
    return make_database()


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory) -> Iterator[SharedApp]:
    """Holder of the app most request tests share (tests/app_helpers.py)."""
    holder = {"shared": None}

    def get() -> SharedApp:
        if holder["shared"] is None:
            holder["shared"] = SharedApp.build(tmp_path_factory.mktemp("shared-app"))
        return holder["shared"]

    def discard() -> None:
        holder["shared"] = None

    get.discard = discard
    yield get


@pytest.fixture
def app(request, tmp_path, database_url, monkeypatch, shared_app):
    """The app on the test's own database, archive and queue. Shared between
    tests where a fresh app would be configured the same (see app_helpers.py);
    `@pytest.mark.fresh_app` asks for one of the test's own."""
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    shared = shared_app()
    if request.node.get_closest_marker("fresh_app") or not shared.fits(tmp_path, database_url):
        app = create_app(app_config(tmp_path, database_url))
        yield app
        app.extensions["intake_engine"].dispose()
        return
    yield shared.bind(tmp_path, database_url)
    problems = shared.release()
    if problems:
        shared_app.discard()
        pytest.fail("; ".join(problems), pytrace=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A session for arranging and checking data outside requests."""
    session = app.extensions["intake_sessionmaker"]()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def clinic(db):
    from intake.operations.invites import get_clinic

    clinic = get_clinic(db, create_name="Test Clinic")
    clinic.phone = "555-0199"
    db.commit()
    return clinic


@pytest.fixture
def make_invite(db, clinic):
    """make_invite(name=..., days=..., **kw) -> (intake, token), committed."""
    from intake.operations.invites import create_invite

    def _make(name: str = "Alex Example", days: int = 14, **kw):
        intake, token = create_invite(db, clinic, name=name, days=days, **kw)
        db.commit()
        return intake, token

    return _make


# --- Staff accounts (the staff area's fixtures) -------------------------------

from staff_helpers import STAFF_PASSWORD, AuthActions  # noqa: E402


@pytest.fixture
def make_staff(db):
    """make_staff(role="practitioner", email=..., password=...) -> StaffUser, committed."""
    from intake.operations.accounts import create_user

    counter = iter(range(1, 10_000))

    def _make(role: str = "practitioner", email: str | None = None,
              password: str = STAFF_PASSWORD, name: str = "", **kw):
        email = email or f"{role}{next(counter)}@example.org"
        user = create_user(db, email=email, role=role, password=password,
                           name=name or role.replace("_", " ").title(), **kw)
        db.commit()
        return user

    return _make


@pytest.fixture
def auth(client):
    return AuthActions(client)
