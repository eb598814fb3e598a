"""The screening engine's tests' questionnaire: the real loader on a small file.

tests/data/screening_questionnaire.yaml is loaded with the production loader
and the shipped regions.yaml, so the operator and engine tests see exactly
production's semantics (show_if conditions and visibility, region ids,
adjacency and thorax, check_answers) while their questions stay their own,
and do not change when the shipped questionnaire does. The shipped rules are
tested against the shipped questionnaire in test_screening_rules.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from intake.questionnaire.definition import Definition, load_definition
from intake.screening.loader import load_ruleset

REPO = Path(__file__).resolve().parents[1]
QUESTIONNAIRE = Path(__file__).resolve().parent / "data" / "screening_questionnaire.yaml"


def screening_definition() -> Definition:
    """The tests' questionnaire (loaded once per content, like the shipped one)."""
    return load_definition(QUESTIONNAIRE)


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
    return load_ruleset(directory, screening_definition())
