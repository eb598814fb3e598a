"""Fixtures for staff request tests; load with ``pytest_plugins = ["staff_fixtures"]``."""

from __future__ import annotations

import pytest


@pytest.fixture
def signed_in(make_staff, auth, db, app):
    """signed_in(role) -> a client signed in with that role (CSRF off)."""
    app.config["WTF_CSRF_ENABLED"] = False

    def _as(role: str):
        auth.login(make_staff(role=role).email)
        db.rollback()
        return auth._client

    return _as


@pytest.fixture
def reader(make_staff, auth, db, app):
    """reader(language) -> a practitioner's client whose pages are in that language."""
    app.config["WTF_CSRF_ENABLED"] = False

    def _as(language: str | None):
        user = make_staff(role="practitioner")
        user.language = language
        db.commit()
        auth.login(user.email)
        db.rollback()
        return auth._client

    return _as
