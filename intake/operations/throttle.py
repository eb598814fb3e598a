"""Slowing down a password guesser without locking the account holder out.

Failed sign-ins are counted per (typed email, address) pair: after
FREE_FAILURES, each further attempt from that pair must wait a delay that
doubles with every failure, from BASE_DELAY up to MAX_DELAY; an attempt that
comes too early is refused without looking at the password. The right
password from any other address is never held up, and from the same address
it is held up for MAX_DELAY at most: a hard lock that anyone who knows an
email could keep closed for ever is a denial of service. The per-address
rate limit on the sign-in form (LOGIN_RATE_LIMIT) bounds how many pairs one
address can try.

Counts are forgotten a FORGET after the pair's last failure, and at once on
a successful sign-in from the pair. The row's key is an HMAC (keyed by the
app's secret) of the email as typed and the address, so the table keeps
neither, and an unknown email is throttled exactly like a real one (nothing
tells an account that exists from one that does not).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from intake.models.staff import SignInThrottle

FREE_FAILURES = 3
BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=15)
FORGET = timedelta(days=1)


def key_for(secret: str, email: str, address: str | None) -> str:
    """The row's key: an HMAC of the normalised email and the address."""
    derived = hashlib.sha256(b"intake sign-in throttle v1\0" + (secret or "").encode()).digest()
    message = f"{email}\0{address or ''}".encode()
    return hmac.new(derived, message, hashlib.sha256).hexdigest()


def delay_after(failures: int) -> timedelta:
    """How long a pair waits after its `failures`-th failure."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 30)
    return min(BASE_DELAY * (2 ** doublings), MAX_DELAY)


def retry_after(session: Session, key: str, now: datetime) -> int | None:
    """Seconds before the pair may try again, or None when it may try now."""
    row = session.get(SignInThrottle, key)
    if row is None or now - row.last_failed_at > FORGET:
        return None
    wait = (row.last_failed_at + delay_after(row.failures) - now).total_seconds()
    return math.ceil(wait) if wait > 0 else None


def record_failure(session: Session, key: str, now: datetime) -> int:
    """Count one failure (in SQL: parallel failures all count); the pair's new total."""
    table = SignInThrottle.__table__
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    stmt = insert(table).values(key=key, failures=1, last_failed_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": case((table.c.last_failed_at < now - FORGET, 1),
                             else_=table.c.failures + 1),
            "last_failed_at": now,
        },
    )
    session.execute(stmt)
    # Old rows go with any new failure: the table stays as small as the recent attempts.
    session.execute(delete(SignInThrottle).where(SignInThrottle.last_failed_at < now - FORGET))
    return session.scalar(select(SignInThrottle.failures).where(SignInThrottle.key == key))


def clear(session: Session, key: str) -> None:
    session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))
