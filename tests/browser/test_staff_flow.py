"""A practitioner signs in, opens a flagged intake, records a decision for each
flag, and signs it off; axe-core finds no violations on any staff page, no
script breaks the CSP, and screenshots land in test-artifacts/ (390 and 1280
pixels wide).

Uses the live server and Chromium of tests/browser/conftest.py: a missing
/usr/bin/chromium skips locally and fails under CI=true.
"""

from __future__ import annotations

import re

import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect
from staff_helpers import days_from_now, submitted_intake

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-7"


@pytest.fixture
def seeded(live_app):
    """A practitioner, an admin, and intakes: one with a red flag and precautions."""
    from intake.operations.accounts import create_user
    from intake.operations.invites import create_invite, get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Riverside Physiotherapy")
        create_user(session, email="pat@example.org", role="practitioner", password=PASSWORD,
                    name="Pat Practitioner")
        create_user(session, email="ada@example.org", role="admin", password=PASSWORD,
                    name="Ada Admin")
        answers = {**red_flag_answers(), "about.full_name": "Robin Redflag",
                   "history.diabetes": "type_2", "medications.current": ["apixaban"]}
        flagged = submitted_intake(session, clinic, name="Robin Redflag", answers=answers,
                                   appointment_at=days_from_now(0, hour=9))
        submitted_intake(session, clinic, name="Casey Clear",
                         appointment_at=days_from_now(0, hour=11))
        create_invite(session, clinic, name="Tomorrow Person", days=14,
                      appointment_at=days_from_now(1))
        session.commit()
        intake_id = flagged.id
        session.close()
    return intake_id


def red_flag_answers() -> dict:
    """Answers from the cauda equina rule's own firing example (a whole, valid intake)."""
    from intake.screening import load_rules
    from intake.screening.examples import example_answers

    rules = load_rules()
    example = next(e for e in rules.rule("rf_ces_bladder_dysfunction").examples if e.fires)
    return example_answers(rules, example)


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login"))
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in'), input[value='Sign in']")
    expect(page.get_by_role("heading", name="Intakes")).to_be_visible()


def test_practitioner_reviews_and_signs_off(browser, live_server, seeded, artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch(expected_statuses=(400,))
    watch.attach(page)

    page.goto(f"{live_server}/staff/login")
    check_page(page, artifacts, "staff-login")
    sign_in(page, live_server, "pat@example.org")
    rows = page.locator(".intake-row .name a")
    expect(rows.first).to_have_text("Robin Redflag")  # the red flag comes first
    expect(page.locator(".intake-row").first).to_contain_text("Red flag: emergency")
    check_page(page, artifacts, "staff-dashboard")

    rows.first.click()
    expect(page.get_by_role("heading", name="Robin Redflag", level=1)).to_be_visible()
    check_page(page, artifacts, "staff-intake")

    # Decide every flag that needs it: refer the red flags, proceed with care otherwise.
    while page.locator(".undecided").count():
        card = page.locator("article.flag-card:has(.undecided)").first
        red = "level-red_flag" in (card.get_attribute("class") or "")
        choice = "refer" if red else "proceed_modified"
        card.locator(f"input[type=radio][value='{choice}']").check()
        note = card.locator("textarea")
        note.fill("Medical review first; discussed with the patient." if red
                  else "Light technique, firm pressure after withdrawal.")
        card.get_by_role("button", name="Record decision").click()
        expect(page.locator(".flash-success")).to_be_visible()
    check_page(page, artifacts, "staff-intake-decided")

    page.check("#confirm")
    page.get_by_role("button", name="Sign off as reviewed").click()
    expect(page.locator(".signed")).to_contain_text("Signed off as reviewed by Pat Practitioner")
    expect(page.locator("p.status")).to_have_text("Reviewed")

    page.get_by_role("link", name=re.compile("Treatment plan")).click()
    check_page(page, artifacts, "staff-plan")
    page.check("#r-left_upper_back")
    page.get_by_role("button", name="Save plan and screen again").click()
    expect(page.get_by_role("heading", name="What changed with the latest plan")).to_be_visible()
    expect(page.locator("#changes")).to_contain_text("Added:")

    page.get_by_role("link", name="Screening rules").click()
    check_page(page, artifacts, "staff-rules")
    page.get_by_role("link", name="Invite a patient").first.click()
    check_page(page, artifacts, "staff-invite")
    page.fill("#name", "Jamie Newpatient")
    page.fill("#at", "14:30")
    page.get_by_role("button", name="Create invite").click()
    expect(page.locator("#invite-link")).to_have_value(re.compile(r"/i/"))
    check_page(page, artifacts, "staff-invite-link")
    page.get_by_role("link", name="Password").click()
    check_page(page, artifacts, "staff-password")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    assert watch.problems == []
    context.close()


def test_admin_pages_are_accessible(browser, live_server, seeded, artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch(expected_statuses=(400,))
    watch.attach(page)
    sign_in(page, live_server, "ada@example.org")
    page.get_by_role("link", name="Staff accounts").click()
    check_page(page, artifacts, "staff-users")
    page.get_by_role("link", name="Add an account").click()
    check_page(page, artifacts, "staff-user-new")
    page.fill("#email", "new.person@example.org")
    page.fill("#name", "New Person")
    page.select_option("#role", "front_desk")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#temp-password")).to_have_value(re.compile(r"^\S{20}$"))
    check_page(page, artifacts, "staff-temporary-password")
    page.goto(f"{live_server}/staff/intakes/{seeded}")
    page.get_by_role("link", name="Audit log for this intake").click()
    expect(page.locator("table.audit")).to_contain_text("intake.view")
    check_page(page, artifacts, "staff-audit")
    assert watch.problems == []
    context.close()


def test_a_refused_action_shows_an_error_summary_at_the_top(browser, live_server, seeded,
                                                            artifacts):
    """A red-flag decision without a note, and a sign-off without the box ticked:
    the page comes back at its top with a focused summary linking to the field,
    at the intake's own address, so a reload does not send the form again."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    sign_in(page, live_server, "pat@example.org")
    page.locator(".intake-row .name a").first.click()
    intake_url = page.url

    card = page.locator("article.flag-card.level-red_flag:has(.undecided)").first
    card.locator("input[type=radio][value='refer']").check()
    card.get_by_role("button", name="Record decision").click()
    expect(page).to_have_url(f"{intake_url}#error-summary")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("A note is required")
    top = page.evaluate("() => document.getElementById('error-summary')"
                        ".getBoundingClientRect().top + window.scrollY")
    heading = page.evaluate("() => document.querySelector('h1')"
                            ".getBoundingClientRect().top + window.scrollY")
    assert top - heading < 300, (top, heading)  # under the heading, not 2,000 px down
    check_page(page, artifacts, "staff-intake-error-summary")
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    assert re.fullmatch(r"#f\d+-note", target), target
    link.click()
    expect(page.locator(target)).to_be_in_viewport()

    page.reload()  # a GET of the intake page: nothing is sent again, the summary is gone
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator(".flash-success")).to_have_count(0)

    page.get_by_role("button", name="Sign off as reviewed").click()
    expect(page).to_have_url(f"{intake_url}#error-summary")
    expect(page.locator("#error-summary")).to_contain_text("Tick the box to confirm.")
    page.locator("#error-summary a[href='#confirm']").click()
    expect(page.locator("#confirm")).to_be_in_viewport()
    page.check("#confirm")
    page.get_by_role("button", name="Sign off as reviewed").click()
    expect(page.locator("#error-summary")).to_contain_text("still need a decision")
    assert watch.problems == []
    context.close()
