"""The results of a screening: flags and their evidence (their order is severity.py's).

Plain dataclasses so a screening can be stored, compared in tests and
serialised to JSON without knowing anything about the web app or database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


# Evidence and Flag are not frozen: a frozen dataclass's __init__ costs about
# three times as much, and a screening builds dozens of them. Treat them as
# immutable all the same.
@dataclass(slots=True)
class Evidence:
    """One answer (or plan item, or fired rule) that made a flag fire.

    ``question`` is a question id, ``plan.<item>`` for the treatment plan or
    ``rules.<rule id>`` when a rule depends on another rule. ``note`` says
    when the answer was uncertain ("answer was not sure", "not answered") so
    the practitioner can see that the flag may be an over-flag.
    """

    question: str
    value: Any
    label: str | None = None
    note: str | None = None
    #: True for missing or "not sure" answers: the flag may be an over-flag.
    uncertain: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"question": self.question, "value": _jsonable(self.value)}
        if self.label is not None:
            data["label"] = self.label
        if self.note is not None:
            data["note"] = self.note
        if self.uncertain:
            data["uncertain"] = True
        return data


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """Where a site-scoped problem is and how it relates to the plan.

    ``downgraded`` is true when no problem region is in or next to a
    planned region, so the flag was recorded as a note instead of its base
    level. ``problem_known`` is false when the patient did not say where the
    problem is; the flag then keeps its base level.
    """

    question: str
    problem_regions: tuple[str, ...]
    planned_regions: tuple[str, ...]
    base_level: str
    downgraded: bool
    problem_known: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "problem_regions": list(self.problem_regions),
            "planned_regions": list(self.planned_regions),
            "base_level": self.base_level,
            "downgraded": self.downgraded,
            "problem_known": self.problem_known,
        }


@dataclass(slots=True)
class Flag:
    """One fired rule, with the practitioner-facing text copied from the rule
    so a stored screening reads the same after the rules change."""

    rule_id: str
    level: str
    urgency: str | None
    title: str
    why: str
    action: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    site: SiteInfo | None = None
    #: Position of the rule in the rule set; the stable tie-break in ordering.
    order: int = 0

    @property
    def uncertain(self) -> bool:
        """True when some evidence is a missing or "not sure" answer."""
        return any(item.uncertain for item in self.evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "level": self.level,
            "urgency": self.urgency,
            "title": self.title,
            "why": self.why,
            "action": self.action,
            "sources": list(self.sources),
            "evidence": [item.to_dict() for item in self.evidence],
            "site": self.site.to_dict() if self.site else None,
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True, slots=True)
class Screening:
    """The flags for one answers set, one plan and one rule set version."""

    rules_version: str
    questionnaire_version: str | None
    flags: tuple[Flag, ...] = field(default_factory=tuple)
    plan: dict[str, Any] | None = None

    @property
    def overall_level(self) -> str | None:
        """The most severe flag's level; None means "no flags"."""
        return self.flags[0].level if self.flags else None

    @property
    def overall_urgency(self) -> str | None:
        return self.flags[0].urgency if self.flags else None

    def flag(self, rule_id: str) -> Flag | None:
        return next((f for f in self.flags if f.rule_id == rule_id), None)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(f.rule_id for f in self.flags)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "questionnaire_version": self.questionnaire_version,
            "overall_level": self.overall_level,
            "overall_urgency": self.overall_urgency,
            "plan": self.plan,
            "flags": [f.to_dict() for f in self.flags],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    return value
