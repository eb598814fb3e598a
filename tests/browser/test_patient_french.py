"""A patient whose phone reads French fills the whole questionnaire in French:
Français is preselected on the first page, every step (a mistake included,
shown in French next to its field), the review and the confirmation are
<html lang="fr-CA"> and axe-clean; the switch to English and back keeps what
was typed. Screenshots land in test-artifacts/ (fr-*)."""

from __future__ import annotations

from datetime import date

import pytest
from answers import valid_answers
from browser_support import PHONE, Watch, check_page, invite_token
from playwright.sync_api import expect

from intake.questionnaire import load_definition

pytestmark = pytest.mark.browser

# the phone-sized flow's helpers (filling each question type, the signature pad)
from test_patient_flow import draw_signature, fill_step  # noqa: E402


@pytest.fixture
def invite(live_app):
    return invite_token(live_app, clinic_name="Clinique Riverside", name="Camille Exemple")


def in_french(page) -> None:
    assert page.locator("html").get_attribute("lang") == "fr-CA", page.url


def test_a_french_patient_fills_the_whole_questionnaire_in_french_on_a_phone(
        browser, live_server, invite, artifacts):
    definition = load_definition()
    french = definition.translated("fr")
    answers = valid_answers(definition, overrides={
        "about.full_name": "Camille Exemple", "about.sex_at_birth": "female",
        "pregnancy.status": "no", "about.needs_interpreter": "no",
    })
    watch = Watch(expected_statuses=(422,))
    context = browser.new_context(viewport=PHONE, locale="fr-CA")
    page = context.new_page()
    watch.attach(page)

    page.goto(f"{live_server}/i/{invite}")
    in_french(page)
    assert page.is_checked("#language-fr")  # from the phone's Accept-Language
    expect(page.locator("h1")).to_have_text("Avant votre visite à Clinique Riverside")
    check_page(page, artifacts, "fr-00-welcome")
    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url("**/step/about")

    # A mistake: the summary and the message next to the field are in French.
    in_french(page)
    assert page.locator("#progress-text").inner_text().startswith("Étape 1 sur ")
    fill_step(page, definition, definition.step("about"), answers)
    page.fill("#q-about-date_of_birth-year", str(date.today().year + 1))
    page.click("button[value=next]")
    assert page.url.endswith("/step/about")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary-title")).to_have_text("Il y a un problème avec 1 réponse")
    error = page.locator("#q-about-date_of_birth-error")
    expect(error).to_contain_text("La date ne peut pas être dans le futur.")
    assert "future" not in page.locator("main").inner_text()
    in_french(page)
    check_page(page, artifacts, "fr-01-about-error", desktop=False)

    # Change of mind: English and back, and what was typed stays.
    page.fill("#q-about-date_of_birth-year", "1980")
    page.fill("#q-about-full_name", "Camille Exemple-Tremblay")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/step/about")
    assert page.locator("html").get_attribute("lang").startswith("en")
    assert page.input_value("#q-about-full_name") == "Camille Exemple-Tremblay"
    expect(page.locator("#progress-text")).to_contain_text("Step 1 of")
    page.get_by_role("button", name="Français").click()
    page.wait_for_url("**/step/about")
    in_french(page)
    assert page.input_value("#q-about-date_of_birth-year") == "1980"
    page.click("button[value=next]")

    steps = [s for s in definition.steps if definition.visible_questions(s, answers, date.today())]
    for number, step in enumerate(steps[1:], start=2):
        assert page.url.endswith(f"/step/{step.id}"), page.url
        in_french(page)
        expect(page.locator("h1")).to_have_text(french.step(step.id).title)  # not English
        check_page(page, artifacts, f"fr-{number:02d}-{step.id}", desktop=number == 2)
        fill_step(page, definition, step, answers)
        if step.id == "consent":
            draw_signature(page)
        page.click("button[value=next]")

    assert page.url.endswith("/review")
    in_french(page)
    expect(page.locator("h1")).to_have_text("Vérifiez vos réponses")
    text = page.locator("main").inner_text()
    assert "Camille Exemple-Tremblay" in text and "Modifier" in text
    check_page(page, artifacts, "fr-90-review")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.wait_for_url("**/done")
    in_french(page)
    expect(page.locator("h1")).to_have_text("Merci, vos réponses ont été envoyées")
    assert "Clinique Riverside a reçu vos réponses le" in page.locator("main").inner_text()
    check_page(page, artifacts, "fr-99-done")
    context.close()
    assert not watch.problems, watch.problems
