"""The page check itself: it must catch a page that only fits with lucky fonts."""

from __future__ import annotations

import pytest
from browser_support import PHONE, shoot

pytestmark = pytest.mark.browser

FITS_BY_LUCK = """<!doctype html><html><body><main>
<p>Rule <code style="white-space: nowrap">dn_unable_to_consent</code> and more words that wrap</p>
</main></body></html>"""

WRAPS = """<!doctype html><html><body style="overflow-wrap: anywhere"><main>
<p>Rule <code>dn_unable_to_consent</code> and <strong>rivaroxabanxareltoxarelto</strong></p>
</main></body></html>"""


def test_a_page_that_fits_only_with_this_machines_fonts_fails(browser, tmp_path):
    page = browser.new_page(viewport=PHONE)
    try:
        page.set_content(FITS_BY_LUCK)
        # with the fonts here it fits: the old check passed it
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
        with pytest.raises(AssertionError, match="wide fonts and long words"):
            shoot(page, tmp_path, "fits-by-luck", desktop=False)
        # and the stress is undone: the page is as it was
        assert "dn_synthetic" not in page.content()
    finally:
        page.close()


def test_a_page_that_wraps_long_words_passes(browser, tmp_path):
    page = browser.new_page(viewport=PHONE)
    try:
        page.set_content(WRAPS)
        shoot(page, tmp_path, "wraps", desktop=False)
    finally:
        page.close()
