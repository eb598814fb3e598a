"""Seal a secret kept where it should not sit readable: a patient's link
while it waits in the queue, a staff member's two-factor key in its row.

The queue's storage (a SQLite file, or a Redis server several machines
share) is not where credentials should sit readable: the link is encrypted
with a key derived from SECRET_KEY (Fernet: AES with an HMAC), and only a
process holding the key can open it to send the email.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

__all__ = ["InvalidToken", "seal", "unseal"]


QUEUE = "intake job queue v1"


def _fernet(secret_key: str, purpose: str) -> Fernet:
    """A key for one purpose: text sealed for one cannot be opened as another."""
    digest = hashlib.sha256(purpose.encode() + b"\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret_key: str, text: str, *, purpose: str = QUEUE) -> str:
    return _fernet(secret_key, purpose).encrypt(text.encode()).decode("ascii")


def unseal(secret_key: str, sealed: str, *, purpose: str = QUEUE) -> str:
    return _fernet(secret_key, purpose).decrypt(sealed.encode("ascii")).decode()
