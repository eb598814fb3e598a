"""A practitioner whose staff pages are in French: the dashboard and an intake
page in French, a patient who answered in English marked with an EN badge and
their own wording beside the French; the language page changes it back. axe-core
checks every page at 390 and 1280 px."""

from __future__ import annotations

import pytest
from browser_support import Watch, check_page
from playwright.sync_api import expect
from staff_helpers import baseline_answers, submitted_intake
from test_staff_flow import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def french_clinic(live_app):
    """A French-speaking practitioner, and two patients submitted today: one
    who answered in French, one in English with a flag."""
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Clinique Riverside")
        user = create_user(session, email="praticien@example.org", role="practitioner",
                           password=PASSWORD, name="Dominique Praticien")
        user.language = "fr"
        french = submitted_intake(session, clinic, name="Camille Exemple", language="fr")
        english = submitted_intake(session, clinic, name="Sam Example", language="en",
                                   answers=baseline_answers(**{"history.epilepsy": "yes"}))
        ids = french.id, english.id
        session.commit()
        session.close()
    return ids


def test_a_practitioner_works_in_french(browser, live_server, french_clinic, artifacts):
    french_id, english_id = french_clinic
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  locale="fr-CA")
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    page.goto(f"{live_server}/staff/")
    expect(page.get_by_role("heading", name="Connexion du personnel")).to_be_visible()
    page.fill("#email", "praticien@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Questionnaires d’accueil")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    # Both typed "Sam Example" (the baseline answers); the one who answered in
    # English has the badge, the other (in the page's language) none.
    expect(page.locator(".intake-row")).to_have_count(2)
    row = page.locator(".intake-row", has=page.locator(".badge-lang"))
    expect(row).to_have_count(1)
    expect(row.locator(".badge-lang")).to_contain_text("EN")
    check_page(page, artifacts, "staff-fr-dashboard")

    row.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server}/staff/intakes/{english_id}")
    expect(page.get_by_role("heading", name="Alertes")).to_be_visible()
    expect(page.get_by_role("heading", name="Réponses")).to_be_visible()
    wording = page.locator('.patient-wording [lang="en-GB"]').first
    expect(wording).to_be_visible()
    check_page(page, artifacts, "staff-fr-intake")

    page.goto(f"{live_server}/staff/intakes/{french_id}")
    expect(page.locator(".patient-wording")).to_have_count(0)
    page.get_by_role("link", name="Language / Langue").click()
    check_page(page, artifacts, "staff-fr-language")
    page.get_by_role("radio", name="English", exact=True).check()
    page.get_by_role("button", name="Enregistrer la langue").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.locator(".flash-success")).to_contain_text("Your language is saved.")
    assert watch.problems == []
    context.close()


def test_an_admin_sets_the_clinics_language_in_french(browser, live_server, live_app,
                                                      artifacts):
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        get_clinic(session, create_name="Clinique Riverside")
        create_user(session, email="admin@example.org", role="admin", password=PASSWORD,
                    name="Alex Administrateur")
        session.commit()
        session.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-CA")
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    page.goto(f"{live_server}/staff/login")
    page.fill("#email", "admin@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # No setting anywhere yet: English, the deployment's; the clinic's choice turns it French.
    page.get_by_role("link", name="Clinic settings").click()
    page.get_by_role("radio", name="Français").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "Les paramètres de la clinique ont été enregistrés.")
    expect(page.get_by_role("heading", name="Paramètres de la clinique")).to_be_visible()
    check_page(page, artifacts, "staff-fr-clinic-settings")
    assert watch.problems == []
    context.close()
