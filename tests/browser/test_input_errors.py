"""The messages added for hostile or mistyped input, as a person sees them:
the dashboard's filter errors, an appointment date out of range, and the
page for a request that is too large. axe-core finds no violations and the
pages fit 390 and 1280 pixels (screenshots in test-artifacts/)."""

from __future__ import annotations

import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect
from test_staff_flow import PASSWORD, seeded, sign_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("seeded")
def test_input_error_messages_are_accessible(browser, live_server, live_app, artifacts):
    from intake.operations.accounts import create_user

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        create_user(session, email="desk@example.org", role="front_desk", password=PASSWORD,
                    name="Dee Desk")
        session.commit()
        session.close()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch(expected_statuses=(400, 413))
    watch.attach(page)
    sign_in(page, live_server, "desk@example.org")
    page.goto(f"{live_server}/staff/?q=Robin%00%E2%80%AE&day=1900-01-01")
    expect(page.locator("#q-error")).to_contain_text("hidden control characters")
    check_page(page, artifacts, "staff-dashboard-filter-error")
    page.goto(f"{live_server}/staff/invites/new")
    page.fill("#name", "Quinn Patient")
    page.fill("#day", "9999-12-31")
    page.fill("#at", "09:30")
    page.get_by_role("button", name="Create invite").click()
    expect(page.locator(".error")).to_contain_text("Please choose a date between")
    check_page(page, artifacts, "staff-invite-date-range")
    # A form with far too many fields, as a script would post it.
    page.evaluate("""() => {
        const form = document.querySelector('form[method="post"]');
        for (let i = 0; i < 400; i++) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = 'junk' + i; input.value = '1';
            form.appendChild(input);
        }
        form.submit();
    }""")
    expect(page.get_by_role("heading", name="That was more than we can accept")).to_be_visible()
    check_page(page, artifacts, "too-large")
    assert watch.problems == []
    context.close()
