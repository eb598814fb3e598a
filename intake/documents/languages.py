"""The two languages of a summary: the one it is written in, and the patient's.

The practitioner's summary is written in the clinic's language (SummaryData.
language); the patient may have answered in another (SummaryData.
patient_language). Where they differ, each answer also shows the question
and the chosen option as the patient read them, in their language, so the
practitioner sees exactly what was agreed to or ticked. Free text is shown
as it was typed, once.

Pure (no Flask): the catalogs come from intake.i18n.catalogs, the
questionnaire's texts from ``Definition.translated``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel import Locale, UnknownLocaleError

from intake.i18n.catalogs import translations

Gettext = Callable[..., str]


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; translated where shown."""
    return message


def translated(definition, language: str):
    """``definition`` with its texts in ``language``; a definition that cannot
    translate itself (a test's stand-in, None) is shown as it is."""
    translate = getattr(definition, "translated", None)
    if translate is None or getattr(definition, "language", "en") == language:
        return definition
    return translate(language)


def gettext_for(language: str) -> Gettext:
    """The pdf texts' gettext in ``language`` (%(name)s placeholders filled)."""
    catalog = translations(language)

    def gettext(message: str, **values: Any) -> str:
        text = catalog.gettext(message)
        return text % values if values else text

    return gettext


def html_lang(locale: str) -> str:
    """The BCP 47 tag of a Babel locale, for lang="…" ("fr_CA" -> "fr-CA")."""
    return str(locale).replace("_", "-")


def language_name(locale: str, in_locale: str) -> str:
    """A locale's name in another's words: "French (Canada)", "anglais (Royaume-Uni)"."""
    try:
        name = Locale.parse(locale).get_display_name(Locale.parse(in_locale))
    except (UnknownLocaleError, ValueError):
        return str(locale)
    return (name[:1].upper() + name[1:]) if name else str(locale)


def as_they_read(ours: dict[str, Any], theirs: dict[str, Any] | None) -> dict[str, Any] | None:
    """The patient's wording of one shown answer (label, value), or None where
    it reads the same as ours (same language, untranslated text, free text)."""
    if theirs is None:
        return None
    if all(theirs.get(key) == ours.get(key) for key in theirs):
        return None
    return theirs
