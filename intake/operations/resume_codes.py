"""A walk-in's way back: a short resume code, asked for with the date of birth.

A walk-in has no invite email, and on a shared clinic tablet the browser must
not keep their link. So when a walk-in finishes later their link is replaced
(the old one in the browser's history stops working) and they are shown, once,
a code of 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U),
grouped as ``ABCD-EFGH``: about 39 bits. Only a keyed hash (HMAC with the
secret key) is stored, so a copy of the database alone does not let anyone
try codes offline. The code works until the intake's link expires; finishing
later again replaces it. Entering it is rate limited by address and by code
(the routes) and audited without the code or the date of birth.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit
from intake.models import Intake, hash_token, new_token, utcnow

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
PURPOSE = b"intake resume code v1\0"


def normalise(typed: str) -> str:
    """What the patient typed, without spaces or dashes, in capitals ("" if it
    cannot be a code)."""
    code = "".join(ch for ch in (typed or "")[:40] if ch not in " -\u2010\u2013").upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def grouped(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def code_hash(secret_key: str, code: str) -> str:
    return hmac.new(PURPOSE + secret_key.encode(), code.encode(), hashlib.sha256).hexdigest()


def issue_code(session: Session, intake: Intake, *, secret_key: str) -> str:
    """A new code for the intake (any earlier one stops working); returns it grouped."""
    for _ in range(8):
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        digest = code_hash(secret_key, code)
        taken = session.scalar(select(Intake.id).where(Intake.resume_code_hash == digest))
        if taken is None:
            break
    else:  # pragma: no cover - 8 collisions in a space of 6.6e11
        raise RuntimeError("no free resume code")
    intake.resume_code_hash = digest
    session.flush()
    return grouped(code)


def replace_link(session: Session, intake: Intake) -> str:
    """A new token for the intake's link, same expiry; the old link stops working."""
    token = new_token()
    intake.token_hash = hash_token(token)
    session.flush()
    return token


def resume_with_code(session: Session, typed_code: str, date_of_birth: date | None, *,
                     saved_date_of_birth, secret_key: str,
                     ip: str | None = None) -> tuple[Intake | None, str | None]:
    """(intake, new link token) for a right code (and date of birth, when one is
    saved), else (None, None). Every reason for a refusal looks the same to the
    patient; the audit says which, never what was typed.

    `saved_date_of_birth(intake)` gives the date the draft holds, or None.
    """
    code = normalise(typed_code)
    intake = None
    if code:
        intake = session.scalars(
            select(Intake).where(Intake.resume_code_hash == code_hash(secret_key, code))
            .with_for_update()).first()
    reason = _refusal(intake, date_of_birth, saved_date_of_birth)
    if reason is not None:
        audit.record(session, action="resume.code", actor_id=None,
                     intake_id=intake.id if intake is not None else None, ip=ip,
                     detail={"ok": False, "reason": reason})
        return None, None
    token = replace_link(session, intake)
    audit.record(session, action="resume.code", actor_id=None, intake_id=intake.id, ip=ip,
                 detail={"ok": True})
    return intake, token


def _refusal(intake: Intake | None, typed: date | None, saved_date_of_birth) -> str | None:
    if intake is None:
        return "unknown_code"
    if not intake.walk_in or intake.is_submitted or intake.is_cancelled:
        return "closed"
    if utcnow() >= intake.token_expires_at:
        return "expired"
    saved = saved_date_of_birth(intake)
    if saved is not None and typed != saved:
        return "date_of_birth"
    return None
