"""The summary's HTML read by expat (C) rather than tinyhtml5 (pure Python).

The HTML handed to WeasyPrint is only ever our own template output
(templates/pdf/*.html, values autoescaped by Jinja), written as
XHTML-compatible HTML: `<!DOCTYPE html>`, void elements closed (`<br />`),
no named entities, nothing an HTML5 parser would close or move (a block
inside a `<p>`, a `<tr>` straight in a `<table>`: `html5_moves`). Such
markup means the same tree to an XML parser as to an HTML5 parser, once the
few places where HTML5 moves whitespace are followed
(`_as_html5_would`), so expat builds in about a millisecond the tree that
tinyhtml5 spends some ten milliseconds of a many-flags render on (issue 15).

What does not read the same way is refused (`NotXHTML`), and the caller falls
back to WeasyPrint's own parser with a warning: slower, never wrong. The
tests compare this tree with tinyhtml5's for every sample document, so a
template that stops being well-formed fails there, not quietly in production.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

import cssselect2
from weasyprint import HTML

from intake.documents import html5_moves
from intake.documents.user_agent import PdfHTML

log = logging.getLogger(__name__)

SVG = "{http://www.w3.org/2000/svg}"
#: How tinyhtml5 keeps an `xmlns` attribute on foreign content; expat consumes it.
XMLNS_ATTRIBUTE = "{http://www.w3.org/2000/xmlns/}xmlns"
DOCTYPE = "<!DOCTYPE html>"

#: Source that XML and HTML5 read differently: an attribute value holding a
#: tab or a line break (XML turns it into a space), or a numeric character
#: reference other than the two quotes markupsafe writes (HTML5 remaps some).
#: A false alarm only costs the slow parser.
_DIFFERS = re.compile(r'="[^"]*[\t\n\r]|&#(?!3[49];)')


class NotXHTML(ValueError):
    """The HTML is not markup that expat reads as tinyhtml5 would."""


def parse(html: str) -> ET.Element:
    """The element tree tinyhtml5 builds for `html` with
    `namespace_html_elements=False`; raises NotXHTML where it cannot be sure."""
    if not html.startswith(DOCTYPE):
        raise NotXHTML(f"the document does not start with {DOCTYPE}")
    if _DIFFERS.search(html):
        raise NotXHTML("an attribute value with a line break, or a character reference")
    # Not untrusted XML: our own autoescaped template output, and the exact
    # DOCTYPE above leaves no room for an internal subset, so no entity can
    # be declared (no expansion attack) and none is ever fetched.
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))  # noqa: S314
    try:
        parser.feed(html)
        root = parser.close()
    except (ET.ParseError, UnicodeError) as error:
        raise NotXHTML(str(error)) from error
    return _as_html5_would(root, trailing=html[html.rindex("</html>") + 7:])


def _as_html5_would(root: ET.Element, trailing: str) -> ET.Element:
    """Move the whitespace an HTML5 parser moves, check the document's frame.

    Before `<head>`, whitespace is dropped; after `</body>` and `</html>` it
    goes into the body, after its last child. Foreign (SVG) elements keep
    their `xmlns` as an attribute.
    """
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        raise NotXHTML("the document is not <html> with <head> then <body>")
    if (root.text or "").strip() or trailing.strip():
        raise NotXHTML("text outside <head> and <body>")
    head, body = root
    if (head.tail or "").strip() or (body.tail or "").strip():
        raise NotXHTML("text between or after <head> and <body>")
    root.text = None
    moved = (body.tail or "") + trailing
    body.tail = None
    if moved:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + moved
        else:
            body.text = (body.text or "") + moved
    for parent in root.iter():
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                continue  # a comment
            if tag.startswith(SVG) and not (isinstance(parent.tag, str)
                                            and parent.tag.startswith(SVG)):
                attributes = {XMLNS_ATTRIBUTE: SVG[1:-1], **child.attrib}
                child.attrib.clear()
                child.attrib.update(attributes)
            elif tag.startswith("{") and not tag.startswith(SVG):
                raise NotXHTML(f"an element in a namespace HTML5 would not give it: {tag}")
            elif tag in ("svg", "math"):
                raise NotXHTML(f"<{tag}> without its namespace")
    reason = html5_moves.moved(root)
    if reason:
        raise NotXHTML(reason)
    return root


class ParsedHTML(PdfHTML):
    """WeasyPrint's `HTML` made from a tree we parsed, not from a string (and
    cascaded with the cut-down user-agent stylesheet, like `PdfHTML`).

    `HTML.__init__` only reads its source, parses it with tinyhtml5 and sets
    the five attributes below, which `render()` reads; there is no public way
    to hand it a tree, so this sets the same attributes as it does (WeasyPrint
    70). That is an internal of WeasyPrint's: tests/test_documents_markup.py
    compares this object's attributes with a real `HTML`'s and fails if
    WeasyPrint starts setting others. No `<base>` (our templates have none), so
    the base URL stays None as for `HTML(string=...)`.
    """

    def __init__(self, root: ET.Element, url_fetcher, media_type: str = "print"):
        self.base_url = None
        self.url_fetcher = url_fetcher
        self.media_type = media_type
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


def document(html: str, url_fetcher) -> HTML:
    """The WeasyPrint document for our HTML: parsed by expat where it can be,
    else (with a warning: a template needs fixing) by WeasyPrint itself."""
    try:
        return ParsedHTML(parse(html), url_fetcher)
    except NotXHTML as error:
        log.warning("summary HTML read by the slow parser: %s", error)
        return PdfHTML(string=html, url_fetcher=url_fetcher)
