"""Checking answers that differ from one checked answers set in a few questions.

Every rule example is the baseline (rules/baseline.yaml) with a handful of
answers changed, and every one must be a valid intake: about 220 whole checks
(and twice as many visibility passes) each time `intake rules check` or
`intake screen` starts. A question's visibility depends only on the answers
its show_if names, their visibility and the date; its message in the whole
check only on its answer, whether it is shown and the date, and on those of
its required_unless_answered stand-ins (answers.question_problem). So with
the baseline checked once, per question, answers on the same date need only
the questions whose answer (or a stand-in's) differs, and
the questions whose show_if chain reaches one of those, worked out again.
The result is the whole check's, message for message and in its order
(tests/test_questionnaire_near.py compares the two on every example).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .answers import check_answers, question_problem, unknown_ids
from .memo import freeze

if TYPE_CHECKING:
    from .definition import Definition

_CHANGED = object()  # an answer freeze() cannot describe: always treated as changed


def _frozen(value: Any) -> Any:
    try:
        return freeze(value)
    except TypeError:
        return _CHANGED


class Checked:
    """One answers set checked question by question, for checking its neighbours."""

    def __init__(self, definition: Definition, answers: Mapping[str, Any], today: date) -> None:
        self.definition, self.today = definition, today
        self._answers = dict(answers)
        self._values = {qid: _frozen(v) for qid, v in answers.items()}
        self.visible = definition.visibility(answers, today)
        self._problems = {
            qid: question_problem(definition, q, answers, self.visible, today)
            for qid, q in definition.questions.items()
        }
        readers: dict[str, set[str]] = {}
        for qid, reads in definition._reads.items():
            for read in reads:
                readers.setdefault(read, set()).add(qid)
        self._readers = readers

    def changed(self, answers: Mapping[str, Any]) -> set[str]:
        """Question ids whose answer is not the checked one (type and all)."""
        out = set()
        mine_raw, questions = self._answers, self.definition.questions
        for qid in self._values.keys() | answers.keys():
            if qid not in questions or (qid in answers and qid in mine_raw
                                        and answers[qid] is mine_raw[qid]):
                continue  # the very same object (an example inherits most answers)
            mine = self._values.get(qid)
            theirs = _frozen(answers[qid]) if qid in answers else None
            if theirs is _CHANGED or mine is _CHANGED or mine != theirs:
                out.add(qid)
        return out

    def visibility(self, answers: Mapping[str, Any], today: date) -> dict[str, bool]:
        """definition.visibility(answers, today), re-deciding only what a change reaches."""
        if today != self.today:
            return self.definition.visibility(answers, today)
        return self._visibility(answers, self.changed(answers))

    def _visibility(self, answers: Mapping[str, Any], changed: set[str]) -> dict[str, bool]:
        reached, todo = set(), list(changed)
        while todo:
            for reader in self._readers.get(todo.pop(), ()):
                if reader not in reached:
                    reached.add(reader)
                    todo.append(reader)
        if not reached:
            return dict(self.visible)
        seen = {qid: shown for qid, shown in self.visible.items() if qid not in reached}
        definition = self.definition
        for qid in definition.questions:
            if qid in reached:
                definition._visible(definition.questions[qid], answers, self.today, seen)
        return {qid: seen[qid] for qid in definition.questions}

    def check_answers(self, answers: Any, today: date) -> list[str]:
        """definition.check_answers(answers, today), checking only what differs."""
        if not isinstance(answers, Mapping) or today != self.today:
            return check_answers(self.definition, answers, today)
        changed = self.changed(answers)
        visible = self._visibility(answers, changed)
        errors = unknown_ids(self.definition, answers)
        for qid, question in self.definition.questions.items():
            if any(q in changed or visible[q] != self.visible[q]
                   for q in (qid, *question.required_unless_answered)):
                problem = question_problem(self.definition, question, answers, visible, today)
            else:
                problem = self._problems[qid]
            if problem:
                errors.append(problem)
        return errors


def checked(definition: Any, answers: Mapping[str, Any], today: date) -> Checked | None:
    """A Checked for a definition read by the loader; None for one that is not
    (a stand-in without show_if bookkeeping), whose callers check in full."""
    if not hasattr(definition, "_reads") or not hasattr(definition, "_visible"):
        return None
    return Checked(definition, answers, today)
