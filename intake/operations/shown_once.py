"""Show something once, on the page after a redirect: the one store for it.

Post-redirect-get leaves a value to carry from the POST to the next GET, and
three pages do that: the new patient link, to the staff member who made it
(`INVITE_LINK`); a refused decision or sign-off as it was typed, a note
being clinical text (`REFUSED_FORM`); a walk-in's resume code (`RESUME_CODE`).
Why a table, and why this way:

- The session cookie is signed, not encrypted: whoever holds it can read it.
  It carries nothing of what waits, at most a random handle (the patient
  side, whose browser has no account).
- Several app processes, on several machines, may serve the next request:
  process memory would not do; SQLite and PostgreSQL both do.
- Read once: `take` is one `DELETE ... RETURNING`, so of two tabs or two
  requests exactly one gets it (the other waits for the row's lock, then finds
  it gone; on SQLite the write lock does the same).
- Bound: a row names its purpose, its owner (`staff(user id)`, or
  `browser(handle)` for the handle in that browser's cookie) and its intake,
  and only the same three take it. The payload is sealed under a key for
  those three and the form's name too, so even a row moved in the database
  opens for nothing else.
- Gone within minutes (`KEEP_FOR`): a take deletes its owner's rows, expired
  or not, and every keep sweeps every expired row, so the table holds only
  what waits for a redirect. Not part of the record: nothing is audited.

A link token waits here sealed (intake.sealed, a Fernet key derived from
SECRET_KEY), where the store it replaced kept only a nonce in the cookie and
derived the token again as HMAC(SECRET_KEY, nonce). That is acceptable: a copy
of the database alone opens nothing; SECRET_KEY opens a waiting link as it
opened the old derivation (with the cookie) and as it opens the links waiting
in the job queue for their email, sealed the same way; and a row lives until
its page is shown, ten minutes at most. What it buys: one mechanism for
things that cannot be derived (a typed note), and a staff cookie that holds
nothing at all. The page still shows a link only while it is the intake's
current one (the caller checks it against the intake's hash).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from intake import sealed
from intake.models import ShownOnce, utcnow

INVITE_LINK = "invite link"
REFUSED_FORM = "refused form"
RESUME_CODE = "resume code"
PURPOSES = frozenset({INVITE_LINK, REFUSED_FORM, RESUME_CODE})

#: Long enough for the redirect that follows; a tab left for longer shows a clean page.
KEEP_FOR = timedelta(minutes=10)

_SEAL = "intake shown once v1"


def staff(user_id: int) -> str:
    """The owner for a signed-in staff member."""
    return f"staff:{int(user_id)}"


def new_handle() -> str:
    """A random handle for a browser's session cookie: it opens nothing by itself."""
    return secrets.token_urlsafe(24)


def browser(handle: str) -> str:
    """The owner for the browser holding `handle` (only its hash is stored)."""
    return "browser:" + hashlib.sha256(handle.encode()).hexdigest()


def keep(session: Session, *, secret_key: str, purpose: str, owner: str,
         payload: dict[str, Any], intake_id: int | None = None, name: str = "",
         now: datetime | None = None) -> None:
    """Keep `payload` for the owner's next page; replaces what waited under the same
    purpose, owner, intake and name. Sweeps expired rows first."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown shown-once purpose {purpose!r}")
    now = now or utcnow()
    sweep(session, now=now)
    session.execute(delete(ShownOnce).where(*_match(purpose, owner, intake_id),
                                            ShownOnce.name == name)
                    .execution_options(synchronize_session=False))
    text = json.dumps(payload, separators=(",", ":"))
    session.add(ShownOnce(purpose=purpose, owner=owner, intake_id=intake_id, name=name,
                          payload=sealed.seal(secret_key, text,
                                              purpose=_key(purpose, owner, intake_id, name)),
                          expires_at=now + KEEP_FOR))
    session.flush()


def waiting(session: Session, *, purpose: str, owner: str, intake_id: int | None = None,
            now: datetime | None = None) -> bool:
    """Whether anything waits: a read, so a reading request asks for the write
    intent (and on SQLite the write lock) only when there is something to take."""
    return bool(session.scalar(select(exists().where(
        *_match(purpose, owner, intake_id), ShownOnce.expires_at > (now or utcnow())))))


def take(session: Session, *, secret_key: str, purpose: str, owner: str,
         intake_id: int | None = None, now: datetime | None = None) -> dict[str, dict]:
    """What waited for this owner, purpose and intake, by name; deleted as it is
    read (expired rows too, and those are not returned)."""
    now = now or utcnow()
    rows = session.execute(
        delete(ShownOnce).where(*_match(purpose, owner, intake_id))
        .returning(ShownOnce.id, ShownOnce.name, ShownOnce.payload, ShownOnce.expires_at)
        .execution_options(synchronize_session=False)).all()
    found: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: r.id):  # the latest kept wins
        if row.expires_at <= now:
            continue
        try:
            value = json.loads(sealed.unseal(secret_key, row.payload,
                                             purpose=_key(purpose, owner, intake_id, row.name)))
        except (sealed.InvalidToken, ValueError):  # another key (rotated): nothing to show
            continue
        if isinstance(value, dict):
            found[row.name] = value
    return found


def take_one(session: Session, *, secret_key: str, purpose: str, owner: str,
             intake_id: int | None = None, now: datetime | None = None) -> dict | None:
    """`take` for a purpose that keeps one thing (name "")."""
    return take(session, secret_key=secret_key, purpose=purpose, owner=owner,
                intake_id=intake_id, now=now).get("")


def sweep(session: Session, *, now: datetime | None = None) -> int:
    """Delete every expired row; returns how many went."""
    result = session.execute(delete(ShownOnce).where(ShownOnce.expires_at <= (now or utcnow()))
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


def _match(purpose: str, owner: str, intake_id: int | None) -> tuple:
    return (ShownOnce.purpose == purpose, ShownOnce.owner == owner,
            ShownOnce.intake_id.is_(None) if intake_id is None
            else ShownOnce.intake_id == intake_id)


def _key(purpose: str, owner: str, intake_id: int | None, name: str) -> str:
    return "\0".join((_SEAL, purpose, owner, str(intake_id), name))
