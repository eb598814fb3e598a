"""The PDF summary itself: what it says, PDF/A, the attachment, the fetcher."""

from __future__ import annotations

import json
from datetime import date

import pytest
from documents_helpers import (
    docs_definition,
    pdf_attachments,
    pdf_pages,
    pdf_text,
    pdf_xmp,
    pdfaid,
)

from intake.documents.assets import AllowListFetcher, RefusedURL
from intake.documents.render import render_html, render_pdf
from intake.documents.samples import SAMPLE_FLAGS, sample_answers, sample_summary
from intake.questionnaire.signature import signature_png


@pytest.fixture(scope="module")
def rendered():
    return render_pdf(sample_summary(), docs_definition())


def test_flags_come_first_with_why_action_and_sources(rendered):
    text = pdf_text(rendered.pdf)
    assert "Screening flags" in text
    assert text.index("Screening flags") < text.index("Answers")
    for flag in SAMPLE_FLAGS:
        assert flag["title"] in text
        assert flag["sources"][0] in text
    assert "Red flag: emergency" in text  # the staff badge's words
    assert "Why: The patient reports new numbness" in text
    # the patient's own answer, with the question and option labels
    assert "Do you take any of these medicines? Warfarin (Coumadin)" in text  # no "?:"
    assert "answer was not sure" in text
    assert "No flags" not in text


def test_no_flags_is_said_explicitly():
    pdf = render_pdf(sample_summary(flags=[]), docs_definition()).pdf
    assert "No flags" in pdf_text(pdf)


def test_answers_use_labels_from_the_definition(rendered):
    text = pdf_text(rendered.pdf)
    assert "1. About you" in text and "4. Consent" in text
    assert "Have you had a fever in the last 48 hours? Not sure" in text
    assert "Back pain now 6 out of 10" in text
    assert "Weight 72.5 kg" in text
    assert "Left back of thigh" in text          # region label, not left_back_of_thigh
    assert "left_back_of_thigh" not in text
    assert "data:image/png" not in text          # the signature is drawn, not dumped


def test_header_consent_and_rule_version(rendered):
    text = pdf_text(rendered.pdf)
    for fact in ("Synthetic Physiotherapy", "Date of birth 2 April 1980",
                 "23 Nov 2026, 14:00 UTC", "20 Nov 2026, 09:30 UTC"):
        assert fact in text
    assert ("Consent given in English (United Kingdom). "
            "Consent text version: questionnaire test.docs.1") in text
    assert "Typed name: Alex Example" in text
    assert "No drawn signature" not in text      # the PNG was accepted and drawn
    assert "000000000000synthetic" in text


def test_patient_name_and_page_numbers_on_every_page(rendered):
    pages = pdf_pages(rendered.pdf)
    assert len(pages) == rendered.pages >= 2
    for number, page in enumerate(pages, start=1):
        assert "Alex Example" in page
        assert f"Page {number} of {len(pages)}" in page


def test_pdf_a_3_identification_in_xmp(rendered):
    assert rendered.pdf.startswith(b"%PDF-1.7")
    ident = pdfaid(rendered.pdf)
    assert ident.get("part") == "3"
    assert ident.get("conformance", "").upper() == "U"
    assert "Alex Example" not in pdf_xmp(rendered.pdf)   # the title names no one


def test_json_attachment_equals_answers_and_flags(rendered):
    files = pdf_attachments(rendered.pdf)
    assert list(files) == ["intake-1-v1.json", "intake-1-v1.fhir.json"]
    payload = json.loads(files["intake-1-v1.json"][0])
    assert payload["answers"] == sample_answers() | {
        "consent.signature": payload["answers"]["consent.signature"]}
    assert payload["answers"] == sample_summary().answers
    assert payload["screening"]["flags"] == SAMPLE_FLAGS
    assert payload["intake_id"] == 1 and payload["version"] == 1


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://example.org/x.css", "https://example.org/font.ttf",
    "data:image/png;base64,iVBORw0KGgo=", "intake-asset:../../etc/passwd",
    "intake-asset:signature.png", "ftp://example.org/a",
])
def test_fetcher_refuses_everything_outside_the_allow_list(url):
    fetcher = AllowListFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused


def test_fetcher_serves_shipped_assets_from_memory():
    response = AllowListFetcher().fetch("intake-asset:fonts/DejaVuSans.ttf")
    assert response.read()[:4] == b"\x00\x01\x00\x00"


def test_links_in_patient_text_are_never_fetched(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    answers = sample_answers() | {
        "pain.story": f'<img src="file://{secret}"><link rel=stylesheet href="http://x.test/a">'
    }
    result = render_pdf(sample_summary(answers=answers), docs_definition())
    assert result.refused == ()                  # escaped: nothing even tried
    text = pdf_text(result.pdf).replace(" ", "")
    assert '<imgsrc="file://' in text and "secret.css" in text   # shown as text


def test_patient_text_is_escaped():
    name = '<script>alert("x")</script> Robin & <b>Bold</b>'
    data = sample_summary(answers=sample_answers() | {"about.full_name": name})
    html = render_html(data, docs_definition())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>Bold</b>" not in html
    text = pdf_text(render_pdf(data, docs_definition()).pdf)
    assert '<script>alert("x")</script> Robin & <b>Bold</b>' in text


def test_signature_must_be_a_real_png():
    good = sample_answers()["consent.signature"]
    assert signature_png(good).startswith(b"\x89PNG")
    assert signature_png("data:image/svg+xml;base64,PHN2Zz4=") is None
    assert signature_png("data:image/png;base64,bm90IGEgcG5n") is None
    assert signature_png("data:image/png;base64," + "A" * 300_000) is None
    assert signature_png(None) is None
    bad = sample_answers() | {"consent.signature": "data:image/png;base64,bm90IGEgcG5n"}
    text = pdf_text(render_pdf(sample_summary(answers=bad), docs_definition()).pdf)
    assert "could not be shown" in text


def test_reviewed_summary_shows_decisions_and_sign_off():
    review = {
        "decisions": [{"rule_id": "dn_anticoagulant", "decision": "Proceed with modifications",
                       "note": "INR 2.4 today", "decided_by": "Dr Synthetic",
                       "decided_at": "2026-11-23T14:05:00+00:00"}],
        "signed_off_by": "Dr Synthetic", "signed_off_at": "2026-11-23T14:10:00+00:00",
    }
    data = sample_summary(kind="reviewed_summary", version=2, review=review)
    text = pdf_text(render_pdf(data, docs_definition()).pdf)
    assert "Reviewed intake summary" in text
    assert "Decision: Proceed with modifications — INR 2.4 today (Dr Synthetic)" in text
    assert "Signed off by Dr Synthetic on 23 Nov 2026, 14:10 UTC" in text


def test_the_shipped_questionnaire_renders(tmp_path):
    from intake.documents.samples import demo_answers
    from intake.questionnaire import load_definition

    definition = load_definition()
    answers = demo_answers(definition, today=date.today())
    assert definition.check_answers(answers, date.today()) == []
    result = render_pdf(sample_summary(answers=answers, flags=[]), definition)
    text = pdf_text(result.pdf)
    assert "Jordan Sample" in text and "No flags" in text
    assert "Keele" in text                       # the STarT Back notice is shown
    assert result.refused == ()


def test_plain_no_answers_are_grouped_per_step_but_all_listed():
    answers = sample_answers() | {"history.fever": "no", "history.saddle_numbness": "no",
                                  "history.blood_thinners": ["none"]}
    text = pdf_text(render_pdf(sample_summary(answers=answers, flags=[]),
                               docs_definition()).pdf)
    assert ("Answered “No”: Have you had a fever in the last 48 hours? · "
            "New numbness around the back passage, genitals or inner buttocks?") in text
    assert "Answered “None of these”: Do you take any of these medicines?" in text


def test_falls_back_to_pdf_a_3b_when_a_3u_cannot_be_written(monkeypatch):
    from weasyprint.document import Document as WeasyDocument

    original = WeasyDocument.write_pdf

    def refuse_u(self, *args, **kwargs):
        if kwargs.get("pdf_variant") == "pdf/a-3u":
            raise RuntimeError("synthetic a-3u failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(WeasyDocument, "write_pdf", refuse_u)
    result = render_pdf(sample_summary(), docs_definition())
    assert result.variant == "pdf/a-3b"
    ident = pdfaid(result.pdf)
    assert ident.get("part") == "3" and ident.get("conformance", "").upper() == "B"
    assert list(pdf_attachments(result.pdf)) == ["intake-1-v1.json", "intake-1-v1.fhir.json"]


def test_times_are_printed_in_the_clinics_time_zone():
    from intake.documents.render import render_html
    from intake.documents.samples import sample_summary
    from intake.questionnaire import load_definition

    data = sample_summary(timezone="America/Toronto")  # submitted 2026-11-20 09:30 UTC
    html = render_html(data, load_definition())  # no app: the zone comes with the data
    assert "20 Nov 2026, 04:30 EST" in html
    assert "09:30 UTC" not in html


def test_a_summary_names_its_time_zone_or_is_refused():
    """No quiet fall-back to UTC: whoever gathers a summary says which zone."""
    import pytest

    from intake.documents.summary import SummaryData

    with pytest.raises(TypeError, match="timezone"):
        SummaryData(answers={}, screening={})


def test_the_invited_name_is_shown_when_the_patient_typed_another():
    from dataclasses import replace

    from intake.documents.render import render_html
    from intake.documents.samples import sample_summary
    from intake.questionnaire import load_definition

    data = sample_summary()
    typed = data.display_name
    other = replace(data, patient_name="Robin Booking-Name")
    html = render_html(other, load_definition())
    assert "Invited as" in html and "Robin Booking-Name" in html and typed in html
    same = replace(data, patient_name=typed.upper())
    assert "Invited as" not in render_html(same, load_definition())


def test_the_plan_decisions_and_plan_history_read_in_words_and_clinic_time(app):
    """Rule titles, not ids; region and target names; the clinic's local time."""
    plan = {"regions": ["left_back_of_thigh"], "electrical_stimulation": True,
            "noncompressible_targets": ["tibialis_posterior"]}
    review = {
        "decisions": [{"rule_id": "dn_anticoagulant", "title": "Blood thinner",
                       "decision": "Defer", "note": "Ask the GP",
                       "decided_by": "Dr Synthetic", "decided_at": "2026-07-01T13:05:00+00:00"},
                      {"rule_id": "dn_gone_rule", "decision": "Proceed",
                       "decided_by": "Dr Synthetic", "decided_at": "2026-07-01T13:06:00+00:00"}],
        "signed_off_by": "Dr Synthetic", "signed_off_at": "2026-07-01T13:10:00+00:00",
        "plans": [{"default": True, "by": None, "at": "2026-07-01T09:00:00+00:00",
                   "plan": {"regions": ["left_back_of_thigh"]}},
                  {"default": False, "by": "Dr Synthetic", "at": "2026-07-01T13:00:00+00:00",
                   "plan": plan}],
    }
    screening = {"rules_version": "r" * 12, "flags": SAMPLE_FLAGS, "plan": plan}
    data = sample_summary(kind="reviewed_summary", version=2, review=review,
                          screening=screening,
                          timezone="Europe/London")  # 2026-07-01 13:05 UTC is 14:05 BST
    with app.app_context():
        rendered = render_pdf(data, docs_definition())
    text = " ".join(pdf_text(rendered.pdf).split())
    assert ("Treatment plan: Left back of thigh · electrical stimulation yes · "
            "deep targets Tibialis posterior") in text
    assert "Blood thinner: Defer — Ask the GP (Dr Synthetic, 1 Jul 2026, 14:05 BST)" in text
    assert "dn_gone_rule: Proceed" in text  # no title known: the id, never nothing
    assert "Signed off by Dr Synthetic on 1 Jul 2026, 14:10 BST" in text
    assert "2026-07-01T13:05" not in text
    assert "Default plan (the painful regions), 1 Jul 2026, 10:00 BST" in text
    assert "Plan by Dr Synthetic, 1 Jul 2026, 14:00 BST: Left back of thigh" in text
    assert rendered.variant == "pdf/a-3u"
