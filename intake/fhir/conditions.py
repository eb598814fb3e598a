"""A question's show_if as FHIR R4 ``enableWhen``, where FHIR can say it.

R4's enableWhen is a flat list of (question, operator, answer) joined by one
``enableBehavior`` (all or any). What fits:

- ``equals`` / ``contains`` a value: ``=`` that value;
- ``in`` / ``contains_any`` a list: ``=`` each value, behaviour ``any``;
- ``not_in`` a list: ``!=`` each value, behaviour ``all`` (R4's ``!=`` is
  true when no answer equals the value, so an unanswered question is "not
  in", as in show_if);
- ``answered``: ``exists``;
- ``not`` around one ``equals``: ``!=``;
- ``all`` / ``any`` of conditions that are each one enableWhen, or joined
  the same way (``in`` inside an ``any``).

What does not fit (an age from the date of birth, a list inside an ``all``,
``not`` around anything else, nesting) gets no enableWhen: the item carries
the show_if itself in the extension ``SHOW_IF`` (docs/FHIR.md).
"""

from __future__ import annotations

import json
from typing import Any

from .codes import url

SHOW_IF = "show-if"


class Unsaid(Exception):
    """This condition cannot be said as R4 enableWhen."""


def enable_when(question, definition, coder) -> dict[str, Any]:
    """The item keys for the question's show_if: enableWhen (+ enableBehavior),
    or the show_if extension; empty for a question always asked."""
    if question.show_if is None:
        return {}
    data = question.show_if.to_data()
    try:
        behavior, checks = _top(data, definition, coder)
    except Unsaid:
        return {"extension": [{
            "url": url("StructureDefinition", SHOW_IF, base=coder.base),
            "valueString": json.dumps(data, ensure_ascii=False, sort_keys=True),
        }]}
    out: dict[str, Any] = {"enableWhen": checks}
    if len(checks) > 1:
        out["enableBehavior"] = behavior
    return out


def _top(data: dict, definition, coder) -> tuple[str, list[dict]]:
    if "all" in data or "any" in data:
        behavior = "all" if "all" in data else "any"
        checks = []
        for item in data[behavior]:
            joined, one = _leaf(item, definition, coder)
            if len(one) != 1 and joined != behavior:  # "in" inside an "all"
                raise Unsaid
            checks += one
        return behavior, checks
    return _leaf(data, definition, coder)


def _leaf(data: dict, definition, coder) -> tuple[str, list[dict]]:
    if "not" in data:
        inner = data["not"]
        if "question" in inner and "equals" in inner:
            return "all", [_check(definition, coder, inner["question"], "!=", inner["equals"])]
        raise Unsaid
    if "question" not in data:
        raise Unsaid  # age_under, or an all/any inside another
    qid = data["question"]
    (operator, value), = ((k, v) for k, v in data.items() if k != "question")
    if operator == "answered":
        return "all", [{"question": qid, "operator": "exists", "answerBoolean": value}]
    if operator in ("equals", "contains"):
        return "all", [_check(definition, coder, qid, "=", value)]
    if operator in ("in", "contains_any"):
        return "any", [_check(definition, coder, qid, "=", v) for v in value]
    if operator == "not_in":
        return "all", [_check(definition, coder, qid, "!=", v) for v in value]
    raise Unsaid


def _check(definition, coder, qid: str, operator: str, value: Any) -> dict:
    """One enableWhen: the value coded as the question's type codes an answer."""
    question = definition.question(qid)
    kind = question.kind
    one = [value] if kind.fhir_repeats else value
    (answer,) = kind.fhir_answers(question, one, definition, coder)
    (key, coded), = answer.items()
    return {"question": qid, "operator": operator, "answer" + key[len("value"):]: coded}
