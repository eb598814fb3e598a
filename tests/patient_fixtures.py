"""Fixtures for the patient request tests; load with
``pytest_plugins = ["patient_fixtures"]`` (helpers are in patient_helpers)."""

from __future__ import annotations

from typing import Any

import pytest
from answers import valid_answers

from intake.questionnaire import load_definition


@pytest.fixture
def definition():
    return load_definition()


@pytest.fixture
def client_nocsrf(app, client):
    """The test client with CSRF checks off (for tests that are not about CSRF)."""
    app.config["WTF_CSRF_ENABLED"] = False
    return client


@pytest.fixture
def token(make_invite) -> str:
    _, token = make_invite(name="Alex Example")
    return token


@pytest.fixture
def answers(definition) -> dict[str, Any]:
    return valid_answers(definition)
