"""Nothing outside intake/questionnaire/types/ branches on a question's type.

A type says what fits it (rule and show_if operators, free text, numeric,
region list, the values a condition may name: types/base.py); code elsewhere
asks those capabilities, so a new type is one class, its macro and its
tests, with no edit in screening/, the blueprints or the templates. This
test greps the source so it stays that way.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from screening_fakes import QUESTIONNAIRE

from intake.questionnaire.definition import load_definition
from intake.questionnaire.types import TYPES, QuestionType
from intake.screening.compiler import Compiler
from intake.screening.conditions import FALSE, TRUE, UNKNOWN, ConditionError, Context
from intake.screening.plan import Plan
from intake.screening.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
TYPES_PACKAGE = ROOT / "intake" / "questionnaire" / "types"
#: a question type's name in quotes: "multi", 'scale'
NAME = r"[\"'](?:" + "|".join(sorted(TYPES)) + r")[\"']"
CLASSES = r"(?:" + "|".join(sorted({type(kind).__name__ for kind in TYPES.values()})) + ")"

BRANCHES = [
    # question.type == "multi", q.type in (...), .type not in ...
    re.compile(r"\.type\s*(?:[!=]==?|(?:not\s+)?in\b)"),
    # qtype != "date", question_type in FREE_TEXT_TYPES, kind == "choice"
    re.compile(r"\b\w*(?:type|kind)\w*\s*[!=]==?\s*" + NAME),
    re.compile(NAME + r"\s*[!=]==?\s*\w*(?:type|kind)\b"),
    re.compile(r"\b\w*(?:type|kind)\w*\s+(?:not\s+)?in\s*[(\[{]\s*" + NAME),
    # sets of type names: NUMBER_TYPES, CHOICE_TYPES, OPERATOR_TYPES, and
    # tables keyed by them: QUIET_BY_TYPE
    re.compile(r"\b[A-Z][A-Z_]*_TYPES\b"),
    re.compile(r"\b[A-Z][A-Z_]*_BY_TYPE\b"),
    re.compile(r"\b(?:qtype|question_type)\b\s*(?:[!=]=|(?:not\s+)?in\b)"),
    re.compile(r"\.kind\.name\s*(?:[!=]=|(?:not\s+)?in\b)"),
    # isinstance(question.kind, Multi)
    re.compile(r"isinstance\([^)]*\b" + CLASSES + r"\)"),
]
#: lines that compare a "type" which is not a question's type
NOT_QUESTION_TYPES = [
    re.compile(r"\bf\.type == 'BooleanField'"),            # a WTForms field class (staff form)
    re.compile(r"\b(?:first|box|input|el)\.type\s*!?=="),  # an <input type> in patient.js
]


def sources() -> list[Path]:
    found = []
    for folder, pattern in (("intake", "*.py"), ("templates", "*.html"), ("static", "*.js")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if TYPES_PACKAGE not in path.parents:
                found.append(path)
    return found


def branches(text: str) -> list[str]:
    return [
        line.strip()
        for line in text.splitlines()
        if any(b.search(line) for b in BRANCHES)
        and not any(n.search(line) for n in NOT_QUESTION_TYPES)
    ]


def test_no_code_outside_the_types_branches_on_a_question_type():
    found = [
        f"{path.relative_to(ROOT)}: {line}"
        for path in sources()
        for line in branches(path.read_text(encoding="utf-8"))
    ]
    assert not found, "branches on a question's type (ask the type instead):\n" + "\n".join(found)


def test_the_sources_scanned_include_the_screening_compiler_and_the_templates():
    scanned = {str(path.relative_to(ROOT)) for path in sources()}
    assert "intake/screening/compiler.py" in scanned
    assert "templates/staff/intake.html" in scanned
    assert "static/js/patient.js" in scanned
    assert not any(s.startswith("intake/questionnaire/types/") for s in scanned)


@pytest.mark.parametrize("line", [
    'if question.type == "multi":',
    "if question.type in NUMBER_TYPES and points is None:",
    'if qtype != "date":',
    'kind = "a region" if qtype == "regions" else "an option"',
    "if question_type in FREE_TEXT_TYPES:",
    '{% if row.kind == "signature" %}',
    'if (q.type === "scale") {',
    "if isinstance(question.kind, Multi):",
    'if kind in ("choice",):',
    "quiet = QUIET_BY_TYPE.get(question.type)",
])  # fmt: skip
def test_the_grep_finds_a_branch_when_there_is_one(line):
    assert branches(line) == [line]


@pytest.mark.parametrize("line", [
    "if question.kind.numeric:",
    "for name in operators - ANY_TYPE_OPERATORS - kind.rule_operators:",
    'if doc.kind == "reviewed_summary"',
    "{% if f.type == 'BooleanField' %}",
    'if (first.type === "radio") {',
    "if value.__class__ in BLANK_CLASSES and is_blank(value):",
])  # fmt: skip
def test_the_grep_leaves_capabilities_and_other_kinds_alone(line):
    assert branches(line) == []


# --- a new type is picked up by the rule compiler without an edit there ------


class Stars(QuestionType):
    """A made-up type: one to five stars, numeric, compared with gte/lt only."""

    name = "stars"
    answer = "integer"
    macro = "scale_input"
    rule_operators = frozenset({"gte", "lt"})
    numeric = True


def test_a_new_type_needs_no_edit_in_the_screening_compiler(monkeypatch, tmp_path):
    monkeypatch.setitem(TYPES, "stars", Stars())
    data = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))
    pain = next(step for step in data["steps"] if step["id"] == "pain")
    pain["questions"].append({"id": "pain.stars", "type": "stars", "label": "Stars"})
    path = tmp_path / "stars.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    definition = load_definition(path)  # the real loader knows the new type
    vocabulary = Vocabulary.from_data(yaml.safe_load(
        (ROOT / "rules" / "medications.yaml").read_text(encoding="utf-8")))
    compiler = Compiler(definition, vocabulary)

    def state(condition: dict, answers: dict) -> int:
        ctx = Context(answers, date(2026, 6, 1), Plan(), (), lambda qid: True)
        return compiler.compile(condition).test(ctx)

    gte = {"question": "pain.stars", "gte": 4}
    assert state(gte, {"pain.stars": 5}) == TRUE
    assert state(gte, {"pain.stars": 2}) == FALSE
    assert state(gte, {}) == UNKNOWN  # shown and left blank: not free text
    assert state({"question": "pain.stars", "answered": True}, {"pain.stars": 1}) == TRUE
    with pytest.raises(ConditionError, match="'equals' does not fit a stars question"):
        compiler.compile({"question": "pain.stars", "equals": 3})
    with pytest.raises(ConditionError, match=r"'lt' does not fit a choice question \(fits .*stars"):
        compiler.compile({"question": "history.fever", "lt": 3})
