"""A practitioner's decision on a flag: the choices, their words, and which
flags need one.

The decision form, the check in operations.review, the database constraint
on ``decisions.choice`` and the reviewed PDF all read this table.
"""

from __future__ import annotations

#: Stored value -> the words on the staff page and in the PDF, in form order.
DECISIONS: dict[str, str] = {
    "proceed": "Proceed",
    "proceed_modified": "Proceed with modifications",
    "defer": "Defer",
    "refer": "Refer",
    "do_not_needle": "Do not needle",
}

#: Flag levels that need a decision before sign-off, and those that need a note.
DECISION_LEVELS = frozenset({"precaution", "contraindication", "red_flag"})
NOTE_REQUIRED_LEVELS = frozenset({"contraindication", "red_flag"})


def decision_label(choice: str) -> str:
    """The words for a stored choice; an unknown one is shown as it is stored."""
    return DECISIONS.get(choice, choice)
