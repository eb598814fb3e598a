"""The clinical audit's cases (tests/clinical/*.yaml): load, check strictly, screen.

A file is one topic of the catalog (shared/clinical/screening-rules.md):

    topic: Pregnancy
    today: "2026-06-01"          # the intake date every case is screened on
    cases:
      - id: might-be-pregnant    # unique in the file, lower-case words and dashes
        reason: might be pregnant
        answers: {pregnancy.status: might_be}   # laid over rules/baseline.yaml
        plan: {regions: [left_knee]}            # optional treatment plan
        fires: {dn_pregnancy: precaution}       # rule id -> level (red_flag/<urgency>)
        quiet: [dn_minor]                       # rule ids that must not fire
        overall: precaution                     # optional; "none": nothing fires
        incomplete: true                        # optional; a required answer left out

A case names at least one rule in `fires` or `quiet` (or an `overall`), and
only rules that exist: a misspelt rule id in `quiet` would pass for ever.
Anything else is refused with the file and the case id (CaseError).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from intake.screening import LEVELS, URGENCIES, example_answers
from intake.screening.rules import Example, RuleSet

CASES_DIR = Path(__file__).resolve().parent / "clinical"
FILE_KEYS = frozenset({"topic", "today", "cases"})
CASE_KEYS = frozenset({"id", "reason", "answers", "plan", "fires", "quiet", "overall",
                       "incomplete"})
CASE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOTHING = "none"

Outcome = tuple[str | None, str | None]  # (level, urgency)


class CaseError(ValueError):
    """A malformed case file or case; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    file: str
    id: str
    reason: str
    today: date
    answers: dict[str, Any]
    fires: dict[str, Outcome] = field(default_factory=dict)
    quiet: tuple[str, ...] = ()
    plan: dict[str, Any] | None = None
    overall: Outcome | None = None
    incomplete: bool = False

    @property
    def name(self) -> str:
        return f"{self.file}:{self.id}"


def parse_outcome(raw: Any, where: str) -> Outcome:
    """"precaution" -> ("precaution", None); "red_flag/urgent" -> ("red_flag", "urgent")."""
    if raw == NOTHING:
        return (None, None)
    if not isinstance(raw, str):
        raise CaseError(f"{where}: a level must be text such as precaution or red_flag/urgent")
    level, _, urgency = raw.partition("/")
    if level not in LEVELS:
        raise CaseError(f"{where}: unknown level {level!r} (one of {', '.join(LEVELS)})")
    if (level == "red_flag") != bool(urgency):
        raise CaseError(f"{where}: a red_flag, and only a red_flag, names its urgency "
                        "(red_flag/emergency, red_flag/urgent, red_flag/prompt)")
    if urgency and urgency not in URGENCIES:
        raise CaseError(f"{where}: unknown urgency {urgency!r}")
    return (level, urgency or None)


def format_outcome(outcome: Outcome) -> str:
    level, urgency = outcome
    if level is None:
        return NOTHING
    return f"{level}/{urgency}" if urgency else level


def parse_file(name: str, data: Any, rule_ids: Iterable[str]) -> list[Case]:
    known = frozenset(rule_ids)
    if not isinstance(data, Mapping) or set(data) != FILE_KEYS:
        raise CaseError(f"{name}: a case file has exactly the keys {sorted(FILE_KEYS)}")
    if not isinstance(data["topic"], str) or not data["topic"].strip():
        raise CaseError(f"{name}: topic must be non-empty text")
    try:
        today = date.fromisoformat(data["today"]) if isinstance(data["today"], str) else None
    except ValueError:
        today = None
    if today is None:
        raise CaseError(f"{name}: today must be a quoted ISO date such as \"2026-06-01\"")
    raw_cases = data["cases"]
    if not isinstance(raw_cases, list) or not raw_cases:
        raise CaseError(f"{name}: cases must be a non-empty list")
    cases: list[Case] = []
    for index, raw in enumerate(raw_cases):
        case = _parse_case(name, index, raw, today, known)
        if any(c.id == case.id for c in cases):
            raise CaseError(f"{name}: case {case.id!r}: duplicate id")
        cases.append(case)
    return cases


def _parse_case(name: str, index: int, raw: Any, today: date, known: frozenset[str]) -> Case:
    case_id = raw.get("id") if isinstance(raw, Mapping) else None
    where = f"{name}: case {case_id!r}" if isinstance(case_id, str) else f"{name}: cases[{index}]"
    if not isinstance(raw, Mapping):
        raise CaseError(f"{where}: a case must be a mapping")
    unknown = set(raw) - CASE_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    if not isinstance(case_id, str) or not CASE_ID.match(case_id):
        raise CaseError(f"{where}: id must be lower-case words joined by dashes")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise CaseError(f"{where}: reason must be non-empty text")
    answers = raw.get("answers")
    if not isinstance(answers, Mapping) or not all(isinstance(k, str) for k in answers):
        raise CaseError(f"{where}: answers must be a mapping of question ids")
    fires = raw.get("fires", {})
    if not isinstance(fires, Mapping):
        raise CaseError(f"{where}: fires must map rule ids to levels")
    quiet = raw.get("quiet", [])
    if not isinstance(quiet, list) or not all(isinstance(r, str) for r in quiet):
        raise CaseError(f"{where}: quiet must be a list of rule ids")
    named = [*fires, *quiet]
    unknown_rules = sorted(str(r) for r in named if r not in known)
    if unknown_rules:
        raise CaseError(f"{where}: unknown rule ids {unknown_rules}")
    both = sorted(set(fires) & set(quiet))
    if both:
        raise CaseError(f"{where}: {both} both fire and stay quiet")
    plan = raw.get("plan")
    if plan is not None and not isinstance(plan, Mapping):
        raise CaseError(f"{where}: plan must be a mapping")
    overall = raw.get("overall")
    if not named and overall is None:
        raise CaseError(f"{where}: expects nothing (give fires, quiet or overall)")
    incomplete = raw.get("incomplete", False)
    if not isinstance(incomplete, bool):
        raise CaseError(f"{where}: incomplete must be true or false")
    return Case(
        file=name,
        id=case_id,
        reason=reason.strip(),
        today=today,
        answers=dict(answers),
        fires={r: parse_outcome(level, f"{where}: fires {r}") for r, level in fires.items()},
        quiet=tuple(quiet),
        plan=dict(plan) if plan is not None else None,
        overall=parse_outcome(overall, f"{where}: overall") if overall is not None else None,
        incomplete=incomplete,
    )


def load_cases(rules: RuleSet, directory: Path = CASES_DIR) -> list[Case]:
    """Every case of every *.yaml file in the folder, in file and case order."""
    rule_ids = [rule.id for rule in rules.rules]
    cases: list[Case] = []
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise CaseError(f"{directory}: no case files")
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CaseError(f"{path.stem}: not valid YAML: {exc}") from exc
        cases += parse_file(path.stem, data, rule_ids)
    return cases


def screen(rules: RuleSet, case: Case):
    """The case's answers over the baseline, checked (unless incomplete), then screened."""
    from intake.screening import evaluate

    answers = example_answers(rules, Example(answers=case.answers, fires=True))
    if not case.incomplete:
        assert rules.definition.check_answers(answers, case.today) == [], case.name
    return evaluate(answers, case.plan, rules=rules, today=case.today)


def problems(rules: RuleSet, case: Case) -> list[str]:
    """What the screening got wrong for this case (empty when it behaves)."""
    screening = screen(rules, case)
    got = {f.rule_id: (f.level, f.urgency) for f in screening.flags}
    found = []
    for rule_id, want in case.fires.items():
        if rule_id not in got:
            found.append(f"{rule_id} did not fire; got {sorted(got)}")
        elif got[rule_id] != want:
            found.append(f"{rule_id} is {format_outcome(got[rule_id])}, "
                         f"want {format_outcome(want)}")
        elif not screening.flag(rule_id).evidence:
            found.append(f"{rule_id} has no evidence")
    found += [f"{rule_id} fired ({format_outcome(got[rule_id])}) but must not"
              for rule_id in case.quiet if rule_id in got]
    if case.overall is not None:
        overall = (screening.overall_level, screening.overall_urgency)
        if overall != case.overall:
            found.append(f"overall is {format_outcome(overall)}, want "
                         f"{format_outcome(case.overall)}")
    return [f"{case.name} ({case.reason}): {p}" for p in found]
