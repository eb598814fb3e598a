"""The PDF's body diagram: every region outlined, the marked ones filled,
in a handful of SVG nodes (WeasyPrint draws an SVG node by node)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from intake.questionnaire import load_definition
from intake.questionnaire.body_diagram import MARKED, UNMARKED, VIEWS, print_diagram

SVG = "{http://www.w3.org/2000/svg}"
SHAPES = sum(2 * len(shapes) for _, shapes, _ in VIEWS.values())


def _paths(marked):
    regions = load_definition().regions
    root = ET.fromstring(print_diagram(regions, marked))  # noqa: S314 - our own fixed geometry
    return [(p.get("fill"), p.get("d").count("M")) for p in root.iter(f"{SVG}path")]


def _fill(paint: str) -> str:
    return paint.split('"')[1]


def test_marked_regions_are_filled_on_each_view_they_appear_on():
    marked = ["left_lower_back", "right_knee", "left_shoulder"]
    paths = _paths(marked)
    filled = sum(n for fill, n in paths if fill == _fill(MARKED))
    # lower back is drawn on the back view only; knee and shoulder on both
    assert filled == 1 + 2 + 2
    assert sum(n for _, n in paths) == SHAPES          # nothing dropped
    assert len(paths) == 4                              # two paths per view


def test_nothing_marked_draws_only_outlines():
    paths = _paths([])
    assert {fill for fill, _ in paths} == {_fill(UNMARKED)}
    assert sum(n for _, n in paths) == SHAPES


def test_unknown_region_ids_change_nothing():
    assert _paths(["left_elbow_of_nowhere", "<script>"]) == _paths([])
