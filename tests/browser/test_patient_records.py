"""Front desk finds a returning patient by name and date of birth and opens
their visits; a practitioner links a walk-in who matches. axe-core checks
every page, on a phone-sized viewport."""

from __future__ import annotations

import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-7"


@pytest.fixture
def seeded(live_app):
    from visit_helpers import visit, walk_in

    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Riverside Physiotherapy")
        for role in ("front_desk", "practitioner"):
            create_user(session, email=f"{role}@example.org", role=role, password=PASSWORD,
                        name=role.title())
        session.commit()
        visit(session, clinic, name="Robin Synthetic-Longsurnamewithoutbreaks")
        arrived = walk_in(session, clinic, name="Robin Synthetic-Longsurnamewithoutbreaks")
        ids = arrived.id
        session.close()
    return ids


def sign_in(page, server, role):
    page.goto(f"{server}/staff/login")
    page.fill("#email", f"{role}@example.org")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in'), input[value='Sign in']")


def test_find_a_patient_and_link_a_walk_in(browser, live_app, live_server, seeded, artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    sign_in(page, live_server, "front_desk")
    page.goto(f"{live_server}/staff/patients")
    page.fill("#name", "robin synth")
    page.fill("#dob", "1980-04-02")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="2 patients found")).to_be_visible()
    check_page(page, artifacts, "staff-patients-found")
    page.get_by_role("link", name="Robin Synthetic-Longsurnamewithoutbreaks").first.click()
    expect(page.get_by_role("heading", name="Visits, newest first")).to_be_visible()
    check_page(page, artifacts, "staff-patient-visits")
    context.close()

    context = browser.new_context()
    page = context.new_page()
    watch.attach(page)
    sign_in(page, live_server, "practitioner")
    page.goto(f"{live_server}/staff/intakes/{seeded}")
    expect(page.get_by_role("heading", name="Possible match")).to_be_visible()
    check_page(page, artifacts, "staff-intake-possible-match")
    page.get_by_role("button", name="Same person: link").click()
    expect(page.get_by_text("This visit is now on the patient's record.")).to_be_visible()
    page.get_by_role("link", name="Patient record and visits").click()
    expect(page.locator("dl.facts")).to_contain_text("2")
    assert watch.problems == []
    context.close()
