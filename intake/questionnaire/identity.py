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
from typing import TYPE_CHECKING, Any

from .values import age_on, parse_date

if TYPE_CHECKING:
    from .definition import Definition


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
        return age_on(self.date_of_birth, day)


def identity(answers: Mapping[str, Any] | None, invited_name: str | None,
             definition: Definition | None = None) -> Identity:
    """Found by role (full_name, date_of_birth) in ``definition``, default the shipped one."""
    answers = answers or {}
    name, born = name_question(definition), date_of_birth_question(definition)
    return identity_of(answers.get(name) if name else None,
                       answers.get(born) if born else None, invited_name)


def identity_of(typed: Any, date_of_birth_answer: Any, invited_name: str | None) -> Identity:
    """From the two answers themselves (as a list reads them from the database)."""
    return Identity(
        invited_name=(invited_name or "").strip(),
        typed_name=typed.strip() if isinstance(typed, str) else "",
        date_of_birth=parse_date(date_of_birth_answer),
    )


#: intakes.typed_name's length: a longer typed name is searched by its start
TYPED_NAME_MAX = 200


def typed_name_of(answers: Mapping[str, Any] | None) -> str | None:
    """What intakes.typed_name holds for the dashboard's search: the typed name,
    trimmed, or None."""
    return identity(answers, None).typed_name[:TYPED_NAME_MAX] or None



def _role_id(role: str, definition: Definition | None) -> str | None:
    """The question id, or None when no definition can be loaded (the staff
    page still shows a record then, without the typed name)."""
    from .definition import DefinitionError, load_definition

    try:
        return (definition or load_definition()).role(role).id
    except (DefinitionError, KeyError):
        return None


def name_question(definition: Definition | None = None) -> str | None:
    """The id of the question where the patient types their name (role full_name)."""
    return _role_id("full_name", definition)


def date_of_birth(answers: Mapping[str, Any] | None,
                  definition: Definition | None = None) -> date | None:
    """The answer to the question with role date_of_birth, as a date."""
    question = date_of_birth_question(definition)
    return parse_date((answers or {}).get(question)) if question else None


def date_of_birth_question(definition: Definition | None = None) -> str | None:
    """The id of the question with role date_of_birth."""
    return _role_id("date_of_birth", definition)

