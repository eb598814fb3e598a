"""What the two languages cost a PDF: the archived summary of an English and
of a French patient (the French one carries each answer twice), and the
patient's own copy (rendered on request by /i/<token>/copy.pdf).

    .venv/bin/python benchmarks/pdf_languages.py [--rounds 9]

Interleaved one of each per round, so that load on a shared machine hits all
alike; prints the medians of wall and CPU time per render, the pages, and
`uptime`'s load. Synthetic data only (the demo answers of a back-pain patient).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    rounds = parser.parse_args().rounds

    from intake.documents.consent import text_version
    from intake.documents.render import render_copy, render_pdf, warm_up
    from intake.documents.samples import demo_answers, sample_summary
    from intake.questionnaire import load_definition

    definition = load_definition()
    answers = demo_answers(definition, today=date(2026, 12, 2))

    def data(**kw):
        return sample_summary(answers=answers, questionnaire_version=definition.version, **kw)

    cases = {
        "summary, English patient": (render_pdf, data()),
        "summary, French patient": (render_pdf, data(
            patient_language="fr", consent_text_version=text_version(definition, "fr"))),
        "patient copy, French": (render_copy, data(
            locale="fr_CA", patient_language="fr", kind="patient_copy", screening={},
            consent_text_version=text_version(definition, "fr"))),
    }
    warm_up()
    for render, summary in cases.values():  # first renders load fonts and templates
        render(summary, definition)
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    pages: dict[str, int] = {}
    for _ in range(rounds):
        for name, (render, summary) in cases.items():
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            pages[name] = render(summary, definition).pages
            wall[name].append((time.perf_counter() - start_wall) * 1000)
            cpu[name].append((time.process_time() - start_cpu) * 1000)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"{rounds} rounds; {load}")
    for name in cases:
        print(f"{name}: wall {statistics.median(wall[name]):.0f} ms, "
              f"cpu {statistics.median(cpu[name]):.0f} ms, {pages[name]} pages")


if __name__ == "__main__":
    main()
