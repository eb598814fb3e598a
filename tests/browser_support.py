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


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class Watch:
    """Collects script errors and CSP reports from every page it is attached to.

    `expected_statuses`: HTTP statuses a test provokes on purpose (a form with
    mistakes), which Chromium logs as console errors.
    """

    def __init__(self, expected_statuses: tuple[int, ...] = ()) -> None:
        self.problems: list[str] = []
        self._expected = tuple(f"status of {status}" for status in expected_statuses)

    def attach(self, page) -> None:
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on("console", self._console)

    def _console(self, msg) -> None:
        if msg.type == "error" and not any(s in msg.text for s in self._expected):
            self.problems.append(f"console: {msg.text}")


def shoot(page, artifacts, name: str, *, desktop: bool = True, axe: bool = False) -> None:
    """Screenshots at phone and desktop width; no sideways scrolling on either,
    and with `axe`, no axe-core violations on either."""
    # A click that navigates returns once the new page starts: on a busy machine
    # its stylesheet may not be applied yet, and an unstyled table is wider.
    page.wait_for_load_state("load")
    for viewport in (PHONE, DESKTOP) if desktop else (PHONE,):
        page.set_viewport_size(viewport)
        width = viewport["width"]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px at {width}px"
        if axe:
            from axe_playwright_python.sync_playwright import Axe

            results = Axe().run(page)
            report = results.generate_report()
            assert results.violations_count == 0, f"{name} at {width}px: {report}"
        page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def check_page(page, artifacts, name: str, *, desktop: bool = True) -> None:
    shoot(page, artifacts, name, desktop=desktop, axe=True)
