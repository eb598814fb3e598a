"""The browser tests' Chromium check: skip locally, fail in CI."""

from __future__ import annotations

import pytest
from browser_support import require_chromium


def test_missing_chromium_fails_in_ci(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="missing"):
        require_chromium(str(tmp_path / "chromium"), {"CI": "true"})


def test_missing_chromium_skips_locally(tmp_path):
    with pytest.raises(pytest.skip.Exception, match="missing"):
        require_chromium(str(tmp_path / "chromium"), {})


def test_present_chromium_is_used(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("")
    assert require_chromium(str(browser), {"CI": "true"}) == str(browser)
