"""The questionnaire definition as a FHIR R4 ``Questionnaire`` (a plain dict).

One group item per step (linkId: the step id); inside it, each question
(linkId: the question id, never renamed) with what its type says about
itself (``QuestionType.fhir_item``), its help as a child display item, the
preamble of a standard instrument as a display item before it, and its
show_if as enableWhen where FHIR can say it (conditions.py). The standard
instruments are groups of their own with their LOINC codes (codes.yaml).
``layout`` is the one walk of that tree: the QuestionnaireResponse follows it.

The texts are English, and each one that the patient pages show in another
language carries it in FHIR's translation extension, so an EMR can show the
questionnaire in the patient's language (``Texts``): the same walk reads each
text from the translated definition too (``Definition.translated``). A text
that reads the same in both (an ``english_only`` instrument, a text not yet
translated) carries none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from intake.i18n import LANGUAGES

from .codes import BASE, Coder, Group, language_tag, questionnaire_url
from .conditions import enable_when

ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROLS = "http://hl7.org/fhir/questionnaire-item-control"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
TITLE = "Patient intake and dry-needling screening"
#: the title in each language (the other texts are the definition's)
TITLES = {"en": TITLE, "fr": "Questionnaire d’accueil et dépistage pour la puncture sèche"}


class Texts:
    """Each English text with its other languages beside it, as ``_<key>``
    (FHIR's translation extension: ``lang`` is the BCP 47 tag, ``content``
    the text)."""

    def __init__(self, definition) -> None:
        english = getattr(definition, "english", None) or definition
        self.others = [(language, english.translated(language)) for language in LANGUAGES
                       if language != "en" and hasattr(english, "translated")]

    def put(self, out: dict, key: str, english: str, pick: Callable[[Any], str | None]) -> dict:
        """``out[key]`` = the English text, and ``out[_key]`` its translations;
        ``pick`` finds the same text in a translated definition."""
        out[key] = english
        found = [(language, pick(other)) for language, other in self.others]
        translations = [_translation(language, text) for language, text in found
                        if text and text != english]
        if translations:
            out[f"_{key}"] = {"extension": translations}
        return out

    def title(self) -> dict:
        return self.put({}, "title", TITLE, lambda other: TITLES.get(other.language))

    def options(self, item: dict, question, coder: Coder) -> None:
        """The answerOptions' displays: the question's type writes its options
        in each language (same values, same order), and each coding gets the
        other languages' displays."""
        theirs = {other.language: [option.get("valueCoding") or {} for option in
                                   question.kind.fhir_item(other.questions[question.id], other,
                                                           coder).get("answerOption", ())]
                  for _, other in self.others}
        for n, option in enumerate(item.get("answerOption", ())):
            coding = option.get("valueCoding")
            if coding and "display" in coding:
                self.put(coding, "display", coding["display"],
                         lambda other, n=n: theirs[other.language][n].get("display"))


def _translation(language: str, text: str) -> dict:
    return {"url": TRANSLATION, "extension": [
        {"url": "lang", "valueCode": language_tag(language)},
        {"url": "content", "valueString": text}]}


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
    texts = Texts(definition)
    items = []
    for step in definition.steps:
        children: list[dict] = []
        if step.intro:
            children.append(_display(f"{step.id}.intro", step.intro, texts,
                                     lambda other, s=step.id: other.step(s).intro))
        for group, questions in layout(step, coder):
            asked = [part for q in questions for part in _question(q, definition, coder, texts)]
            children += [_group(group, asked)] if group else asked
        item = {"linkId": step.id, "type": "group"}
        texts.put(item, "text", step.title, lambda other, s=step.id: other.step(s).title)
        items.append({**item, "item": children})
    return {
        "resourceType": "Questionnaire",
        "id": "intake",
        "language": language_tag("en"),
        "url": questionnaire_url(base),
        "version": definition.version,
        "name": "IntakeQuestionnaire",
        **texts.title(),
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


def _question(question, definition, coder: Coder, texts: Texts) -> list[dict]:
    def theirs(key: str) -> Callable[[Any], str | None]:
        return lambda other: getattr(other.questions[question.id], key)

    parts = []
    if question.preamble:
        parts.append(_display(f"{question.id}.preamble", question.preamble, texts,
                              theirs("preamble")))
    kind = question.kind
    item: dict[str, Any] = {"linkId": question.id}
    texts.put(item, "text", question.label, theirs("label"))
    item.update(kind.fhir_item(question, definition, coder))
    texts.options(item, question, coder)
    if question.id in coder.question_codes:
        item["code"] = [coder.question_codes[question.id]]
    item["required"] = question.required
    for key, value in enable_when(question, definition, coder).items():
        item[key] = item.get(key, []) + value if key == "extension" else value
    if question.help:
        item["item"] = [_display(f"{question.id}.help", question.help, texts, theirs("help"),
                                 control="help")]
    parts.append(item)
    return parts


def _display(link: str, text: str, texts: Texts, pick: Callable[[Any], str | None],
             control: str | None = None) -> dict:
    item: dict[str, Any] = {"linkId": link, "type": "display"}
    texts.put(item, "text", text, pick)
    if control:
        item["extension"] = [{"url": ITEM_CONTROL, "valueCodeableConcept": {
            "coding": [{"system": ITEM_CONTROLS, "code": control}]}}]
    return item


def _loinc(code: str, display: str | None) -> dict:
    out = {"system": "http://loinc.org", "code": code}
    if display:
        out["display"] = display
    return out
