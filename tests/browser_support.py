"""Finding Debian's Chromium for the browser tests (never downloaded).

Locally a missing browser skips the browser tests with the reason; in CI
(CI=true) it fails them, so a broken image cannot pass quietly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def require_chromium(path: str = CHROMIUM, environ: Mapping[str, str] = os.environ) -> str:
    if os.path.exists(path):
        return path
    message = f"{path} is missing (install Debian's chromium: make browser)"
    if environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
