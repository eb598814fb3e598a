"""The body diagram: front and back outlines, one shape per region and view.

Drawn from fixed geometry (no patient text), so the markup is safe to inline,
and inline so the page script can colour shapes without fetching anything
(the CSP allows no inline style, so all colour is in app.css). The shapes are
only a picture: the real control is the checkbox list next to them, which
works without JavaScript and for screen readers, so the SVG is aria-hidden.

Geometry is given for the half drawn on the viewer's left and mirrored. On the
front view the figure faces the patient, so the viewer's left is the
patient's right; on the back view the viewer's left is the patient's left.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from markupsafe import Markup, escape

from intake.questionnaire import Regions

Point = tuple[float, float]
WIDTH, HEIGHT = 200, 416
#: the part of each 200-unit-wide view the figure occupies (the SVG is cropped to it)
LEFT, SHOWN = 30, 140


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
VIEWS = {"front": ("Front", FRONT, "right"), "back": ("Back", BACK, "left")}


def geometry_views(area_id: str) -> set[str]:
    """The views this module draws an area on (checked against regions.yaml in tests)."""
    return {view for view, (_, shapes, _) in VIEWS.items() if area_id in shapes}


def _points(points: list[Point], mirror: bool) -> str:
    return " ".join(f"{WIDTH - x if mirror else x:g},{y:g}" for x, y in points)


def region_title(regions: Regions, region_id: str) -> str:
    """'Your left knee': left and right are always the patient's own."""
    label = regions.label(region_id)
    return f"Your {label[:1].lower()}{label[1:]}"


def body_diagram(regions: Regions, selected: Iterable[str] = (), *,
                 label: str = "Body diagram") -> Markup:
    """Both views side by side as one inline SVG (aria-hidden: see the module doc)."""
    chosen = set(selected)
    gap = 44
    parts = [
        f'<svg class="body-diagram__svg" viewBox="0 0 {2 * SHOWN + gap} {HEIGHT + 48}" '
        f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for index, (view, (title, shapes, viewer_left)) in enumerate(VIEWS.items()):
        viewer_right = "left" if viewer_left == "right" else "right"
        parts.append(f'<g class="body-view body-view--{view}" '
                     f'transform="translate({index * (SHOWN + gap) - LEFT} 22)">')
        parts.append(f'<text class="body-view__title" x="{WIDTH // 2}" y="-6" '
                     f'text-anchor="middle">{title}</text>')
        for area in regions.areas:
            if area.id not in shapes:
                continue
            for side, mirror in ((viewer_left, False), (viewer_right, True)):
                region = f"{side}_{area.id}"
                css = "region is-selected" if region in chosen else "region"
                parts.append(
                    f'<polygon class="{css}" data-region="{region}" '
                    f'points="{_points(shapes[area.id], mirror)}">'
                    f"<title>{escape(region_title(regions, region))}</title></polygon>"
                )
        y = HEIGHT + 20
        parts.append(f'<text class="body-view__side" x="{LEFT + 2}" y="{y}">'
                     f"Your {viewer_left}</text>")
        parts.append(f'<text class="body-view__side" x="{WIDTH - LEFT - 2}" y="{y}" '
                     f'text-anchor="end">Your {viewer_right}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    # Safe: fixed geometry and words from this module; region labels are escaped.
    return Markup("".join(parts))  # noqa: S704
