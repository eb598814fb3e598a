"""Shared fixtures: an app on a fresh migrated SQLite file per test, a client,
a CLI runner, and small factories for synthetic clinics and invites."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from intake import create_app, migrate
from intake.config import test_config

# The YAML parse cache (intake/datafiles.py) stays out of the tester's home;
# tests of the cache point it at a temporary directory themselves.
os.environ.setdefault("INTAKE_CACHE_DIR", "")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """One database migrated to head; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def app(tmp_path, migrated_template, monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    shutil.copy(migrated_template, tmp_path / "test.sqlite3")
    app = create_app(test_config(tmp_path))
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
