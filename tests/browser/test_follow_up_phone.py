"""A follow-up re-check on a phone: the link opens "Since your last visit"
with the last visit's date and what the patient said then; they report a new
blood thinner, a stopped medicine and new saddle numbness, check the answers
"as of this visit" and submit; the done page says to get care today. Then the
practitioner, at a desktop, finds the patient first on the day's list with the
new red flag, and the intake page shows what changed since the last visit.
Axe finds nothing on any page at 390 and 1280 px."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect
from test_patient_flow import fill
from test_staff_flow import PASSWORD, sign_in
from visits_support import first_intake, follow_up_answers

from intake.questionnaire.follow_up import load_follow_up
from intake.questionnaire.follow_up_visit import for_visit

pytestmark = pytest.mark.browser

LAST_VISIT = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


@pytest.fixture
def follow_up_link(live_app):
    from intake.models import utcnow
    from intake.operations.accounts import create_user
    from intake.operations.invites import create_invite, get_clinic

    previous = first_intake(**{"medications.current": ["sertraline", "ibuprofen"]})
    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Riverside Physiotherapy")
        clinic.phone = "555 0199"
        create_user(session, email="practitioner@example.org", role="practitioner",
                    password=PASSWORD, name="Pat Practitioner")
        first, _ = create_invite(session, clinic, name="Sam Synthetic", days=14,
                                 appointment_at=LAST_VISIT)
        first.mark_submitted(previous, utcnow())
        _, token = create_invite(session, clinic, name="ignored", days=14, follows=first)
        session.commit()
        session.close()
    return token, previous


def test_a_follow_up_on_a_phone(browser, live_server, follow_up_link, artifacts):
    token, previous = follow_up_link
    definition = for_visit(load_follow_up(), previous, visit_number=2)
    answers = follow_up_answers(**{
        "changes.anything_changed": "yes", "changes.medicines_changed": "yes",
        "changes.medicines_started": ["rivaroxaban"],
        "changes.medicines_stopped": ["ibuprofen"],
        "symptoms.saddle_numbness": "new"})
    watch = Watch()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch.attach(page)
    page.goto(f"{live_server}/i/{token}")
    assert page.url.endswith("/recheck/step/changes")
    main = page.locator("main").inner_text()
    assert "since your last visit on 2 November 2026" in main
    assert "What you told us last time" in main and "Ibuprofen" in main
    check_page(page, artifacts, "follow-up-01-changes")

    # The medicines questions appear only once the patient says something changed.
    started = page.locator("#q-changes-medicines_started-question")
    assert started.is_hidden()
    fill(page, definition.question("changes.anything_changed"), "yes")
    fill(page, definition.question("changes.medicines_changed"), "yes")
    assert started.is_visible()
    for qid in ("changes.medicines_started", "changes.medicines_stopped",
                "changes.new_events"):
        fill(page, definition.question(qid), answers[qid])
    check_page(page, artifacts, "follow-up-02-changes-filled", desktop=False)
    page.get_by_role("button", name="Next").click()
    # A blood thinner started: its last dose is asked on the same page.
    page.wait_for_url("**/recheck/step/changes?more=1")
    assert page.locator("#q-medications-anticoagulant_last_dose").is_visible()
    page.fill("#q-medications-anticoagulant_last_dose", "This morning")
    check_page(page, artifacts, "follow-up-02b-more", desktop=False)
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/recheck/step/today")
    for question in definition.step("today").questions:
        if question.id in answers and page.locator(
                f"#q-{question.id.replace('.', '-')}-question").is_visible():
            fill(page, question, answers[question.id])
    check_page(page, artifacts, "follow-up-03-today")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/recheck/review")
    review = page.locator("main").inner_text()
    assert "Your answers as of this visit" in review and "Changed today" in review
    check_page(page, artifacts, "follow-up-04-review")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/done")
    assert "Please get medical advice today" in page.locator("main").inner_text()
    check_page(page, artifacts, "follow-up-05-done")
    context.close()

    # The practitioner's review of what the patient just sent.
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    watch.attach(page)
    sign_in(page, live_server, "practitioner@example.org")
    first_row = page.locator("section.day-today .intake-row").first
    expect(first_row).to_contain_text("New red flag since last visit")
    check_page(page, artifacts, "follow-up-06-dashboard")
    first_row.get_by_role("link").first.click()
    changes = page.locator("#since-last-visit")
    expect(changes).to_contain_text("rf_ces_saddle_anaesthesia")
    expect(changes).to_contain_text("Rivaroxaban")
    check_page(page, artifacts, "follow-up-07-changes")
    desk.close()
    assert not watch.problems, watch.problems
