"""Answers as a FHIR R4 ``QuestionnaireResponse``, and read back.

The response follows the Questionnaire's tree (questionnaire.layout): a
group per step with answers, inside it each answered question (its type
writes the answer: ``QuestionType.fhir_answers``), an instrument's group
with its computed total. Reading back (``read_response``) walks any nesting,
so a response from another system that leaves out the groups reads too;
every problem is collected and reported together, and nothing is returned
unless there are none.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .codes import BASE, Coder, language_tag, questionnaire_url
from .questionnaire import canonical, layout

#: how deep a response's items may nest before it is refused (ours: 3)
MAX_DEPTH = 10
#: how many items a response may carry (ours: about 200)
MAX_ITEMS = 2000


class ResponseError(ValueError):
    """A QuestionnaireResponse that does not read as answers; ``problems``
    lists every one, each naming the linkId."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def response(definition, answers: Mapping[str, Any], *, authored: datetime | None = None,
             resource_id: str | None = None, base: str = BASE,
             status: str = "completed", language: str | None = None) -> dict[str, Any]:
    """The answers (already pruned: visible, non-blank) as a QuestionnaireResponse;
    ``language``: the language the patient answered in ('en', 'fr'), given as
    the resource's BCP 47 ``language`` ("fr-CA")."""
    coder = Coder(definition, base)
    items = []
    for step in definition.steps:
        children: list[dict] = []
        for group, questions in layout(step, coder):
            answered = [_answered(q, answers[q.id], definition, coder)
                        for q in questions if _has(q, answers)]
            if not answered:
                continue
            if group is None:
                children += answered
                continue
            if group.total:
                total = _total(group, questions, answers)
                if total is not None:
                    answered.append({"linkId": group.total[0], "text": group.total[1],
                                     "answer": [{"valueInteger": total}]})
            children.append({"linkId": group.id, "text": group.text, "item": answered})
        if children:
            items.append({"linkId": step.id, "text": step.title, "item": children})
    out: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if resource_id:
        out["id"] = resource_id
    if language:
        out["language"] = language_tag(language)
    out.update({"questionnaire": canonical(definition, base), "status": status})
    if authored is not None:
        out["authored"] = authored.isoformat()
    out["item"] = items
    return out


def _has(question, answers: Mapping[str, Any]) -> bool:
    return question.id in answers and not question.kind.is_blank(answers[question.id])


def _answered(question, value: Any, definition, coder: Coder) -> dict:
    return {"linkId": question.id, "text": question.label,
            "answer": question.kind.fhir_answers(question, value, definition, coder)}


def _total(group, questions, answers: Mapping[str, Any]) -> int | None:
    """The instrument's sum of option scores, once every item is answered."""
    scores = [q.kind.option_scores(q).get(answers.get(q.id)) for q in questions]
    return None if any(s is None for s in scores) else sum(scores)


def read_response(definition, data: Any, today: date, base: str = BASE) -> dict[str, Any]:
    """A QuestionnaireResponse (parsed JSON) back as answers keyed by question id.

    Each answer is read by its question's type and checked as a stored answer
    is (``problem``); unknown linkIds, a second answer to one question, an
    answer of the wrong type and a response for another questionnaire are all
    problems. Raises ResponseError with every problem; returns only when
    there are none."""
    if not isinstance(data, Mapping) or data.get("resourceType") != "QuestionnaireResponse":
        raise ResponseError(["not a QuestionnaireResponse (resourceType)"])
    problems: list[str] = []
    named = data.get("questionnaire")
    if named is not None and (not isinstance(named, str)
                              or named.partition("|")[0] != questionnaire_url(base)):
        problems.append(f"answers another questionnaire ({named!r}, "
                        f"not {questionnaire_url(base)!r})")
    coder = Coder(definition, base)
    containers = _containers(definition, coder)
    answers: dict[str, Any] = {}
    seen = 0
    stack = [(item, 1) for item in reversed(_items(data, "the response", problems))]
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > MAX_ITEMS or depth > MAX_DEPTH:
            raise ResponseError([*problems, "has too many items, or items nested too deep"])
        if not isinstance(item, Mapping) or not isinstance(item.get("linkId"), str):
            problems.append("an item without a linkId")
            continue
        link = item["linkId"]
        nested = _items(item, link, problems)
        given = item.get("answer")
        for answer in given if isinstance(given, list) else ():
            if isinstance(answer, Mapping):
                nested += _items(answer, link, problems)
        stack += [(child, depth + 1) for child in reversed(nested)]
        if link in containers:
            continue
        if link not in definition.questions:
            problems.append(f"{link}: not a question of this questionnaire")
            continue
        if link in answers:
            problems.append(f"{link}: answered twice")
            continue
        question = definition.questions[link]
        kind = question.kind
        try:
            value = kind.from_fhir_answers(question, item.get("answer"), definition, coder)
        except ValueError as exc:
            problems.append(f"{link}: {exc}")
            continue
        if kind.is_blank(value):  # an empty string: nothing said, nothing stored
            continue
        wrong = kind.problem(question, value, definition, today)
        if wrong:
            problems.append(f"{link}: {wrong}")
            continue
        answers[link] = value
    if problems:
        raise ResponseError(problems)
    return answers


def _items(holder: Mapping[str, Any], where: str, problems: list[str]) -> list:
    items = holder.get("item", [])
    if not isinstance(items, list):
        problems.append(f"{where}: item must be a list")
        return []
    return list(items)


def _containers(definition, coder: Coder) -> frozenset[str]:
    """linkIds that hold items but no answer of their own: steps, groups, totals."""
    ids = {step.id for step in definition.steps}
    for group in coder.groups:
        ids.add(group.id)
        if group.total:
            ids.add(group.total[0])
    return frozenset(ids)
