"""Audit entries for document actions, through the staff area's audit log."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def audit(session, *, action: str, actor_id=None, intake_id=None, detail=None,
          ip=None) -> None:
    """Record an audit event (flushes; the caller commits)."""
    try:
        from intake.audit import record
    except ImportError:  # pragma: no cover - only before the audit log exists
        log.warning("audit log unavailable; not recorded: %s", action)
        return
    record(session, action=action, actor_id=actor_id, intake_id=intake_id,
           detail=detail, ip=ip)
