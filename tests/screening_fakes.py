"""A small stand-in questionnaire definition for the screening engine's tests.

The engine only needs the definition's public API (questions with type,
label, options, min/max/unit, show_if; regions with adjacency and thorax;
is_visible; check_answers), so the operator and engine tests do not break
when the real questionnaire changes. The shipped rules are tested against
the real definition in test_screening_rules.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from intake.screening.loader import load_ruleset

REPO = Path(__file__).resolve().parents[1]
YES_NO_NOT_SURE = ("yes", "no", "not_sure")


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: int | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    options: tuple[Option, ...] = ()
    required: bool = True
    show_if: ShowIf | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None


def q(qid: str, qtype: str, *values: str, **extra: Any) -> Question:
    scores = extra.pop("scores", None) or {}
    options = tuple(Option(v, v.replace("_", " ").capitalize(), scores.get(v)) for v in values)
    return Question(qid, qtype, f"Label of {qid}", options, **extra)


AREAS = {
    # area: (thorax, midline, adjacent same-side areas)
    "neck": (False, True, ("shoulder", "upper_back", "chest")),
    "shoulder": (False, False, ("neck", "upper_arm", "armpit", "chest", "upper_back")),
    "armpit": (False, False, ("shoulder", "upper_arm", "chest")),
    "upper_arm": (False, False, ("shoulder", "armpit", "forearm_hand")),
    "forearm_hand": (False, False, ("upper_arm",)),
    "chest": (True, True, ("neck", "shoulder", "armpit", "abdomen")),
    "upper_back": (True, True, ("neck", "shoulder", "lower_back")),
    "lower_back": (False, True, ("upper_back", "buttock", "sacrum_pelvis")),
    "abdomen": (False, True, ("chest", "groin")),
    "sacrum_pelvis": (False, True, ("lower_back", "buttock")),
    "groin": (False, True, ("abdomen", "front_thigh")),
    "buttock": (False, False, ("lower_back", "sacrum_pelvis", "hip", "back_thigh")),
    "hip": (False, False, ("buttock", "front_thigh")),
    "front_thigh": (False, False, ("hip", "groin", "knee")),
    "back_thigh": (False, False, ("buttock", "knee")),
    "knee": (False, False, ("front_thigh", "back_thigh", "calf")),
    "calf": (False, False, ("knee", "ankle_foot")),
    "ankle_foot": (False, False, ("calf",)),
}


class Regions:
    def __init__(self) -> None:
        near: dict[str, set[str]] = {a: set(adj) for a, (_, _, adj) in AREAS.items()}
        for area, (_, _, adj) in AREAS.items():
            for other in adj:
                near[other].add(area)
        self._ids = tuple(f"{s}_{a}" for a in AREAS for s in ("left", "right"))
        self._adjacent: dict[str, frozenset[str]] = {}
        for area, (_, midline, _) in AREAS.items():
            for side, other in (("left", "right"), ("right", "left")):
                regions = {f"{side}_{n}" for n in near[area]}
                if midline:
                    regions.add(f"{other}_{area}")
                self._adjacent[f"{side}_{area}"] = frozenset(regions)

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids

    def adjacent(self, region: str) -> frozenset[str]:
        return self._adjacent[region]

    def is_thorax(self, region: str) -> bool:
        return AREAS[region.split("_", 1)[1]][0]

    def label(self, region: str) -> str:
        return region.replace("_", " ").capitalize()


@dataclass(frozen=True)
class ShowIf:
    """A show_if: a test of the answers and the question ids it reads."""

    test: Callable[[Mapping[str, Any]], bool]
    reads: frozenset[str]

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        return self.test(answers)

    def question_ids(self) -> frozenset[str]:
        return self.reads


def _yes(qid: str) -> ShowIf:
    return ShowIf(lambda answers: answers.get(qid) in ("yes", "not_sure"), frozenset({qid}))


QUESTIONS = [
    q("about.date_of_birth", "date"),
    q("about.height_cm", "integer", unit="cm", min=50, max=250),
    q("about.weight_kg", "decimal", unit="kg", min=2, max=400),
    q("about.notes", "text", required=False),
    q("pain.regions", "regions", required=False),
    q("pain.back_now", "scale", min=0, max=10),
    q("pain.night", "choice", "none", "turning_settles", "constant", "worst_at_night", "not_sure"),
    q("history.fever", "choice", *YES_NO_NOT_SURE),
    q("history.consent", "boolean"),
    q("history.symptoms", "multi", "numb_saddle", "bladder", "none", "not_sure"),
    q("history.onset", "choice", "new", "worse", "longstanding", "not_sure",
      show_if=ShowIf(lambda a: bool(set(a.get("history.symptoms") or []) - {"none"}),
                     frozenset({"history.symptoms"}))),
    q("history.skin", "choice", *YES_NO_NOT_SURE),
    q("history.skin_regions", "regions", required=False, show_if=_yes("history.skin")),
    q("history.surgery_date", "date", required=False),
    q("meds.list", "multi", "apixaban", "warfarin", "aspirin", "ibuprofen", "anticoagulant",
      "none", "not_sure"),
    q("meds.other", "textarea", required=False),
    q("phq.interest", "choice", "not_at_all", "several_days", "more_than_half", "nearly_every_day",
      scores={"not_at_all": 0, "several_days": 1, "more_than_half": 2, "nearly_every_day": 3}),
    q("phq.down", "choice", "not_at_all", "several_days", "more_than_half", "nearly_every_day",
      scores={"not_at_all": 0, "several_days": 1, "more_than_half": 2, "nearly_every_day": 3}),
    q("history.cancer", "choice", *YES_NO_NOT_SURE),
]


@dataclass
class FakeDefinition:
    version: str = "test.1"
    questions: dict[str, Question] = field(default_factory=lambda: {x.id: x for x in QUESTIONS})
    regions: Regions = field(default_factory=Regions)

    def question(self, qid: str) -> Question:
        return self.questions[qid]

    def is_visible(self, question: Question | str, answers: Mapping[str, Any],
                   today: date | None = None) -> bool:
        question = self.questions[question] if isinstance(question, str) else question
        return question.show_if is None or question.show_if(answers)

    def check_answers(self, answers: Mapping[str, Any], today: date | None = None) -> list[str]:
        problems = []
        for qid, value in answers.items():
            question = self.questions.get(qid)
            if question is None:
                problems.append(f"{qid}: unknown question id")
            elif question.options and (
                any(v not in {o.value for o in question.options} for v in value)
                if isinstance(value, list) else value not in {o.value for o in question.options}
            ):
                problems.append(f"{qid}: unknown option")
        return problems


BASELINE = {
    "today": "2026-06-01",
    "answers": {
        "about.date_of_birth": "1980-01-01",
        "about.height_cm": 175,
        "about.weight_kg": 70,
        "pain.back_now": 2,
        "pain.night": "none",
        "history.fever": "no",
        "history.consent": True,
        "history.symptoms": ["none"],
        "history.skin": "no",
        "meds.list": ["none"],
        "phq.interest": "not_at_all",
        "phq.down": "not_at_all",
        "history.cancer": "no",
    },
}


def write_rules(directory: Path, files: Mapping[str, Any], *, baseline: Any = BASELINE,
                vocabulary: bool = True) -> Path:
    """A rules directory: the given rule files (name -> data), the shipped
    vocabulary and a baseline."""
    directory.mkdir(parents=True, exist_ok=True)
    if vocabulary:
        (directory / "medications.yaml").write_text(
            (REPO / "rules" / "medications.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    if baseline is not None:
        (directory / "baseline.yaml").write_text(yaml.safe_dump(baseline), encoding="utf-8")
    for name, data in files.items():
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def rule(rule_id: str, when: Any, *, level: str = "precaution", **extra: Any) -> dict[str, Any]:
    """A valid rule with placeholder text; examples default to trivially true/false."""
    data: dict[str, Any] = {
        "id": rule_id,
        "level": level,
        "title": f"Title of {rule_id}",
        "why": "Why it matters.",
        "action": "What to do.",
        "sources": ["Test source 2026"],
        "when": when,
    }
    if level == "red_flag":
        data["urgency"] = extra.pop("urgency", "urgent")
    data.update(extra)
    data.setdefault("examples", {"fires": [{"answers": {}}], "quiet": [{"answers": {}}]})
    return data


def load(tmp_path: Path, rules: list[dict[str, Any]], **kwargs: Any):
    directory = write_rules(tmp_path / "rules", {"test.yaml": {"group": "Test", "rules": rules}},
                            **kwargs)
    return load_ruleset(directory, FakeDefinition())
