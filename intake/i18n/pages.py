"""Which language a page is written in (Flask-Babel), and the app's set-up.

Flask-Babel picks the locale per request through `select_locale`: a view that
knows whose page it is (the patient's intake, the signed-in user) calls
`use_language` first; otherwise the page is in the deployment's locale
(config LOCALE). Catalogs come from `intake.i18n.catalogs`.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Domain, get_locale, refresh

from intake.i18n import LANGUAGES, known, language_of, locale_for
from intake.i18n.catalogs import translations


def use_language(language: str | None) -> None:
    """Write the rest of this request's page in ``language`` (None: the default)."""
    g.page_language = known(language)
    refresh()


def current_language() -> str:
    """The language the current page is written in."""
    locale = get_locale()
    return language_of(str(locale)) if locale is not None else \
        language_of(current_app.config["LOCALE"])


def current_locale() -> str:
    """The Babel locale of the current page (dates and numbers are written in it)."""
    locale = get_locale()
    return str(locale) if locale is not None else current_app.config["LOCALE"]


def page_lang() -> str:
    """The page's BCP 47 tag for <html lang>: "en-GB", "fr-CA"."""
    return current_locale().replace("_", "-")


def browser_language() -> str | None:
    """The patient's browser's first choice among our languages, if any."""
    if not has_request_context():
        return None
    return request.accept_languages.best_match(list(LANGUAGES))


def select_locale() -> str:
    """Flask-Babel's locale selector: the language a view chose, else the default."""
    return locale_for(g.get("page_language"), current_app.config["LOCALE"])


class PoDomain(Domain):
    """Flask-Babel's domain, with catalogs read from the .po files (catalogs.py)."""

    def get_translations(self):
        locale = get_locale()
        if locale is None:
            return NullTranslations()
        return translations(locale.language)


def init_app(app: Flask) -> None:
    from intake.extensions import babel

    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["LOCALE"])
    babel.init_app(app, locale_selector=select_locale)
    # Catalogs are read from the .po files themselves (catalogs.py says why).
    babel.domain_instance = PoDomain()
    # WTForms' own messages ("Not a valid choice") in the page's language too.
    app.config.setdefault("WTF_I18N_ENABLED", True)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["page_lang"] = page_lang
