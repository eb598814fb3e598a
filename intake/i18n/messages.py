"""Messages written in pure code, shown later in the reader's language.

The question types (intake/questionnaire/types/) are pure: they cannot ask
Flask-Babel which language the page is in, yet their messages ("Please
choose an answer.", "Please enter a number from 50 to 250 cm.") reach the
patient. So they mark each message with ``N_``, which extraction finds
(``catalogs.KEYWORDS``) and which returns a ``Message``: a ``str`` holding the
English text, as before, that also carries its msgid and variables. Whoever
shows it in another language calls ``translate(message, language)``; anything
that only reads English (logs, tests, the whole-intake check) sees the same
string as before.

A variable may itself be a Message (translated first), so messages compose
without gluing English fragments: ``either([a, b])`` is "a or b" in the
reader's language.

How a page shows them (the patient blueprint): build the step's form from
``definition.translated(intake.language)`` (labels, options and units in the
messages are then French) and show each of ``field.errors`` as
``translate(error, intake.language)``, e.g. a Jinja filter registered by the
blueprint; ``AnswerFormat(definition.translated(lang), locale)`` already words
its answers in the locale's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from intake.i18n.catalogs import translations


class Message(str):
    """English text that knows its msgid and ``%(name)s`` variables."""

    msgid: str
    params: dict[str, Any]
    #: pgettext's context, for a word that means two things ("Back": a view, a link)
    context: str | None = None

    def __new__(cls, msgid: str, *, context: str | None = None, **params: Any) -> Message:
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params, self.context = msgid, params, context
        return self

    def __reduce__(self):  # copied (and pickled) as the same message, not as plain text
        return (_rebuild, (self.msgid, self.context, self.params))

    def in_language(self, language: str) -> str:
        """This message in ``language``; English (or a missing translation) is the text itself."""
        if language == "en":
            return str(self)
        catalog = translations(language)
        text = (catalog.pgettext(self.context, self.msgid) if self.context
                else catalog.gettext(self.msgid))
        params = {k: translate(v, language) for k, v in self.params.items()}
        return text % params if params else text


def _rebuild(msgid: str, context: str | None, params: dict[str, Any]) -> Message:
    return Message(msgid, context=context, **params)


def N_(msgid: str, **params: Any) -> Message:  # noqa: N802 (gettext's marker name)
    """Mark ``msgid`` for translation; fill its variables now, translate later."""
    return Message(msgid, **params)


def NP_(context: str, msgid: str, **params: Any) -> Message:  # noqa: N802
    """``N_`` with pgettext's context."""
    return Message(msgid, context=context, **params)


def either(items: Iterable[Any]) -> Any:
    """"a", "a or b", "a, b or c" as a message (one item: the item itself)."""
    items = list(items)
    if len(items) < 2:
        return items[0] if items else ""
    return N_("%(first)s or %(last)s", first=_commas(items[:-1]), last=items[-1])


def both(items: Iterable[Any]) -> Any:
    """"a", "a and b", "a, b and c" as a message (one item: the item itself)."""
    items = list(items)
    if len(items) < 2:
        return items[0] if items else ""
    return N_("%(first)s and %(last)s", first=_commas(items[:-1]), last=items[-1])


def _commas(items: list[Any]) -> Any:
    result = items[0]
    for item in items[1:]:
        result = N_("%(first)s, %(next)s", first=result, next=item)
    return result


def translate(text: Any, language: str) -> Any:
    """A Message in ``language``; anything else (a number, plain text) as it is."""
    return text.in_language(language) if isinstance(text, Message) else text


__all__ = ["NP_", "Message", "N_", "both", "either", "translate"]
