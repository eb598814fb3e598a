"""The PDFs are laid out with a cut-down user-agent stylesheet
(intake.documents.user_agent) and come out exactly as with WeasyPrint's full
HTML5 defaults: the same drawing operators on every page (so the same text,
glyphs, positions and colours) and the same bookmarks. (Two renders of one
document are not byte-identical anyway: the font subsets get fresh names.)"""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
import tinyhtml5
import weasyprint
from documents_helpers import pdf_pages

from intake.documents import user_agent
from intake.documents.render import copy_source, render_copy, render_pdf, summary_source
from intake.documents.samples import demo_answers, sample_summary
from intake.questionnaire import load_definition
from intake.screening import evaluate

TODAY = date(2026, 11, 20)
MANY = {"symptoms.saddle_numbness": "new", "symptoms.bladder": "new",
        "history.diabetes": "type_2", "history.epilepsy": "yes", "needling.fear": "severe",
        "history.cancer": "in_treatment", "medications.current": ["warfarin", "aspirin"]}


@pytest.fixture(scope="module")
def definition():
    return load_definition()


def _summaries(definition):
    """Every kind of summary the templates lay out: few flags, many, reviewed
    with decisions and plans, French clinic with a French patient."""
    typical = demo_answers(definition, today=TODAY)
    many = demo_answers(definition, today=TODAY, overrides=MANY)
    for name, answers, extra in (
            ("typical", typical, {}),
            ("many flags", many, {}),
            ("french", typical, {"locale": "fr_CA", "patient_language": "fr"}),
            ("english clinic, french patient", typical, {"patient_language": "fr"})):
        screening = evaluate(answers, today=TODAY).to_dict()
        yield name, sample_summary(answers=answers, screening=screening,
                                   questionnaire_version=definition.version, **extra)
    screening = evaluate(typical, today=TODAY).to_dict()
    decisions = [{"rule_id": flag["rule_id"], "title": flag["title"],
                  "decision": "Proceed with changes", "note": "Light technique",
                  "decided_by": "Dr Synthetic", "decided_at": "2026-11-23T14:10:00+00:00"}
                 for flag in screening["flags"]]
    review = {"decisions": decisions, "signed_off_by": "Dr Synthetic",
              "signed_off_at": "2026-11-23T14:40:00+00:00",
              "plans": [{"default": True, "by": None, "at": "2026-11-23T14:00:00+00:00",
                         "plan": {"regions": typical["pain.regions"]}}]}
    yield "reviewed", sample_summary(answers=typical, screening=screening, review=review,
                                     kind="reviewed_summary", version=2,
                                     questionnaire_version=definition.version)


def _drawn(pdf: bytes) -> tuple[list[bytes], list]:
    """Each page's decompressed content stream, and the bookmarks with their pages."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [page.get_contents().get_data() for page in reader.pages]

    def marks(outline):
        return [marks(item) if isinstance(item, list)
                else (item.title, reader.get_destination_page_number(item))
                for item in outline]
    return pages, marks(reader.outline)


def _with_full_defaults(monkeypatch, make):
    monkeypatch.setattr(user_agent.PdfHTML, "_ua_stylesheets", weasyprint.HTML._ua_stylesheets)
    try:
        return make()
    finally:
        monkeypatch.undo()


def test_every_summary_is_the_same_pdf_as_with_weasyprints_full_defaults(definition,
                                                                         monkeypatch):
    for name, data in _summaries(definition):
        ours = render_pdf(data, definition)
        full = _with_full_defaults(monkeypatch, lambda data=data: render_pdf(data, definition))
        assert ours.pages == full.pages and ours.pages >= 4, name
        assert pdf_pages(ours.pdf) == pdf_pages(full.pdf), name
        drawn = _drawn(ours.pdf)
        assert drawn[1], name  # headings make bookmarks
        assert drawn == _drawn(full.pdf), name


def test_the_patients_copy_is_the_same_pdf_as_with_the_full_defaults(definition, monkeypatch):
    data = sample_summary(answers=demo_answers(definition, today=TODAY),
                          questionnaire_version=definition.version, patient_language="fr",
                          locale="fr_CA")
    ours = render_copy(data, definition)
    full = _with_full_defaults(monkeypatch, lambda: render_copy(data, definition))
    assert ours.pages == full.pages
    assert _drawn(ours.pdf) == _drawn(full.pdf)


def test_the_pdf_templates_use_only_the_elements_the_stylesheet_covers(definition):
    sources = [summary_source(data, definition).html for _, data in _summaries(definition)]
    sources.append(copy_source(sample_summary(
        answers=demo_answers(definition, today=TODAY),
        questionnaire_version=definition.version), definition).html)
    used = set()
    for html in sources:
        used |= {element.tag for element in
                 tinyhtml5.parse(html, namespace_html_elements=False).iter()
                 if isinstance(element.tag, str)}
    assert used <= user_agent.ELEMENTS, sorted(used - user_agent.ELEMENTS)
    assert {"p", "h3", "b", "br", "img"} <= used  # the check sees the real markup


def test_an_element_outside_the_list_would_be_styled_differently():
    """Why the element list matters: a list laid out with the cut-down
    stylesheet loses its indent, so the equality tests above would fail."""
    html = "<ul><li>one</li></ul><p>two</p>"
    ours = user_agent.PdfHTML(string=html).render()
    full = weasyprint.HTML(string=html).render()
    assert ours.pages[0]._page_box.children[0].children[0].children[0].padding_left == 0
    assert full.pages[0]._page_box.children[0].children[0].children[0].padding_left == 40


def test_forms_still_get_weasyprints_own_stylesheets():
    html = user_agent.PdfHTML(string="<p>x</p>")
    assert html._ua_stylesheets(forms=True) == weasyprint.HTML._ua_stylesheets(html, True)
    assert html._ua_stylesheets() == [user_agent.stylesheet()]
