"""Free text (issue 10, Low): control characters and bidi overrides are
refused at input with a message next to the field, and stripped at display
from anything already stored (staff pages, the PDF); a text answer that looks
like an image is never shown as one."""

from __future__ import annotations

import pytest
from answers import step_post
from documents_helpers import docs_definition, pdf_text
from patient_helpers import post_step, stored
from staff_helpers import baseline_answers, submitted_intake

from intake import plaintext
from intake.documents.render import render_html, render_pdf
from intake.documents.samples import sample_answers, sample_summary, signature_data_url

pytest_plugins = ["patient_fixtures"]

HOSTILE = ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x85b", "a\u202eb", "a\u2066b",
           "a\ufeffb", "a\u2028b"]


@pytest.mark.parametrize("text", HOSTILE)
def test_clean_removes_every_unsafe_character(text):
    for multiline in (False, True):
        cleaned, removed = plaintext.clean(text, multiline=multiline)
        assert cleaned == "ab" and removed


def test_multiline_text_keeps_newlines_and_tabs_and_normalises_crlf():
    assert plaintext.clean("one\r\ntwo\rthree\n\tfour", multiline=True) == (
        "one\ntwo\nthree\n\tfour", False)
    assert plaintext.clean("one\ntwo\tthree") == ("onetwothree", True)
    assert plaintext.clean("Zoë 李 مرحبا 👩‍⚕️") == ("Zoë 李 مرحبا 👩‍⚕️", False)


@pytest.mark.parametrize("text", ["Robin\x00 Example", "Robin \u202eelpmaxE", "Robin\x1b[31m"])
def test_a_patient_text_answer_with_control_characters_is_refused_with_a_message(
        client_nocsrf, token, db, definition, answers, text):
    data = step_post(definition, "about", answers)
    data["about.full_name"] = text
    response = post_step(client_nocsrf, token, "about", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "We removed hidden control characters from this answer" in html
    cleaned = plaintext.clean(text)[0]
    assert f'value="{cleaned}"' in html  # the cleaned text is offered back
    assert "about.full_name" not in (stored(db, token).answers or {})
    # Pressing Next again with the offered text saves it.
    data["about.full_name"] = cleaned
    assert post_step(client_nocsrf, token, "about", data).status_code == 303
    assert stored(db, token).answers["about.full_name"] == cleaned


def test_a_textarea_keeps_its_line_breaks(client_nocsrf, token, db, definition, answers):
    data = step_post(definition, "pain", answers)
    data["pain.notes"] = "Worse in the morning.\r\nBetter after a walk.\tOK"
    assert post_step(client_nocsrf, token, "pain", data).status_code == 303
    assert stored(db, token).answers["pain.notes"] == (
        "Worse in the morning.\nBetter after a walk.\tOK")
    data["pain.notes"] = "Worse\x00 in the morning"
    response = post_step(client_nocsrf, token, "pain", data)
    assert response.status_code == 422
    assert "We removed hidden control characters" in response.get_data(as_text=True)


@pytest.fixture
def practitioner(make_staff, auth, db, app):
    app.config["WTF_CSRF_ENABLED"] = False
    auth.login(make_staff("practitioner").email)
    db.rollback()
    return auth._client


def test_stored_control_characters_are_not_shown_on_staff_pages(practitioner, db, clinic):
    from database_support import on_postgres

    # PostgreSQL refuses NUL in text, so only SQLite can hold one already stored
    nul = "\x1b" if on_postgres() else "\x00"
    answers = baseline_answers() | {"pain.notes": f"left{nul} \u202eknee\x1b[2J",
                                    "about.full_name": "Robin\x07 Example"}
    intake = submitted_intake(db, clinic, name=f"Robin{nul} Stored", answers=answers)
    for url in (f"/staff/intakes/{intake.id}", "/staff/"):
        html = practitioner.get(url).get_data(as_text=True)
        for bad in ("\x00", "\u202e", "\x1b", "\x07"):
            assert bad not in html, (url, repr(bad))
        assert "Robin Stored" in html


def test_staff_free_text_fields_refuse_control_characters(app, make_staff, auth, db):
    app.config["WTF_CSRF_ENABLED"] = False
    auth.login(make_staff("front_desk").email)
    db.rollback()
    response = auth._client.post("/staff/invites/new", data={
        "name": "Quinn\x00 Patient", "day": "2027-01-15", "at": "09:30"})
    assert response.status_code == 400
    assert "Please remove the hidden control characters" in response.get_data(as_text=True)
    response = auth._client.get("/staff/?q=a%00b")
    assert response.status_code == 200
    assert "Please remove the hidden control characters" in response.get_data(as_text=True)


def test_a_text_answer_that_looks_like_an_image_is_shown_as_text(practitioner, db, clinic):
    fake = signature_data_url()
    answers = baseline_answers() | {"pain.notes": fake,
                                    "consent.drawn_signature": signature_data_url()}
    intake = submitted_intake(db, clinic, answers=answers)
    html = practitioner.get(f"/staff/intakes/{intake.id}").get_data(as_text=True)
    images = html.count('<img class="signature"')
    assert images == 1  # only the drawn signature question
    assert fake[:40] in html  # the text answer is shown as text


def test_a_broken_drawn_signature_is_not_shown_as_an_image(practitioner, db, clinic):
    answers = baseline_answers() | {
        "consent.drawn_signature": "data:image/png;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"}
    intake = submitted_intake(db, clinic, answers=answers)
    html = practitioner.get(f"/staff/intakes/{intake.id}").get_data(as_text=True)
    assert '<img class="signature"' not in html
    assert "Signature (could not be read)" in html


def test_the_pdf_text_layer_has_no_control_characters():
    answers = sample_answers() | {"pain.story": "left\x00 knee \u202eevil\x1b[0m",
                                  "about.full_name": "Robin\x07 Example"}
    data = sample_summary(answers=answers)
    html = render_html(data, docs_definition())
    assert "\x00" not in html and "\u202e" not in html and "\x1b" not in html
    text = pdf_text(render_pdf(data, docs_definition()).pdf)
    assert "left knee" in text.replace("\u00a0", " ")
    assert "\x00" not in text and "\u202e" not in text and "\x07" not in text


def test_a_plan_posted_without_electrical_stimulation_says_why(practitioner, db, clinic):
    """Found by the hostile-input tests: a 400 with no message on the page."""
    intake = submitted_intake(db, clinic)
    response = practitioner.post(f"/staff/intakes/{intake.id}/plan",
                                 data={"regions": [], "targets": ["nonsense"]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please choose yes or no." in html
    assert "Please choose only from the targets shown." in html
