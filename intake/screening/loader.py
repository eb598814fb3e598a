"""Read rules/*.yaml, check every rule against the questionnaire, compile.

Loading fails loudly (RuleSetError naming the file, the rule id and the
problem) so that a rule which could never fire is caught when the app
starts, not when a patient's red flag is missed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from intake.datafiles import parse_yaml

from .compiler import Compiler, kind_of
from .conditions import ConditionError
from .examples import parse_date_value, parse_examples
from .rules import Escalation, Rule, RuleSet, RuleSetError
from .severity import LEVELS, URGENCIES, sort_key
from .vocabulary import Vocabulary, VocabularyError

VOCABULARY_FILE = "medications.yaml"
BASELINE_FILE = "baseline.yaml"
RULE_KEYS = frozenset(
    {"id", "level", "urgency", "title", "why", "action", "sources", "when", "site", "plan",
     "escalate", "context", "examples"}
)
REQUIRED_KEYS = ("id", "level", "title", "why", "action", "sources", "when", "examples")


def default_rules_dir() -> Path:
    return Path(__file__).parents[2] / "rules"


def content_hash(directory: Path) -> str:
    """sha256 over every YAML file's name and text (line endings normalised)."""
    return _hash_files(_read_files(directory))


def _read_files(directory: Path) -> dict[str, bytes]:
    """Every YAML file's bytes, read once: the hash and the rules come from the
    same bytes even if a file is saved again while the rules load."""
    files = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            files[path.name] = path.read_bytes()
        except OSError as error:
            raise RuleSetError(f"{path.name}: cannot read: {error}") from error
    return files


def _hash_files(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        text = files[name].replace(b"\r\n", b"\n")
        digest.update(name.encode() + b"\0" + str(len(text)).encode() + b"\0" + text)
    return digest.hexdigest()


def _read_yaml(path: Path, texts: Mapping[str, bytes]) -> Any:
    try:
        data = texts[path.name] if path.name in texts else path.read_bytes()
        # As read_text would: UTF-8, and \r\n or \r read as \n.
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        return parse_yaml(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RuleSetError(f"{path.name}: cannot read: {error}") from error


def load_ruleset(directory: Path, definition: Any) -> RuleSet:
    directory = Path(directory)
    if not directory.is_dir():
        raise RuleSetError(f"{directory}: no such rules directory")
    texts = _read_files(directory)
    try:
        vocabulary = Vocabulary.from_data(_read_yaml(directory / VOCABULARY_FILE, texts))
    except VocabularyError as error:
        raise RuleSetError(f"{VOCABULARY_FILE}: {error}") from error
    baseline, example_date = _baseline(directory / BASELINE_FILE, definition, texts)
    compiler = Compiler(definition, vocabulary)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    files = []
    for name in sorted(texts):
        if name in (VOCABULARY_FILE, BASELINE_FILE):
            continue
        path = directory / name
        data = _read_yaml(path, texts)
        if not isinstance(data, Mapping) or set(data) - {"group", "rules"}:
            raise RuleSetError(f"{path.name}: top level must be {{group: ..., rules: [...]}}")
        if not isinstance(data.get("group"), str):
            raise RuleSetError(f"{path.name}: 'group' must name the catalog section")
        files.append((data["group"], path.name, data))
    # Catalog order: by group title ("A. Consent ...", "B. Bleeding", ...).
    for _, name, data in sorted(files):
        items = data.get("rules")
        if not isinstance(items, list) or not items:
            raise RuleSetError(f"{name}: 'rules' must be a non-empty list")
        for index, item in enumerate(items):
            rule = _rule(item, name, index, len(rules), compiler, definition)
            if rule.id in seen:
                raise RuleSetError(
                    f"{name}: rule {rule.id}: duplicate id (also in {seen[rule.id]})"
                )
            seen[rule.id] = name
            rules.append(rule)
    ordered = _dependency_order(rules)
    nearby = _nearby(definition.regions)
    thorax = frozenset(r for r in definition.regions.ids if definition.regions.is_thorax(r))
    return RuleSet(
        tuple(ordered), vocabulary, definition, _hash_files(texts),
        baseline, example_date, nearby, thorax,
    )


def _baseline(
    path: Path, definition: Any, texts: Mapping[str, bytes]
) -> tuple[dict[str, Any], date | None]:
    if path.name not in texts and not path.exists():
        return {}, None
    data = _read_yaml(path, texts)
    if not isinstance(data, Mapping) or set(data) - {"today", "answers"}:
        raise RuleSetError(f"{path.name}: top level must be {{today: ..., answers: {{...}}}}")
    answers = dict(data.get("answers") or {})
    unknown = [q for q in answers if q not in definition.questions]
    if unknown:
        raise RuleSetError(f"{path.name}: unknown question ids {', '.join(unknown)}")
    return answers, parse_date_value(data.get("today"), path.name)


def _rule(
    item: Any, file: str, index: int, order: int, compiler: Compiler, definition: Any
) -> Rule:
    if not isinstance(item, Mapping):
        raise RuleSetError(f"{file}: rule #{index + 1}: must be a mapping")
    rule_id = item.get("id")
    where = f"{file}: rule {rule_id or '#' + str(index + 1)}"
    unknown = set(item) - RULE_KEYS
    if unknown:
        raise RuleSetError(f"{where}: unknown keys {', '.join(sorted(map(str, unknown)))}")
    missing = [key for key in REQUIRED_KEYS if not item.get(key)]
    if missing:
        raise RuleSetError(f"{where}: missing {', '.join(missing)}")
    if not isinstance(rule_id, str) or not rule_id.replace("_", "").isalnum():
        raise RuleSetError(f"{where}: id must be snake_case")
    level, urgency = item["level"], item.get("urgency")
    if level not in LEVELS:
        raise RuleSetError(f"{where}: level must be one of {', '.join(LEVELS)}")
    if (level == "red_flag") != (urgency is not None):
        raise RuleSetError(f"{where}: a red_flag needs an urgency, and only a red_flag has one")
    if urgency is not None and urgency not in URGENCIES:
        raise RuleSetError(f"{where}: urgency must be one of {', '.join(URGENCIES)}")
    for key in ("title", "why", "action"):
        if not isinstance(item[key], str):
            raise RuleSetError(f"{where}: {key} must be text")
    sources = item["sources"]
    if not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
        raise RuleSetError(f"{where}: sources must be a list of citations")
    try:
        node = compiler.compile(item["when"], "when")
        escalations = _escalations(item.get("escalate"), level, urgency, compiler,
                                   site_scoped=item.get("site") is not None)
    except ConditionError as error:
        raise RuleSetError(f"{where}: {error}") from error
    site = item.get("site")
    if site is not None:
        question = definition.questions.get(site)
        if question is None or not kind_of(question).region_list:
            raise RuleSetError(f"{where}: site must name a regions question, not {site!r}")
    plan = item.get("plan", False)
    uses_plan = _uses_plan(item)
    if not isinstance(plan, bool) or plan != uses_plan:
        raise RuleSetError(f"{where}: plan: true exactly when the rule reads the plan")
    rule = Rule(
        rule_id, level, urgency, item["title"].strip(), item["why"].strip(),
        item["action"].strip(), tuple(sources), node, file, order, site, plan, escalations,
    )
    examples = parse_examples(item["examples"], where, definition)
    return Rule(**{
        **{f: getattr(rule, f) for f in rule.__slots__},
        "examples": examples,
        "context": _context(item.get("context", []), where, definition, compiler),
        "sort_key": sort_key(level, urgency, order),
        "may_repeat_evidence": bool(escalations) or _reads_twice(item["when"]),
    })


def _context(items: Any, where: str, definition: Any,
             compiler: Compiler) -> tuple[tuple[str, str | None], ...]:
    if not isinstance(items, list) or not all(isinstance(q, str) for q in items):
        raise RuleSetError(f"{where}: context must be a list of question ids")
    unknown = [q for q in items if q not in definition.questions]
    if unknown:
        raise RuleSetError(f"{where}: context names unknown questions {', '.join(unknown)}")
    return tuple((q, compiler.labels.get(q)) for q in items)


def _reads_twice(condition: Any) -> bool:
    """Does any question appear in two places of the condition?"""
    seen: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == "question" and isinstance(value, str):
                    seen.append(value)
                elif key in ("bmi", "sum"):
                    seen.extend(str(v) for v in (value.values() if isinstance(value, Mapping)
                                                 else value))
                    seen.append(key)  # derived evidence items ("bmi", a total)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(condition)
    return len(seen) != len(set(seen))


def _uses_plan(item: Mapping[str, Any]) -> bool:
    found = False

    def walk(node: Any) -> None:
        nonlocal found
        if isinstance(node, Mapping):
            found = found or "plan" in node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(item.get("when"))
    walk(item.get("escalate"))
    return found


def _escalations(
    data: Any, level: str, urgency: str | None, compiler: Compiler, *, site_scoped: bool = False
) -> tuple[Escalation, ...]:
    """An escalation must make the flag more severe; on a site-scoped rule it
    may also name the base level, meaning "never downgraded to a note"."""
    if data is None:
        return ()
    if not isinstance(data, list) or not data:
        raise ConditionError("escalate: must be a list of {when, level and/or urgency}")
    result = []
    for i, entry in enumerate(data):
        where = f"escalate[{i}]"
        if not isinstance(entry, Mapping) or set(entry) - {"when", "level", "urgency"}:
            raise ConditionError(f"{where}: keys are when, level, urgency")
        to_level, to_urgency = entry.get("level"), entry.get("urgency")
        if "when" not in entry or (to_level is None and to_urgency is None):
            raise ConditionError(f"{where}: needs when and a level or urgency")
        floor = LEVELS.index(level) + (1 if site_scoped else 0)
        if to_level is not None and (to_level not in LEVELS or LEVELS.index(to_level) >= floor):
            raise ConditionError(f"{where}: level must be more severe than {level}")
        if to_urgency is not None and (
            "red_flag" not in (level, to_level) or to_urgency not in URGENCIES
            or (urgency and URGENCIES.index(to_urgency) >= URGENCIES.index(urgency))
        ):
            raise ConditionError(f"{where}: urgency must be more urgent than {urgency}")
        if to_level == "red_flag" and to_urgency is None:
            raise ConditionError(f"{where}: escalating to red_flag needs an urgency")
        result.append(Escalation(compiler.compile(entry["when"], f"{where}.when"), to_level,
                                 to_urgency))
    return tuple(result)


def _dependency_order(rules: list[Rule]) -> list[Rule]:
    """Rules that read other rules (fired) come after them; cycles are errors."""
    by_id = {rule.id: rule for rule in rules}
    for rule in rules:
        for ref in sorted(rule.depends_on):
            if ref not in by_id:
                raise RuleSetError(f"{rule.file}: rule {rule.id}: fired names unknown rule {ref}")
    ordered: list[Rule] = []
    state: dict[str, int] = {}

    def visit(rule: Rule, chain: tuple[str, ...]) -> None:
        if state.get(rule.id) == 2:
            return
        if state.get(rule.id) == 1:
            cycle = " -> ".join((*chain, rule.id))
            raise RuleSetError(f"{rule.file}: rule {rule.id}: fired references loop: {cycle}")
        state[rule.id] = 1
        for ref in sorted(rule.depends_on, key=lambda r: by_id[r].order):
            visit(by_id[ref], (*chain, rule.id))
        state[rule.id] = 2
        ordered.append(rule)

    for rule in rules:
        visit(rule, ())
    return ordered


def _nearby(regions: Any) -> dict[str, frozenset[str]]:
    return {r: frozenset({r}) | frozenset(regions.adjacent(r)) for r in regions.ids}
