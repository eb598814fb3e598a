"""A practitioner reviews a follow-up: the day's list puts the new red flag
first, the intake page shows what changed since the last visit side by side,
a decision is recorded on this visit, and the patient page charts the
progress. axe-core checks every page at 390 and 1280 px."""

from __future__ import annotations

import pytest
from browser_support import Watch, check_page
from playwright.sync_api import expect
from test_staff_flow import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def course(live_app):
    """The demo's returning patient (intake.demo_visits): four visits, the last
    today with a new anticoagulant and new saddle numbness."""
    from intake.demo_visits import seed_course
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic
    from intake.screening import load_rules

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Riverside Physiotherapy")
        create_user(session, email="practitioner@example.org", role="practitioner",
                    password=PASSWORD, name="Pat Practitioner")
        visits = seed_course(session, clinic, dict(load_rules().baseline))
        session.commit()
        ids = [v.id for v in visits], visits[0].patient_id
        session.close()
    return ids


def test_a_practitioner_reviews_a_follow_up(browser, live_server, course, artifacts):
    (first, second, third, latest), patient_id = course
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    sign_in(page, live_server, "practitioner@example.org")
    today = page.locator("section.day-today .intake-row").first
    expect(today).to_contain_text("New red flag since last visit")
    expect(today).to_contain_text("Follow-up due today")
    check_page(page, artifacts, "staff-dashboard-follow-up")

    today.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server}/staff/intakes/{latest}")
    changes = page.locator("#since-last-visit")
    expect(changes.get_by_role("heading", name="What changed since the last visit")).to_be_visible()
    flags = changes.get_by_role("table").first
    expect(flags.get_by_role("columnheader").nth(1)).to_contain_text("Previous visit (")
    expect(flags.get_by_role("columnheader").nth(2)).to_contain_text("This visit (")
    expect(flags.get_by_role("row").nth(1)).to_contain_text("New:")
    expect(changes).to_contain_text("rf_ces_saddle_anaesthesia")
    expect(changes).to_contain_text("Rivaroxaban")
    check_page(page, artifacts, "staff-follow-up-changes")

    card = page.locator("article.flag-card.level-red_flag").first
    card.locator("input[type=radio][value='refer']").check()
    card.locator("textarea").fill("Sent to the emergency department; no needling today.")
    card.get_by_role("button", name="Record decision").click()
    expect(page.locator(".flash-success")).to_contain_text("Decision recorded for")
    check_page(page, artifacts, "staff-follow-up-decided")

    page.goto(f"{live_server}/staff/patients/{patient_id}")
    progress = page.locator("#progress")
    expect(progress.get_by_role("img", name="Back pain (NPRS, 0 to 10)")).to_be_visible()
    expect(progress.get_by_role("table").first).to_contain_text("7")
    expect(progress).to_contain_text("Farrar")
    check_page(page, artifacts, "staff-patient-progress")
    assert watch.problems == []
    context.close()
