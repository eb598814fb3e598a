"""The user-agent stylesheet the PDFs are laid out with: WeasyPrint's HTML5
defaults cut down to the elements that templates/pdf/ uses.

WeasyPrint cascades its whole HTML5 user-agent stylesheet (forms, tables,
lists, bidi, footnotes, some two hundred rules and their pseudo-elements)
into every element of every render. Our PDFs use sixteen plain elements, so
nearly all of that is matched and computed for nothing.

`STYLESHEET` holds WeasyPrint 70's own declarations for exactly the elements
in `ELEMENTS`, copied unchanged from its html5_ua.css, and its @page
alignment for the margin boxes static/css/pdf.css fills (a margin box with no
rule at all is cheaper still, and the unused fourteen are empty). Cut down so,
the many-flags summary costs 2,004 M instructions instead of 2,146 M (-6.6%,
callgrind, issue 15). It is home-made because WeasyPrint has no public
setting for the user-agent stylesheet; `PdfHTML` overrides
`HTML._ua_stylesheets`, the method WeasyPrint's own cascade asks for it.
tests/test_pdf_user_agent.py renders every kind of PDF with both stylesheets
and requires the same pages, text positions and bookmarks, and fails on an
element outside `ELEMENTS`: a template that starts to use `<ul>`, a header
moved to another margin box, or a WeasyPrint whose defaults change, is
caught there rather than mis-styled.
"""

from __future__ import annotations

from functools import lru_cache

from weasyprint import CSS, HTML

#: Every element the PDF templates (and the messages put into them) may use.
ELEMENTS = frozenset({"html", "head", "meta", "title", "style", "body", "div", "p",
                      "h1", "h2", "h3", "b", "small", "span", "br", "img"})

STYLESHEET = """
head, meta, style, title { display: none }
body, div, h1, h2, h3, html, p { display: block }
p { margin-top: 1em; margin-bottom: 1em }
body { margin: 8px }
h1 { margin-top: .67em; margin-bottom: .67em }
h2 { margin-top: .83em; margin-bottom: .83em }
h3 { margin-top: 1em; margin-bottom: 1em }
html { color-scheme: light }
b { font-weight: bold }
h1 { font-size: 2em; font-weight: bold }
h2 { font-size: 1.5em; font-weight: bold }
h3 { font-size: 1.17em; font-weight: bold }
small { font-size: smaller }
br::before { content: "\\A"; white-space: pre-line }
img { overflow: hidden }
h1 { bookmark-level: 1 }
h2 { bookmark-level: 2 }
h3 { bookmark-level: 3 }
h1, h2, h3 { bookmark-label: content(text) }
h1, h2, h3 { hyphens: manual; break-after: avoid; break-inside: avoid }
@page {
  margin: 75px;
  @top-center          { text-align: center; vertical-align: middle }
  @bottom-center       { text-align: center; vertical-align: middle }
}
"""


@lru_cache(maxsize=1)
def stylesheet() -> CSS:
    """`STYLESHEET`, parsed once per process."""
    return CSS(string=STYLESHEET)


class PdfHTML(HTML):
    """WeasyPrint's HTML, cascaded with `stylesheet()` instead of the full
    HTML5 defaults (which it still uses when asked for forms)."""

    def _ua_stylesheets(self, forms=False):
        if forms:
            return super()._ua_stylesheets(forms)
        return [stylesheet()]
