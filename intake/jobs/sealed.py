"""Seal a patient's link before it waits in the queue.

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


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"intake job queue v1\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret_key: str, text: str) -> str:
    return _fernet(secret_key).encrypt(text.encode()).decode("ascii")


def unseal(secret_key: str, sealed: str) -> str:
    return _fernet(secret_key).decrypt(sealed.encode("ascii")).decode()
