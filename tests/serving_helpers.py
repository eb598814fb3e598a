"""Shared by the tests that run the real server (tests/test_serving_*.py)."""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


def server_env(app, **extra: str) -> dict[str, str]:
    """INTAKE_* settings for a gunicorn serving the test app's database."""
    return {
        "INTAKE_SECRET_KEY": "test-secret-key-not-for-production",
        "INTAKE_AUDIT_KEY": app.config["AUDIT_KEY"],
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
        response.text = response.read().decode("utf-8", "replace")
        return response
    finally:
        conn.close()


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class FormClient:
    """A browser in miniature for a real server: keeps the session cookie and
    posts forms with the CSRF token read from the page."""

    def __init__(self) -> None:
        self.cookies = SimpleCookie()

    def _headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        return headers

    def _keep(self, response) -> None:
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)

    def get(self, base: str, path: str):
        response = request(base, "GET", path, headers=self._headers())
        self._keep(response)
        return response

    def post_form(self, base: str, path: str, fields: dict | None = None):
        """GET the page, then POST its form with the token and `fields`."""
        page = self.get(base, path)
        found = CSRF_FIELD.search(page.text)
        assert found, f"no CSRF token on {path} ({page.status})"
        body = urlencode({"csrf_token": found.group(1), **(fields or {})})
        response = request(base, "POST", path, body=body, headers=self._headers(
            {"Content-Type": "application/x-www-form-urlencoded"}))
        self._keep(response)
        return response
