"""The summary's running header and footer: on every page, the patient's name
and the document id at the top, the confidentiality line and "Page X of Y" at
the bottom, in the summary's language. Synthetic data only."""

from __future__ import annotations

from datetime import date

import pytest
from documents_helpers import pdf_pages

from intake.documents.render import render_pdf
from intake.documents.samples import demo_answers, sample_summary
from intake.questionnaire import load_definition

NAME = "Jordan Sample"


@pytest.fixture(scope="module")
def definition():
    return load_definition()


def pages(definition, **overrides) -> list[str]:
    answers = demo_answers(definition, today=date(2026, 12, 2))
    assert answers["about.full_name"] == NAME
    data = sample_summary(answers=answers, questionnaire_version=definition.version,
                          **overrides)
    found = pdf_pages(render_pdf(data, definition).pdf)
    assert len(found) >= 3  # enough pages to tell a running header from a first-page one
    return found


def test_every_english_page_carries_the_header_and_the_footer(definition):
    found = pages(definition)
    for number, text in enumerate(found, start=1):
        assert f"{NAME} · Intake 1, version 1" in text, number
        assert (f"Confidential: patient health information · Page {number} of {len(found)}"
                in text), number


def test_every_french_page_carries_them_in_french(definition):
    found = pages(definition, locale="fr_CA")
    assert "Intake summary" not in found[0]
    for number, text in enumerate(found, start=1):
        assert f"{NAME} · Questionnaire 1, version 1" in text, number
        assert ("Confidentiel : renseignements de santé du patient · "
                f"Page {number} sur {len(found)}") in text, number
        assert "Confidential: patient" not in text and f"Page {number} of" not in text, number


def test_a_translated_footer_with_an_ampersand_stays_readable_by_expat(monkeypatch):
    """A translation may hold `&` or `<`: the <style> it goes into must still
    be markup the fast parser reads (intake.documents.markup)."""
    from intake.documents import languages, markup

    monkeypatch.setattr(languages, "gettext_for",
                        lambda language: lambda text, **kw: "Santé & <privé> " + text % kw
                        if kw else "Santé & <privé>")
    rule = languages.page_margins("fr")
    assert "&" not in rule and "<" not in rule
    assert "\\26 " in rule and "\\3c " in rule
    html = f"<!DOCTYPE html><html><head><style>{rule}</style></head><body></body></html>"
    markup.parse(html)  # raises NotXHTML if it could not
