"""The body diagram: front and back outlines, one shape per region and view,
drawn here for all three places that show it.

- The patient's page (`body_diagram`): one polygon per region and view, with
  ``data-region`` so the page script can tick the region's checkbox, inline
  so it can colour shapes without fetching anything (the CSP allows no
  inline style, so all colour is in app.css). The shapes are only a picture:
  the real control is the checkbox list next to them, which works without
  JavaScript and for screen readers, so the SVG is aria-hidden.
- The staff page (`staff_diagram`): the same polygons with the marked regions
  highlighted, worded for staff ("Patient's left knee", "Left").
- The PDF (`print_diagram`): two paths per view, the unmarked regions and the
  marked ones, each region a subpath, painted with presentation attributes
  because the SVG is drawn on its own. WeasyPrint styles and draws an SVG
  node by node, so some sixty polygons cost several times what two paths
  with the same outlines do (issue 15), and the picture is the same.

All three take the regions and their order from regions.yaml (`Regions`) and
the outlines from `shapes` below, so they cannot disagree about which region
is where. Built from fixed geometry and fixed words (region labels escaped),
so the markup is safe to insert unescaped.

Geometry is given for the half drawn on the viewer's left and mirrored. On the
front view the figure faces the patient, so the viewer's left is the
patient's right; on the back view the viewer's left is the patient's left.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from intake.i18n.messages import N_, NP_, translate
from intake.questionnaire import Regions

Point = tuple[float, float]
WIDTH, HEIGHT = 200, 416
#: the part of each 200-unit-wide view the figure occupies (the SVG is cropped to it)
LEFT, SHOWN = 30, 140
#: between the two views, and the whole picture (one more line per wrapped caption line)
GAP = 44
VIEWBOX = (2 * SHOWN + GAP, HEIGHT + 48)
#: a side caption longer than this breaks at its last space ("Votre" / "droite"):
#: two one-line French captions are wider than the figure they stand under
#: (tests/test_body_diagram_captions.py measures them)
WRAP_AT = 10
#: a caption's second line, below the first, in em
LINE = 1.15


def _half_ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 12) -> list[Point]:
    """The viewer-left half of an ellipse, top to bottom."""
    angles = [math.pi * i / n for i in range(n + 1)]
    return [(round(cx - rx * math.sin(a), 1), round(cy - ry * math.cos(a), 1)) for a in angles]


_SHARED: dict[str, list[Point]] = {
    "head": _half_ellipse(100, 34, 21, 26),
    "neck": [(90, 58), (100, 58), (100, 80), (85, 80)],
    "shoulder": [(85, 80), (68, 82), (55, 90), (49, 108), (61, 111), (69, 97), (85, 90)],
    "upper_arm": [(49, 108), (61, 111), (60, 128), (58, 160), (43, 157)],
    "forearm_hand": [(43, 157), (58, 160), (54, 210), (56, 226), (51, 246), (40, 245),
                     (35, 226), (38, 210)],
    "knee": [(66, 280), (94, 280), (93, 306), (68, 306)],
    "calf_lower_leg": [(68, 306), (93, 306), (90, 380), (74, 380)],
    "ankle_foot": [(74, 380), (90, 380), (92, 396), (98, 410), (70, 410), (72, 396)],
}

FRONT: dict[str, list[Point]] = {
    **_SHARED,
    "chest": [(100, 80), (85, 80), (85, 90), (69, 97), (68, 128), (68, 142), (100, 142)],
    "armpit": [(69, 97), (61, 111), (60, 128), (68, 128)],
    "abdomen": [(100, 142), (68, 142), (70, 160), (68, 178), (80, 188), (100, 188)],
    "hip": [(68, 178), (80, 188), (74, 204), (62, 206), (62, 192)],
    "groin_saddle": [(80, 188), (100, 188), (100, 214), (90, 214)],
    "front_of_thigh": [(62, 206), (74, 204), (80, 188), (90, 214), (97, 218), (94, 280),
                       (66, 280)],
}

BACK: dict[str, list[Point]] = {
    **_SHARED,
    "upper_back": [(100, 80), (85, 80), (85, 90), (69, 97), (62, 112), (66, 124), (100, 124)],
    "thoracolumbar": [(100, 124), (66, 124), (68, 146), (100, 146)],
    "lower_back": [(100, 146), (68, 146), (70, 166), (100, 166)],
    "sacrum_pelvis": [(84, 166), (100, 166), (100, 186), (88, 184)],
    "hip": [(70, 166), (62, 190), (62, 206), (70, 204), (72, 180)],
    "buttock": [(70, 166), (84, 166), (88, 184), (94, 212), (80, 214), (70, 204), (72, 180)],
    "groin_saddle": [(88, 184), (100, 186), (100, 216), (94, 212)],
    "back_of_thigh": [(62, 206), (70, 204), (80, 214), (94, 212), (97, 218), (94, 280),
                      (66, 280)],
}

#: view -> (title, geometry, side drawn on the viewer's left)
VIEWS = {"front": (NP_("body view", "Front"), FRONT, "right"),
         "back": (NP_("body view", "Back"), BACK, "left")}
#: the words around the drawing, in the regions' language (Regions.language)
YOUR_REGION = N_("Your %(region)s")
PATIENTS_REGION = N_("Patient's %(region)s")
SIDES = {"left": N_("Left"), "right": N_("Right")}
YOUR_SIDE = {"left": N_("Your left"), "right": N_("Your right")}


def geometry_views(area_id: str) -> set[str]:
    """The views this module draws an area on (checked against regions.yaml in tests)."""
    return {view for view, (_, shapes, _) in VIEWS.items() if area_id in shapes}


@dataclass(frozen=True, slots=True)
class Shape:
    """One region's outline on one view, in that view's coordinates."""

    region: str  # "left_knee": the patient's own side
    view: str  # "front" or "back"
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class View:
    id: str
    title: str
    #: the patient's side drawn on the viewer's left, and on the right
    sides: tuple[str, str]
    shapes: tuple[Shape, ...]


@lru_cache(maxsize=8)
def layout(regions: Regions) -> tuple[View, ...]:
    """Every region of regions.yaml on each view it is drawn on, in file order."""
    views = []
    for view, (title, geometry, viewer_left) in VIEWS.items():
        viewer_right = "left" if viewer_left == "right" else "right"
        drawn = []
        for area in regions.areas:
            if area.id not in geometry:
                continue
            for side, mirror in ((viewer_left, False), (viewer_right, True)):
                points = tuple((WIDTH - x if mirror else x, y) for x, y in geometry[area.id])
                drawn.append(Shape(f"{side}_{area.id}", view, points))
        views.append(View(view, title, (viewer_left, viewer_right), tuple(drawn)))
    return tuple(views)


def region_title(regions: Regions, region_id: str, whose=YOUR_REGION) -> str:
    """'Your left knee': left and right are always the patient's own."""
    return _say(regions, whose, region=_lowered(regions.label(region_id)))


def _say(regions: Regions, message, **params) -> str:
    """A word of this module in the regions' language (params filled first)."""
    filled = type(message)(message.msgid, context=message.context, **params) if params \
        else message
    return translate(filled, getattr(regions, "language", "en"))


def _lowered(label: str) -> str:
    return f"{label[:1].lower()}{label[1:]}"


# --- the patient's and the staff page's: polygons styled by app.css ----------------

def body_diagram(regions: Regions, selected: Iterable[str] = (), *,
                label: str | None = None) -> Markup:
    """Both views side by side as one inline SVG (aria-hidden: see the module doc),
    worded in the regions' language (``definition.translated(lang).regions``)."""
    label = label if label is not None else _say(regions, N_("Body diagram"))
    return _page_svg(regions, frozenset(selected), label, YOUR_REGION, YOUR_SIDE)


def staff_diagram(regions: Regions, marked: Iterable[str]) -> Markup:
    """The patient's drawing with `marked` highlighted, worded for staff (the
    patient's own left and right)."""
    return _page_svg(regions, frozenset(marked), _say(regions, N_("Regions marked as painful")),
                     PATIENTS_REGION, SIDES)


def _page_svg(regions: Regions, chosen: frozenset[str], label: str, whose,
              captions: dict) -> Markup:
    words = {side: _say(regions, caption) for side, caption in captions.items()}
    width, height = _viewbox(words.values(), PAGE_SIDE_SIZE)
    parts = [
        f'<svg class="body-diagram__svg" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for index, view in enumerate(layout(regions)):
        parts.append(f'<g class="body-view body-view--{view.id}" '
                     f'transform="translate({index * (SHOWN + GAP) - LEFT} 22)">')
        parts.append(f'<text class="body-view__title" x="{WIDTH // 2}" y="-6" '
                     f'text-anchor="middle">{escape(_say(regions, view.title))}</text>')
        for shape in view.shapes:
            css = "region is-selected" if shape.region in chosen else "region"
            parts.append(
                f'<polygon class="{css}" data-region="{shape.region}" '
                f'points="{_polygon(shape.points)}">'
                f"<title>{escape(region_title(regions, shape.region, whose))}</title>"
                "</polygon>"
            )
        left, right = (words[side] for side in view.sides)
        parts.append(_caption(left, "start", 'class="body-view__side"'))
        parts.append(_caption(right, "end", 'class="body-view__side"'))
        parts.append("</g>")
    parts.append("</svg>")
    # Safe: fixed geometry and words from this module; region labels are escaped.
    return Markup("".join(parts))  # noqa: S704


#: the font sizes: the side captions on the pages (app.css .body-view__side); the
#: PDF's titles and its side captions (smaller, so "Droite" and "Gauche" stand apart)
PAGE_SIDE_SIZE, PRINT_SIZE, PRINT_SIDE_SIZE = 13, 19, 16


def caption_lines(text: str) -> list[str]:
    """A side caption's lines: one, or two when longer than WRAP_AT."""
    head, space, tail = text.rpartition(" ")
    return [head, tail] if space and len(text) > WRAP_AT else [text]


def _viewbox(captions: Iterable[str], size: float) -> tuple[int, int]:
    """The picture's size: taller by a line when a caption wraps."""
    lines = max((len(caption_lines(c)) for c in captions), default=1)
    return VIEWBOX[0], VIEWBOX[1] + round((lines - 1) * LINE * size)


def _caption(text: str, anchor: str, attributes: str) -> str:
    """A side caption under a view, at its outer edge, on one or two lines."""
    x = LEFT + 2 if anchor == "start" else WIDTH - LEFT - 2
    end = ' text-anchor="end"' if anchor == "end" else ""
    lines = caption_lines(text)
    if len(lines) == 1:
        return f'<text x="{x}" y="{HEIGHT + 20}"{end} {attributes}>{escape(text)}</text>'
    spans = "".join(f'<tspan x="{x}" dy="{0 if i == 0 else LINE}em">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text x="{x}" y="{HEIGHT + 20}"{end} {attributes}>{spans}</text>'


def _polygon(points: tuple[Point, ...]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


# --- the PDF's: two paths per view, painted by presentation attributes --------------

MARKED = 'fill="#c0392b" stroke="#7b241c" stroke-width="1.2"'
UNMARKED = 'fill="#f2f2f2" stroke="#8c8c8c" stroke-width="0.8"'
TEXT = f'font-family="IntakeSans" font-size="{PRINT_SIZE}" fill="#333333"'
SIDE_TEXT = f'font-family="IntakeSans" font-size="{PRINT_SIDE_SIZE}" fill="#333333"'
SIZE_MM = 48


def print_diagram(regions: Regions, marked: Iterable[str]) -> bytes:
    """The PDF's drawing as an SVG file, marked regions filled, the rest outlined.

    The PDF loads it as an image: WeasyPrint parses an `<img>`'s SVG with
    ElementTree, which is much cheaper than running the shapes through the
    HTML parser, the CSS cascade and the box tree as inline markup, and draws
    it the same way. Unknown region ids change nothing.
    """
    return _print_diagram(regions, frozenset(marked)).encode("utf-8")


def print_diagram_inline(regions: Regions, marked: Iterable[str]) -> Markup:
    """The same drawing inline, for the summary's HTML on its own (a preview)."""
    return Markup(_print_diagram(regions, frozenset(marked)))  # noqa: S704 - fixed geometry


@lru_cache(maxsize=256)
def _print_diagram(regions: Regions, chosen: frozenset[str]) -> str:
    words = {side: _say(regions, caption) for side, caption in SIDES.items()}
    width, height = _viewbox(words.values(), PRINT_SIDE_SIZE)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{SIZE_MM}mm" height="{SIZE_MM * height / width:.1f}mm">'
    ]
    for index, view in enumerate(layout(regions)):
        outlines: dict[bool, list[str]] = {False: [], True: []}
        for shape in view.shapes:
            outlines[shape.region in chosen].append(_subpath(shape.points))
        parts.append(f'<g transform="translate({index * (SHOWN + GAP) - LEFT} 22)">')
        parts.append(f'<text x="{WIDTH // 2}" y="-6" text-anchor="middle" {TEXT}>'
                     f"{escape(_say(regions, view.title))}</text>")
        for is_marked, paint in ((False, UNMARKED), (True, MARKED)):
            if outlines[is_marked]:  # marked last, so their outlines are drawn on top
                parts.append(f'<path d="{"".join(outlines[is_marked])}" {paint}/>')
        left, right = (words[side] for side in view.sides)
        parts.append(_caption(left, "start", SIDE_TEXT))
        parts.append(_caption(right, "end", SIDE_TEXT))
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _subpath(points: tuple[Point, ...]) -> str:
    return "M" + " ".join(f"{x:g} {y:g}" for x, y in points) + "Z"
