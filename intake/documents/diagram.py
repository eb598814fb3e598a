"""The body diagram of the summary: a schematic front and back figure as SVG.

Vector, so it prints sharply and costs little to render; built from fixed
geometry (no patient text), so the markup is safe to insert unescaped. Each
area of regions.yaml has one rectangle per side and view; the patient's
right is on the viewer's left in the front view and on the right in the
back view, as on the patient's own diagram. An area without geometry here is
still listed in words under the figure, so nothing marked is lost.
"""

from __future__ import annotations

from markupsafe import Markup

WIDTH = 200
#: area -> (x, y, w, h) of the half drawn on the viewer's left, per view.
SHARED = {
    "head": (82, 8, 18, 46), "neck": (90, 56, 10, 16), "shoulder": (54, 74, 22, 18),
    "upper_arm": (40, 94, 22, 58), "forearm_hand": (32, 154, 24, 86),
    "knee": (66, 274, 28, 24), "calf_lower_leg": (68, 300, 24, 70),
    "ankle_foot": (64, 372, 30, 24),
}
FRONT = {
    **SHARED, "armpit": (64, 94, 10, 18), "chest": (78, 74, 22, 52),
    "abdomen": (70, 128, 30, 40), "hip": (56, 170, 20, 30),
    "groin_saddle": (80, 170, 20, 28), "front_of_thigh": (64, 202, 32, 70),
}
BACK = {
    **SHARED, "upper_back": (78, 74, 22, 46), "thoracolumbar": (70, 122, 30, 18),
    "lower_back": (70, 142, 30, 22), "hip": (54, 166, 12, 34),
    "buttock": (68, 166, 18, 36), "sacrum_pelvis": (88, 166, 12, 20),
    "groin_saddle": (88, 188, 12, 14), "back_of_thigh": (64, 206, 32, 66),
}
# Presentation attributes, not classes: the SVG is drawn on its own.
MARKED = 'fill="#c0392b" stroke="#7b241c" stroke-width="1.2"'
UNMARKED = 'fill="#f2f2f2" stroke="#8c8c8c" stroke-width="0.8"'
TEXT = 'font-family="IntakeSans" font-size="13" fill="#333333"'
VIEWS = (("Front", FRONT, "right"), ("Back", BACK, "left"))


def body_svg(marked: list[str] | tuple[str, ...]) -> Markup:
    """Two figures side by side; marked regions filled, the rest outlined."""
    chosen = set(marked)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="body-diagram" '
        'viewBox="0 0 440 430" width="58mm" height="56.7mm" role="img" '
        'aria-label="Body diagram with the marked regions filled">'
    ]
    for index, (title, geometry, viewer_left) in enumerate(VIEWS):
        viewer_right = "left" if viewer_left == "right" else "right"
        ox = 20 + index * (WIDTH + 20)
        parts.append(f'<g transform="translate({ox} 20)">')
        parts.append(f'<text x="100" y="-6" text-anchor="middle" {TEXT}>{title}</text>')
        parts.append(f'<text x="4" y="20" {TEXT}>{viewer_left[0].upper()}</text>')
        parts.append(f'<text x="196" y="20" text-anchor="end" {TEXT}>'
                     f'{viewer_right[0].upper()}</text>')
        for area, (x, y, w, h) in geometry.items():
            for side, sx in ((viewer_left, x), (viewer_right, WIDTH - x - w)):
                region = f"{side}_{area}"
                paint = MARKED if region in chosen else UNMARKED
                parts.append(f'<rect x="{sx}" y="{y}" width="{w}" height="{h}" rx="5" '
                             f'{paint}/>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - fixed geometry, no outside text


def drawn_areas() -> frozenset[str]:
    return frozenset(FRONT) | frozenset(BACK)
