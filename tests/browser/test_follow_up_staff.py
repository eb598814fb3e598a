"""Staff side of follow-ups in a browser: front desk invites a patient for a
follow-up from the patient page and sees the link once; an admin sets the
PHQ-2/STarT interval, a bad value is shown next to the field. axe-clean."""

from __future__ import annotations

import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect
from test_patient_records import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def known_patient(live_app):
    from visit_helpers import visit

    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Riverside Physiotherapy")
        for role in ("front_desk", "admin"):
            create_user(session, email=f"{role}@example.org", role=role, password=PASSWORD,
                        name=role.title())
        session.commit()
        patient_id = visit(session, clinic, name="Robin Synthetic").patient_id
        session.close()
    return patient_id


def test_invite_for_a_follow_up_and_set_the_interval(browser, live_server, known_patient,
                                                     artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch(expected_statuses=(400,))
    watch.attach(page)
    sign_in(page, live_server, "front_desk")
    page.goto(f"{live_server}/staff/patients/{known_patient}")
    page.get_by_role("link", name="Invite for a follow-up").click()
    expect(page.get_by_role("heading", name="Invite for a follow-up")).to_be_visible()
    check_page(page, artifacts, "staff-follow-up-invite")
    page.fill("#day", "2030-01-15")
    page.fill("#at", "09:30")
    page.get_by_role("button", name="Create invite").click()
    expect(page.get_by_text("shown only now")).to_be_visible()
    assert "/i/" in page.content()  # the link, once
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/staff/admin/clinic")
    expect(page.locator("main")).to_contain_text("visits 5, 9, 13")
    check_page(page, artifacts, "staff-clinic-settings")
    page.fill("#follow_up_every", "0")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#follow_up_every-error")).to_contain_text("from 1 to 52")
    check_page(page, artifacts, "staff-clinic-settings-error")
    page.fill("#follow_up_every", "3")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("main")).to_contain_text("visits 4, 7, 10")
    context.close()
    assert not watch.problems, watch.problems
