"""Helpers for the two-factor tests: enrol an account, make its codes at a time."""

from __future__ import annotations

import re

import pyotp

from intake.operations import twofactor

#: The tests' fixed "now" for the server's TOTP clock (intake.staff.second_factor.now).
T0 = 1_800_000_000.0


def enrol(db, user, key: str, *, at: float = T0 - 3600) -> tuple[str, list[str]]:
    """Enrol `user` (committed) with a code from `at` (an hour before T0 by default,
    so T0's code is still unused); returns the secret and the recovery codes."""
    secret = twofactor.pending_secret(db, user, key=key)
    codes = twofactor.confirm(db, user, pyotp.TOTP(secret).at(at), key=key, now=at)
    assert codes is not None
    db.commit()
    return secret, codes


def code_at(secret: str, when: float = T0) -> str:
    return pyotp.TOTP(secret).at(when)


def shown_secret(page: str) -> str:
    """The key shown as text on the set-up page, without its spaces."""
    return re.search(r'id="secret">([A-Z2-7 ]+)<', page)[1].replace(" ", "")


def shown_codes(page: str) -> list[str]:
    block = re.search(r'id="recovery-codes">(.*?)</ul>', page, re.S)[1]
    return re.findall(r"<li>([a-z0-9-]+)</li>", block)
