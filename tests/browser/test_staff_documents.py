"""The practitioner sees when a summary is delayed or failing, never "being
prepared" forever; the page passes axe at 390 and 1280 pixels wide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_support import PHONE, Watch, check_page
from playwright.sync_api import expect
from staff_helpers import submitted_intake
from test_staff_flow import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def stuck(live_app):
    """An intake with a failing summary (3 attempts) and a delayed reviewed one."""
    from intake.jobs import jobs_for
    from intake.models import Document, utcnow
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    jobs_for(live_app).huey.immediate = False    # queued, no worker: nothing renders
    session = live_app.extensions["intake_sessionmaker"]()
    clinic = get_clinic(session, create_name="Riverside Physiotherapy")
    create_user(session, email="pat@example.org", role="practitioner", password=PASSWORD,
                name="Pat Practitioner")
    intake = submitted_intake(session, clinic, name="Sam Stuckdocument")
    session.add_all([
        Document(intake_id=intake.id, kind="summary", version=1, status="failed", attempts=3,
                 last_error="OSError", next_attempt_at=utcnow() + timedelta(seconds=40)),
        Document(intake_id=intake.id, kind="reviewed_summary", version=2, status="pending",
                 attempts=0, created_at=utcnow() - timedelta(minutes=30)),
    ])
    session.commit()
    intake_id = intake.id
    session.close()
    return intake_id


def test_a_stuck_summary_says_so(browser, live_server, stuck, artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    sign_in(page, live_server, "pat@example.org")
    page.goto(f"{live_server}/staff/intakes/{stuck}")
    documents = page.locator("section.documents")
    expect(documents).to_contain_text("Summary, version 1: rendering failed (3 attempts)")
    expect(documents).to_contain_text("Reviewed summary, version 2: delayed. Taking longer")
    expect(documents).not_to_contain_text("being prepared")
    documents.scroll_into_view_if_needed()
    check_page(page, artifacts, "staff-intake-stuck-summary")
    assert watch.problems == []
    context.close()
