"""Benchmarks are run as scripts, and some tests put benchmarks/ first on
sys.path to import their set-up. A script named like an installed package
(benchmarks/fhir.py did it to fhir.resources) then hides that package from
every later test in the same process."""

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_no_benchmark_script_shadows_an_importable_module():
    here = {str(BENCHMARKS), str(BENCHMARKS.parent)}
    path = [p for p in sys.path if str(Path(p or ".").resolve()) not in here]
    shadowed = sorted(
        script.stem for script in BENCHMARKS.glob("*.py")
        if script.stem in sys.stdlib_module_names
        or importlib.machinery.PathFinder.find_spec(script.stem, path) is not None)
    assert shadowed == []
