"""The practitioner's part of a summary as the PDF shows it: the treatment
plan, the decisions and the plan history, in words and the clinic's time.

Kept apart from the answers (intake.documents.context) because it is the
practitioner's record, not the patient's. Rule titles, not rule ids; region
and target names, not ids; times in the clinic's zone, as on the staff pages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from intake.screening.plan import TARGET_LABELS

Label = Callable[[str], str]
When = Callable[[datetime | None], str]


def _parsed(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def plan_view(plan: dict | None, region: Label) -> dict[str, Any] | None:
    """A stored plan in words: planned regions, electrical stimulation, deep targets."""
    if not isinstance(plan, dict):
        return None
    regions = [r for r in plan.get("regions") or [] if isinstance(r, str)]
    targets = [t for t in plan.get("noncompressible_targets") or [] if isinstance(t, str)]
    return {
        "regions": [region(r) for r in regions],
        "electrical_stimulation": bool(plan.get("electrical_stimulation")),
        "targets": [TARGET_LABELS.get(t, t) for t in targets],
    }


def decision_view(raw: dict, titles: dict[str, str], when: When) -> dict[str, Any]:
    rule_id = raw.get("rule_id") or ""
    return {
        "rule_id": rule_id,
        "title": raw.get("title") or titles.get(rule_id) or rule_id,
        "decision": raw.get("decision"),
        "note": raw.get("note"),
        "decided_by": raw.get("decided_by"),
        "decided_at": when(at) if (at := _parsed(raw.get("decided_at"))) else None,
    }


def latest_decisions(review: dict | None, titles: dict[str, str],
                     when: When) -> dict[str, dict]:
    """The latest decision per rule (decisions are append-only history)."""
    if not review:
        return {}
    return {d["rule_id"]: decision_view(d, titles, when)
            for d in review.get("decisions", []) if d.get("rule_id")}


def review_view(review: dict | None, titles: dict[str, str], region: Label,
                when: When) -> dict[str, Any] | None:
    """The sign-off, every decision in order and every plan the screening used."""
    if not review:
        return None
    at = _parsed(review.get("signed_off_at"))
    plans = []
    for entry in review.get("plans") or []:
        shown = plan_view(entry.get("plan"), region)
        if shown is None:
            continue
        plans.append({**shown, "default": bool(entry.get("default")),
                      "by": entry.get("by"), "at": when(_parsed(entry.get("at")))})
    return {
        "signed_off_by": review.get("signed_off_by"),
        "signed_off_at_text": when(at) if at else "not recorded",
        "decisions": [decision_view(d, titles, when) for d in review.get("decisions", [])],
        "plans": plans,
    }


def plan_is_default(review: dict | None) -> bool:
    """True unless a practitioner set the plan the latest screening used."""
    plans = (review or {}).get("plans") or []
    return not plans or bool(plans[-1].get("default"))
