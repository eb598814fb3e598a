"""Time-based one-time passwords (RFC 6238) and recovery codes, without the database.

- Secrets are 160 random bits in base32 (pyotp), sealed for storage with a
  key derived from SECRET_KEY (Fernet: AES with an HMAC). Changing SECRET_KEY
  makes every sealed secret unreadable: each person then needs an admin's
  reset and enrols again.
- A code is accepted for the current 30-second step or one step either side
  (a phone clock a little off); `matching_step` says which step it matched so
  the caller can refuse that step, or an older one, next time (no replay).
- Recovery codes are 10 characters without look-alikes (about 50 bits), shown
  as two groups of five; typing them with spaces, dashes or capitals is fine.
"""

from __future__ import annotations

import hmac
import re
import secrets

import pyotp

from intake import sealed
from intake.sealed import InvalidToken

__all__ = ["InvalidToken", "matching_step", "new_recovery_code", "new_secret",
           "normalise_code", "normalise_recovery_code", "provisioning_uri", "seal", "unseal"]

SEAL_PURPOSE = "intake two-factor v1"
DIGITS = 6
INTERVAL = 30
DRIFT_STEPS = 1
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
_NOT_CODE = re.compile(r"[\s-]+")


def new_secret() -> str:
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=account, issuer_name=issuer)


def normalise_code(typed: str) -> str | None:
    """Six digits, spaces allowed ("123 456"); None for anything else."""
    code = _NOT_CODE.sub("", typed or "")
    return code if len(code) == DIGITS and code.isascii() and code.isdigit() else None


def matching_step(secret: str, typed: str, *, now: float) -> int | None:
    """The time step whose code is `typed`, within the drift window; else None.

    Every step of the window is compared in constant time, so the answer's
    timing does not say which step (if any) matched.
    """
    code = normalise_code(typed)
    if code is None:
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    current = totp.timecode(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    return found


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_recovery_code(typed: str) -> str | None:
    """The code's characters only, lower-cased; None if it cannot be a code."""
    code = _NOT_CODE.sub("", (typed or "")[:64]).lower()
    if len(code) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in code):
        return None
    return code


def seal(secret_key: str, secret: str) -> str:
    return sealed.seal(secret_key, secret, purpose=SEAL_PURPOSE)


def unseal(secret_key: str, sealed_secret: str) -> str:
    """The secret; raises InvalidToken if SECRET_KEY changed or the row was altered."""
    return sealed.unseal(secret_key, sealed_secret, purpose=SEAL_PURPOSE)
