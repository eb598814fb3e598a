"""Shared fixtures: an app on a fresh migrated database per test, a client,
a CLI runner, and small factories for synthetic clinics and invites.

The database is a SQLite file unless INTAKE_TEST_DATABASE_URL names a
PostgreSQL server (`make test-postgres` starts one): then each test gets its
own database there, copied from a migrated template.
"""

from __future__ import annotations

import pytest
from database_support import make_template

from intake import create_app
from intake.config import test_config


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """One database migrated to head; each test gets a copy of it."""
    template = make_template(tmp_path_factory.mktemp("template"))
    yield template
    template.close()


@pytest.fixture
def make_database(database_template, tmp_path):
    """make_database(name="test") -> URL of a fresh migrated database, dropped after the test."""
    made: list[str] = []

    def _make(name: str = "test") -> str:
        made.append(database_template.copy(tmp_path, name))
        return made[-1]

    yield _make
    for url in made:
        database_template.drop(url)


@pytest.fixture
def database_url(make_database) -> str:
    """The test's database (tmp_path/test.sqlite3 on SQLite)."""
    return make_database()


@pytest.fixture
def app(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**test_config(tmp_path), "DATABASE_URL": database_url})
    yield app
    app.extensions["intake_engine"].dispose()


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
