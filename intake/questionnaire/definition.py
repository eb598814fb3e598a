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
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from intake.datafiles import parse_yaml
from intake.i18n import LANGUAGES

from . import answers as _answers
from . import memo, parsing
from .conditions import Condition
from .regions import Regions, parse_regions
from .types import TYPES, QuestionType

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
    #: the language its texts are in where not the definition's (Question.text_language)
    text_language: str | None = None


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
    #: what the code finds this question by (parsing.ROLES), if anything
    role: str | None = None
    #: a required question that may be left blank when one of these (asked on
    #: its step or before) is answered: a pick list and its "other" free text
    required_unless_answered: tuple[str, ...] = ()
    #: the language its texts (and its options') are in where it is not the
    #: definition's: "en" for an instrument a translation leaves in English
    #: (translation.py, english_only); None otherwise. Pages mark it lang="…"
    #: (templates/_macros/lang.html) so it is read and hyphenated as English.
    text_language: str | None = None

    @property
    def kind(self) -> QuestionType:
        """The type object that reads, checks, asks and shows this question."""
        return TYPES[self.type]

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
    #: the earlier step this one is the second part of (its questions keep
    #: that step's id prefix)
    continues: str | None = None


@dataclass(frozen=True, eq=False)
class Definition:
    version: str
    steps: tuple[Step, ...]
    #: read-only mapping id -> Question, in questionnaire order
    questions: Mapping[str, Question]
    regions: Regions
    path: str = ""
    regions_path: str = ""
    #: sha256 of the regions and questionnaire texts this was built from
    content_hash: str = ""
    #: role -> question id (each role is given to exactly one question)
    roles: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: the language of the texts ("en", or the one ``translated`` gave)
    language: str = "en"
    #: the English definition a translated one was made from
    english: Definition | None = field(default=None, repr=False)

    def translated(self, language: str) -> Definition:
        """The same definition with its texts in ``language`` (translation.py):
        same ids, steps, show_ifs, types and option values; "en" is the English
        definition itself. Built once per definition and language."""
        from . import translation  # it builds Definitions: imported when asked
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")
        english = self.english or self
        return english if language == "en" else translation.translate(english, language)

    def role(self, name: str) -> Question:
        """The question with ``role: name``; KeyError if this definition has none."""
        try:
            return self.questions[self.roles[name]]
        except KeyError:
            raise KeyError(f"no question has role {name!r}") from None

    def role_step(self, name: str) -> Step:
        """The step holding the question with ``role: name`` (consent: the consent step)."""
        return self.step(self.role(name).step_id)

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
        self, question: Question | str, answers: Mapping[str, Any], today: date
    ) -> bool:
        """The show_if against the answers; a question whose condition names a
        hidden question is hidden too. ``today`` is the clinic's (intake.clock),
        or the intake's day when re-checking an old one; age_under reads it."""
        return self._visible(self._q(question), answers, today, {})

    def _visible(
        self, question: Question, answers: Mapping[str, Any], today: date, seen: dict[str, bool]
    ) -> bool:
        if question.id in seen:
            return seen[question.id]
        cond = question.show_if
        result = cond is None or (
            all(self._visible(self.questions[r], answers, today, seen)
                for r in self._reads[question.id])
            and cond.evaluate(answers, today)
        )
        seen[question.id] = result
        return result

    @functools.cached_property
    def _reads(self) -> dict[str, tuple[str, ...]]:
        """Question id -> the ids its show_if names (computed once, not per answer)."""
        return {
            qid: tuple(sorted(q.show_if.question_ids())) if q.show_if else ()
            for qid, q in self.questions.items()
        }

    def visibility(self, answers: Mapping[str, Any], today: date) -> dict[str, bool]:
        """Every question id -> visible, in one pass (once per answers in a request)."""
        return memo.remembered("visibility", self, lambda: (today, self._values(answers)),
                               lambda: self._visibility(answers, today), dict)

    def _values(self, answers: Mapping[str, Any]) -> tuple[Any, ...]:
        """What visibility and the whole check read: each question's answer
        (a missing answer and None are the same to both)."""
        return memo.freeze_each(answers.get, self.questions)

    def _visibility(self, answers: Mapping[str, Any], today: date) -> dict[str, bool]:
        # A show_if names only questions asked before it (parsing.py checks
        # that), so one pass in questionnaire order finds each one decided;
        # _visible is the fallback for a question that is not.
        seen: dict[str, bool] = {}
        for qid, question in self.questions.items():
            cond = question.show_if
            shown = True
            if cond is not None:
                for read in self._reads[qid]:
                    known = seen.get(read)
                    if known is None:
                        known = self._visible(self.questions[read], answers, today, seen)
                    if not known:
                        shown = False
                        break
                shown = shown and cond.evaluate(answers, today)
            seen[qid] = shown
        return {qid: seen[qid] for qid in self.questions}

    def visible_questions(
        self, step: Step | str, answers: Mapping[str, Any], today: date
    ) -> tuple[Question, ...]:
        step = self.step(step) if isinstance(step, str) else step
        if memo.active():  # the whole pass is computed once and shared by every step
            visible = self.visibility(answers, today)
            return tuple(q for q in step.questions if visible[q.id])
        seen: dict[str, bool] = {}  # only what this step's questions need
        return tuple(q for q in step.questions if self._visible(q, answers, today, seen))

    def prune(self, answers: Mapping[str, Any], today: date) -> dict[str, Any]:
        """The answers without unknown ids, hidden questions and blank values:
        what may be stored ("data posted for a hidden question is dropped")."""
        visible = self.visibility(answers, today)
        return {
            qid: value
            for qid, value in answers.items()
            if visible.get(qid) and not self._blank(qid, value)
        }

    def _blank(self, qid: str, value: Any) -> bool:
        return self.questions[qid].kind.is_blank(value)

    def option_label(self, question_id: str, value: Any) -> str:
        """The label of an option value (choice, multi) or region id (regions)."""
        question = self.question(question_id)
        return question.kind.option_label(question, value, self)

    def check_answers(self, answers: Any, today: date) -> list[str]:
        """Whole-intake check; one message per problem, each starting with the id
        (once per answers in a request). ``today`` is for age_under and the
        not_future / not_past dates."""

        def key() -> tuple[Any, ...]:
            if not isinstance(answers, Mapping):
                raise TypeError("not answers")
            unknown = tuple(memo.freeze(k) for k in answers if k not in self.questions)
            return today, unknown, self._values(answers)

        return memo.remembered("check", self, key,
                               lambda: _answers.check_answers(self, answers, today), list)

    def _q(self, question: Question | str) -> Question:
        return self.question(question) if isinstance(question, str) else question


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot read the file ({exc.strerror})") from exc


def _parse_yaml(path: Path, text: str) -> Any:
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: not valid YAML: {exc}") from exc


def load_definition(
    path: str | Path | None = None, regions_path: str | Path | None = None
) -> Definition:
    """Load and validate; the shipped files are loaded once and cached, other
    files once per content (a Definition is immutable, so sharing it is safe)."""
    if path is None and regions_path is None:
        return _load_default()
    return _load(
        Path(path) if path is not None else DEFAULT_PATH,
        Path(regions_path) if regions_path is not None else DEFAULT_REGIONS_PATH,
    )


@functools.cache
def _load_default() -> Definition:
    return _load(DEFAULT_PATH, DEFAULT_REGIONS_PATH)


_BUILT_LIMIT = 32
_built: dict[tuple[str, str, str], Definition] = {}


def _load(path: Path, regions_path: Path) -> Definition:
    regions_text, text = _read_text(regions_path), _read_text(path)
    content_hash = hashlib.sha256(
        regions_text.encode("utf-8", "surrogatepass") + b"\0"
        + text.encode("utf-8", "surrogatepass")
    ).hexdigest()
    key = (str(path), str(regions_path), content_hash)
    if key not in _built:
        if len(_built) >= _BUILT_LIMIT:
            _built.clear()
        _built[key] = _build(path, regions_path, regions_text, text, content_hash)
    return _built[key]


def _build(path: Path, regions_path: Path, regions_text: str, text: str,
           content_hash: str) -> Definition:
    raw_regions = _parse_yaml(regions_path, regions_text)
    try:
        regions = parse_regions(raw_regions)
    except ValueError as exc:
        raise DefinitionError(f"{regions_path}: {exc}") from exc
    raw = _parse_yaml(path, text)
    try:
        version, steps = parsing.parse_questionnaire(raw, regions)
        roles = parsing.check_roles(steps)
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
                continues=raw_step.get("continues"),
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
        content_hash=content_hash,
        roles=MappingProxyType(roles),
    )
