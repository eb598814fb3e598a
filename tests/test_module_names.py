"""Test modules have unique names: pytest (rootdir-relative imports, no
__init__.py) refuses to collect two modules of one basename, and the whole
run then errors although each passes alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_two_test_modules_share_a_name():
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
