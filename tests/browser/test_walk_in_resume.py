"""A walk-in on a phone: starts from the clinic link, saves step 1, finishes
later, and comes back with the code and date of birth to find their answers.
The old link no longer opens from the browser's history; axe finds nothing."""

from __future__ import annotations

import pytest
from answers import valid_answers
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect
from test_patient_flow import fill_step

from intake.questionnaire import load_definition

pytestmark = pytest.mark.browser


@pytest.fixture
def start_link(live_app):
    from intake.operations.invites import get_clinic, issue_start_token

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        token = issue_start_token(session, get_clinic(session, create_name="Riverside Physio"))
        session.commit()
        session.close()
    return token


def test_walk_in_finishes_later_and_comes_back_with_the_code(browser, live_server,
                                                             start_link, artifacts):
    definition = load_definition()
    answers = valid_answers(definition, overrides={"about.full_name": "Wren Walkin"})
    watch = Watch(expected_statuses=(404, 422))
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch.attach(page)
    page.goto(f"{live_server}/start/{start_link}")
    check_page(page, artifacts, "walkin-01-start")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/step/about")
    fill_step(page, definition, definition.step("about"), answers)
    page.get_by_role("button", name="Save and finish later").click()
    page.wait_for_url("**/later")
    code = page.locator("[data-resume-code]").inner_text().strip()
    assert len(code) == 9 and code[4] == "-"
    assert "and your date of birth" in page.locator("main").inner_text()
    check_page(page, artifacts, "walkin-02-later")

    # The next person at the tablet presses Back: the answers do not come back.
    page.go_back()
    assert "Wren Walkin" not in page.content()

    page.goto(f"{live_server}/start/{start_link}")
    page.get_by_role("link", name="Continue where I left off").click()
    page.wait_for_url("**/continue")
    check_page(page, artifacts, "walkin-03-continue")
    page.fill("#resume-code", code.lower())
    page.get_by_role("button", name="Continue").click()   # no date of birth: refused
    expect(page.locator("#resume-code-error")).to_be_visible()  # waits for the new page
    check_page(page, artifacts, "walkin-04-continue-error", desktop=False)
    year, month, day = answers["about.date_of_birth"].split("-")
    page.fill("#resume-code", code)
    page.fill("#dob-day", str(int(day)))
    page.fill("#dob-month", str(int(month)))
    page.fill("#dob-year", year)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/step/*")
    page.goto(page.url.rsplit("/step/", 1)[0] + "/step/about")
    assert page.input_value("#q-about-full_name") == "Wren Walkin"
    assert page.input_value("#q-about-date_of_birth-year") == year
    context.close()
    assert not watch.problems, watch.problems
