"""Validate FHIR JSON with the R4 (4.0.1) models of fhir.resources 6.4.0.

Run with the python of .venv-fhir-r4 (`make fhir-r4`), never the app's: those
models are built on pydantic 1, the app's tests on pydantic 2 (docs/FHIR.md).

    .venv-fhir-r4/bin/python tests/fhir_r4/validate.py FILE...   # or JSON on stdin

Each file holds one resource. A Bundle is validated whole and then each
entry's resource again by its own model, so a problem names the entry.
Beyond the models, each value must come back from the model as it was
written: pydantic 1 turns the string "5" into the integer 5 and "yes" into
true without a word, and a FHIR reader that is strict about JSON types
would refuse them. Every problem is printed as ``file: path: message``; the
exit status is 1 if there is any, 2 if these are not the R4 models.
It imports nothing from the app, so it runs in that venv alone.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from typing import Any

R4 = "4.0.1"
#: how often a resource is read again after standing in for a missing element
MAX_ROUNDS = 10
STAND_IN = "urn:x-validator:stand-in"


def where(loc: tuple) -> str:
    """pydantic's error location as a FHIRPath-like path: item[0].linkId."""
    out = ""
    for part in loc:
        if part == "__root__":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(resource)"


def differences(given: Any, back: Any, path: str) -> Iterator[str]:
    """Where the model's JSON differs from what was written (a coerced value)."""
    if isinstance(given, dict) and isinstance(back, dict):
        for key in given.keys() | back.keys():
            inner = f"{path}.{key}" if path else key
            if key not in back:
                yield f"{inner}: dropped by the model"
            elif key not in given:
                continue  # a default the model adds is not ours to write
            else:
                yield from differences(given[key], back[key], inner)
    elif isinstance(given, list) and isinstance(back, list) and len(given) == len(back):
        for n, (a, b) in enumerate(zip(given, back, strict=True)):
            yield from differences(a, b, f"{path}[{n}]")
    elif type(given) is not type(back) or given != back:
        yield (f"{path or '(resource)'}: {json.dumps(given)} is read as {json.dumps(back)} "
               "(the wrong JSON type)")


def problems(resource: Any, at: str = "") -> list[str]:
    """Every problem of one resource (and of a Bundle's entries), each with its path."""
    from fhir.resources import get_fhir_model_class

    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return [f"{at or '(resource)'}: not a FHIR resource (no resourceType)"]
    kind = resource["resourceType"]
    try:
        model = get_fhir_model_class(kind)
    except (KeyError, ValueError):
        return [f"{at or kind}: {kind!r} is not an R4 resource type"]
    entries = resource.get("entry") if kind == "Bundle" else None
    if isinstance(entries, list):  # the Bundle without its entries' resources, then each
        resource = {**resource, "entry": [
            {k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e
            for e in entries]}
    prefix = f"{at}." if at else ""
    found = [f"{prefix}{line}" for line in model_problems(model, resource)]
    for n, entry in enumerate(entries if isinstance(entries, list) else ()):
        inner = entry.get("resource") if isinstance(entry, dict) else None
        if inner is not None:
            name = inner.get("resourceType") if isinstance(inner, dict) else None
            found += problems(inner, f"{prefix}entry[{n}].resource({name})")
    return found


def model_problems(model, resource: dict) -> list[str]:
    """What the model refuses, then what it changes.

    fhir.resources checks an element's required primitives (Questionnaire.status,
    item.type) before anything else in it, and a missing one hides every other
    problem there. So each one missing is reported and then stood in for by an
    extension, as FHIR allows for a missing required primitive, and the
    resource is read again; a few rounds at most."""
    from pydantic import ValidationError

    data = copy.deepcopy(resource)
    found: dict[str, None] = {}
    for _ in range(MAX_ROUNDS):
        try:
            parsed = model.parse_obj(data)
        except ValidationError as exc:
            errors = exc.errors()
            found.update((f"{where(e['loc'])}: {e['msg']}", None) for e in errors)
            if not [e for e in errors if _stand_in(data, e)]:
                return list(found)
            continue
        if found:
            return list(found)
        return list(differences(resource, json.loads(parsed.json()), ""))
    return list(found)


def _stand_in(data: dict, error: dict) -> bool:
    """Put an extension where a required primitive is missing; False if it is not one."""
    loc = error["loc"]
    if error["type"] != "value_error.missing" or len(loc) < 2 or loc[-2] != "__root__":
        return False
    node: Any = data
    for part in loc[:-1]:
        if part == "__root__":
            continue
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    name = f"_{loc[-1]}"
    if not isinstance(node, dict) or name in node:
        return False
    node[name] = {"extension": [{"url": STAND_IN, "valueString": "missing"}]}
    return True


def check_file(name: str, text: str) -> tuple[int, list[str]]:
    """(how many resources were checked, the problems as ``name: path: message``)."""
    try:
        resource = json.loads(text)
    except ValueError as exc:
        return 0, [f"{name}: not JSON: {exc}"]
    count = 1 + (len(resource.get("entry") or ()) if isinstance(resource, dict)
                 and resource.get("resourceType") == "Bundle" else 0)
    return count, [f"{name}: {p}" for p in problems(resource)]


def main(argv: list[str]) -> int:
    import fhir.resources

    if fhir.resources.__fhir_version__ != R4:
        print(f"fhir.resources {fhir.resources.__version__} has FHIR "
              f"{fhir.resources.__fhir_version__}, not R4 {R4}: run `make fhir-r4`",
              file=sys.stderr)
        return 2
    sources = [(name, None) for name in argv] or [("<stdin>", sys.stdin.read())]
    checked, found = 0, []
    for name, text in sources:
        if text is None:
            try:
                with open(name, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError as exc:
                found.append(f"{name}: cannot read: {exc.strerror or exc}")
                continue
        count, wrong = check_file(name, text)
        checked += count
        found += wrong
    for line in found:
        print(line)
    print(f"{len(sources)} file(s), {checked} resource(s) checked with fhir.resources "
          f"{fhir.resources.__version__} (FHIR {R4}): {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
