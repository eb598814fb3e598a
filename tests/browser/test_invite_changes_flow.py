"""Front desk invites a patient, changes the appointment and cancels the invite;
the patient's link then says it was cancelled. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-7"


@pytest.fixture
def desk_account(live_app):
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        get_clinic(session, create_name="Riverside Physiotherapy").phone = "555-0100"
        create_user(session, email="desk@example.org", role="front_desk", password=PASSWORD,
                    name="Dana Desk")
        session.commit()
        session.close()


def test_front_desk_edits_and_cancels_an_invite(browser, live_app, live_server, desk_account,
                                               artifacts):
    live_app.config["BASE_URL"] = live_server
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch(expected_statuses=(410,))
    watch.attach(page)
    page.goto(f"{live_server}/staff/")
    page.fill("#email", "desk@example.org")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in'), input[value='Sign in']")
    page.goto(f"{live_server}/staff/invites/new")
    page.fill("#name", "Morgan Invitee")
    page.fill("#at", "10:15")
    page.get_by_role("button", name="Create invite").click()
    link = page.locator("#invite-link").input_value()
    assert link.startswith(f"{live_server}/i/")
    check_page(page, artifacts, "staff-invite-link")

    page.get_by_role("link", name="Change the name, email or appointment").click()
    expect(page.locator("#name")).to_have_value("Morgan Invitee")
    check_page(page, artifacts, "staff-invite-edit")
    page.fill("#at", "11:45")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The invite was changed.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("11:45")
    expect(page.locator("#invite-link")).to_have_count(0)  # shown once only

    page.get_by_role("button", name="Cancel this invite").click()
    expect(page.get_by_text("The invite was cancelled")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Morgan Invitee")

    patient = context.new_page()
    watch.attach(patient)
    patient.goto(link)
    expect(patient.get_by_role("heading", name="This link was cancelled")).to_be_visible()
    expect(patient.locator("main")).to_contain_text(re.compile("call the clinic"))
    check_page(patient, artifacts, "patient-link-cancelled")
    assert watch.problems == []
    context.close()
