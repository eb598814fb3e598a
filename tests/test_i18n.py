"""The app's languages: catalogs complete, a page's language chosen per request,
dates in that language (intake.i18n, migration 0017)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string

from intake import i18n
from intake.i18n import catalogs, check, pages


def test_every_marked_message_has_a_french_translation():
    gaps = check.missing("fr")
    assert not gaps, "untranslated (python -m intake.i18n.check fr): " + ", ".join(
        repr(check._key(m.id)) for m in gaps[:20])


def test_no_translation_breaks_its_placeholders():
    assert check.placeholder_errors("fr") == []


def test_the_checker_sees_a_message_no_catalog_has(tmp_path, monkeypatch):
    # The completeness check must be able to fail: a source with an unknown message.
    (tmp_path / "templates").mkdir()
    (tmp_path / "intake").mkdir()
    (tmp_path / "templates" / "x.html").write_text('{{ _("A message nobody translated") }}')
    (tmp_path / "intake" / "y.py").write_text('_l("Another one")\n')
    found = {m.id for m in check.extracted(tmp_path) if m.id}
    assert found == {"A message nobody translated", "Another one"}


def test_each_area_has_its_own_catalog():
    areas = {path.parent.name for path in catalogs.po_files("fr")}
    assert {"common", "patient", "questionnaire", "staff", "pdf"} <= areas


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "fr_CA"), ("en", "en_GB"), (None, "en_GB"),
])
def test_a_language_becomes_a_locale(language, expected):
    assert i18n.locale_for(language, "en_GB") == expected


def test_english_follows_an_english_deployment_locale_only():
    assert i18n.locale_for("en", "en_CA") == "en_CA"
    assert i18n.locale_for("en", "fr_CA") == "en_CA"
    assert i18n.language_of("fr-CA") == "fr"
    assert i18n.language_of("de_DE") == "en"
    assert i18n.known("de") is None and i18n.known("fr") == "fr"


def test_a_page_is_english_unless_a_view_chooses(app):
    with app.test_request_context("/"):
        page = render_template_string(
            '<html lang="{{ page_lang() }}">{{ _("Skip to main content") }}')
    assert page == '<html lang="en-GB">Skip to main content'


def test_a_view_that_chooses_french_gets_french_text_and_dates(app):
    with app.test_request_context("/"):
        pages.use_language("fr")
        page = render_template_string(
            '<html lang="{{ page_lang() }}">{{ _("Skip to main content") }} {{ day|clinic_date }}',
            day=date(1968, 9, 14))
        assert pages.current_language() == "fr"
    assert page == '<html lang="fr-CA">Passer au contenu principal 14 septembre 1968'


def test_an_unknown_language_falls_back_to_the_default(app):
    with app.test_request_context("/"):
        pages.use_language("xx")
        assert pages.current_locale() == "en_GB"


def test_the_browser_choice_is_offered_among_our_languages_only(app):
    with app.test_request_context("/", headers={"Accept-Language": "de-DE, fr-CA;q=0.8"}):
        assert pages.browser_language() == "fr"
    with app.test_request_context("/", headers={"Accept-Language": "de-DE"}):
        assert pages.browser_language() is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pdf_messages_drop_control_characters_from_their_values(language):
    # A translated message comes back as Markup, which finalize leaves alone:
    # its values are cleaned on the way in, in the PDF as on the pages.
    from intake.documents.render import _jinja

    out = _jinja(language).from_string('{{ _("rule %(rule)s", rule=v) }}').render(v="a\x07b")
    assert "\x07" not in out and "ab" in out
