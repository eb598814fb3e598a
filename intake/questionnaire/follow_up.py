"""The follow-up re-check: a short questionnaire asked before each later visit.

It is data (``follow_up.yaml``, FORMAT.md "The follow-up re-check"), read by
the same parser and question types as the intake, and it reuses the intake's
questions by id (``use: symptoms.saddle_numbness``) so the screening rules
read a follow-up's answers unchanged. Its own questions (what changed since
the last visit) say in the YAML how they change the intake's answers:

- ``adds_to: <multi id>``: the options are the target's (without its
  exclusive "none of these"); the ticked values are added to its answer;
- ``removes_from: <multi id>``: likewise, the ticked values are removed;
- ``sets: {<option>: {<intake id>: <value>}}``: choosing the option sets
  those intake answers (a serious reaction after the last session sets
  ``needling.previous_reaction: serious``).

How the answers merge is intake.visits.carry_forward's docstring.

Visibility: a used question keeps its intake show_if, which may name intake
questions the follow-up does not ask (``about.sex_at_birth`` for pregnancy).
Those are read from the previous answers: evaluate the follow-up's show_ifs
on ``definition.context(previous, answers)``. The top-level ``periodic`` lists the steps
asked only every N-th visit (PHQ-2 and STarT Back): the caller includes them,
``steps_for_visit`` says when. ``{last_visit}`` in a label, help or intro is
filled at display time by ``fill_last_visit`` with the clinic's long date.
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

from . import parsing
from .definition import (
    DEFAULT_PATH,
    DEFAULT_REGIONS_PATH,
    Definition,
    DefinitionError,
    Option,
    Question,
    Step,
    _parse_yaml,
    _read_text,
    load_definition,
    schema,
)
from .types.display import day

FOLLOW_UP_PATH = Path(__file__).resolve().parent / "follow_up.yaml"
TOP_KEYS = frozenset({"version", "periodic", "steps"})
EFFECT_KEYS = ("adds_to", "removes_from", "sets")
#: PHQ-2 and STarT Back: every fourth visit unless the clinic sets otherwise
DEFAULT_EVERY = 4


@dataclass(frozen=True)
class Effect:
    """How one follow-up question changes the intake's answers."""

    adds_to: str | None = None
    removes_from: str | None = None
    sets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class FollowUpDefinition(Definition):
    #: step ids asked only at the periodic visits
    periodic: tuple[str, ...] = ()
    #: follow-up question id -> its effect on the intake answers
    effects: Mapping[str, Effect] = field(default_factory=lambda: MappingProxyType({}))
    #: the intake definition it was checked against (its ``use:`` questions are
    #: that one's; a translation falls back on the intake's texts for them)
    intake: Definition | None = field(default=None, repr=False)

    @functools.cached_property
    def _reads(self) -> dict[str, tuple[str, ...]]:
        # Intake questions a show_if names but the follow-up does not ask are
        # not hidden-ness-checked here: their answers are the carried ones.
        return {qid: tuple(r for r in reads if r in self.questions)
                for qid, reads in super()._reads.items()}

    def context(self, previous: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
        """What the follow-up's show_ifs read: the previous answers, then this
        one's, with the medicines started or stopped applied to their list (so
        the INR is asked in the same follow-up that starts warfarin)."""
        seen = {**previous, **answers}
        for qid, effect in self.effects.items():
            target, chosen = effect.adds_to or effect.removes_from, answers.get(qid)
            if target is None or not isinstance(chosen, list):
                continue
            current = [v for v in seen.get(target) or () if v not in chosen]
            seen[target] = current + list(chosen) if effect.adds_to else current
        return seen

    def steps_for_visit(self, visit_number: int, every: int = DEFAULT_EVERY) -> tuple[Step, ...]:
        """The steps to ask before visit ``visit_number`` (the intake is visit 1):
        the periodic steps at visits 1 + every, 1 + 2 * every, ..."""
        if every < 1:
            raise ValueError("every must be 1 or more")
        due = visit_number > 1 and (visit_number - 1) % every == 0
        return tuple(s for s in self.steps if due or s.id not in self.periodic)


def follow_up_schema(definition: FollowUpDefinition) -> dict[str, Any]:
    """The JSON of ``intake questionnaire schema --follow-up``: the questionnaire
    schema plus the periodic steps and each question's effect on the intake answers."""
    effects = {qid: {k: v for k, v in (("adds_to", e.adds_to), ("removes_from", e.removes_from),
                                        ("sets", {o: dict(a) for o, a in e.sets.items()}))
                     if v}
               for qid, e in definition.effects.items()}
    return {**schema(definition), "periodic": list(definition.periodic), "effects": effects}


def fill_last_visit(text: str | None, last_visit: date | str, locale: str = "en_GB") -> str | None:
    """A label, help or intro with ``{last_visit}`` replaced by the clinic's long date."""
    if text is None:
        return None
    return text.replace("{last_visit}", day(last_visit, locale))


def load_follow_up(path: str | Path | None = None,
                   intake: Definition | None = None) -> FollowUpDefinition:
    """Load and validate the follow-up re-check against the intake definition."""
    if path is None and intake is None:
        return _load_default()
    return _load(Path(path) if path is not None else FOLLOW_UP_PATH, intake or load_definition())


@functools.cache
def _load_default() -> FollowUpDefinition:
    return _load(FOLLOW_UP_PATH, load_definition())


def _intake_kwargs(intake: Definition) -> dict[str, dict[str, Any]]:
    """The intake's questions as the parser's checked kwargs (what ``use:`` copies)."""
    path = Path(intake.path or DEFAULT_PATH)
    raw = _parse_yaml(path, _read_text(path))
    _, steps = parsing.parse_questionnaire(raw, intake.regions)
    return {q["id"]: q for s in steps for q in s["questions"]}


def _load(path: Path, intake: Definition) -> FollowUpDefinition:
    text = _read_text(path)
    raw = _parse_yaml(path, text)
    try:
        outside = _intake_kwargs(intake)
        if not isinstance(raw, Mapping):
            raise parsing.ParseError("the file must be a mapping with version and steps")
        unknown = set(raw) - TOP_KEYS
        if unknown:
            raise parsing.ParseError(f"unknown top-level keys {sorted(map(str, unknown))}")
        effects = _effects(raw.get("steps"), outside)
        version, steps = parsing.parse_questionnaire(
            {"version": raw.get("version"), "steps": raw.get("steps")}, intake.regions, outside)
        periodic = _periodic(raw.get("periodic", []), steps)
        _check_sets(effects, outside, {q["id"]: q for st in steps for q in st["questions"]})
    except parsing.ParseError as exc:
        raise DefinitionError(f"{path}: {exc}") from exc
    built_steps, questions = [], {}
    for number, raw_step in enumerate(steps, start=1):
        built = tuple(
            Question(**{**q, "step_id": raw_step["id"],
                        "options": tuple(Option(**o) for o in q.get("options", ()))})
            for q in raw_step["questions"])
        questions.update((q.id, q) for q in built)
        built_steps.append(Step(id=raw_step["id"], title=raw_step["title"],
                                intro=raw_step["intro"], number=number, questions=built))
    return FollowUpDefinition(
        version=version, steps=tuple(built_steps), questions=MappingProxyType(questions),
        regions=intake.regions, path=str(path),
        # the follow-up copies intake questions: its hash covers both
        content_hash=hashlib.sha256(intake.content_hash.encode() + b"\0"
                                    + text.encode("utf-8", "surrogatepass")).hexdigest(),
        regions_path=intake.regions_path or str(DEFAULT_REGIONS_PATH),
        periodic=periodic, effects=MappingProxyType(effects), intake=intake)


def _effects(raw_steps: Any, outside: Mapping[str, Mapping[str, Any]]) -> dict[str, Effect]:
    """Take the effect keys out of the raw questions (the parser does not know
    them); ``adds_to``/``removes_from`` questions get the target's options."""
    found: dict[str, Effect] = {}
    for raw_step in raw_steps if isinstance(raw_steps, list) else ():
        questions = raw_step.get("questions") if isinstance(raw_step, Mapping) else None
        for q in questions if isinstance(questions, list) else ():
            if not isinstance(q, dict) or not any(k in q for k in EFFECT_KEYS):
                continue
            where = f"question {q.get('id')!r}"
            kwargs = {k: q.pop(k) for k in EFFECT_KEYS if k in q}
            target = kwargs.get("adds_to") or kwargs.get("removes_from")
            if target is not None:
                if "adds_to" in kwargs and "removes_from" in kwargs:
                    raise parsing.ParseError(f"{where}: adds_to or removes_from, not both")
                base = outside.get(target) if isinstance(target, str) else None
                if base is None or base["type"] != "multi":
                    raise parsing.ParseError(f"{where}: {target!r} is not a multi question of "
                                             "the intake")
                if "options" in q:
                    raise parsing.ParseError(f"{where}: the options are {target}'s; give none")
                q["options"] = [{k: v for k, v in o.items() if v is not None}
                                for o in base["options"] if o["value"] not in base["exclusive"]]
            sets = kwargs.get("sets", {})
            if not isinstance(sets, Mapping) or not all(isinstance(v, Mapping)
                                                        for v in sets.values()):
                raise parsing.ParseError(f"{where}: sets must map option values to answers")
            found[str(q.get("id"))] = Effect(kwargs.get("adds_to"), kwargs.get("removes_from"),
                                             MappingProxyType({k: MappingProxyType(dict(v))
                                                               for k, v in sets.items()}))
    return found


def _check_sets(effects: Mapping[str, Effect], outside: Mapping[str, Mapping[str, Any]],
                own: Mapping[str, Mapping[str, Any]]) -> None:
    for qid, effect in effects.items():
        options = {o["value"] for o in own[qid].get("options", ())}
        for value, answers in effect.sets.items():
            if value not in options:
                raise parsing.ParseError(f"question {qid!r}: sets names {value!r}, which is not "
                                         "one of its options")
            for target, answer in answers.items():
                base = outside.get(target)
                if base is None:
                    raise parsing.ParseError(f"question {qid!r}: sets names unknown intake "
                                             f"question {target!r}")
                allowed = {o["value"] for o in base.get("options", ())}
                if base["type"] != "choice" or answer not in allowed:
                    raise parsing.ParseError(f"question {qid!r}: sets {target} to {answer!r}, "
                                             "which is not one of its options")


def _periodic(raw: Any, steps: list[dict[str, Any]]) -> tuple[str, ...]:
    ids = {s["id"] for s in steps}
    if not isinstance(raw, list) or not all(isinstance(s, str) and s in ids for s in raw):
        raise parsing.ParseError("periodic must be a list of step ids of this file")
    return tuple(raw)
