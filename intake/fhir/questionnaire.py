"""The questionnaire definition as a FHIR R4 ``Questionnaire`` (a plain dict).

One group item per step (linkId: the step id); inside it, each question
(linkId: the question id, never renamed) with what its type says about
itself (``QuestionType.fhir_item``), its help as a child display item, the
preamble of a standard instrument as a display item before it, and its
show_if as enableWhen where FHIR can say it (conditions.py). The standard
instruments are groups of their own with their LOINC codes (codes.yaml).
``layout`` is the one walk of that tree: the QuestionnaireResponse follows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .codes import BASE, Coder, Group, questionnaire_url
from .conditions import enable_when

ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROLS = "http://hl7.org/fhir/questionnaire-item-control"
TITLE = "Patient intake and dry-needling screening"


def layout(step, coder: Coder) -> Iterator[tuple[Group | None, list]]:
    """The step's questions in order, each run of a group's items together:
    (group, its questions) or (None, [one question])."""
    by_first = {group.items[0]: group for group in coder.groups}
    questions = list(step.questions)
    k = 0
    while k < len(questions):
        group = by_first.get(questions[k].id)
        if group is None:
            yield None, [questions[k]]
            k += 1
        else:
            yield group, questions[k:k + len(group.items)]
            k += len(group.items)


def questionnaire(definition, base: str = BASE) -> dict[str, Any]:
    """The whole definition as a Questionnaire resource (R4 JSON shape)."""
    coder = Coder(definition, base)
    items = []
    for step in definition.steps:
        children: list[dict] = []
        if step.intro:
            children.append(_display(f"{step.id}.intro", step.intro))
        for group, questions in layout(step, coder):
            asked = [part for q in questions for part in _question(q, definition, coder)]
            children += [_group(group, asked)] if group else asked
        items.append({"linkId": step.id, "type": "group", "text": step.title,
                      "item": children})
    return {
        "resourceType": "Questionnaire",
        "id": "intake",
        "url": questionnaire_url(base),
        "version": definition.version,
        "name": "IntakeQuestionnaire",
        "title": TITLE,
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def canonical(definition, base: str = BASE) -> str:
    """url|version: how a QuestionnaireResponse names this Questionnaire."""
    return f"{questionnaire_url(base)}|{definition.version}"


def _group(group: Group, asked: list[dict]) -> dict:
    item: dict[str, Any] = {"linkId": group.id, "type": "group", "text": group.text}
    if group.code:
        item["code"] = [_loinc(group.code, group.display)]
    if group.total:
        link, text, code, display = group.total
        asked = asked + [{"linkId": link, "type": "integer", "text": text, "readOnly": True,
                          "code": [_loinc(code, display)]}]
    item["item"] = asked
    return item


def _question(question, definition, coder: Coder) -> list[dict]:
    parts = []
    if question.preamble:
        parts.append(_display(f"{question.id}.preamble", question.preamble))
    kind = question.kind
    item: dict[str, Any] = {"linkId": question.id, "text": question.label,
                            **kind.fhir_item(question, definition, coder)}
    if question.id in coder.question_codes:
        item["code"] = [coder.question_codes[question.id]]
    item["required"] = question.required
    for key, value in enable_when(question, definition, coder).items():
        item[key] = item.get(key, []) + value if key == "extension" else value
    if question.help:
        item["item"] = [_display(f"{question.id}.help", question.help, control="help")]
    parts.append(item)
    return parts


def _display(link: str, text: str, control: str | None = None) -> dict:
    item: dict[str, Any] = {"linkId": link, "type": "display", "text": text}
    if control:
        item["extension"] = [{"url": ITEM_CONTROL, "valueCodeableConcept": {
            "coding": [{"system": ITEM_CONTROLS, "code": control}]}}]
    return item


def _loinc(code: str, display: str | None) -> dict:
    out = {"system": "http://loinc.org", "code": code}
    if display:
        out["display"] = display
    return out
