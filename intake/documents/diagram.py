"""The body diagram of the summary: the patient's own front and back figure.

The shapes are the patient side's (`intake.questionnaire.body_diagram`), so the
practitioner sees the regions exactly as the patient marked them; only the
colouring differs: presentation attributes instead of app.css classes,
because the SVG is drawn on its own in the PDF. Built from fixed geometry and
words (no patient text), so the markup is safe to insert unescaped.

Each view is two paths, the unmarked regions and the marked ones, each
region a subpath: WeasyPrint styles and draws an SVG node by node, so some
sixty polygons cost several times what two paths with the same outlines do
(issue 15), and the picture is the same.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from intake.questionnaire.body_diagram import HEIGHT, LEFT, SHOWN, VIEWS, WIDTH

MARKED = 'fill="#c0392b" stroke="#7b241c" stroke-width="1.2"'
UNMARKED = 'fill="#f2f2f2" stroke="#8c8c8c" stroke-width="0.8"'
TEXT = 'font-family="IntakeSans" font-size="19" fill="#333333"'
GAP = 44
SIZE_MM = 48


def _subpath(points, mirror: bool) -> str:
    return "M" + " ".join(f"{WIDTH - x if mirror else x:g} {y:g}" for x, y in points) + "Z"


def body_svg(marked: list[str] | tuple[str, ...]) -> Markup:
    """Both views side by side; marked regions filled, the rest outlined."""
    return Markup(_svg(frozenset(marked)))  # noqa: S704 - fixed geometry, no outside text


def body_svg_bytes(marked: list[str] | tuple[str, ...]) -> bytes:
    """The same drawing as an SVG file, for the PDF to load as an image.

    WeasyPrint parses an `<img>`'s SVG with ElementTree, which is much cheaper
    than running its 60-odd shapes through the HTML parser, the CSS cascade
    and the box tree as inline markup, and draws it the same way.
    """
    return _svg(frozenset(marked)).encode("utf-8")


@lru_cache(maxsize=256)
def _svg(chosen: frozenset[str]) -> str:
    width, height = 2 * SHOWN + GAP, HEIGHT + 48
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{SIZE_MM}mm" height="{SIZE_MM * height / width:.1f}mm">'
    ]
    for index, (title, shapes, viewer_left) in enumerate(VIEWS.values()):
        viewer_right = "left" if viewer_left == "right" else "right"
        outlines: dict[bool, list[str]] = {False: [], True: []}
        for area, points in shapes.items():
            for side, mirror in ((viewer_left, False), (viewer_right, True)):
                outlines[f"{side}_{area}" in chosen].append(_subpath(points, mirror))
        parts.append(f'<g transform="translate({index * (SHOWN + GAP) - LEFT} 22)">')
        parts.append(f'<text x="{WIDTH // 2}" y="-6" text-anchor="middle" {TEXT}>{title}</text>')
        for marked, paint in ((False, UNMARKED), (True, MARKED)):
            if outlines[marked]:  # marked last, so their outlines are drawn on top
                parts.append(f'<path d="{"".join(outlines[marked])}" {paint}/>')
        y = HEIGHT + 20
        parts.append(f'<text x="{LEFT + 2}" y="{y}" {TEXT}>{viewer_left.capitalize()}</text>')
        parts.append(f'<text x="{WIDTH - LEFT - 2}" y="{y}" text-anchor="end" {TEXT}>'
                     f"{viewer_right.capitalize()}</text>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
