"""What the FHIR Bundle adds to each summary render, and the questionnaire's cost.

    .venv/bin/python benchmarks/fhir_bundle.py [--rounds 30]

Prints the medians (CPU time of this process, so load on a shared machine
counts less than in wall time) of: building the typical synthetic intake's
Bundle as the PDF attaches it (`intake.documents.attachments.fhir_json`),
the project's JSON attachment beside it, and the whole Questionnaire
(`intake fhir questionnaire`), plus the attachment sizes. Synthetic data only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(work, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    from intake.documents.attachments import fhir_json, payload_json
    from intake.documents.samples import sample_summary
    from intake.fhir import questionnaire
    from intake.questionnaire import load_definition
    from intake.screening import evaluate, load_rules

    rules = load_rules()
    definition = rules.definition
    today = sample_summary().generated_at.date()
    answers = definition.prune({**rules.baseline, "history.metal_allergy": "yes",
                                "symptoms.saddle_numbness": "not_sure"}, today)
    screening = evaluate(answers, None, rules=rules, today=today)
    summary = sample_summary(answers=answers, flags=[f.to_dict() for f in screening.flags])
    load_definition()
    fhir_json(summary, definition)  # warm: codes.yaml read once per process
    print(f"load {os.getloadavg()[0]:.1f}, {rounds} rounds, CPU medians")
    print(f"bundle attachment: {median_ms(lambda: fhir_json(summary, definition), rounds):.2f} ms,"
          f" {len(fhir_json(summary, definition)) / 1024:.0f} KiB")
    print(f"json attachment:   {median_ms(lambda: payload_json(summary), rounds):.2f} ms,"
          f" {len(payload_json(summary)) / 1024:.0f} KiB")
    print(f"questionnaire:     {median_ms(lambda: questionnaire(definition), rounds):.2f} ms")


if __name__ == "__main__":
    main()
