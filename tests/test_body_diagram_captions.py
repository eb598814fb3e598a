"""The side captions under each figure of the body diagram ("Your right" ...
"Your left") fit side by side in both languages, on the pages and in the PDF.

The extents are measured with the shipped DejaVu Sans, which is wider than the
pages' system fonts, so a caption that fits here fits there."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from fontTools.ttLib import TTFont

from intake.paths import STATIC
from intake.questionnaire import load_definition
from intake.questionnaire.body_diagram import (
    LEFT,
    PAGE_SIDE_SIZE,
    PRINT_SIDE_SIZE,
    WIDTH,
    body_diagram,
    print_diagram,
    staff_diagram,
)

#: the space kept between the two captions of one figure, in SVG units (about
#: two word spaces at these sizes, so that they read as two words)
MARGIN = 10


@lru_cache(maxsize=1)
def _font():
    font = TTFont(str(STATIC / "fonts" / "DejaVuSans.ttf"))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def width(text: str, size: float) -> float:
    cmap, metrics, units = _font()
    return sum(metrics[cmap[ord(c)]][0] for c in text) * size / units


def captions(svg: str) -> list[tuple[str, list[str]]]:
    """Each side caption's anchor ("start"/"end") and its lines, in order."""
    found = []
    for attrs, body in re.findall(r"<text ([^>]*)>(.*?)</text>", svg):
        if 'y="-6"' in attrs:  # a view's title, above it
            continue
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body) or [body]
        found.append(("end" if 'text-anchor="end"' in attrs else "start", lines))
    return found


def drawings():
    definition = load_definition()
    for language in ("en", "fr"):
        regions = definition.translated(language).regions
        yield f"page-{language}", str(body_diagram(regions)), PAGE_SIDE_SIZE
        yield f"staff-{language}", str(staff_diagram(regions, ())), PAGE_SIDE_SIZE
        yield f"pdf-{language}", print_diagram(regions, ()).decode(), PRINT_SIDE_SIZE


@pytest.mark.parametrize(("name", "svg", "size"), list(drawings()),
                         ids=[name for name, _, _ in drawings()])
def test_the_two_captions_under_a_figure_do_not_overlap(name, svg, size):
    found = captions(svg)
    assert len(found) == 4, found  # two per view
    room = (WIDTH - LEFT - 2) - (LEFT + 2) - MARGIN
    for (left_anchor, left), (right_anchor, right) in (found[0:2], found[2:4]):
        assert (left_anchor, right_anchor) == ("start", "end")
        widest = max(width(a, size) + width(b, size)
                     for a in left for b in right)  # lines side by side at worst
        assert widest <= room, (name, left, right, widest, room)


def test_the_french_captions_wrap_and_the_picture_grows_to_hold_them():
    definition = load_definition()
    french = str(body_diagram(definition.translated("fr").regions))
    english = str(body_diagram(definition.regions))
    assert [lines for _, lines in captions(french)][:2] == [["Votre", "droite"],
                                                             ["Votre", "gauche"]]
    assert [lines for _, lines in captions(english)][:2] == [["Your right"], ["Your left"]]
    height = {svg: int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
              for svg in (french, english)}
    assert height[french] - height[english] == round(1.15 * PAGE_SIDE_SIZE)
