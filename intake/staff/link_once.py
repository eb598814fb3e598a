"""Showing a new patient link once without keeping it in the session cookie.

Flask's session cookie is signed, not encrypted: anything in it can be read
by whoever holds the cookie (a shared desk computer, a proxy log, a browser
extension). So the page after "create invite" gets the link by
re-derivation: the token is HMAC(SECRET_KEY, nonce) for a random nonce, only
the nonce goes into the cookie, and the next GET derives the token again.
The nonce alone opens nothing; the link is shown only while it is still the
intake's current link and for a few minutes, and the nonce is taken out of
the cookie when it is shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app, session

from intake.models import Intake, hash_token, utcnow

SESSION_KEY = "staff_new_link"
SHOW_FOR = timedelta(minutes=10)
_PURPOSE = b"intake-staff-shown-link\x00"


def new_token() -> tuple[str, str]:
    """A fresh (nonce, token) pair: the token is as random as intake.models.new_token."""
    nonce = secrets.token_urlsafe(24)
    return nonce, _derive(nonce)


def _derive(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, _PURPOSE + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def remember(intake_id: int, nonce: str | None, *, emailed: bool) -> None:
    """For the next page: which intake, the nonce (None: the link is not to be
    shown, only the email outcome), and whether an email was queued."""
    session[SESSION_KEY] = {"intake_id": intake_id, "nonce": nonce, "emailed": emailed,
                            "at": utcnow().isoformat()}


def take(intake: Intake) -> tuple[str | None, dict | None]:
    """(token or None, the pending record) for this intake, removed from the session."""
    pending = session.get(SESSION_KEY) or {}
    if pending.get("intake_id") != intake.id:
        return None, None
    session.pop(SESSION_KEY, None)
    token = None
    nonce = pending.get("nonce")
    fresh = utcnow() - datetime.fromisoformat(pending["at"]) <= SHOW_FOR
    if nonce and fresh:
        candidate = _derive(nonce)
        if hmac.compare_digest(hash_token(candidate), intake.token_hash):
            token = candidate
    return token, pending
