"""What changed since the last visit, worded for a reader: the rows of the
practitioner's side-by-side table and of the follow-up's PDF section.

``side_by_side(changes, titles, fmt)`` words a ``changes.Changes``: each flag
new, gone or changed with its title and its level before and after (the one
severity wording, screening/severity.py), each changed answer with its
question label and the answer before and after (the one answer formatter,
questionnaire/types/display.py). Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from intake.questionnaire.types import AnswerFormat
from intake.screening import severity
from intake.visits.changes import Changes, FlagState

NOT_FLAGGED = "Not flagged"
KINDS = {"new": "New", "gone": "Gone", "changed": "Changed"}


@dataclass(frozen=True)
class FlagLine:
    kind: str           # "new", "gone" or "changed"
    kind_label: str
    rule_id: str
    title: str
    before: str
    after: str
    red_flag: bool      # a red flag now that was not before


@dataclass(frozen=True)
class AnswerLine:
    question: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class SideBySide:
    flags: tuple[FlagLine, ...]
    answers: tuple[AnswerLine, ...]

    @property
    def new_red_flags(self) -> tuple[FlagLine, ...]:
        return tuple(f for f in self.flags if f.red_flag)

    def __bool__(self) -> bool:
        return bool(self.flags or self.answers)


def _level(state: FlagState | None) -> str:
    return severity.label(state.level, state.urgency) if state is not None else NOT_FLAGGED


def _line(kind: str, rule_id: str, before: FlagState | None, after: FlagState | None,
          titles: Mapping[str, str]) -> FlagLine:
    red = after is not None and after.level == "red_flag" and (
        before is None or before.level != "red_flag")
    return FlagLine(kind, KINDS[kind], rule_id, titles.get(rule_id) or rule_id,
                    _level(before), _level(after), red)


def side_by_side(changes: Changes, titles: Mapping[str, str], fmt: AnswerFormat) -> SideBySide:
    flags = ([_line("new", f.rule_id, None, f, titles) for f in changes.new_flags]
             + [_line("changed", c.rule_id, c.before, c.after, titles)
                for c in changes.changed_flags]
             + [_line("gone", f.rule_id, f, None, titles) for f in changes.gone_flags])
    flags.sort(key=lambda line: not line.red_flag)  # new red flags first, else as found
    answers = []
    for change in changes.changed_answers:
        question = fmt.question(change.question)
        answers.append(AnswerLine(change.question,
                                  question.label if question is not None else change.question,
                                  fmt.text(change.question, change.before),
                                  fmt.text(change.question, change.after)))
    return SideBySide(tuple(flags), tuple(answers))
