"""The summary's HTML read by expat (intake.documents.markup): the very tree
tinyhtml5 builds, for every kind of document we render; the same PDF text;
patient text with markup characters unchanged; what expat cannot read
refused, never misread. Synthetic data only."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
import tinyhtml5
import visits_staff_support as support
import weasyprint
from documents_helpers import pdf_text
from sqlalchemy import select

from intake import plaintext
from intake.documents import html5_moves, markup, render
from intake.documents.assets import AllowListFetcher
from intake.documents.collect import collect
from intake.documents.samples import demo_answers, sample_summary
from intake.documents.user_agent import PdfHTML
from intake.models import Document
from intake.paths import TEMPLATES
from intake.questionnaire import load_definition
from intake.screening import evaluate

TODAY = date(2026, 12, 2)
course = support.course
FLAGGED = {"symptoms.saddle_numbness": "new", "symptoms.bladder": "new",
           "history.diabetes": "type_2", "history.epilepsy": "yes", "pregnancy.status": "no",
           "needling.fear": "severe", "history.cancer": "in_treatment",
           "history.metal_allergy": "not_sure", "medications.current": ["warfarin", "aspirin"]}
QUIET = {"medications.current": ["none"], "symptoms.fever": "no", "history.osteoporosis": "no"}
#: Patient text with everything HTML or XML might read differently.
HOSTILE = ('Zoë <b>&amp;</b> "O\'Brien" & <script>alert(1)</script> ]]> &nbsp; '
           '&#128; 😀 \u00a0tab\there\r\nCRLF\nnew line \x07bell')


@pytest.fixture(scope="module")
def definition():
    return load_definition()


def _summary(definition, overrides=None, **fields):
    answers = demo_answers(definition, today=TODAY, overrides=overrides)
    screening = evaluate(answers, today=TODAY).to_dict()
    return sample_summary(answers=answers, screening=screening,
                          questionnaire_version=definition.version, **fields)


SAMPLES = {
    "quiet": lambda d: render.summary_source(_summary(d, QUIET), d),
    "typical": lambda d: render.summary_source(_summary(d), d),
    "many flags": lambda d: render.summary_source(_summary(d, FLAGGED), d),
    "reviewed": lambda d: render.summary_source(_summary(d, kind="reviewed_summary", review={
        "decisions": [{"rule_id": "dn_anticoagulant", "title": "Anticoagulant",
                       "decision": "Proceed with changes", "note": "INR <3 & checked",
                       "decided_by": "Dr Synthetic", "decided_at": "23 Nov 2026"}],
        "signed_off_by": "Dr Synthetic", "signed_off_at": "2026-11-23T14:40:00+00:00",
        "plans": [{"default": True, "by": None, "at": "2026-11-23T14:00:00+00:00",
                   "plan": {"regions": ["left_buttock"]}}]}), d),
    "french": lambda d: render.summary_source(
        _summary(d, locale="fr_CA", patient_language="fr"), d),
    "french patient, english clinic": lambda d: render.summary_source(
        _summary(d, patient_language="fr"), d),
    "patient copy": lambda d: render.copy_source(_summary(d, FLAGGED), d),
    "hostile": lambda d: render.summary_source(_summary(d, {
        "about.full_name": HOSTILE, "pain.notes": HOSTILE, "medications.inr": HOSTILE}), d),
}


def tree(element):
    """Everything about an element that WeasyPrint reads, recursively."""
    return (element.tag, dict(element.attrib), element.text, element.tail,
            [tree(child) for child in element])


def html5_tree(html: str):
    return tree(tinyhtml5.parse(html, namespace_html_elements=False))


def assert_same_tree(html: str):
    assert tree(markup.parse(html)) == html5_tree(html)


@pytest.mark.parametrize("name", SAMPLES)
def test_expat_builds_the_tree_tinyhtml5_builds(definition, name):
    assert_same_tree(SAMPLES[name](definition).html)


def test_a_follow_up_summary_reads_the_same(app, db, course):
    first = course.first(**{"symptoms.fever": "last_48_hours"})
    second = course.follow_up(first, when=course.at(-14), **{"pain.back_now": 5})
    third = course.follow_up(second, visit_number=3, **support.RED_FLAG_CHANGES,
                             **{"pain.back_now": 2})
    with app.app_context():
        document = db.scalars(select(Document).where(Document.intake_id == third.id)).first()
        source = render.summary_source(collect(db, document, app.config), load_definition())
    assert "<svg" in source.html  # the progress chart, inline: foreign content
    assert_same_tree(source.html)


def _slow_pdf(monkeypatch, make):
    """The PDF as WeasyPrint's own parser would have made it."""
    monkeypatch.setattr(markup, "parse", lambda html: (_ for _ in ()).throw(
        markup.NotXHTML("forced")))
    try:
        return make()
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("name", ["many flags", "hostile"])
def test_the_pdf_text_is_the_same_as_with_tinyhtml5(definition, monkeypatch, caplog, name):
    fields = {"many flags": (FLAGGED,), "hostile": ({"about.full_name": HOSTILE,
                                                     "pain.notes": HOSTILE},)}[name]
    data = _summary(definition, *fields)
    with caplog.at_level(logging.WARNING, logger=markup.__name__):
        fast = render.render_pdf(data, definition).pdf
    assert not caplog.records  # the fast parser read it
    slow = _slow_pdf(monkeypatch, lambda: render.render_pdf(data, definition).pdf)
    assert pdf_text(fast) == pdf_text(slow)


def test_patient_text_comes_through_exactly(definition):
    """As Jinja's finalize left it (no control characters), CRLF read as LF
    (as HTML5 reads it), entities and markup characters as typed."""
    root = markup.parse(SAMPLES["hostile"](definition).html)
    (name,) = [b.text for b in root.iter("b") if b.get("class") == "patient"]
    assert name == plaintext.for_display(HOSTILE).replace("\r\n", "\n")
    assert "&nbsp;" in name and "<script>" in name and "😀" in name
    assert not root.findall(".//script")


@pytest.mark.parametrize("html, why", [
    ("<!doctype html>\n<html><head></head><body></body></html>", "lower-case doctype"),
    ("<!DOCTYPE html>\n<html><head></head><body><p>a<br>b</p></body></html>", "unclosed <br>"),
    ("<!DOCTYPE html>\n<html><head></head><body><p>a&nbsp;b</p></body></html>", "named entity"),
    ("<!DOCTYPE html>\n<html><head></head><body><p>&#128;</p></body></html>", "remapped ref"),
    ('<!DOCTYPE html>\n<html><head></head><body><p title="a\nb">x</p></body></html>',
     "line break in an attribute"),
    ("<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "no <head>"),
    ("<!DOCTYPE html>\n<html><head></head><body><svg><line/></svg></body></html>",
     "SVG without its namespace"),
    ("<!DOCTYPE html>\n<html><head></head><body></body></html>\ntext", "text after </html>"),
])
def test_what_expat_would_misread_is_refused(html, why):
    with pytest.raises(markup.NotXHTML):
        markup.parse(html)


def _body(inner: str) -> str:
    return f"<!DOCTYPE html>\n<html><head></head><body>{inner}</body></html>"


#: A block inside a <p>: well-formed XML, but HTML5 closes the <p> before the
#: block (and makes an empty <p> of the stray </p>), so the trees differ.
BLOCKS_IN_P = {
    "div": "<p>a<div>b</div>c</p>",
    "list in an inline": "<p>a <span><ul><li>b</li></ul></span></p>",
    "table": "<p><table><tbody><tr><td>b</td></tr></tbody></table></p>",
    "heading": "<p class=\"facts\">a <b><h3>b</h3></b></p>",
    "paragraph": "<p>a<p>b</p></p>",
    "hr": "<p>a<hr />b</p>",
    "deep": "<div><p><small><em>a <i>x<blockquote>b</blockquote></i></em></small></p></div>",
}


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" role="img">'
#: Other well-formed markup HTML5 closes or moves: each, and what it says.
MOVED = {
    "row straight in a table": ("<table><tr><td>a</td></tr></table>", "directly in <table>"),
    "text in a table": ("<table>a<tbody><tr><td>b</td></tr></tbody></table>", "text directly"),
    "block in a table": ("<table><tbody><tr><td>b</td></tr></tbody><div>c</div></table>",
                         "<div> directly in <table>"),
    "link in a link": ('<div><a href="#x">a <span><a href="#y">b</a></span></a></div>',
                       "<a> inside <a>"),
    "item in an item": ("<ul><li>a<div><li>b</li></div></li></ul>", "no list between"),
    "term in a definition": ("<dl><dt>a<dd>b</dd></dt></dl>", "<dd> inside another"),
    "heading in a heading": ("<h2>a<h3>b</h3></h2>", "inside a heading"),
    "bold in SVG text": (f"{SVG_OPEN}<text>a<b>b</b></text></svg>", "ends the SVG at"),
    "HTML in foreignObject": (f"{SVG_OPEN}<foreignObject><div>a</div></foreignObject></svg>",
                              "reads as HTML"),
}
MOVED.update({f"block in a paragraph: {name}": (inner, "inside <p>")
              for name, inner in BLOCKS_IN_P.items()})


@pytest.mark.parametrize("inner, why", MOVED.values(), ids=MOVED)
def test_what_html5_would_close_or_move_is_refused(monkeypatch, inner, why):
    html = _body(inner)
    with monkeypatch.context() as unchecked:  # what expat alone would have built
        unchecked.setattr(html5_moves, "moved", lambda root: None)
        assert tree(markup.parse(html)) != html5_tree(html)
    with pytest.raises(markup.NotXHTML, match=re.escape(why)):
        markup.parse(html)


def test_a_block_inside_a_paragraph_renders_by_the_slow_parser_as_html5_reads_it(caplog):
    html = _body(BLOCKS_IN_P["div"])
    with caplog.at_level(logging.WARNING, logger=markup.__name__):
        document = markup.document(html, AllowListFetcher())
    assert type(document) is PdfHTML
    assert "inside <p>" in caplog.text
    assert tree(document.etree_element) == html5_tree(html)


@pytest.mark.parametrize("inner", [
    "<p>a <b>b</b> <span class=\"x\">c<br />d</span> <small>e</small></p><div><p>f</p></div>",
    "<div><p>a</p><ul><li><p>b</p></li></ul></div>",
    '<p>a <svg xmlns="http://www.w3.org/2000/svg" role="img"><title>t</title>'
    '<g><text x="1" y="2">b<tspan>c</tspan></text></g></svg></p>',
    "<table><tbody><tr><th>a</th><td>b <b>c</b></td></tr></tbody></table>",
    "<ul><li>a<ul><li>b</li></ul></li></ul><dl><dt>a</dt><dd>b</dd></dl>",
    '<h2>a <a href="#x">b</a></h2><p><a href="#y">c</a> <a href="#z">d</a></p>',
])
def test_markup_html5_keeps_as_written_still_takes_the_fast_path(inner):
    assert_same_tree(_body(inner))


def test_a_refused_document_still_renders_by_the_slow_parser_and_says_so(caplog):
    html = "<!doctype html>\n<html><head></head><body><p>a<br>b &nbsp;</p></body></html>"
    with caplog.at_level(logging.WARNING, logger=markup.__name__):
        document = markup.document(html, AllowListFetcher())
    assert type(document) is PdfHTML  # WeasyPrint's own parsing, our stylesheet
    assert "slow parser" in caplog.text
    assert tree(document.etree_element) == html5_tree(html)


def test_whitespace_and_comments_land_where_html5_puts_them():
    assert_same_tree("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>t</title>\n</head>\n"
                     "<body>\n<!-- c --><p>a<b>b</b><br />c</p>\n</body>\n</html>\n")
    assert_same_tree("<!DOCTYPE html><html><head></head><body></body>\n</html>\n\n")


VOID = ("br", "img", "meta", "hr", "input", "link", "wbr", "col", "area", "source")


def test_the_pdf_templates_close_void_elements_and_only_those():
    """`<br>` would stop expat; `<p />` would mean an open <p> to HTML5."""
    for template in (TEMPLATES / "pdf").glob("*.html"):
        source = template.read_text()
        for tag, end in re.findall(r"<([a-z][a-z0-9]*)\b(?:[^>\"']|\"[^\"]*\")*?(/?)>", source):
            assert (end == "/") == (tag in VOID), f"{template.name}: <{tag}{end}>"
    assert (TEMPLATES / "pdf" / "summary.html").read_text().startswith(markup.DOCTYPE)
    assert (TEMPLATES / "pdf" / "copy.html").read_text().startswith(markup.DOCTYPE)


def test_parsed_html_is_what_weasyprint_html_would_be(definition):
    """ParsedHTML sets WeasyPrint's HTML's attributes itself (an internal of
    WeasyPrint 70): if HTML.__init__ starts setting others, this fails."""
    html, fetcher = SAMPLES["typical"](definition).html, AllowListFetcher()
    theirs = weasyprint.HTML(string=html, url_fetcher=fetcher)
    ours = markup.document(html, fetcher)
    assert type(ours) is markup.ParsedHTML
    assert sorted(vars(ours)) == sorted(vars(theirs)) == [
        "base_url", "etree_element", "media_type", "url_fetcher", "wrapper_element"]
    for name in ("base_url", "media_type", "url_fetcher"):
        assert getattr(ours, name) == getattr(theirs, name)
    assert tree(ours.etree_element) == tree(theirs.etree_element)
    assert type(ours.wrapper_element) is type(theirs.wrapper_element)
