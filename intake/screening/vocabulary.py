"""Drug-class vocabulary: which medicine names (generic and brand) belong to
which class, matched in pick-list values and in free text.

Patients type "eliquis 5mg bid", "asprin 81" or "ksarelto", so free text is
matched per word and word run, ignoring case, punctuation, numbers and doses,
in three ways, each reported with the match so the practitioner sees how sure
it is:

- exact: the word (run) is a listed name;
- spelling: within a small edit distance of a listed name (one typo for 6-8
  letters, two from 9; adjacent swaps count once), at any position, the first
  letter included ("klopidogrel");
- sound: a spelling match once letters that sound alike are written one way
  ("elikwis", "ksarelto", "plavicks"), or the same Metaphone key one edit
  further off ("kumadin").

Names and words under 6 letters (ASA, Aleve) must match exactly, so everyday
words do not turn into medicines, and "ibuprofen" never becomes an
antiplatelet. Edit distances come from rapidfuzz and phonetic keys from
jellyfish rather than home-made code: both are small, fast and well kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jellyfish
from rapidfuzz.distance import DamerauLevenshtein

_WORD = re.compile(r"[a-z]+")
_CACHE_LIMIT = 20_000


class VocabularyError(ValueError):
    """A malformed vocabulary file; the loader turns it into RuleSetError."""


@dataclass(frozen=True, slots=True)
class Drug:
    id: str
    classes: frozenset[str]
    names: tuple[str, ...]


#: How a written word matched a listed name, surest first.
EXACT, SPELLING, SOUND = "exact", "spelling", "sound"
HOW_LABELS = {EXACT: "", SPELLING: "a close spelling", SOUND: "sounds alike"}


@dataclass(frozen=True, slots=True)
class DrugMatch:
    """``drug`` matched because the patient wrote ``written``, read as ``name``."""

    drug: Drug
    written: str
    name: str = ""
    how: str = EXACT

    def describe(self, classes: Iterable[str]) -> str:
        """For the evidence: which medicine, of which class, and how it was read.

        "apixaban: anticoagulant", "Xarelto (rivaroxaban): anticoagulant",
        '"ksarelto", read as Xarelto (rivaroxaban), sounds alike: anticoagulant'.
        """
        kinds = ", ".join(sorted(c.replace("_", " ") for c in classes))
        generic = self.drug.id.replace("_", " ")
        listed = self.name or generic
        medicine = listed if words(listed) == words(generic) else f"{listed} ({generic})"
        if self.how == EXACT:
            return f"{medicine}: {kinds}"
        return f'"{self.written}", read as {medicine}, {HOW_LABELS[self.how]}: {kinds}'


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


def _sound_key(word: str) -> str:
    return jellyfish.metaphone(word)


_SOUND_SPELLINGS = ((re.compile(r"ph"), "f"), (re.compile(r"qu"), "kw"), (re.compile(r"x"), "ks"),
                    (re.compile(r"ck"), "k"), (re.compile(r"c(?=[eiy])"), "s"),
                    (re.compile(r"c"), "k"), (re.compile(r"z"), "s"), (re.compile(r"y"), "i"),
                    (re.compile(r"ou"), "u"), (re.compile(r"(.)\1+"), r"\1"))


def _sound_spelling(word: str) -> str:
    """One spelling per sound for letters English writes several ways
    (x/ks, qu/kw, ph/f, c/k/s, z/s, y/i, doubled letters), so that "elikwis"
    and "eliquis" compare as the same word. Metaphone alone keys "ksarelto"
    and "xarelto" apart, hence this small table beside it.
    """
    for pattern, replacement in _SOUND_SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


class Vocabulary:
    """Classes and drugs from rules/medications.yaml."""

    def __init__(self, classes: Mapping[str, str], drugs: Iterable[Drug]) -> None:
        self.classes: dict[str, str] = dict(classes)
        self.drugs: dict[str, Drug] = {}
        # name as a tuple of words -> drugs; single words long enough for a
        # tolerant match also kept with their sound key.
        self._phrases: dict[tuple[str, ...], list[tuple[str, Drug]]] = {}
        self._tolerant: list[tuple[str, str, str, str, Drug]] = []
        self._longest = 1
        for drug in drugs:
            self.drugs[drug.id] = drug
            for name in (drug.id.replace("_", " "), *drug.names):
                phrase = words(name)
                if not phrase:
                    continue
                self._phrases.setdefault(phrase, []).append((name, drug))
                self._longest = max(self._longest, len(phrase))
                if len(phrase) == 1 and _max_typos(len(phrase[0])):
                    self._tolerant.append((phrase[0], _sound_key(phrase[0]),
                                           _sound_spelling(phrase[0]), name, drug))
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
                for name, drug in self._phrases.get(phrase, ()):
                    found.setdefault(drug.id, DrugMatch(drug, " ".join(phrase), name))
            token = tokens[start]
            if _max_typos(len(token)) and (token,) not in self._phrases:
                for match in self._tolerant_matches(token):
                    found.setdefault(match.drug.id, match)
        result = tuple(found.values())
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[text] = result
        return result

    def _tolerant_matches(self, token: str) -> list[DrugMatch]:
        """Listed names within a typo or two of ``token``, or that sound like it.

        A sound match is a spelling match after `_sound_spelling`, or the same
        Metaphone key with at most one edit more ("kumadin" for Coumadin).
        """
        limit = _max_typos(len(token))
        key = _sound_key(token)
        heard = _sound_spelling(token)
        matches = []
        for name, name_key, name_heard, listed, drug in self._tolerant:
            allowed = min(limit, _max_typos(len(name)))
            distance = DamerauLevenshtein.distance(token, name, score_cutoff=allowed + 1)
            if distance <= allowed:
                matches.append((0, distance, DrugMatch(drug, token, listed, SPELLING)))
                continue
            sound = DamerauLevenshtein.distance(heard, name_heard, score_cutoff=allowed + 1)
            if sound <= allowed or (sound == allowed + 1 and key == name_key and len(key) >= 4):
                matches.append((1, sound, DrugMatch(drug, token, listed, SOUND)))
        matches.sort(key=lambda found: found[:2])
        return [match for *_, match in matches]

    def match_value(self, value: str) -> tuple[DrugMatch, ...]:
        """A pick-list option value: a drug id, a class id, or a drug name."""
        drug = self.drugs.get(value)
        if drug is not None:
            return (DrugMatch(drug, value, value.replace("_", " ")),)
        if value in self.classes:
            return (DrugMatch(Drug(value, frozenset({value}), ()), value),)
        return self.match_text(value.replace("_", " "))

    def classes_of_value(self, value: str) -> frozenset[str]:
        return frozenset().union(*(m.drug.classes for m in self.match_value(value)))
