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

import re
from collections.abc import Callable
from typing import Any

from babel import Locale, UnknownLocaleError
from markupsafe import Markup

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
    return name or str(locale)


#: between the running footer's two parts, as static/css/pdf.css writes it
SEPARATOR = '"  \\00B7  "'


def _css_string(text: str) -> str:
    """`text` as a CSS string for the document's <style>: no `<` to end the
    element and no `&`, which the summary's XML reading (markup.py) refuses."""
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
                  .replace("&", "\\26 ")) + '"'


def page_margins(language: str) -> Markup | None:
    """The running footer's words (static/css/pdf.css writes them in English)
    in ``language``, as an @page rule for the document's <style>; None for English.
    One margin box, like the stylesheet's (each box costs a layout per page)."""
    if language == "en":
        return None
    _ = gettext_for(language)
    confidential = _("Confidential: patient health information")
    counted = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    parts = [_css_string(confidential), SEPARATOR]
    for part in re.split("([\x00\x01])", counted):
        if part in ("\x00", "\x01"):
            parts.append("counter(page)" if part == "\x00" else "counter(pages)")
        elif part:
            parts.append(_css_string(part))
    return Markup(f"@page {{ @bottom-center {{ content: {' '.join(parts)}; }} }}")  # noqa: S704


def as_they_read(ours: dict[str, Any], theirs: dict[str, Any] | None) -> dict[str, Any] | None:
    """The patient's wording of one shown answer (label, value), or None where
    it reads the same as ours (same language, untranslated text, free text)."""
    if theirs is None:
        return None
    if all(theirs.get(key) == ours.get(key) for key in theirs):
        return None
    return theirs
