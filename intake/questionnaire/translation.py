"""The questionnaire's texts in another language, read from sidecar YAML.

Each definition file has its translations in ``translations/<language>/``
beside it, under the same file name (``translations/fr/questionnaire.yaml``,
``follow_up.yaml``, ``regions.yaml``). They are keyed by id, never by the
English text, so an English edit cannot silently orphan a translation:

    steps:      {<step id>: {title: ..., intro: ...}}
    questions:  {<question id>: {label: ..., help: ..., preamble: ..., unit: ...,
                                 min_label: ..., max_label: ...,
                                 options: {<value>: <label> | {label: ..., help: ...}}}}
    groups:     {<English heading>: ...}   # option headings and region groups have no id
    english_only: {reason: ..., questions: [<question id>, ...]}
    areas:      {<area id>: {label: ..., left: ..., right: ...}}   # regions.yaml only

``translate`` swaps only the texts: ids, steps, show_ifs, types, option
values, scores, roles and the content hash are the English definition's, so
stored answers and the screening do not depend on the language. A text with
no translation stays English and is reported by ``report`` (missing), as is
a key that names nothing the definition shows (stale). The follow-up's
``use:`` questions take the intake's translation where their English text is
the intake's; a follow-up that rewords a label needs its own.

``english_only`` lists questions deliberately left in English (a standard
instrument with no validated French version whose wording could be
confirmed); their texts are neither missing nor may they be translated.
Their translated Question and its options say so (``text_language="en"``),
and every page and PDF that prints them marks them ``lang="en"`` from that
(``templates/_macros/lang.html``), for screen readers and hyphenation.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .definition import Definition, DefinitionError, Option, Question, Step, _parse_yaml
from .regions import Area, Regions

QUESTION_TEXTS = ("label", "help", "preamble", "unit", "min_label", "max_label")
STEP_TEXTS = ("title", "intro")
OPTION_TEXTS = ("label", "help")
AREA_TEXTS = ("label", "left", "right")
#: the language of the definition files themselves, which english_only texts stay in
ENGLISH = "en"
TOP_KEYS = frozenset({"steps", "questions", "groups", "english_only", "areas"})

Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Texts:
    """One translation file, flattened: key path -> text."""

    path: str = ""
    texts: Mapping[Path_, str] = field(default_factory=dict)
    #: question id -> why it stays English
    english_only: Mapping[str, str] = field(default_factory=dict)


def texts_path(definition_file: str | Path, language: str) -> Path:
    """Where the translations of one definition file are."""
    source = Path(definition_file)
    return source.parent / "translations" / language / source.name


def read_texts(path: Path) -> Texts:
    """The translation file, checked for shape; a missing file is no translations."""
    if not path.is_file():
        return Texts(str(path))
    raw = _parse_yaml(path, path.read_text(encoding="utf-8"))
    if raw is None:
        return Texts(str(path))
    if not isinstance(raw, Mapping) or set(raw) - TOP_KEYS:
        raise DefinitionError(f"{path}: the top level may only have {sorted(TOP_KEYS)}")
    flat: dict[Path_, str] = {}
    for section in ("steps", "questions", "groups", "areas"):
        _flatten(path, raw.get(section) or {}, (section,), flat)
    return Texts(str(path), MappingProxyType(flat), _english_only(path, raw.get("english_only")))


def _flatten(path: Path, node: Any, where: Path_, out: dict[Path_, str]) -> None:
    if len(where) == 4 and where[2] == "options" and isinstance(node, str):
        node = {"label": node}  # an option's label alone: `value: Label`
    if isinstance(node, str):
        if not node.strip():
            raise DefinitionError(f"{path}: {'.'.join(where)}: empty text")
        out[where] = node.strip()
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _flatten(path, value, (*where, str(key)), out)
    else:
        raise DefinitionError(f"{path}: {'.'.join(where)}: must be text or a mapping")


def _english_only(path: Path, raw: Any) -> Mapping[str, str]:
    if raw is None:
        return {}
    ids = raw.get("questions") if isinstance(raw, Mapping) else None
    reason = raw.get("reason") if isinstance(raw, Mapping) else None
    if (not isinstance(reason, str) or not reason.strip() or not isinstance(ids, list)
            or not all(isinstance(i, str) for i in ids)):
        raise DefinitionError(f"{path}: english_only needs a reason and a list of question ids")
    return {qid: reason.strip() for qid in ids}


@dataclass
class Report:
    """What a translation lacks (missing) and what it has too much (stale), as key paths."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def lines(self, language: str) -> list[str]:
        return ([f"{p}: no {language} translation" for p in self.missing]
                + [f"{p}: names nothing in the definition (stale)" for p in self.stale])


class _Translator:
    """Looks texts up in one file, falling back to another definition's (the
    follow-up's ``use:`` questions read the intake's); records what it used."""

    def __init__(self, texts: Texts, fallback: _Translator | None = None) -> None:
        self.texts, self.fallback = texts, fallback
        self.used: set[Path_] = set()
        self.missing: list[Path_] = []

    def text(self, where: Path_, english: str | None, intake_english: str | None = None,
             intake_where: Path_ | None = None, english_only: bool = False) -> str | None:
        if english is None:
            return None
        if english_only:
            return english
        found = self.texts.texts.get(where)
        if found is not None:
            self.used.add(where)
            return found
        if self.fallback is not None and intake_where is not None and intake_english == english:
            found = self.fallback.texts.texts.get(intake_where)
            if found is not None:
                return found
        self.missing.append(where)
        return english

    def report(self) -> Report:
        stale = sorted(p for p in self.texts.texts if p not in self.used)
        name = Path(self.texts.path).name
        return Report([f"{name}: {'.'.join(p)}" for p in self.missing],
                      [f"{name}: {'.'.join(p)}" for p in stale])


def _intake_of(definition: Definition) -> Definition | None:
    return getattr(definition, "intake", None)


def _build(definition: Definition, language: str) -> tuple[Definition, Report]:
    intake = _intake_of(definition)
    fallback = None
    if intake is not None:
        fallback = _Translator(read_texts(texts_path(intake.path, language)))
    own = _Translator(read_texts(texts_path(definition.path, language)), fallback)
    only = dict(own.texts.english_only)
    if fallback is not None:
        only.update(fallback.texts.english_only)
    regions, region_report = _regions(definition, language)
    groups = _Groups(own, fallback)
    steps, questions = [], {}
    for step in definition.steps:
        built = tuple(_question(own, q, intake, definition, groups, q.id in only)
                      for q in step.questions)
        questions.update((q.id, q) for q in built)
        steps.append(dataclasses.replace(
            step, questions=built,
            **{k: own.text(("steps", step.id, k), getattr(step, k)) for k in STEP_TEXTS}))
    stale_only = [f"{Path(own.texts.path).name}: english_only.{qid}"
                  for qid in own.texts.english_only if qid not in definition.questions]
    translated = dataclasses.replace(
        definition, steps=tuple(steps), questions=MappingProxyType(questions),
        regions=regions, language=language, english=definition)
    report = own.report()
    report.stale += stale_only
    report.missing += region_report.missing
    report.stale += region_report.stale
    return translated, report


class _Groups:
    """Option headings, keyed by their English text (they have no id)."""

    def __init__(self, own: _Translator, fallback: _Translator | None) -> None:
        self.own, self.fallback = own, fallback

    def text(self, english: str | None) -> str | None:
        if english is None:
            return None
        where = ("groups", english)
        if self.fallback is not None and where not in self.own.texts.texts:
            found = self.fallback.texts.texts.get(where)
            if found is not None:
                return found
        return self.own.text(where, english)


def _question(own: _Translator, q: Question, intake: Definition | None,
              definition: Definition, groups: _Groups, english_only: bool) -> Question:
    source = _source_question(q, intake, definition)
    language = ENGLISH if english_only else None  # its texts' language, if not the page's
    texts = {k: own.text(("questions", q.id, k), getattr(q, k),
                         getattr(source, k, None) if source and source.id == q.id else None,
                         ("questions", q.id, k), english_only)
             for k in QUESTION_TEXTS}
    options = []
    for option in q.options:
        base = _source_option(source, option.value)
        changed = {k: own.text(("questions", q.id, "options", option.value, k),
                               getattr(option, k), getattr(base, k, None),
                               ("questions", source.id, "options", option.value, k)
                               if source else None, english_only)
                   for k in OPTION_TEXTS}
        changed["group"] = option.group if english_only else groups.text(option.group)
        options.append(dataclasses.replace(option, **changed, text_language=language))
    return dataclasses.replace(q, options=tuple(options), text_language=language, **texts)


def _source_question(q: Question, intake: Definition | None,
                     definition: Definition) -> Question | None:
    """The intake question a follow-up question is worded after: the same id
    (``use:``), or the list it adds to or removes from."""
    if intake is None:
        return None
    effect = getattr(definition, "effects", {}).get(q.id)
    target = effect and (effect.adds_to or effect.removes_from)
    return intake.questions.get(target or q.id)


def _source_option(source: Question | None, value: str) -> Option | None:
    if source is None:
        return None
    return next((o for o in source.options if o.value == value), None)


def _regions(definition: Definition, language: str) -> tuple[Regions, Report]:
    english = definition.regions
    if not definition.regions_path:
        return english, Report()
    tr = _Translator(read_texts(texts_path(definition.regions_path, language)))
    areas = tuple(dataclasses.replace(
        area, label=tr.text(("areas", area.id, "label"), area.label),
        group=tr.text(("groups", area.group), area.group) if area.group else area.group)
        for area in english.areas)
    sides = {rid: tr.text(("areas", area.id, side), english.label(rid))
             for area in english.areas for side in ("left", "right")
             for rid in (f"{side}_{area.id}",)}
    report = tr.report()
    if _intake_of(definition) is not None:
        report = Report()  # the intake's check reports the regions once
    return Regions(areas, side_labels=sides, language=language), report


_cache: weakref.WeakKeyDictionary[Definition, dict[str, tuple[Definition, Report]]] = (
    weakref.WeakKeyDictionary())


def translate(definition: Definition, language: str) -> Definition:
    """The definition with its texts in ``language``, built once per definition."""
    return _cached(definition, language)[0]


def report(definition: Definition, language: str) -> Report:
    """What ``language``'s files lack or have too much for this definition."""
    return _cached(definition, language)[1]


def _cached(definition: Definition, language: str) -> tuple[Definition, Report]:
    per_language = _cache.setdefault(definition, {})
    if language not in per_language:
        per_language[language] = _build(definition, language)
    return per_language[language]


__all__ = ["Area", "Report", "Step", "Texts", "read_texts", "report", "texts_path", "translate"]
