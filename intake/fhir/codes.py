"""The code systems and canonical URLs of the FHIR resources, in one place.

The project's own codes live under one canonical base (``BASE``): a code
system per question for its option values (an option value such as "other"
means something different in each question), one for the body regions, one
for the screening rules. The standard instruments keep their LOINC codes
(codes.yaml). A question type asks the ``Coder`` for a coding and back
(``QuestionType.fhir_encode``/``fhir_decode``), so no code here knows a
question's type.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake.datafiles import parse_yaml
from intake.i18n import locale_for

#: where the project's canonical URLs live; a deployment never changes it:
#: the Questionnaire's url names the questionnaire, not the server
BASE = "https://intake.example.org/fhir"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CORE = "http://hl7.org/fhir/StructureDefinition"
CODES_PATH = Path(__file__).resolve().parent / "codes.yaml"


class CodesError(ValueError):
    """codes.yaml does not fit the questionnaire; names the id and the problem."""


@dataclass(frozen=True)
class Group:
    """Consecutive questions of one step asked as one instrument (PHQ-2)."""

    id: str
    text: str
    items: tuple[str, ...]
    code: str | None = None
    display: str | None = None
    #: (linkId, text, code, display) of the instrument's total, if it has one
    total: tuple[str, str, str, str] | None = None


def url(*parts: str, base: str = BASE) -> str:
    return "/".join((base, *parts))


def language_tag(language: str) -> str:
    """A stored language code as a BCP 47 tag: "fr" -> "fr-CA" (Canadian French)."""
    return locale_for(language, language).replace("_", "-")


def questionnaire_url(base: str = BASE) -> str:
    return url("Questionnaire", "intake", base=base)


def extension(name: str, value: Mapping[str, Any], base: str | None = None) -> dict:
    """A core extension (``minValue``) or, with ``base``, one of the project's."""
    where = url("StructureDefinition", name, base=base) if base else f"{CORE}/{name}"
    return {"url": where, **value}


class Coder:
    """Codings for option values and regions, and back; units; extensions."""

    def __init__(self, definition, base: str = BASE) -> None:
        self.base = base
        bindings = load_bindings(definition)
        self.question_codes: dict[str, dict] = bindings[0]
        self._answers: dict[str, dict[str, str]] = bindings[1]
        self.groups: tuple[Group, ...] = bindings[2]

    def system(self, question_id: str, system: str) -> str:
        if system == "region":
            return url("CodeSystem", "body-region", base=self.base)
        return url("CodeSystem", question_id, base=self.base)

    def coding(self, question_id: str, value: str, display: str, system: str) -> dict:
        loinc = self._answers.get(question_id, {}).get(value)
        if loinc:
            return {"system": LOINC, "code": loinc, "display": display}
        return {"system": self.system(question_id, system), "code": value, "display": display}

    def value(self, question_id: str, coding: Any, system: str) -> str:
        """The option value (or region id) a coding names; ValueError if none."""
        if not isinstance(coding, Mapping) or not isinstance(coding.get("code"), str):
            raise ValueError("needs a coding with a code")
        code, named = coding["code"], coding.get("system")
        if named == LOINC:
            for value, loinc in self._answers.get(question_id, {}).items():
                if loinc == code:
                    return value
        elif named == self.system(question_id, system):
            return code
        raise ValueError(f"{named}|{code} is not one of its codes")

    def extension(self, name: str, value: Mapping[str, Any]) -> dict:
        return extension(name, value)

    def unit(self, unit: str) -> dict:
        return extension("questionnaire-unit",
                         {"valueCoding": {"system": UCUM, "code": unit, "display": unit}})


@functools.cache
def _raw_bindings() -> Any:
    return parse_yaml(CODES_PATH.read_text(encoding="utf-8"))


def load_bindings(definition, raw: Any = None) -> tuple[dict, dict, tuple[Group, ...]]:
    """codes.yaml checked against ``definition``: question codes, answer codes, groups."""
    raw = _raw_bindings() if raw is None else raw
    lists = raw.get("answer_lists") or {}
    questions, answers = {}, {}
    for qid, entry in (raw.get("questions") or {}).items():
        question = _question(definition, qid)
        if question is None:
            continue
        questions[qid] = {"system": LOINC, "code": entry["code"], "display": entry["display"]}
        if "answers" in entry:
            table = lists.get(entry["answers"])
            if table is None:
                raise CodesError(f"{qid}: unknown answer list {entry['answers']!r}")
            for value in table:
                try:
                    question.option(value)
                except KeyError:
                    raise CodesError(f"{qid}: {value!r} is not an option") from None
            answers[qid] = dict(table)
    groups = tuple(group for entry in raw.get("groups") or ()
                   if (group := _group(definition, entry)) is not None)
    return questions, answers, groups


def _question(definition, qid: str):
    """The question, or None when this definition does not ask it (a test's
    small questionnaire): its codes are then left out, not refused. That the
    shipped questionnaire asks every one is a test (tests/test_fhir_questionnaire.py)."""
    return definition.questions.get(qid)


def bound_ids(raw: Any = None) -> frozenset[str]:
    """Every question id codes.yaml names."""
    raw = _raw_bindings() if raw is None else raw
    return frozenset(raw.get("questions") or ()) | frozenset(
        qid for entry in raw.get("groups") or () for qid in entry["items"])


def _group(definition, entry: Mapping[str, Any]) -> Group | None:
    items = tuple(entry["items"])
    if any(_question(definition, qid) is None for qid in items):
        return None
    steps = {_question(definition, qid).step_id for qid in items}
    if len(steps) != 1:
        raise CodesError(f"{entry['id']}: its items are not all in one step")
    order = [q.id for q in definition.step(steps.pop()).questions]
    start = order.index(items[0])
    if tuple(order[start:start + len(items)]) != items:
        raise CodesError(f"{entry['id']}: its items are not consecutive in their step")
    total = entry.get("total")
    return Group(
        id=entry["id"], text=entry["text"], items=items,
        code=entry.get("code"), display=entry.get("display"),
        total=(total["id"], total["text"], total["code"], total["display"]) if total else None,
    )
