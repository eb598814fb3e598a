"""Start-up time of `intake rules check` and `intake screen FILE`.

A clinician editing rules/*.yaml runs these again and again, so the whole
process counts: interpreter start, imports, loading and checking the files.
Each round runs every command once, in a shuffled order, so that a machine
whose speed drifts slows every command alike; the figures are medians, and
the ratio to `python -c "import flask"` (the yardstick of issue 15: at most
2) is the median of the per-round ratios. Each is given in wall time and in
CPU time (the child's user + system time), which a busy shared machine
does not inflate by making the process wait for a core.

    .venv/bin/python benchmarks/cli.py [--runs 21] [--tree DIR ...]

--tree runs the commands from another checkout (for instance an older
commit unpacked with `git archive`) next to this one, for a before/after
comparison in one run. The on-disk cache is measured cold (disabled) and
warm (a private cache directory filled by the first run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent
#: what the console script runs (an older tree, with no intake.cli.run, runs main)
RUN_INTAKE = ("import sys, intake.cli as cli; "
              "sys.exit((cli.run if hasattr(cli, 'run') else cli.main)())")


def answers_file(directory: Path) -> Path:
    """The rules' baseline answers with one red flag (synthetic)."""
    baseline = yaml.safe_load((HERE / "rules" / "baseline.yaml").read_text(encoding="utf-8"))
    answers = dict(baseline["answers"], **{"symptoms.bladder": "new"})
    path = directory / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


def commands(trees: list[Path], answers: Path, cache: Path) -> dict[str, tuple[list, dict]]:
    python = sys.executable
    plain = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    result: dict[str, tuple[list, dict]] = {
        "python -c pass": ([python, "-c", "pass"], plain),
        "python -c 'import flask'": ([python, "-c", "import flask"], plain),
    }
    for tree in trees:
        label = "" if tree == HERE else f" [{tree.name}]"
        env = dict(plain, PYTHONPATH=str(tree))
        for mode, extra in (("cold", {"INTAKE_CACHE_DIR": ""}),
                            ("warm", {"INTAKE_CACHE_DIR": str(cache / tree.name)})):
            if tree != HERE and mode == "warm":
                continue  # an older tree has no cache: "cold" is its only figure
            tag = f"{label} ({mode})" if tree == HERE else label
            run_env = dict(env, **extra)
            result[f"intake rules check{tag}"] = (
                [python, "-c", RUN_INTAKE, "rules", "check"], run_env)
            result[f"intake screen{tag}"] = (
                [python, "-c", RUN_INTAKE, "screen", str(answers), "--date", "2026-06-01"],
                run_env)
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list, env: dict, cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run: CPU time (user + system of the child)
    leaves out the time a busy machine makes the process wait for a core."""
    cpu, t0 = _children_cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    elapsed, cpu = time.perf_counter() - t0, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed:\n{done.stderr.decode()}")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="another checkout to time alongside this one")
    args = parser.parse_args()
    trees = [HERE, *(t.resolve() for t in args.tree)]
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        table = commands(trees, answers_file(tmp_path), tmp_path / "cache")
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in table}
        names = list(table)
        for name in names:  # warm-up: the OS file cache, .pyc files, the warm cache
            run_once(*table[name], cwd=tmp_path)
        for _ in range(args.runs):
            rng.shuffle(names)
            for name in names:
                samples[name].append(run_once(*table[name], cwd=tmp_path))
    flask = samples["python -c 'import flask'"]
    width = max(map(len, table))
    print(f"median of {args.runs} interleaved runs; load average {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} ({os.cpu_count()} cores)")
    print(f"  {'':<{width}}  {'wall':>7}     {'ratio':>6}  {'CPU':>7}     {'ratio':>6}"
          "  (ratio: to import flask in the same round)")
    for name in table:
        cells = []
        for i in (0, 1):  # wall, then CPU
            ratio = statistics.median(
                s[i] / f[i] for s, f in zip(samples[name], flask, strict=True))
            cells.append(f"{statistics.median(s[i] for s in samples[name]) * 1000:7.0f} ms"
                         f"  x{ratio:5.2f}")
        print(f"  {name:<{width}}  " + "  ".join(cells))


if __name__ == "__main__":
    main()
