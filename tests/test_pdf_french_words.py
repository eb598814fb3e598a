"""A French clinic's summary and a French patient's copy say their answers'
own words in French too: the decimal comma, "sur 10", "Oui"/"Non", the body
diagram's views and sides. Synthetic data only."""

from __future__ import annotations

from datetime import date

import pytest
from documents_helpers import pdf_text

from intake.documents.render import render_copy, render_html, render_pdf
from intake.documents.samples import demo_answers, sample_summary
from intake.questionnaire import load_definition
from intake.questionnaire.types import AnswerFormat


@pytest.fixture(scope="module")
def definition():
    return load_definition()


@pytest.fixture(scope="module")
def answers(definition):
    """The demo answers, whose weight (71.5 kg) and pain scores this file reads."""
    demo = demo_answers(definition, today=date(2026, 12, 2))
    assert demo["about.weight_kg"] == 71.5
    return demo


def _summary(definition, answers, **overrides):
    return sample_summary(answers=answers, questionnaire_version=definition.version,
                          **overrides)


def test_a_french_number_has_a_decimal_comma_and_an_english_one_a_point(definition):
    french = AnswerFormat(definition.translated("fr"), "fr_CA")
    english = AnswerFormat(definition, "en_GB")
    assert french.text("about.weight_kg", 71.5) == "71,5 kg"
    assert english.text("about.weight_kg", 71.5) == "71.5 kg"
    assert french.text("about.weight_kg", 1200.25) == "1200,25 kg"  # no grouping
    assert english.text("about.weight_kg", 0.00001) == "0.00001 kg"  # no exponent


def test_a_french_clinics_pdf_reads_french_answer_words(definition, answers):
    text = pdf_text(render_pdf(_summary(definition, answers, locale="fr_CA",
                                        patient_language="fr"), definition).pdf)
    for french in ("71,5 kg", "6 sur 10", "Oui", "Signature dessinée", "Devant", "Dos",
                   "Droite", "Gauche"):
        assert french in text, french
    for english in ("71.5 kg", "out of 10", "Signature drawn", "Front", "Right", "Left"):
        assert english not in text, english


def test_the_diagram_of_an_english_clinics_summary_stays_english(definition, answers):
    html = render_html(_summary(definition, answers, patient_language="fr"), definition)
    assert ">Front</text>" in html and ">Right</text>" in html
    assert "Devant" not in html and "71.5 kg" in html


def test_a_french_patients_copy_reads_french_answer_words(definition, answers):
    # the copy's data is in the patient's locale (collect.patient_copy_data)
    data = _summary(definition, answers, locale="fr_CA", patient_language="fr")
    text = pdf_text(render_copy(data, definition).pdf)
    for french in ("71,5 kg", "6 sur 10", "Oui"):
        assert french in text, french
    for english in ("71.5 kg", "out of 10", "Signature drawn"):
        assert english not in text, english


def test_the_french_pdfs_diagram_image_has_a_french_text_alternative(definition, answers):
    from intake.documents.render import summary_source

    french = summary_source(_summary(definition, answers, locale="fr_CA"), definition).html
    english = summary_source(_summary(definition, answers), definition).html
    assert 'src="intake-asset:diagram.svg" alt="Schéma du corps"' in french
    assert 'src="intake-asset:diagram.svg" alt="Body diagram"' in english
