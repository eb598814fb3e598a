"""Helpers for the two-factor tests: enrol an account, make its codes at a time,
post a page's form, read the audit; fixtures `clock` and `key`."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pyotp
import pytest
from staff_helpers import AuthActions

from intake.models import AuditEvent
from intake.operations import twofactor
from intake.staff import second_factor

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


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch):
    """The server's TOTP clock, fixed at T0; tests move it with clock[0] += ..."""
    now = [T0]
    monkeypatch.setattr(second_factor, "now", lambda: now[0])
    return now


@pytest.fixture(name="key")
def key_fixture(app) -> str:
    """The app's SECRET_KEY, which seals the two-factor secrets."""
    return app.config["SECRET_KEY"]


def post(client, path: str, *, token_from: str | None = None,
         token_name: str = "csrf_token", **data):  # noqa: S107  (a field name)
    """A POST with the CSRF token of the page at `path` (or at `token_from`, for a
    form whose page is elsewhere), sent as `token_name` (a prefixed form's is
    "<prefix>-csrf_token")."""
    token = AuthActions(client).csrf_token(token_from or path)
    return client.post(path, data={**data, token_name: token})


def events(db, action: str) -> list[SimpleNamespace]:
    """The audit events of `action`, as plain values; ends the session's transaction
    (on SQLite it holds the write lock the next request needs)."""
    db.expire_all()
    rows = [SimpleNamespace(actor_id=e.actor_id, detail=dict(e.detail or {}))
            for e in db.query(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)]
    db.rollback()
    return rows


def require(db, required: bool = True) -> None:
    from intake.operations.invites import get_clinic

    get_clinic(db, create_name="Test Clinic").require_two_factor = required
    db.commit()


def signed_in(app, email: str, secret: str | None = None, when: float = T0):
    """A new browser signed in as `email` (with the code of `when`, if enrolled)."""
    browser = app.test_client()
    AuthActions(browser).login(email)
    if secret is not None:
        assert post(browser, "/staff/login/code", code=code_at(secret, when)).status_code == 302
    assert browser.get("/staff/").status_code == 200
    return browser


def still_enrolled(db, user_id: int) -> bool:
    db.expire_all()
    enrolled = twofactor.confirmed_id(db, user_id) is not None
    db.rollback()
    return enrolled
