"""A patient who takes a blood thinner that is not in the list types it under
"Other medicines" and ticks nothing (issue 12): the step accepts it, both
left blank is an error next to the list, and the review page and the
practitioner's intake page read "Nothing ticked; typed instead: ...".
axe-core finds no violations; screenshots land in test-artifacts/ at 390 and
1280 px, with the two health steps."""

from __future__ import annotations

import pytest
from answers import save_steps, valid_answers
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect
from staff_helpers import days_from_now, submitted_intake
from test_staff_flow import PASSWORD, sign_in

from intake.questionnaire import load_definition

pytestmark = pytest.mark.browser

TYPED = "Xarelto 20 mg every evening"
SHOWN = f"Nothing ticked; typed instead: {TYPED}"


def typed_alone(definition) -> dict:
    answers = valid_answers(definition, overrides={
        "about.sex_at_birth": "male", "history.joint_replacement": "yes",
        "history.joint_replacement_regions": ["left_knee"]})
    answers.pop("medications.current")
    answers["medications.other"] = TYPED
    return answers


@pytest.fixture
def draft(live_app):
    """An invite whose draft is filled up to the medicines step (not included)."""
    from intake.operations.invites import create_invite, get_clinic, intake_for_token

    definition = load_definition()
    answers = typed_alone(definition)
    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Riverside Physiotherapy")
        _, token = create_invite(session, clinic, name="Alex Example", days=14)
        save_steps(intake_for_token(session, token), definition, answers,
                   until="medications", including=False)
        session.commit()
        session.close()
    return token


def test_a_typed_blood_thinner_stands_alone(browser, live_server, draft, artifacts):
    watch = Watch(expected_statuses=(422,))
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch.attach(page)
    for step in ("history", "conditions"):
        page.goto(f"{live_server}/i/{draft}/step/{step}")
        check_page(page, artifacts, f"typed-alone-{step}")

    page.goto(f"{live_server}/i/{draft}/step/medications")
    page.check("#q-medications-allergies-no")
    page.click("button[value=next]")  # both blank: the list asks for one or the other
    assert page.url.endswith("/step/medications")
    expect(page.locator("#error-summary")).to_be_focused()
    message = page.locator("#q-medications-current-question .field-error").inner_text()
    assert "or fill in “Other medicines" in message
    check_page(page, artifacts, "typed-alone-medications-error")

    page.fill("#q-medications-other", TYPED)
    page.click("button[value=next]")
    assert not page.url.endswith("/step/medications"), page.url
    page.goto(f"{live_server}/i/{draft}/review")
    row = page.locator(".answers__row", has_text="Do you take any of these medicines")
    assert SHOWN in row.inner_text()
    assert "Not answered" not in row.inner_text()
    check_page(page, artifacts, "typed-alone-review")
    context.close()
    assert not watch.problems, watch.problems


def test_the_practitioner_reads_what_was_typed(browser, live_server, live_app, artifacts):
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Riverside Physiotherapy")
        create_user(session, email="pat@example.org", role="practitioner", password=PASSWORD,
                    name="Pat Practitioner")
        intake = submitted_intake(session, clinic, name="Alex Example",
                                  answers=typed_alone(load_definition()),
                                  appointment_at=days_from_now(0, hour=9))
        session.commit()
        intake_id = intake.id
        session.close()
    watch = Watch()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch.attach(page)
    sign_in(page, live_server, "pat@example.org")
    page.goto(f"{live_server}/staff/intakes/{intake_id}")
    text = page.locator("main").inner_text()
    assert SHOWN in text
    assert "Rivaroxaban" in text or "rivaroxaban" in text  # the flag names the typed drug
    check_page(page, artifacts, "typed-alone-staff-intake")
    context.close()
    assert not watch.problems, watch.problems
