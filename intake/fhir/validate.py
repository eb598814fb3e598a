"""Check resources against the FHIR models of ``fhir.resources`` (the ``fhir`` extra).

fhir.resources 8 ships R5 (its default), R4B and STU3, and no plain R4; R4B
(4.3.0) is R4 (4.0.1) plus changes to modules this project does not use, so
a resource made here reads the same in both. These are the quick checks, in
the app's own process; the tests also run the R4 models of fhir.resources
6.4.0 in a venv of their own (tests/fhir_r4/validate.py, docs/FHIR.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

FHIR_PACKAGE = "fhir.resources.R4B"


class InvalidResource(ValueError):
    """The models refuse the resource; the message says where and why."""


class NotInstalled(RuntimeError):
    """The optional ``fhir`` extra is not installed."""


def model_for(resource_type: str):
    try:
        package = importlib.import_module(FHIR_PACKAGE)
    except ImportError:
        raise NotInstalled("FHIR checks need the fhir extra: pip install 'intake[fhir]'") from None
    try:
        return package.get_fhir_model_class(resource_type)
    except ValueError:
        raise InvalidResource(f"{resource_type!r} is not a FHIR resource type") from None


def validate(resource: Mapping[str, Any]) -> Any:
    """The resource parsed by its model (a Bundle's entries by theirs too)."""
    kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
    if not isinstance(kind, str):
        raise InvalidResource("not a FHIR resource (no resourceType)")
    model = model_for(kind)
    try:
        parsed = model.model_validate(dict(resource))
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise InvalidResource(_short(exc)) from None
    for entry in resource.get("entry") or () if kind == "Bundle" else ():
        validate(entry["resource"])
    return parsed


def _short(exc: Exception, limit: int = 12) -> str:
    """pydantic's message without its documentation links, at most ``limit`` lines."""
    lines = [line for line in str(exc).splitlines() if "errors.pydantic.dev" not in line]
    return "\n".join(lines[:limit])
