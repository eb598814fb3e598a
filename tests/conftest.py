"""Shared fixtures: an app on a fresh migrated SQLite file per test, a client,
a CLI runner, and small factories for synthetic clinics and invites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intake import create_app, migrate
from intake.config import test_config


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

STAFF_PASSWORD = "staff-test-password-42"


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


class AuthActions:
    """Sign a test client in and out through the real forms (CSRF token included)."""

    def __init__(self, client):
        self._client = client

    def csrf_token(self, path: str = "/staff/login") -> str:
        import re

        page = self._client.get(path).get_data(as_text=True)
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'name="csrf_token" value="([^"]+)"', page)
        return found.group(1) if found else ""

    def login(self, email: str, password: str = STAFF_PASSWORD):
        token = self.csrf_token()
        return self._client.post("/staff/login", data={
            "email": email, "password": password, "csrf_token": token})

    def logout(self):
        token = self.csrf_token("/staff/")
        return self._client.post("/staff/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)
