"""What changed since the last visit, worded for a reader: the rows of the
practitioner's side-by-side table and of the follow-up's PDF section.

``side_by_side(changes, titles, fmt)`` words a ``changes.Changes``: each flag
new, gone or changed with its title and its level before and after (the one
severity wording, screening/severity.py), each changed answer with its
question label and the answer before and after (the one answer formatter,
questionnaire/types/display.py). Pure: no Flask, no database.

Its words are in ``fmt``'s language (``fmt.say``): the caller builds the
AnswerFormat from the definition translated into the reader's language and
the reader's locale, and every row reads in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from intake.i18n.messages import N_, NP_, Message
from intake.questionnaire.types import AnswerFormat
from intake.screening import severity
from intake.visits.changes import Changes, FlagState

NOT_FLAGGED = N_("Not flagged")
KINDS = {"new": NP_("flag change", "New"), "gone": NP_("flag change", "Gone"),
         "changed": NP_("flag change", "Changed")}


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


def _level(state: FlagState | None) -> Message:
    """severity.label's words as a message (its words are the PDF catalog's)."""
    if state is None:
        return NOT_FLAGGED
    level = Message(severity.LEVEL_LABELS.get(state.level, state.level))
    if state.level == "red_flag" and state.urgency:
        urgency = Message(severity.URGENCY_LABELS.get(state.urgency, state.urgency))
        return N_("%(level)s: %(urgency)s", level=level, urgency=urgency)
    return level


def _line(kind: str, rule_id: str, before: FlagState | None, after: FlagState | None,
          titles: Mapping[str, str], fmt: AnswerFormat) -> FlagLine:
    red = after is not None and after.level == "red_flag" and (
        before is None or before.level != "red_flag")
    return FlagLine(kind, fmt.say(KINDS[kind]), rule_id, titles.get(rule_id) or rule_id,
                    fmt.say(_level(before)), fmt.say(_level(after)), red)


def side_by_side(changes: Changes, titles: Mapping[str, str], fmt: AnswerFormat) -> SideBySide:
    flags = ([_line("new", f.rule_id, None, f, titles, fmt) for f in changes.new_flags]
             + [_line("changed", c.rule_id, c.before, c.after, titles, fmt)
                for c in changes.changed_flags]
             + [_line("gone", f.rule_id, f, None, titles, fmt) for f in changes.gone_flags])
    flags.sort(key=lambda line: not line.red_flag)  # new red flags first, else as found
    answers = []
    for change in changes.changed_answers:
        question = fmt.question(change.question)
        answers.append(AnswerLine(change.question,
                                  question.label if question is not None else change.question,
                                  fmt.text(change.question, change.before),
                                  fmt.text(change.question, change.after)))
    return SideBySide(tuple(flags), tuple(answers))
