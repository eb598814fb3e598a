"""The question types: one class per ``type:`` of questionnaire.yaml.

``TYPES`` maps each name to its (stateless, shared) type object;
``Question.kind`` is the one for a question. To add a type: a class here
(base.py says what it owns), its macro in templates/_macros/fields.html,
its tests, and a line in FORMAT.md.
"""

from __future__ import annotations

from .base import ParseError, QuestionType, Shown
from .choices import Choice, Multi, Regions
from .dates import Date
from .display import AnswerFormat
from .marks import Boolean, Signature
from .numbers import Decimal, Integer, Scale
from .text import EmailAddress, Phone, Text, TextArea

TYPES: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (Text(), TextArea(), EmailAddress(), Phone(), Date(), Integer(), Decimal(),
                 Scale(), Choice(), Multi(), Regions(), Boolean(), Signature())
}


def get(name: str) -> QuestionType:
    """The type called ``name``; KeyError names the known ones."""
    try:
        return TYPES[name]
    except KeyError:
        raise KeyError(f"unknown question type {name!r} (known: {', '.join(TYPES)})") from None


__all__ = ["TYPES", "AnswerFormat", "ParseError", "QuestionType", "Shown", "get"]
