"""The audit log: who did what to which intake, chained by keyed hashes.

Each row's `hash` is an HMAC-SHA256, under a key kept outside the database
(INTAKE_AUDIT_KEY), over the canonical JSON of its own fields and the
previous row's hash, so altering or removing a row breaks the chain
(`intake audit verify`), and someone with only the database cannot compute
a new chain. Rows written before the key existed carry a plain SHA-256 of
the same JSON ("legacy" rows, see intake.audit.verify). Rows are never
updated or deleted; the database refuses both (and TRUNCATE on PostgreSQL),
on SQLite and PostgreSQL alike.
`detail` holds ids, rule ids and choices, never patient answers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import Base
from intake.models.types import UTCDateTime

GENESIS = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_events"

    # Assigned by intake.audit.record (previous id + 1) so the hash covers it.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(80), index=True)
    intake_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def compute_hash(self, key: bytes) -> str:
        return keyed_hash({name: getattr(self, name) for name in HASHED_FIELDS}, key)


HASHED_FIELDS = ("id", "at", "actor_id", "actor_label", "action", "intake_id", "detail",
                 "ip", "prev_hash")


#: Separates the keyed chain's MACs from any other use of the same key.
_KEYED_PREFIX = b"intake-audit-chain-v2\x00"


def keyed_hash(fields: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 under the audit key of an event's canonical JSON."""
    return hmac.new(key, _KEYED_PREFIX + _canonical(fields), hashlib.sha256).hexdigest()


def chain_hash(fields: dict[str, Any]) -> str:
    """The legacy, unkeyed hash: SHA-256 over the canonical JSON (rows from before
    the key). Anyone can compute it, so verify accepts it only before the first
    keyed row."""
    return hashlib.sha256(_canonical(fields)).hexdigest()


def _canonical(fields: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces: the same bytes for the same event everywhere."""
    data = dict(fields)
    data["at"] = data["at"].isoformat(timespec="microseconds")
    data["detail"] = data.get("detail") or {}
    data["actor_label"] = data.get("actor_label") or ""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
