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


#: Text wider than any machine's fonts make it, and a long unbroken word (a
#: rule id, a drug name, an email) at the end of every piece of text in the
#: page's main content: a page that only fits with the fonts this machine
#: happens to have, or with today's words, fails here too. Set through the
#: DOM and the CSSOM, which the pages' Content-Security-Policy allows.
_STRESS = """(on) => {
  const LONG = ' dn_synthetic_rule_id_with_no_break_points_anywhere_x';
  for (const el of document.querySelectorAll('body, body *')) {
    for (const [prop, value] of [['font-family', 'monospace'], ['letter-spacing', '.12em']]) {
      if (on) el.style.setProperty(prop, value, 'important'); else el.style.removeProperty(prop);
    }
  }
  const main = document.querySelector('main') || document.body;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    if (node.parentElement.closest('script, style, svg, option, select, textarea')) continue;
    if (on && node.data.trim()) node.data += LONG;
    else if (!on && node.data.endsWith(LONG)) node.data = node.data.slice(0, -LONG.length);
  }
}"""
_OVERFLOW = """() => {
  if (!document.documentElement || document.readyState !== 'complete') return null;
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !el.closest('[hidden]'))
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                     + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
  return [document.documentElement.scrollWidth - width, wide];
}"""


def sideways(page) -> tuple[int, list[str]]:
    """How far the page scrolls sideways, and the innermost elements that stick out.

    Measured on a fully loaded page: after a click, the next document may
    still be arriving (no element yet, or no stylesheet), which on a busy
    machine made the check read nothing or an unstyled page.
    """
    for _ in range(50):
        page.wait_for_load_state("load")
        try:
            found = page.evaluate(_OVERFLOW)
        except Exception as exc:  # the page navigated away mid-measurement
            if "context was destroyed" not in str(exc) and "null" not in str(exc):
                raise
            found = None
        if found is not None:
            overflow, wide = found
            return overflow, wide
        page.wait_for_timeout(100)
    raise AssertionError("the page never finished loading")


def _assert_fits(page, name: str, width: int, fonts: str) -> None:
    overflow, wide = sideways(page)
    assert overflow <= 0, (f"{name}: the page scrolls sideways by {overflow}px at {width}px "
                           f"with {fonts}: {wide}")


def shoot(page, artifacts, name: str, *, desktop: bool = True, axe: bool = False) -> None:
    """Screenshots at phone and desktop width; no sideways scrolling on either,
    also at the phone width with wide fonts and long unbroken words, and with
    `axe`, no axe-core violations on either."""
    for viewport in (PHONE, DESKTOP) if desktop else (PHONE,):
        page.set_viewport_size(viewport)
        width = viewport["width"]
        _assert_fits(page, name, width, "this machine's fonts")
        if viewport is PHONE:
            page.evaluate(_STRESS, True)
            try:
                _assert_fits(page, name, width, "wide fonts and long words")
            finally:
                page.evaluate(_STRESS, False)
        if axe:
            from axe_playwright_python.sync_playwright import Axe

            results = Axe().run(page)
            report = results.generate_report()
            assert results.violations_count == 0, f"{name} at {width}px: {report}"
        page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def check_page(page, artifacts, name: str, *, desktop: bool = True) -> None:
    shoot(page, artifacts, name, desktop=desktop, axe=True)


def invite_token(live_app, *, clinic_name: str, name: str, phone: str = "555 0199") -> str:
    """A committed invite at the live app's clinic; its link's token."""
    from intake.operations.invites import create_invite, get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name=clinic_name)
        clinic.phone = phone
        _, token = create_invite(session, clinic, name=name, days=14)
        session.commit()
        session.close()
    return token
