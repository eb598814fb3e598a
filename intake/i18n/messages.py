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

A count is ``NN_(singular, plural, n)``: the English form chosen by ``n`` now,
the language's own plural rule (French: 0 and 1 are singular) when translated.

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
    #: ngettext's plural msgid and the count that picks the form (``NN_``)
    plural: str | None = None
    count: int | None = None

    def __new__(cls, msgid: str, *, context: str | None = None, **params: Any) -> Message:
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params, self.context = msgid, params, context
        return self

    def __reduce__(self):  # copied (and pickled) as the same message, not as plain text
        return (_rebuild, (self.msgid, self.context, self.params, self.plural, self.count))

    def in_language(self, language: str) -> str:
        """This message in ``language``; English (or a missing translation) is the text itself."""
        if language == "en":
            return str(self)
        catalog = translations(language)
        if self.plural is not None:
            text = (catalog.npgettext(self.context, self.msgid, self.plural, self.count)
                    if self.context else catalog.ngettext(self.msgid, self.plural, self.count))
        else:
            text = (catalog.pgettext(self.context, self.msgid) if self.context
                    else catalog.gettext(self.msgid))
        params = {k: translate(v, language) for k, v in self.params.items()}
        return text % params if params else text


def _rebuild(msgid: str, context: str | None, params: dict[str, Any],
             plural: str | None = None, count: int | None = None) -> Message:
    if plural is not None:
        return _counted(msgid, plural, count, context, params)
    return Message(msgid, context=context, **params)


def _counted(singular: str, plural: str, num: int, context: str | None,
             params: dict[str, Any]) -> Message:
    # The message's own variables may be called anything ("count" too), so the
    # plural and the count are set here rather than passed as keywords.
    self = Message(singular if num == 1 else plural, context=context, **params)
    self.msgid, self.plural, self.count = singular, plural, num
    return self


def N_(msgid: str, **params: Any) -> Message:  # noqa: N802 (gettext's marker name)
    """Mark ``msgid`` for translation; fill its variables now, translate later."""
    return Message(msgid, **params)


def NP_(context: str, msgid: str, **params: Any) -> Message:  # noqa: N802
    """``N_`` with pgettext's context."""
    return Message(msgid, context=context, **params)


def NN_(singular: str, plural: str, num: int, **params: Any) -> Message:  # noqa: N802
    """``N_`` for a count: ngettext's two msgids, the form chosen by ``num`` in
    the reader's language (French says "1 tentative", "0 tentative")."""
    return _counted(singular, plural, num, None, {"num": num, **params})


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


__all__ = ["NN_", "NP_", "Message", "N_", "both", "either", "translate"]
