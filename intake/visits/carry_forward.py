"""Answers carried forward: the previous answers plus a follow-up's, "as of this visit".

``carry_forward(intake, follow_up, previous, answers, today, steps)`` returns
intake-shaped answers (keyed by intake question ids, valid for the intake
definition). Each kind of answer merges like this, in this order:

1. **Not asked** (a question of a step not included this visit, e.g. the
   periodic PHQ-2 and STarT Back, or a question hidden in the follow-up, e.g.
   ``history.cancer`` when no new diagnosis was reported, and every intake
   question the follow-up does not reuse): the previous answer is kept.
2. **Asked again** (a ``use:`` question shown this visit: the red flags, the
   acute illness questions, the pain scores, pregnancy): the follow-up's
   answer replaces the previous one. Left blank, an optional question's
   previous answer is removed (the patient cleared it); a required one keeps
   its previous answer (the form refuses a blank there, so a blank one here
   is an incomplete post, never "no longer true").
3. **Stated changes** (follow-up questions with an effect, applied after 2):
   ``adds_to`` adds the ticked values to the target's list (dropping its
   exclusive "none of these"); ``removes_from`` removes them (an emptied list
   becomes the exclusive value, e.g. ``["none"]``, or is removed when the
   question has none); ``sets`` writes the given intake answers when that
   option is chosen. A stated change wins over an answer asked again.
4. Finally the result is pruned with the intake definition: answers whose
   question is now hidden (the INR once warfarin is stopped, the weeks once
   no longer pregnant) are dropped, as the intake never stores them.

The follow-up's own questions (``changes.*``, ``today.*``) are not intake
answers and are not in the result; they stay with the follow-up's record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from intake.questionnaire.definition import Definition
from intake.questionnaire.follow_up import FollowUpDefinition


def carry_forward(
    intake: Definition,
    follow_up: FollowUpDefinition,
    previous: Mapping[str, Any],
    answers: Mapping[str, Any],
    *,
    today: date,
    steps: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The merged answers as of this visit. ``steps``: the follow-up step ids
    asked this visit (default: every step but the periodic ones)."""
    asked_steps = set(steps) if steps is not None else {
        s.id for s in follow_up.steps if s.id not in follow_up.periodic}
    visible = follow_up.visibility(follow_up.context(previous, answers), today)
    merged = dict(previous)
    shown = [q for q in follow_up.questions.values()
             if q.step_id in asked_steps and visible.get(q.id)]
    for question in shown:
        if question.id not in intake.questions:
            continue
        value = answers.get(question.id)
        if question.kind.is_blank(value):
            if not question.required:
                merged.pop(question.id, None)
        else:
            merged[question.id] = value
    for question in shown:
        effect = follow_up.effects.get(question.id)
        value = answers.get(question.id)
        if effect is None or question.kind.is_blank(value):
            continue
        if effect.adds_to or effect.removes_from:
            _change_list(intake, merged, effect.adds_to or effect.removes_from, value,
                         add=bool(effect.adds_to))
        for chosen in value if isinstance(value, list) else [value]:
            merged.update(effect.sets.get(chosen, {}))
    return intake.prune(merged, today)


def _change_list(intake: Definition, merged: dict[str, Any], target: str, values: list[str],
                 *, add: bool) -> None:
    exclusive = intake.question(target).exclusive
    current = [v for v in merged.get(target) or [] if v not in exclusive]
    if add:
        current += [v for v in values if v not in current and v not in exclusive]
    else:
        drop = set(values)
        current = [v for v in current if v not in drop]
    if current:
        merged[target] = current
    elif exclusive:
        merged[target] = [exclusive[0]]
    else:
        merged.pop(target, None)
