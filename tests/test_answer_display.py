"""The same answers read the same on the patient's review page, the staff
intake page and the PDF: one formatter, owned by the question types."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from documents_helpers import pdf_text
from staff_helpers import submitted_intake

from intake.documents.render import render_pdf
from intake.documents.samples import demo_answers, sample_summary
from intake.questionnaire import load_definition
from intake.questionnaire.types import AnswerFormat

#: one question of each kind a reader formats differently from the raw value
SHOWN = {
    "about.date_of_birth": "14 September 1968",
    "pain.back_now": "6 out of 10",
    "about.weight_kg": "71.5 kg",
    "about.height_cm": "168 cm",
    "medications.current": "Warfarin (Coumadin, Jantoven)",
    "consent.read_understood": "Yes",
}
#: how the readers used to disagree (staff: ISO date and a bare score; PDF: "14 Sep")
OLD = ("1968-09-14", "14 Sep 1968", "6 / 10")


@pytest.fixture
def answers():
    definition = load_definition()
    answers = demo_answers(definition, today=date.today())
    for qid in SHOWN:
        assert qid in answers, qid
    return answers


def _words(page: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return " ".join(text.split())


def _review_page(client, db, make_invite, answers) -> str:
    intake, token = make_invite(name="Jordan Sample")
    intake.answers = answers
    intake.completed_steps = [s.id for s in load_definition().steps]
    db.commit()
    response = client.get(f"/i/{token}/review")
    assert response.status_code == 200
    return _words(response.get_data(as_text=True))


def _staff_page(client, db, clinic, make_staff, auth, answers) -> str:
    make_staff(role="practitioner", email="p@example.org", name="Pat Practitioner")
    intake = submitted_intake(db, clinic, name="Jordan Sample", answers=answers)
    intake_id = intake.id
    db.rollback()
    auth.login("p@example.org")
    response = client.get(f"/staff/intakes/{intake_id}")
    assert response.status_code == 200
    return _words(response.get_data(as_text=True))


def test_the_formatter_says_what_every_reader_shows(answers):
    fmt = AnswerFormat(load_definition(), "en_GB")
    for qid, shown in SHOWN.items():
        assert fmt.text(qid, answers[qid]) == shown


def test_review_page_staff_page_and_pdf_read_the_same(app, client, db, clinic, make_invite,
                                                      make_staff, auth, answers):
    app.config["WTF_CSRF_ENABLED"] = False
    definition = load_definition()
    review = _review_page(client, db, make_invite, answers)
    client.get("/")  # a fresh page for the staff side
    staff = _staff_page(client, db, clinic, make_staff, auth, answers)
    with app.app_context():
        pdf = pdf_text(render_pdf(sample_summary(answers=answers, flags=[]), definition).pdf)
    for reader, text in (("review page", review), ("staff page", staff), ("PDF", pdf)):
        for qid, shown in SHOWN.items():
            label = " ".join(definition.question(qid).label.split())
            assert shown in text, (reader, qid, shown)
            assert label[:40] in text, (reader, qid, label)
        for old in OLD:
            assert old not in text, (reader, old)
