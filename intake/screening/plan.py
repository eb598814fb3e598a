"""The treatment plan that [plan] and [site] rules are evaluated against.

The plan starts as the regions the patient marked as painful; the
practitioner can change it and screen again. Kept separate from the answers
because it is the practitioner's, not the patient's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Deep targets that cannot be compressed by hand after needling.
NONCOMPRESSIBLE_TARGETS: tuple[str, ...] = ("psoas", "iliacus", "tibialis_posterior")
#: Their names as the plan form, the staff page and the PDF show them.
TARGET_LABELS: dict[str, str] = {"psoas": "Psoas", "iliacus": "Iliacus",
                                 "tibialis_posterior": "Tibialis posterior"}

#: Where the painful regions are for a definition without roles (a test's
#: duck-typed fake); a loaded questionnaire names it by role: pain_regions.
PAIN_REGIONS_QUESTION = "pain.regions"


def pain_regions_question(definition: Any) -> str:
    """The id of the question with role pain_regions (the default plan's regions)."""
    roles = getattr(definition, "roles", None)
    return roles["pain_regions"] if roles else PAIN_REGIONS_QUESTION

PLAN_KEYS = frozenset({"regions", "electrical_stimulation", "noncompressible_targets"})


class PlanError(ValueError):
    """A plan that does not fit: unknown keys, regions or targets."""


@dataclass(frozen=True, slots=True)
class Plan:
    regions: tuple[str, ...] = ()
    electrical_stimulation: bool = False
    noncompressible_targets: tuple[str, ...] = field(default_factory=tuple)
    #: True when the regions came from the answers rather than a practitioner.
    is_default: bool = False

    @classmethod
    def default(cls, answers: Mapping[str, Any], question: str = PAIN_REGIONS_QUESTION) -> Plan:
        """The plan before the practitioner changes it: the painful regions."""
        regions = answers.get(question)
        if not isinstance(regions, list | tuple):
            regions = ()
        return cls(regions=tuple(str(r) for r in regions), is_default=True)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], known_regions: frozenset[str] | None = None
    ) -> Plan:
        """Build and check a plan from JSON-like data (the CLI, the web form)."""
        if not isinstance(data, Mapping):
            raise PlanError("plan must be an object")
        unknown = set(data) - PLAN_KEYS
        if unknown:
            raise PlanError(f"unknown plan keys: {', '.join(sorted(unknown))}")
        regions = data.get("regions", [])
        targets = data.get("noncompressible_targets", [])
        stim = data.get("electrical_stimulation", False)
        if not isinstance(regions, list | tuple) or not all(isinstance(r, str) for r in regions):
            raise PlanError("plan.regions must be a list of region ids")
        if not isinstance(targets, list | tuple) or not all(isinstance(t, str) for t in targets):
            raise PlanError("plan.noncompressible_targets must be a list")
        if not isinstance(stim, bool):
            raise PlanError("plan.electrical_stimulation must be true or false")
        if known_regions is not None:
            bad = [r for r in regions if r not in known_regions]
            if bad:
                raise PlanError(f"unknown plan regions: {', '.join(bad)}")
        bad = [t for t in targets if t not in NONCOMPRESSIBLE_TARGETS]
        if bad:
            raise PlanError(
                f"unknown non-compressible targets: {', '.join(bad)} "
                f"(known: {', '.join(NONCOMPRESSIBLE_TARGETS)})"
            )
        return cls(
            regions=tuple(dict.fromkeys(regions)),
            electrical_stimulation=stim,
            noncompressible_targets=tuple(dict.fromkeys(targets)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "regions": list(self.regions),
            "electrical_stimulation": self.electrical_stimulation,
            "noncompressible_targets": list(self.noncompressible_targets),
        }
