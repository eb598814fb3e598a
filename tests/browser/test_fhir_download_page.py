"""A practitioner downloads an intake's FHIR Bundle from its page; the page
passes axe at 390 and 1280 pixels wide with the link on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_support import PHONE, Watch, check_page
from staff_helpers import baseline_answers, submitted_intake
from test_staff_flow import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted(live_app):
    from intake.operations.accounts import create_user
    from intake.operations.invites import get_clinic

    session = live_app.extensions["intake_sessionmaker"]()
    clinic = get_clinic(session, create_name="Riverside Physiotherapy")
    create_user(session, email="pat@example.org", role="practitioner", password=PASSWORD,
                name="Pat Practitioner")
    intake = submitted_intake(session, clinic, name="Sam Fhirexport",
                              answers=baseline_answers(**{"history.metal_allergy": "yes"}))
    intake_id = intake.id
    session.close()
    return intake_id


def test_the_bundle_downloads_from_the_intake_page(browser, live_server, submitted, artifacts):
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    sign_in(page, live_server, "pat@example.org")
    page.goto(f"{live_server}/staff/intakes/{submitted}")
    link = page.get_by_role("link", name="Answers, flags and consent for the clinic's "
                                          "records system")
    link.scroll_into_view_if_needed()
    check_page(page, artifacts, "staff-intake-fhir-link")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"intake-{submitted}.fhir.json"
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    assert any(e["resource"].get("code", {}).get("coding", [{}])[0].get("code")
               == "dn_metal_allergy" for e in bundle["entry"])
    assert watch.problems == []
    context.close()
