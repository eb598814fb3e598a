"""The audit log: who did what to which intake, chained by hashes.

Each row's `hash` is SHA-256 over the canonical JSON of its own fields and
the previous row's hash, so altering or removing a row breaks the chain
(`intake audit verify`). Rows are never updated or deleted; the database
refuses both (and TRUNCATE on PostgreSQL), on SQLite and PostgreSQL alike.
`detail` holds ids, rule ids and choices, never patient answers.
"""

from __future__ import annotations

import hashlib
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

    def compute_hash(self) -> str:
        return chain_hash({name: getattr(self, name) for name in HASHED_FIELDS})


HASHED_FIELDS = ("id", "at", "actor_id", "actor_label", "action", "intake_id", "detail",
                 "ip", "prev_hash")


def chain_hash(fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON (sorted keys, no spaces) of an event's fields."""
    data = dict(fields)
    data["at"] = data["at"].isoformat(timespec="microseconds")
    data["detail"] = data.get("detail") or {}
    data["actor_label"] = data.get("actor_label") or ""
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()
