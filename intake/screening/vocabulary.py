"""Drug-class vocabulary: which medicine names (generic and brand) belong to
which class, matched in pick-list values and in free text.

Patients type "eliquis 5mg bid" or "asprin 81", so free text is matched per
word and word run, ignoring case, punctuation, numbers and doses, and with a
small spelling tolerance for longer names (one typo for 6-8 letters, two
from 9; the first letter must be right). Names under 6 letters (ASA, Aleve)
must match exactly, so everyday words do not turn into medicines, and
"ibuprofen" never becomes an antiplatelet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"[a-z]+")
_CACHE_LIMIT = 20_000


class VocabularyError(ValueError):
    """A malformed vocabulary file; the loader turns it into RuleSetError."""


@dataclass(frozen=True, slots=True)
class Drug:
    id: str
    classes: frozenset[str]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DrugMatch:
    """``drug`` matched because the patient wrote ``written``."""

    drug: Drug
    written: str


def words(text: str) -> tuple[str, ...]:
    """Lower-case letter runs: digits, doses and punctuation fall away."""
    return tuple(_WORD.findall(text.lower()))


def _max_typos(length: int) -> int:
    """Typos forgiven in a word of this length (fewer for short names)."""
    if length < 6:
        return 0
    if length < 9:
        return 1
    return 2


def _within(a: str, b: str, limit: int) -> bool:
    """Damerau-Levenshtein (adjacent swaps) distance of a and b is <= limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


class Vocabulary:
    """Classes and drugs from rules/medications.yaml."""

    def __init__(self, classes: Mapping[str, str], drugs: Iterable[Drug]) -> None:
        self.classes: dict[str, str] = dict(classes)
        self.drugs: dict[str, Drug] = {}
        # name as a tuple of words -> drugs; single words also indexed by first letter.
        self._phrases: dict[tuple[str, ...], list[Drug]] = {}
        self._by_initial: dict[str, list[tuple[str, Drug]]] = {}
        self._longest = 1
        for drug in drugs:
            self.drugs[drug.id] = drug
            for name in (drug.id.replace("_", " "), *drug.names):
                phrase = words(name)
                if not phrase:
                    continue
                self._phrases.setdefault(phrase, []).append(drug)
                self._longest = max(self._longest, len(phrase))
                if len(phrase) == 1 and _max_typos(len(phrase[0])):
                    self._by_initial.setdefault(phrase[0][0], []).append((phrase[0], drug))
        self._cache: dict[str, tuple[DrugMatch, ...]] = {}

    @classmethod
    def from_data(cls, data: Any) -> Vocabulary:
        """Build from the parsed YAML, checking its shape."""
        if not isinstance(data, Mapping) or set(data) - {"classes", "drugs"}:
            raise VocabularyError("top level must have exactly the keys 'classes' and 'drugs'")
        classes = data.get("classes")
        drugs = data.get("drugs")
        if not isinstance(classes, Mapping) or not classes:
            raise VocabularyError("'classes' must map class ids to descriptions")
        if not isinstance(drugs, Mapping) or not drugs:
            raise VocabularyError("'drugs' must map drug ids to {classes, names}")
        built = []
        for drug_id, entry in drugs.items():
            if not isinstance(entry, Mapping) or set(entry) - {"classes", "names"}:
                raise VocabularyError(f"drug {drug_id}: keys must be 'classes' and 'names'")
            drug_classes = entry.get("classes")
            if not isinstance(drug_classes, list) or not drug_classes:
                raise VocabularyError(f"drug {drug_id}: 'classes' must be a non-empty list")
            unknown = [c for c in drug_classes if c not in classes]
            if unknown:
                raise VocabularyError(f"drug {drug_id}: unknown class {', '.join(unknown)}")
            names = entry.get("names", [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise VocabularyError(f"drug {drug_id}: 'names' must be a list of strings")
            built.append(Drug(str(drug_id), frozenset(drug_classes), tuple(names)))
        return cls({str(k): str(v) for k, v in classes.items()}, built)

    def match_text(self, text: str) -> tuple[DrugMatch, ...]:
        """Every drug named in free text, in the order written."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        found: dict[str, DrugMatch] = {}
        tokens = words(text)
        for start in range(len(tokens)):
            for size in range(min(self._longest, len(tokens) - start), 0, -1):
                phrase = tokens[start : start + size]
                for drug in self._phrases.get(phrase, ()):
                    found.setdefault(drug.id, DrugMatch(drug, " ".join(phrase)))
            token = tokens[start]
            limit = _max_typos(len(token))
            if limit and (token,) not in self._phrases:
                for name, drug in self._by_initial.get(token[0], ()):
                    if _within(token, name, min(limit, _max_typos(len(name)))):
                        found.setdefault(drug.id, DrugMatch(drug, token))
        result = tuple(found.values())
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[text] = result
        return result

    def match_value(self, value: str) -> tuple[DrugMatch, ...]:
        """A pick-list option value: a drug id, a class id, or a drug name."""
        drug = self.drugs.get(value)
        if drug is not None:
            return (DrugMatch(drug, value),)
        if value in self.classes:
            return (DrugMatch(Drug(value, frozenset({value}), ()), value),)
        return self.match_text(value.replace("_", " "))

    def classes_of_value(self, value: str) -> frozenset[str]:
        return frozenset().union(*(m.drug.classes for m in self.match_value(value)))
