"""How severe a flag is: the levels, the red-flag urgencies, one order and one set of words.

The engine's flag order, the intake's stored worst-flag rank
(``Intake.worst_rank``, which sorts and filters the dashboard), the staff
badges and the PDF all read this table, so they cannot disagree about which
flag comes first or what it is called.

A rank is one number, higher is worse: 0 no flags, 1 note, 2 precaution,
3 contraindication, 4-6 red flag (prompt, urgent, emergency). Ranks are
stored in the database: never renumber them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Severity levels, most severe first (the catalog's table).
LEVELS: tuple[str, ...] = ("red_flag", "contraindication", "precaution", "note")
#: Urgencies of red flags, most urgent first.
URGENCIES: tuple[str, ...] = ("emergency", "urgent", "prompt")

LEVEL_LABELS: dict[str, str] = {
    "red_flag": "Red flag",
    "contraindication": "Contraindication",
    "precaution": "Precaution",
    "note": "Note",
}
URGENCY_LABELS: dict[str, str] = {"emergency": "emergency", "urgent": "urgent",
                                  "prompt": "prompt"}
NO_FLAGS = "No flags"

NONE = 0
_LEVEL_RANKS = {"note": 1, "precaution": 2, "contraindication": 3}
_RED_FLAG_RANKS = {"prompt": 4, "urgent": 5, "emergency": 6}
#: The lowest rank of a red flag: the dashboard puts these at the top of each day.
RED_FLAG = min(_RED_FLAG_RANKS.values())
TOP = max(_RED_FLAG_RANKS.values())

#: Filter value -> (lowest, highest) rank: all red flags, one other level, or no flags.
RANK_RANGES: dict[str, tuple[int, int]] = {
    "red_flag": (RED_FLAG, TOP),
    **{level: (rank, rank) for level, rank in _LEVEL_RANKS.items()},
    "none": (NONE, NONE),
}


def rank(level: str | None, urgency: str | None = None) -> int:
    """The rank of a flag of this level and urgency (None: no flag at all).

    A red flag without a known urgency counts as an emergency: when unsure,
    sort it to the top of the list rather than the bottom. An unknown level
    is a KeyError, never a quiet zero.
    """
    if level is None:
        return NONE
    if level == "red_flag":
        return _RED_FLAG_RANKS.get(urgency, TOP)  # type: ignore[arg-type]
    return _LEVEL_RANKS[level]


def worst_rank(flags: Iterable[Any]) -> int:
    """The highest rank of `flags` (anything with .level and .urgency); 0 for none."""
    return max((rank(f.level, f.urgency) for f in flags), default=NONE)


def sort_key(level: str, urgency: str | None, order: int) -> int:
    """One int for ordering flags, lower first: most severe first, then by
    the rule's position in the rule set (`order`, below 10,000)."""
    return (TOP - rank(level, urgency)) * 10_000 + order


def label(level: str | None, urgency: str | None = None) -> str:
    """The words for a severity, the same on every page: "Red flag: urgent",
    "Precaution", "No flags". An unknown level is shown as it is stored."""
    if level is None:
        return NO_FLAGS
    text = LEVEL_LABELS.get(level, level)
    if level == "red_flag" and urgency:
        return f"{text}: {URGENCY_LABELS.get(urgency, urgency)}"
    return text


#: rank -> its words, for what stores only the rank (the dashboard's rows).
RANK_LABELS: dict[int, str] = {
    NONE: NO_FLAGS,
    **{r: LEVEL_LABELS[level] for level, r in _LEVEL_RANKS.items()},
    **{r: label("red_flag", urgency) for urgency, r in _RED_FLAG_RANKS.items()},
}
#: rank -> its level (None: no flags).
RANK_LEVELS: dict[int, str | None] = {
    NONE: None, **{r: level for level, r in _LEVEL_RANKS.items()},
    **dict.fromkeys(_RED_FLAG_RANKS.values(), "red_flag"),
}
