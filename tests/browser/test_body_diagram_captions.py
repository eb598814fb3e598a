"""The body diagram's side captions, laid out by Chromium with the pages'
stylesheet and fonts: under each figure the two ("Votre droite", "Votre
gauche") do not overlap, on a phone and on a desktop, in both languages."""

from __future__ import annotations

import pytest
from browser_support import DESKTOP, PHONE

from intake.paths import STATIC
from intake.questionnaire import load_definition
from intake.questionnaire.body_diagram import body_diagram, staff_diagram

pytestmark = pytest.mark.browser

BOXES = """() => [...document.querySelectorAll('.body-view')].map(view =>
    [...view.querySelectorAll('.body-view__side')].map(text => {
        const r = text.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
    }))"""


def _page(svg: str, language: str) -> str:
    css = (STATIC / "css" / "app.css").read_text(encoding="utf-8")
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width"><style>{css}</style>'
            f'</head><body><main><div class="body-diagram">{svg}</div></main></body></html>')


def _apart(a, b) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_side_captions_under_each_figure_do_not_overlap(browser, viewport, language):
    regions = load_definition().translated(language).regions
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        for svg in (body_diagram(regions), staff_diagram(regions, ())):
            page.set_content(_page(str(svg), language))
            views = page.evaluate(BOXES)
            assert len(views) == 2 and all(len(sides) == 2 for sides in views)
            for left, right in views:
                assert left[2] > left[0] and right[2] > right[0]  # drawn
                assert _apart(left, right), (language, viewport, left, right)
                assert left[0] >= 0 and right[2] <= viewport["width"]  # on the screen
    finally:
        context.close()
