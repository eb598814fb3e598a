"""Shared by the tests that run the real server (tests/test_serving_*.py)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit


def server_env(app, **extra: str) -> dict[str, str]:
    """INTAKE_* settings for a gunicorn serving the test app's database."""
    return {
        "INTAKE_SECRET_KEY": "test-secret-key-not-for-production",
        "INTAKE_ENV": "production",
        "INTAKE_DATABASE_URL": app.config["DATABASE_URL"],
        "INTAKE_ARCHIVE_DIR": app.config["ARCHIVE_DIR"],
        "INTAKE_SECURE_COOKIES": "0",
        "INTAKE_RENDER_IN_BACKGROUND": "0",
        "INTAKE_WORKERS": "2",
        "INTAKE_THREADS": "2",
        **extra,
    }


def request(base: str, method: str, path: str, headers: dict | None = None,
            body: str | None = None) -> http.client.HTTPResponse:
    """One request on its own connection, redirects not followed."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()
