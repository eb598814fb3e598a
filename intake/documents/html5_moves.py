"""Well-formed markup that an HTML5 parser builds into another tree.

expat keeps every element where the source puts it; tinyhtml5, like any
HTML5 parser, closes or moves some of them: a `<div>` ends an open `<p>`, a
`<tr>` straight in a `<table>` gets a `<tbody>`, text in a table is moved
before it, an `<a>` inside an `<a>` ends the first, a `<b>` inside SVG leaves
the SVG. `moved(root)` names the first such place in a tree expat built, so
that intake.documents.markup refuses it and the slow parser reads the
document instead. It errs on the side of refusing (a `<div>` inside a
`<button>` inside a `<p>` would stay put): a false alarm only costs speed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"

#: Start tags that close an open `<p>` ("in body": a p element in button
#: scope is closed first). WHATWG's list, a little longer than tinyhtml5's.
CLOSES_P = frozenset((
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
    "div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup",
    "main", "menu", "nav", "ol", "p", "search", "section", "summary", "ul",
    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "li", "dd", "dt",
    "plaintext", "table", "hr", "xmp"))
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
#: Elements an HTML5 parser never leaves inside one of their own kind.
NOT_IN_ITSELF = frozenset(("a", "button", "form", "nobr"))
#: Each list item and the list that starts a new scope for it.
ITEMS = {"li": frozenset(("ul", "ol", "menu")), "dd": frozenset(("dl",)),
         "dt": frozenset(("dl",))}
#: Which children a table part may hold; anything else is moved out of it.
TABLE_CHILDREN = {
    "table": frozenset(("caption", "colgroup", "thead", "tbody", "tfoot")),
    "thead": frozenset(("tr",)), "tbody": frozenset(("tr",)), "tfoot": frozenset(("tr",)),
    "tr": frozenset(("td", "th")), "colgroup": frozenset(("col",)),
}
#: HTML start tags that end foreign content: inside SVG they leave the SVG.
LEAVES_SVG = frozenset((
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
    "em", "embed", "font", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img",
    "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small",
    "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"))
#: SVG elements whose content HTML5 reads as HTML (integration points).
HTML_INSIDE = frozenset((f"{SVG}foreignObject", f"{SVG}desc", f"{SVG}title"))
CHANGES_WHAT_IS_OPEN = (frozenset(("p",)) | HEADINGS | NOT_IN_ITSELF | frozenset(ITEMS)
                        | frozenset().union(*ITEMS.values()))
CHECKED = CLOSES_P | CHANGES_WHAT_IS_OPEN | frozenset(TABLE_CHILDREN)


def moved(root: ET.Element) -> str | None:
    """Where HTML5 would build `root` differently, in words; None if nowhere.

    One walk, each element once, with what is open above it (the order of the
    walk does not matter: any place found is a reason to refuse)."""
    stack: list[tuple[ET.Element, frozenset[str]]] = [(root, frozenset())]
    while stack:
        element, open_above = stack.pop()
        tag = element.tag
        if not isinstance(tag, str):
            continue  # a comment
        if tag in CHECKED or tag.startswith(SVG):  # most (span, b, small) are neither
            reason = _svg(element) if tag[0] == "{" else _html(element, tag, open_above)
            if reason:
                return reason
            open_above = _opened(tag, open_above)
        stack.extend((child, open_above) for child in element)
    return None


def _html(element: ET.Element, tag: str, open_above: frozenset[str]) -> str | None:
    if "p" in open_above and tag in CLOSES_P:
        return f"<{tag}> inside <p>, which HTML5 closes before it"
    if tag in HEADINGS and open_above & HEADINGS:
        return f"<{tag}> inside a heading"
    if tag in NOT_IN_ITSELF and tag in open_above:
        return f"<{tag}> inside <{tag}>, which HTML5 closes before it"
    if tag in ITEMS and tag + " open" in open_above:
        return f"<{tag}> inside another list item, with no list between"
    allowed = TABLE_CHILDREN.get(tag)
    if allowed is not None:
        if (element.text or "").strip() or any((c.tail or "").strip() for c in element):
            return f"text directly in <{tag}>, which HTML5 moves out of the table"
        for child in element:
            if isinstance(child.tag, str) and child.tag not in allowed:
                return f"<{child.tag}> directly in <{tag}>, which HTML5 moves or wraps"
    return None


def _svg(element: ET.Element) -> str | None:
    name = element.tag[len(SVG):]
    if name in LEAVES_SVG:
        return f"<{name}> inside <svg>, which HTML5 ends the SVG at"
    if element.tag in HTML_INSIDE and len(element):
        return f"elements inside SVG <{name}>, which HTML5 reads as HTML"
    return None


def _opened(tag: str, open_above: frozenset[str]) -> frozenset[str]:
    """What is open for the children of a `tag` element."""
    if tag not in CHANGES_WHAT_IS_OPEN:
        return open_above  # most elements (span, b, small, text in SVG): no new set
    opened = set(open_above)
    if tag == "p" or tag in HEADINGS or tag in NOT_IN_ITSELF:
        opened.add(tag)
    if tag in ITEMS:
        opened.update(item + " open" for item, lists in ITEMS.items() if lists == ITEMS[tag])
    for item, lists in ITEMS.items():
        if tag in lists:
            opened.discard(item + " open")
    return frozenset(opened)
