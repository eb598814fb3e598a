"""A loaded rule and a loaded rule set.

Kept apart from the loader so the engine and the CLI can use them without
pulling in YAML parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .conditions import Node
from .vocabulary import Vocabulary


class RuleSetError(ValueError):
    """A rule file that cannot be used; the message names file, rule and problem."""


@dataclass(frozen=True, slots=True)
class Escalation:
    """Raise a fired rule's level or urgency when another condition holds too."""

    node: Node
    level: str | None
    urgency: str | None


@dataclass(frozen=True, slots=True)
class Example:
    """Answers (applied over the baseline) that must make a rule fire or stay quiet."""

    answers: Mapping[str, Any]
    fires: bool
    plan: Mapping[str, Any] | None = None
    expect_level: str | None = None
    expect_urgency: str | None = None
    today: date | None = None
    incomplete: bool = False
    name: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: str
    urgency: str | None
    title: str
    why: str
    action: str
    sources: tuple[str, ...]
    node: Node
    file: str
    order: int
    site: str | None = None
    plan: bool = False
    escalations: tuple[Escalation, ...] = ()
    examples: tuple[Example, ...] = ()
    #: flags of this rule at its own level sort by this (set by the loader from
    #: the level, urgency and catalog order; the engine sorts flags by it)
    sort_key: int = 0
    #: can two parts of the rule report the same answer (so evidence is deduped)?
    may_repeat_evidence: bool = True
    #: (question id, label) of answers shown with the flag when given; they do
    #: not make it fire (a blood thinner's last dose, numb feet with diabetes)
    context: tuple[tuple[str, str | None], ...] = ()

    @property
    def depends_on(self) -> frozenset[str]:
        refs = set(self.node.fired_refs)
        for escalation in self.escalations:
            refs |= escalation.node.fired_refs
        return frozenset(refs)

    def summary(self) -> dict[str, Any]:
        """What a practitioner's rule list shows."""
        return {
            "id": self.id,
            "level": self.level,
            "urgency": self.urgency,
            "title": self.title,
            "why": self.why,
            "action": self.action,
            "sources": list(self.sources),
            "site": self.site,
            "plan": self.plan,
            "file": self.file,
        }


@dataclass(frozen=True)
class RuleSet:
    """All rules in evaluation order (dependencies first), and their version."""

    rules: tuple[Rule, ...]
    vocabulary: Vocabulary
    definition: Any
    content_hash: str
    baseline: Mapping[str, Any] = field(default_factory=dict)
    example_date: date | None = None
    #: region id -> itself plus the regions next to it (same side, or across the midline)
    nearby: Mapping[str, frozenset[str]] = field(default_factory=dict)
    thorax: frozenset[str] = frozenset()
    #: (question id, date, the answers its show_if chain reads) -> could it
    #: have been asked; a memo of the definition's pure show_if
    visibility_cache: dict[tuple[Any, ...], bool] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def tests(self) -> tuple[tuple[Rule, Any], ...]:
        """(rule, compiled test) in evaluation order, looked up once."""
        cached = self.__dict__.get("_tests")
        if cached is None:
            cached = tuple((rule, rule.node.test) for rule in self.rules)
            object.__setattr__(self, "_tests", cached)
        return cached

    @property
    def version(self) -> str:
        return self.content_hash

    @property
    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def gates(self, question_id: str) -> frozenset[str]:
        """The questions a question's show_if reads."""
        return self._show_if_reads()[0].get(question_id, frozenset())

    def visibility_inputs(self, question_id: str) -> tuple[str, ...]:
        """Every answer a question's visibility can depend on (show_if reads,
        and what their own show_ifs read), so visibility can be cached."""
        return self._show_if_reads()[1].get(question_id, ())

    def _show_if_reads(self) -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
        cached = self.__dict__.get("_reads")
        if cached is None:
            direct: dict[str, frozenset[str]] = {}
            for qid, question in self.definition.questions.items():
                reads = getattr(getattr(question, "show_if", None), "question_ids", None)
                direct[qid] = frozenset(reads()) if reads else frozenset()
            closure: dict[str, tuple[str, ...]] = {}
            for qid in direct:
                seen: set[str] = set()
                todo = list(direct[qid])
                while todo:
                    other = todo.pop()
                    if other not in seen:
                        seen.add(other)
                        todo.extend(direct.get(other, ()))
                closure[qid] = tuple(sorted(seen))
            cached = (direct, closure)
            object.__setattr__(self, "_reads", cached)
        return cached

    def rule(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]

    def in_catalog_order(self) -> list[Rule]:
        return sorted(self.rules, key=lambda r: r.order)
