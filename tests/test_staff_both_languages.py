"""The staff intake page shows a patient's answers in the page's language and,
where the patient read another wording, theirs too (issue 14); the patient's
language is a badge on the intake page and the dashboard row."""

from __future__ import annotations

import html as html_lib

import pytest
from staff_helpers import submitted_intake

pytest_plugins = ["staff_fixtures"]

EN_LABEL = "Do you use a walking aid, such as a stick, crutches, a walker or a wheelchair?"
FR_LABEL = ("Utilisez-vous une aide à la marche, comme une canne, des béquilles, "
            "une marchette ou un fauteuil roulant?")


def _patient(db, clinic, language: str):
    return submitted_intake(db, clinic, name="Dominique Exemple", language=language)


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html_lib.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("page_language", "patient_language", "shown", "theirs", "badge"), [
    ("en", "fr", EN_LABEL,
     f'<span lang="fr-CA">«\u00a0{FR_LABEL}\u00a0» — «\u00a0Non\u00a0»</span>',
     "Answered in French"),
    ("fr", "en", FR_LABEL, f'<span lang="en-GB">“{EN_LABEL}” — “No”</span>',
     "Répondu en anglais"),
])
def test_the_page_shows_the_patients_own_wording_in_another_language(
        reader, db, clinic, page_language, patient_language, shown, theirs, badge):
    intake = _patient(db, clinic, patient_language)
    page = _text(reader(page_language), f"/staff/intakes/{intake.id}")
    assert f"<dt>{shown}</dt>" in page  # the question in the page's language
    assert theirs in page  # and as the patient read it, marked with its language
    assert badge in page  # the badge's accessible name


def test_the_intake_page_names_the_questionnaires_language(reader, db, clinic):
    intake = _patient(db, clinic, "fr")
    page = _text(reader("en"), f"/staff/intakes/{intake.id}")
    assert '<dd lang="fr">Français</dd>' in page and "As the patient read it:" in page


def test_a_french_page_shows_a_french_patient_once(reader, db, clinic):
    intake = _patient(db, clinic, "fr")
    page = _text(reader("fr"), f"/staff/intakes/{intake.id}")
    assert f"<dt>{FR_LABEL}</dt>" in page
    assert 'class="patient-wording"' not in page and "Répondu en" not in page


def test_the_same_language_shows_no_second_wording(reader, db, clinic):
    intake = _patient(db, clinic, "en")
    page = _text(reader("en"), f"/staff/intakes/{intake.id}")
    assert 'class="patient-wording"' not in page and "Answered in" not in page


def test_the_dashboard_row_names_the_patients_language(reader, db, clinic):
    _patient(db, clinic, "fr")
    english = _text(reader("en"), "/staff/")
    assert '<span aria-hidden="true">FR</span>' in english and "Answered in French" in english


def test_the_dashboard_has_no_badge_for_the_pages_own_language(reader, db, clinic):
    _patient(db, clinic, "fr")
    assert "badge-lang" not in _text(reader("fr"), "/staff/")


@pytest.mark.parametrize(("page_language", "blank"), [("en", "Not answered"),
                                                      ("fr", "Sans réponse")])
def test_a_blank_stored_answer_reads_in_the_pages_language(reader, db, clinic,
                                                           page_language, blank):
    from staff_helpers import baseline_answers

    intake = submitted_intake(db, clinic, answers=baseline_answers(**{"pain.notes": ""}))
    page = _text(reader(page_language), f"/staff/intakes/{intake.id}")
    assert f"<dd>{blank}" in page  # the English patient's own wording may say "Not answered"
