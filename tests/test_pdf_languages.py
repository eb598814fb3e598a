"""The PDF in two languages: the summary in the clinic's language, the patient's
answers also as they read them where that is another, the language stated in
the PDF, its JSON and its FHIR Bundle. Synthetic data only."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest
from documents_helpers import pdf_attachments, pdf_text, pdfaid

from intake.documents.consent import text_version
from intake.documents.render import render_html, render_pdf
from intake.documents.samples import demo_answers, sample_summary
from intake.fhir.validate import validate
from intake.questionnaire import load_definition

TODAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def definition():
    return load_definition()


@pytest.fixture(scope="module")
def answers(definition):
    return demo_answers(definition, today=TODAY)


def summary(definition, answers, **overrides):
    return sample_summary(answers=answers, questionnaire_version=definition.version,
                          **overrides)


def test_an_english_summary_of_an_english_patient_has_one_line_per_answer(definition, answers):
    html = render_html(summary(definition, answers), definition)
    assert '<html lang="en-GB">' in html
    assert "patient-read" not in html and 'lang="fr-CA"' not in html
    assert "Answered in <b class=\"language\">English (United Kingdom)</b>" in html
    assert "Do you have back pain?" in html and "Avez-vous mal au dos?" not in html
    assert "<style>" not in html  # the English footer is the stylesheet's own


def test_a_french_patient_reads_their_own_wording_beside_the_clinics(definition, answers):
    fr = definition.translated("fr")
    data = summary(definition, answers, patient_language="fr")
    html = render_html(data, definition)
    assert '<html lang="en-GB">' in html  # the clinic's language
    assert "French (Canada)" in html
    question = definition.questions["pain.back_pain"]
    french = fr.questions["pain.back_pain"]
    assert question.label != french.label
    # the English row, then the French one as the patient read it
    english_at = html.index(f"{question.label} <b>Yes</b>")
    french_line = (f'<p class="qa patient-read" lang="fr-CA"><small>fr-CA ·</small> '
                   f"{french.label} <b>Oui</b>")
    assert english_at < html.index(french_line)
    # free text is as typed, in both lines; a quiet group reads in French too
    assert html.count("Lifted a heavy box at work") == 2
    assert "<b>Non</b> — " in html
    about = definition.step("about")
    assert (f'{about.title} · <span lang="fr-CA">{fr.step("about").title}</span></h3>'
            in html)


def test_a_french_clinics_summary_is_french_with_french_dates(definition, answers):
    data = summary(definition, answers, locale="fr_CA", patient_language="fr")
    html = render_html(data, definition)
    assert '<html lang="fr-CA">' in html
    for text in ("Résumé d’accueil", "Drapeaux du dépistage", "Réponses", "Consentement",
                 "23 nov. 2026", "Réponses en <b class=\"language\">français (Canada)</b>",
                 definition.translated("fr").questions["pain.back_pain"].label,
                 "Confidentiel : renseignements de santé du patient"):
        assert text in html, text
    assert "patient-read" not in html  # patient and clinic read the same language
    for english in ("Screening flags", "Intake summary", "Nov 2026"):
        assert english not in html, english


def test_an_english_patient_of_a_french_clinic_shows_the_english_wording(definition, answers):
    html = render_html(summary(definition, answers, locale="fr_CA"), definition)
    assert "anglais (Royaume-Uni)" in html or "anglais (Canada)" in html
    assert '<p class="qa patient-read" lang="en-CA">' in html
    assert "Do you have back pain?" in html


def test_the_consent_is_shown_as_the_patient_read_it_with_its_version(definition, answers):
    version = text_version(definition, "fr")
    data = summary(definition, answers, patient_language="fr", consent_text_version=version)
    html = render_html(data, definition)
    consent = html[html.index("<h2>Consent record</h2>"):]
    fr = definition.translated("fr")
    step = fr.step(definition.questions[definition.roles["consent"]].step_id)
    assert "Consent given in French (Canada)" in consent
    assert f'<b class="consent-version">{version}</b>' in consent
    assert version.startswith(f"{definition.version}/fr/")
    assert '<div lang="fr-CA">' in consent
    first_paragraph = step.intro.split("\n\n")[0]
    assert first_paragraph[:60] in consent
    english = definition.step(step.id).intro.split("\n\n")[0]
    assert english[:60] not in consent  # the text the patient did not read is not there
    agreed = fr.questions[definition.roles["consent"]].label
    assert f'Agreed: <span lang="fr-CA">{agreed}</span>' in consent


def test_the_french_pdf_stays_pdf_a_with_language_in_its_json_and_bundle(definition, answers):
    data = summary(definition, answers, patient_language="fr",
                   consent_text_version=text_version(definition, "fr"))
    rendered = render_pdf(data, definition)
    assert pdfaid(rendered.pdf)["part"] == "3"
    text = pdf_text(rendered.pdf)
    assert "Answered in French (Canada)" in text
    assert "Avez-vous mal au dos? Oui" in text
    files = pdf_attachments(rendered.pdf)
    payload = json.loads(files["intake-1-v1.json"][0])
    assert payload["format"] == "intake-summary/1"
    assert payload["language"] == "fr"
    assert payload["consent_text_version"] == text_version(definition, "fr")
    bundle = json.loads(files["intake-1-v1.fhir.json"][0])
    validate(bundle)
    response = next(e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "QuestionnaireResponse")
    assert response["language"] == "fr-CA"
    consent = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Consent")
    assert consent["extension"][0]["valueString"] == text_version(definition, "fr")
    assert consent["sourceAttachment"]["language"] == "fr-CA"
    shown = base64.b64decode(consent["sourceAttachment"]["data"]).decode()
    assert definition.translated("fr").role_step("consent").intro[:60] in shown


def test_an_english_payload_says_english(definition, answers):
    assert summary(definition, answers).payload()["language"] == "en"


def test_the_english_and_french_consent_versions_differ(definition):
    english, french = text_version(definition, "en"), text_version(definition, "fr")
    assert english.split("/")[:2] == [definition.version, "en"]
    assert french.split("/")[:2] == [definition.version, "fr"]
    assert english.split("/")[2] != french.split("/")[2]
    assert len(french.split("/")[2]) == 12
    assert text_version(definition, "fr") == french  # the same text, the same version


def test_a_quiet_group_reads_one_line_per_french_wording(definition, answers):
    """"None of these" may be "Aucun de ceux-ci" or "Aucune de celles-ci" by the
    noun's gender: each French line holds the questions that read its words."""
    from intake.documents.context import build_context
    from intake.questionnaire.types import AnswerFormat

    fr = definition.translated("fr")
    shown = AnswerFormat(fr, "fr_CA")
    context = build_context(summary(definition, answers, patient_language="fr"), definition)
    groups = [g for step in context["steps"] for g in step["quiet"] if g["patient"]]
    assert groups
    for group in groups:
        words = {fr.questions[q].label: shown.text(q, answers[q]) for q in group["ids"]}
        assert sum(len(line["labels"]) for line in group["patient"]) == len(group["ids"])
        for line in group["patient"]:
            assert {words[label] for label in line["labels"]} == {line["answer"]}
