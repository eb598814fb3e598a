"""A French patient on a phone downloads the copy of their answers from the
confirmation page: the link is there, the page is axe-clean at 390 and 1280
px, and the file is a PDF of their answers in French."""

from __future__ import annotations

import io

import pypdf
import pytest
from answers import valid_answers
from browser_support import PHONE, Watch, check_page

from intake.questionnaire import load_definition

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted_fr(live_app):
    from intake.operations.invites import create_invite, get_clinic
    from intake.operations.submissions import submit_intake

    with live_app.app_context():
        session = live_app.extensions["intake_sessionmaker"]()
        clinic = get_clinic(session, create_name="Clinique Riverside")
        intake, token = create_invite(session, clinic, name="Camille Exemple", days=14)
        intake.language = "fr"
        intake.answers = valid_answers(load_definition())
        submit_intake(session, intake)
        session.commit()
        session.close()
    return token


def test_a_french_patient_downloads_their_copy(browser, live_server, submitted_fr, artifacts):
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    page.goto(f"{live_server}/i/{submitted_fr}/done")
    link = page.locator(f'a[href="/i/{submitted_fr}/copy.pdf"]')
    assert link.count() == 1 and link.is_visible()
    check_page(page, artifacts, "copy-link-done")
    with page.expect_download() as waiting:
        link.click()
    download = waiting.value
    assert download.suggested_filename.endswith("-answers.pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Vos réponses" in text and "Envoyé" in text and "Your answers" not in text
    context.close()
    assert not watch.problems, watch.problems
