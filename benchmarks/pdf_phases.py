"""Where a PDF summary's render goes: WeasyPrint's layout against its drawing.

    .venv/bin/python benchmarks/pdf_phases.py [--rounds 9] [--profile "many flags"]

For each scenario of `benchmarks/pdf.py` (the same synthetic summaries), times
the project's HTML through WeasyPrint in its two phases, with the project's
stylesheet, fonts and fetcher: `HTML.render()` (parse, style, boxes, layout)
and `Document.write_pdf()` (draw, fonts, compress), and prints CPU medians:

    phases <scenario>: layout L ms, draw and write D ms, total T ms; N pages

`--profile SCENARIO` then prints cProfile's top WeasyPrint functions for that
scenario. CPU time on a shared machine still moves with load; for a figure
that does not, count instructions: run a render under
`valgrind --tool=callgrind` (same synthetic data), once with one render and
once with three, and take half the difference.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf import ROOT, scenarios  # noqa: E402 - the benchmark beside this one

sys.path.insert(0, str(ROOT))


def phases(data, definition) -> tuple[float, float, int]:
    """CPU seconds of layout and of drawing and writing, and the page count."""
    from weasyprint import HTML

    from intake.documents import render

    source = render.summary_source(data, definition)
    fonts, css, profiles = render._styles()
    fetcher = render.AllowListFetcher(source.assets)
    gc.disable()
    try:
        start = time.process_time()
        document = HTML(string=source.html, url_fetcher=fetcher).render(
            font_config=fonts, stylesheets=[css], color_profiles=profiles,
            pdf_variant=render.PDF_VARIANTS[0], output_intent=render.OUTPUT_INTENT)
        laid_out = time.process_time()
        document.write_pdf(pdf_variant=render.PDF_VARIANTS[0],
                           output_intent=render.OUTPUT_INTENT)
        written = time.process_time()
        pages = len(document.pages)
        del document
    finally:
        gc.collect(0)
        gc.enable()
    return laid_out - start, written - laid_out, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--profile", metavar="SCENARIO", help='e.g. "many flags"')
    args = parser.parse_args()

    from intake.documents.render import warm_up
    from intake.questionnaire import load_definition

    definition = load_definition()
    warm_up()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"phases: {args.rounds} rounds per scenario, CPU medians; load average {load}")
    found = dict(scenarios(definition))
    for name, data in found.items():
        phases(data, definition)                       # warm: fonts, glyph caches
        runs = [phases(data, definition) for _ in range(args.rounds)]
        layout = statistics.median(run[0] for run in runs) * 1000
        draw = statistics.median(run[1] for run in runs) * 1000
        total = statistics.median(run[0] + run[1] for run in runs) * 1000
        print(f"phases {name}: layout {layout:.0f} ms, draw and write {draw:.0f} ms, "
              f"total {total:.0f} ms; {runs[0][2]} pages")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [phases(found[args.profile], definition) for _ in range(3)])
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats("weasyprint", 30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
