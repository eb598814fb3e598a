"""Browser tests: Debian's Chromium driven by Playwright against a live server.

The server is the real app (CSRF on, a fresh migrated database) served by
werkzeug in a thread on a free port. Chromium is never downloaded: it must be
/usr/bin/chromium. Locally a missing browser skips these tests with the
reason; in CI (CI=true) it fails them, so a broken image cannot pass quietly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM_ARGS, require_chromium
from werkzeug.serving import make_server

from intake import create_app
from intake.config import test_config

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return require_chromium()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**test_config(tmp_path), "DATABASE_URL": database_url,
                      "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["intake_engine"].dispose()


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
