"""What an answer value means to a condition: blank or not, a date, an age,
one of some values, a list holding some of them.

The one core of both condition languages: the questionnaire's ``show_if``
(conditions.py, true or false) and the screening rules (intake.screening,
three-valued, compiled to closures). The rules add "unknown" on top of these
primitives; they do not define blank, dates or ages again. Pure functions of
plain values: no Flask, no database, and ``today`` is always the caller's
(the clinic's date, from intake.clock).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

#: Besides None, only these can be blank: a hot loop (the screening engine)
#: may skip the is_blank call for any other value.
BLANK_CLASSES = frozenset({str, list})


def is_blank(value: Any) -> bool:
    """Not answered: absent, empty or whitespace-only text, or an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def parse_date(value: Any) -> date | None:
    """An ISO date answer ("1968-09-14") or a date; None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def age_on(born: date, today: date) -> int:
    """Whole years from `born` to `today` (negative if born after today)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_from(value: Any, today: date) -> int | None:
    """The age on `today` of a date-of-birth answer; None when it is not a
    date or lies after `today` (a draft's typo must not read as an age)."""
    born = parse_date(value)
    if born is None or born > today:
        return None
    return age_on(born, today)


def one_of(value: Any, wanted: Collection[Any]) -> bool:
    """The single answer is one of `wanted` (a list answer never is)."""
    try:
        return value in wanted
    except TypeError:  # unhashable: a list where one value belongs
        return False


def holds_any(value: Any, wanted: Collection[Any]) -> bool:
    """A list answer holds at least one of `wanted`."""
    if value.__class__ is not list:
        return False
    try:
        return any(item in wanted for item in value)
    except TypeError:
        return False
