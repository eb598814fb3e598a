"""Load and validate the questionnaire definition (questionnaire.yaml + regions.yaml).

The questionnaire is data so that a question is written once and the form,
review page, PDF, JSON schema and screening rules all follow it. That only
works if a bad file stops the app at start-up: every check here names the
file, the question (or area) id and the problem, and raises DefinitionError.
Pure Python on purpose (no Flask, no database) so the screening engine and
the CLI can use it too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from . import answers as _answers
from . import parsing
from .conditions import Condition
from .regions import Regions, parse_regions

HERE = Path(__file__).resolve().parent
DEFAULT_PATH = HERE / "questionnaire.yaml"
DEFAULT_REGIONS_PATH = HERE / "regions.yaml"

schema = _answers.schema  # `intake questionnaire schema` imports it from here


class DefinitionError(ValueError):
    """A questionnaire or regions file that does not validate; names file and id."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    help: str | None = None
    #: points the instrument's scoring gives this option (PHQ-2, STarT Back)
    score: int | None = None
    #: optional heading to show the option under in long pick lists
    group: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    step_id: str
    help: str | None = None
    required: bool = True
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    max_length: int | None = None
    unit: str | None = None
    exclusive: tuple[str, ...] = ()
    not_future: bool = False
    not_past: bool = False
    min_label: str | None = None
    max_label: str | None = None
    autocomplete: str | None = None
    #: text shown above the question (instructions of a standard instrument)
    preamble: str | None = None
    #: regions: "diagram" (the body diagram) or "list" (a compact grouped list)
    picker: str = "list"

    def option(self, value: str) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(f"{self.id}: no option {value!r}")


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    number: int
    questions: tuple[Question, ...]
    intro: str | None = None


@dataclass(frozen=True, eq=False)
class Definition:
    version: str
    steps: tuple[Step, ...]
    #: read-only mapping id -> Question, in questionnaire order
    questions: Mapping[str, Question]
    regions: Regions
    path: str = ""
    regions_path: str = ""

    def question(self, question_id: str) -> Question:
        try:
            return self.questions[question_id]
        except KeyError:
            raise KeyError(f"unknown question id {question_id!r}") from None

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"unknown step id {step_id!r}")

    def is_visible(
        self, question: Question | str, answers: Mapping[str, Any], today: date | None = None
    ) -> bool:
        """The show_if against the answers; a question whose condition names a
        hidden question is hidden too. ``today`` (default: today) is for age_under."""
        return self._visible(self._q(question), answers, today or date.today(), {})

    def _visible(
        self, question: Question, answers: Mapping[str, Any], today: date, memo: dict[str, bool]
    ) -> bool:
        if question.id in memo:
            return memo[question.id]
        cond = question.show_if
        result = cond is None or (
            all(self._visible(self.questions[r], answers, today, memo) for r in cond.question_ids())
            and cond.evaluate(answers, today)
        )
        memo[question.id] = result
        return result

    def visibility(self, answers: Mapping[str, Any], today: date | None = None) -> dict[str, bool]:
        """Every question id -> visible, in one pass."""
        memo: dict[str, bool] = {}
        today = today or date.today()
        for question in self.questions.values():
            self._visible(question, answers, today, memo)
        return {qid: memo[qid] for qid in self.questions}

    def visible_questions(
        self, step: Step | str, answers: Mapping[str, Any], today: date | None = None
    ) -> tuple[Question, ...]:
        step = self.step(step) if isinstance(step, str) else step
        memo: dict[str, bool] = {}
        today = today or date.today()
        return tuple(q for q in step.questions if self._visible(q, answers, today, memo))

    def prune(self, answers: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
        """The answers without unknown ids, hidden questions and blank values:
        what may be stored ("data posted for a hidden question is dropped")."""
        visible = self.visibility(answers, today)
        return {
            qid: value
            for qid, value in answers.items()
            if visible.get(qid) and not _answers.is_blank(value)
        }

    def option_label(self, question_id: str, value: Any) -> str:
        """The label of an option value (choice, multi) or region id (regions)."""
        question = self.question(question_id)
        if question.type == "regions":
            return self.regions.label(value)
        return question.option(value).label

    def check_answers(self, answers: Any, today: date | None = None) -> list[str]:
        """Whole-intake check; one message per problem, each starting with the id."""
        return _answers.check_answers(self, answers, today or date.today())

    def _q(self, question: Question | str) -> Question:
        return self.question(question) if isinstance(question, str) else question


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot read the file ({exc.strerror})") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: not valid YAML: {exc}") from exc


def load_definition(
    path: str | Path | None = None, regions_path: str | Path | None = None
) -> Definition:
    """Load and validate; the shipped files are loaded once and cached."""
    if path is None and regions_path is None:
        return _load_default()
    return _load(
        Path(path) if path is not None else DEFAULT_PATH,
        Path(regions_path) if regions_path is not None else DEFAULT_REGIONS_PATH,
    )


@functools.cache
def _load_default() -> Definition:
    return _load(DEFAULT_PATH, DEFAULT_REGIONS_PATH)


def _load(path: Path, regions_path: Path) -> Definition:
    raw_regions = _read_yaml(regions_path)
    try:
        regions = parse_regions(raw_regions)
    except ValueError as exc:
        raise DefinitionError(f"{regions_path}: {exc}") from exc
    raw = _read_yaml(path)
    try:
        version, steps = parsing.parse_questionnaire(raw, regions)
    except parsing.ParseError as exc:
        raise DefinitionError(f"{path}: {exc}") from exc
    built_steps = []
    questions: dict[str, Question] = {}
    for number, raw_step in enumerate(steps, start=1):
        built = tuple(
            Question(
                step_id=raw_step["id"],
                **{**q, "options": tuple(Option(**o) for o in q.get("options", ()))},
            )
            for q in raw_step["questions"]
        )
        questions.update((q.id, q) for q in built)
        built_steps.append(
            Step(
                id=raw_step["id"],
                title=raw_step["title"],
                intro=raw_step["intro"],
                number=number,
                questions=built,
            )
        )
    return Definition(
        version=version,
        steps=tuple(built_steps),
        questions=MappingProxyType(questions),
        regions=regions,
        path=str(path),
        regions_path=str(regions_path),
    )
