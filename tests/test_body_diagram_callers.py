"""The patient page, the staff page and the PDF draw the body diagram from one
source: the same region ids on the same views with the same outlines."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from documents_helpers import docs_definition

from intake.documents.assets import DIAGRAM
from intake.documents.render import summary_source
from intake.documents.samples import sample_answers, sample_summary
from intake.questionnaire import load_definition
from intake.questionnaire.body_diagram import MARKED, body_diagram, print_diagram
from intake.staff.presenter import diagram as staff_page_diagram

SVG = "{http://www.w3.org/2000/svg}"
definition = load_definition()
regions = definition.regions


def _numbers(text: str) -> tuple[float, ...]:
    return tuple(float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text))


def polygons(svg: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """(view, region id) -> outline, from a page's SVG."""
    root = ET.fromstring(svg)  # noqa: S314 - our own fixed geometry
    found = {}
    for group in root.iter(f"{SVG}g"):
        view = group.get("class").split("--")[1]
        for shape in group.iter(f"{SVG}polygon"):
            found[(view, shape.get("data-region"))] = _numbers(shape.get("points"))
    return found


def marked_outlines(svg: bytes) -> dict[str, list[tuple[float, ...]]]:
    """view -> the outlines the PDF fills as marked."""
    root = ET.fromstring(svg)  # noqa: S314
    fill = MARKED.split('"')[1]
    found = {}
    for view, group in zip(("front", "back"), root.iter(f"{SVG}g"), strict=True):
        found[view] = [_numbers(sub) for path in group.iter(f"{SVG}path")
                       if path.get("fill") == fill for sub in path.get("d").split("M")[1:]]
    return found


def test_patient_and_staff_pages_draw_the_same_regions_and_outlines():
    patient = polygons(str(body_diagram(regions, [])))
    staff = polygons(str(staff_page_diagram(definition, ["left_knee"])))
    assert patient == staff
    assert {region for _, region in patient} == set(regions.ids)
    for area in regions.areas:
        assert {view for view, region in patient if region == f"left_{area.id}"} == set(
            area.views), area.id


def test_the_pdf_draws_each_region_where_the_pages_do():
    patient = polygons(str(body_diagram(regions, [])))
    for region in regions.ids:
        marked = marked_outlines(print_diagram(regions, [region]))
        for view in ("front", "back"):
            expected = [patient[(view, region)]] if (view, region) in patient else []
            assert marked[view] == expected, (region, view)


def test_each_caller_marks_what_the_patient_marked():
    answers = sample_answers()
    chosen = answers["pain.regions"]
    assert chosen
    source = summary_source(sample_summary(answers=answers), docs_definition())
    assert source.assets[DIAGRAM][1] == print_diagram(regions, chosen)
    staff = str(staff_page_diagram(definition, chosen))
    patient = str(body_diagram(regions, chosen))
    for svg in (staff, patient):
        lit = set(re.findall(r'class="region is-selected" data-region="([a-z_]+)"', svg))
        assert lit == set(chosen)


def test_the_pdf_fills_exactly_the_regions_the_patient_chose():
    chosen = sample_answers()["pain.regions"]
    patient = polygons(str(body_diagram(regions, [])))
    marked = marked_outlines(print_diagram(regions, chosen))
    for view in ("front", "back"):
        expected = sorted(outline for (where, region), outline in patient.items()
                          if where == view and region in chosen)
        assert sorted(marked[view]) == expected, view
    assert marked["front"] and marked["back"]  # the calf is drawn on both views
