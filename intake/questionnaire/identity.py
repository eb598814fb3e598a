"""Who the patient is, as the clinic invited them and as they wrote it.

The clinic invites "Sam Sample"; the patient may type "Samantha Sample" on
step 1. Both are kept: the dashboard, the intake page and the PDF show the
typed name with the invited one beside it when they differ, so a record can
be matched to its booking. One place, so the pages and the PDF agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .conditions import age_on

NAME_QUESTION = "about.full_name"
DOB_QUESTION = "about.date_of_birth"


@dataclass(frozen=True)
class Identity:
    invited_name: str
    typed_name: str
    date_of_birth: date | None

    @property
    def name(self) -> str:
        """The name to show first: what the patient typed, else the invite's."""
        return self.typed_name or self.invited_name

    @property
    def invited_as(self) -> str | None:
        """The invited name, only when the patient typed a different one."""
        if self.invited_name and self.typed_name and (
                self.invited_name.casefold() != self.typed_name.casefold()):
            return self.invited_name
        return None

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth.isoformat(), day)


def identity(answers: Mapping[str, Any] | None, invited_name: str | None) -> Identity:
    answers = answers or {}
    typed = answers.get(NAME_QUESTION)
    return Identity(
        invited_name=(invited_name or "").strip(),
        typed_name=typed.strip() if isinstance(typed, str) else "",
        date_of_birth=parse_date(answers.get(DOB_QUESTION)),
    )


#: intakes.typed_name's length: a longer typed name is searched by its start
TYPED_NAME_MAX = 200


def typed_name_of(answers: Mapping[str, Any] | None) -> str | None:
    """What intakes.typed_name holds for the dashboard's search: the typed name,
    trimmed, or None."""
    return identity(answers, None).typed_name[:TYPED_NAME_MAX] or None


def parse_date(value: Any) -> date | None:
    """An answer's ISO date (the first 10 characters), or None."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
