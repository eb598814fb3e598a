"""The languages the app speaks, and which one a page is written in.

One place holds the list (`LANGUAGES`: the codes stored on intakes, staff
users and clinics; migration 0017 CHECKs them) and how a language becomes a
Babel locale: French is Canadian French (fr_CA); English is the deployment's
INTAKE_LOCALE when that is English (en_GB by default), else en_CA.

This package is pure (no Flask): documents and the questionnaire use it with
a language they are given. Which language a page is in is `intake.i18n.pages`.
"""

from __future__ import annotations

#: code -> the language's own name, as the language choice shows it
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
FRENCH_LOCALE = "fr_CA"


def locale_for(language: str | None, default_locale: str) -> str:
    """The Babel locale of a language code; None is the deployment's locale."""
    if language == "fr":
        return FRENCH_LOCALE
    if language == "en":
        return default_locale if default_locale.startswith("en") else "en_CA"
    return default_locale


def language_of(locale: str) -> str:
    """The language code of a locale ("fr_CA" -> "fr"); unknown ones are English."""
    code = str(locale).replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def known(language: str | None) -> str | None:
    """The code if the app speaks it, else None (for values from a form or URL)."""
    return language if language in LANGUAGES else None


