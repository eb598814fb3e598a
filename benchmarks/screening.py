"""Screenings per second for the full rule set on one core.

Generates a few thousand varied, synthetic answer sets from the
questionnaire definition (seeded, so every run screens the same sets):
half are mostly-healthy intakes (the baseline with a few answers changed),
half answer every shown question at random, and a third carry a
practitioner's plan. Prints the median of several runs.

    .venv/bin/python benchmarks/screening.py [--sets 3000] [--runs 7] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import time
from datetime import date, timedelta
from typing import Any

from intake.questionnaire import load_definition
from intake.screening import NONCOMPRESSIBLE_TARGETS, evaluate, load_rules

TODAY = date(2026, 6, 1)
FREE_TEXT = [
    "", "eliquis 5mg bid", "asprin 81", "Advil as needed", "ibuprofen 400", "Xarelto 20 mg",
    "vitamin D, magnesium", "Tylenol", "fish oil", "Plavix 75 mg daily", "prednizone 5mg",
    "Humira every 2 weeks", "Lantus 20 units", "coumadin - INR 2.5 last week", "none",
]


def random_value(question: Any, regions: tuple[str, ...], rng: random.Random) -> Any:
    kind = question.type
    if kind in ("choice",):
        return rng.choice(question.options).value
    if kind == "multi":
        values = [o.value for o in question.options]
        exclusive = [v for v in values if v in question.exclusive]
        if exclusive and rng.random() < 0.5:
            return [rng.choice(exclusive)]
        others = [v for v in values if v not in question.exclusive]
        return rng.sample(others, rng.randint(1, min(3, len(others))))
    if kind == "regions":
        return rng.sample(regions, rng.randint(1, 4))
    if kind in ("integer", "scale"):
        low = int(question.min if question.min is not None else 0)
        high = int(question.max if question.max is not None else 10)
        return rng.randint(low, high)
    if kind == "decimal":
        return round(rng.uniform(question.min or 0, question.max or 100), 1)
    if kind == "date":
        return (TODAY - timedelta(days=rng.randint(365 * 5, 365 * 90))).isoformat()
    if kind == "boolean":
        return True
    if kind == "textarea" and "medications" in question.id:
        return rng.choice(FREE_TEXT)
    if kind == "signature":
        return None
    return "Synthetic text"


def answer_sets(count: int, seed: int = 20261121) -> list[tuple[dict[str, Any], Any]]:
    definition = load_definition()
    baseline = load_rules().baseline
    regions = definition.regions.ids
    rng = random.Random(seed)
    sets = []
    for i in range(count):
        healthy = i % 2 == 0
        answers: dict[str, Any] = {}
        for question in definition.questions.values():
            if not definition.is_visible(question, answers, TODAY):
                continue
            if healthy and question.id in baseline and rng.random() < 0.9:
                answers[question.id] = baseline[question.id]
            else:
                value = random_value(question, regions, rng)
                if value not in (None, ""):
                    answers[question.id] = value
        plan = None
        if i % 3 == 0:
            plan = {
                "regions": rng.sample(regions, rng.randint(1, 3)),
                "electrical_stimulation": rng.random() < 0.3,
                "noncompressible_targets": rng.sample(NONCOMPRESSIBLE_TARGETS, rng.randint(0, 1)),
            }
        sets.append((answers, plan))
    return sets


def run(sets: list[tuple[dict[str, Any], Any]], rules: Any) -> float:
    # CPU time of this process: on a shared machine, wall time also counts
    # the time other processes hold the core.
    start = time.process_time()
    for answers, plan in sets:
        evaluate(answers, plan, rules=rules, today=TODAY)
    return len(sets) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the top of a profile")
    args = parser.parse_args()
    rules = load_rules()
    sets = answer_sets(args.sets)
    flags = [len(evaluate(a, p, rules=rules, today=TODAY).flags) for a, p in sets]
    print(f"{len(rules.rules)} rules, {len(sets)} answer sets, "
          f"{statistics.mean(flags):.1f} flags per screening on average")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run, sets, rules)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    run(sets[:200], rules)  # warm caches (vocabulary, visibility code paths)
    rates = [run(sets, rules) for _ in range(args.runs)]
    print("runs (screenings/s):", ", ".join(f"{r:,.0f}" for r in rates))
    print(f"median: {statistics.median(rates):,.0f} screenings/s on one core "
          f"({1e6 / statistics.median(rates):.0f} µs per screening); best {max(rates):,.0f}")
    for name, part in (("mostly healthy", sets[0::2]), ("random answers", sets[1::2])):
        rate = statistics.median(run(part, rules) for _ in range(args.runs))
        print(f"  {name}: {rate:,.0f} screenings/s")


if __name__ == "__main__":
    main()
