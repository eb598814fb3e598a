"""What changed between two visits: flags and answers, for the side-by-side view.

``compare(before, after, before_answers, after_answers)`` takes two
screenings (``Screening`` objects or their ``to_dict()`` form, as stored)
and the two merged answer sets. A flag is matched by its rule id: **new**
(fires now, not before), **gone** (fired before, not now), **changed** (fires
both times at a different level or urgency, e.g. a site rule no longer
downgraded to a note). An answer is **changed** when its value differs; an
answer present on one side only is changed too (``None`` on the other).
Everything is in the order the practitioner reads it: flags in the
screening's own severity order, answers in the order of ``order`` (the
questionnaire's question ids) when given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from intake.screening.model import Screening


@dataclass(frozen=True)
class FlagState:
    rule_id: str
    level: str
    urgency: str | None


@dataclass(frozen=True)
class FlagChange:
    rule_id: str
    before: FlagState
    after: FlagState


@dataclass(frozen=True)
class AnswerChange:
    question: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Changes:
    new_flags: tuple[FlagState, ...]
    gone_flags: tuple[FlagState, ...]
    changed_flags: tuple[FlagChange, ...]
    changed_answers: tuple[AnswerChange, ...]

    @property
    def new_red_flag(self) -> bool:
        """A red flag fires now that did not before (the day's list puts it first)."""
        return any(f.level == "red_flag" for f in self.new_flags) or any(
            c.after.level == "red_flag" != c.before.level for c in self.changed_flags)

    def __bool__(self) -> bool:
        return bool(self.new_flags or self.gone_flags or self.changed_flags
                    or self.changed_answers)


def _states(screening: Screening | Mapping[str, Any]) -> dict[str, FlagState]:
    if isinstance(screening, Screening):
        flags: Iterable[Any] = ((f.rule_id, f.level, f.urgency) for f in screening.flags)
    else:
        flags = ((f["rule_id"], f["level"], f.get("urgency")) for f in screening["flags"])
    return {rule_id: FlagState(rule_id, level, urgency) for rule_id, level, urgency in flags}


def compare(
    before: Screening | Mapping[str, Any],
    after: Screening | Mapping[str, Any],
    before_answers: Mapping[str, Any],
    after_answers: Mapping[str, Any],
    order: Iterable[str] = (),
) -> Changes:
    old, new = _states(before), _states(after)
    position = {qid: i for i, qid in enumerate(order)}
    ids = sorted(set(before_answers) | set(after_answers),
                 key=lambda qid: (position.get(qid, len(position)), qid))
    return Changes(
        new_flags=tuple(s for rid, s in new.items() if rid not in old),
        gone_flags=tuple(s for rid, s in old.items() if rid not in new),
        changed_flags=tuple(FlagChange(rid, old[rid], s) for rid, s in new.items()
                            if rid in old and old[rid] != s),
        changed_answers=tuple(
            AnswerChange(qid, before_answers.get(qid), after_answers.get(qid))
            for qid in ids if before_answers.get(qid) != after_answers.get(qid)),
    )
