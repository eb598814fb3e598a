"""Dry-needling screening: rules as data (rules/*.yaml), evaluated purely.

No Flask, no database: ``evaluate`` takes an answers dict (and optionally a
treatment plan) and returns a Screening whose flags name the rule, the
practitioner action, the sources and the answers that made each fire.

    rules = load_rules()                      # cached, validated at first use
    screening = evaluate(answers, plan=None, today=intake_date)
    screening.overall_level, screening.flags, screening.to_dict()
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .engine import run
from .examples import check_examples, example_answers
from .loader import content_hash, default_rules_dir, load_ruleset
from .model import Evidence, Flag, Screening, SiteInfo
from .plan import NONCOMPRESSIBLE_TARGETS, Plan, PlanError
from .rules import Rule, RuleSet, RuleSetError
from .severity import LEVELS, URGENCIES
from .vocabulary import Vocabulary

__all__ = [
    "LEVELS",
    "NONCOMPRESSIBLE_TARGETS",
    "URGENCIES",
    "Evidence",
    "Flag",
    "Plan",
    "PlanError",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "Screening",
    "SiteInfo",
    "Vocabulary",
    "check_examples",
    "content_hash",
    "evaluate",
    "example_answers",
    "load_rules",
]

_default: RuleSet | None = None
#: (directory, definition) -> (definition, rule set): loaded again only when a file changed
_loaded: dict[tuple[str, int], tuple[Any, RuleSet]] = {}
_LOADED_LIMIT = 32


def load_rules(path: str | Path | None = None, definition: Any = None) -> RuleSet:
    """Load and validate a rule set.

    With no arguments: the repository's rules/ against the app's questionnaire
    definition, loaded once and cached. Other directories are loaded again
    only when their content (hash) changed. Raises RuleSetError naming the file,
    the rule id and the problem.
    """
    global _default
    cacheable = path is None and definition is None
    if cacheable and _default is not None:
        return _default
    if definition is None:
        from intake.questionnaire import load_definition

        definition = load_definition()
    directory = Path(path) if path is not None else default_rules_dir()
    key = (str(directory), id(definition))
    known = _loaded.get(key)
    if known is not None and known[0] is definition and known[1].content_hash == (
        content_hash(directory) if directory.is_dir() else None
    ):
        ruleset = known[1]  # the same files for the same questionnaire: already checked
    else:
        ruleset = load_ruleset(directory, definition)
        _check_example_answers(ruleset)
        if len(_loaded) >= _LOADED_LIMIT:
            _loaded.clear()
        _loaded[key] = (definition, ruleset)
    if cacheable:
        _default = ruleset
    return ruleset


def _check_example_answers(ruleset: RuleSet) -> None:
    """Every example's answers must be a valid intake. A pure function of the
    rule files, the questionnaire files and the code: once it passed for the
    same ones it is not worked out again (intake/datafiles.py)."""
    from intake.datafiles import passed_before

    from .examples import validate_example_answers

    definition_hash = getattr(ruleset.definition, "content_hash", "")
    if definition_hash:
        problems = passed_before("example-answers", (ruleset.content_hash, definition_hash),
                                 lambda: validate_example_answers(ruleset))
    else:  # a definition not read from files has nothing to key a pass by
        problems = validate_example_answers(ruleset)
    if problems:
        raise RuleSetError("\n".join(problems))


def evaluate(
    answers: Mapping[str, Any],
    plan: Plan | Mapping[str, Any] | None = None,
    *,
    rules: RuleSet | None = None,
    today: date,
) -> Screening:
    """Screen one answers set. ``plan`` None means the default plan (the
    regions marked painful); ``today`` is the intake date, the clinic's date
    of the submission (intake.clock): the engine never guesses one."""
    return run(answers, plan, rules or load_rules(), today)
