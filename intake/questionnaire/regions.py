"""Body regions of the body diagram (regions.yaml) and which are next to which.

Site-scoped screening rules compare where a problem is (a lymphoedematous
arm, a breast implant) with where the practitioner plans to needle, "in or
next to". That makes adjacency a safety fact: it is declared once, made
symmetric here, and checked strictly so a misspelt area cannot quietly
shrink a no-needle zone.

Parsing raises ``ValueError`` naming the area; the loader adds the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
SIDES = ("left", "right")
VIEWS = ("front", "back")
AREA_KEYS = frozenset({"id", "label", "group", "views", "thorax", "midline", "adjacent"})


@dataclass(frozen=True)
class Area:
    id: str
    label: str
    views: tuple[str, ...]
    thorax: bool
    midline: bool
    #: same-side neighbours, symmetric (filled in from both declarations)
    adjacent: frozenset[str]
    #: the body part the compact list shows it under ("Back", "Leg")
    group: str = ""


class Regions:
    """The region ids (``left_<area>``, ``right_<area>``) and their neighbours."""

    def __init__(self, areas: tuple[Area, ...],
                 side_labels: Mapping[str, str] | None = None, language: str = "en") -> None:
        self.areas = areas
        #: the language of the labels (the body diagram words its captions in it)
        self.language = language
        #: region id -> its whole label, for a language that words the side
        #: itself ("Genou gauche"); English builds it from the area's label
        self._side_labels = dict(side_labels or {})
        self._by_id = {a.id: a for a in areas}
        self._ids = tuple(f"{side}_{a.id}" for a in areas for side in SIDES)
        self._neighbours: dict[str, frozenset[str]] = {}
        for area in areas:
            for side in SIDES:
                near = {f"{side}_{other}" for other in area.adjacent}
                if area.midline:
                    near.add(f"{'right' if side == 'left' else 'left'}_{area.id}")
                self._neighbours[f"{side}_{area.id}"] = frozenset(near)

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids

    @property
    def groups(self) -> tuple[tuple[str, tuple[Area, ...]], ...]:
        """Areas by body part, in file order, for the compact list."""
        grouped: dict[str, list[Area]] = {}
        for area in self.areas:
            grouped.setdefault(area.group or area.label, []).append(area)
        return tuple((label, tuple(areas)) for label, areas in grouped.items())

    def area(self, area_id: str) -> Area:
        return self._by_id[area_id]

    def split(self, region_id: str) -> tuple[str, Area]:
        """``"left_knee"`` -> ``("left", <Area knee>)``; KeyError if unknown."""
        side, _, area_id = region_id.partition("_")
        if side not in SIDES or area_id not in self._by_id:
            raise KeyError(region_id)
        return side, self.area(area_id)

    def label(self, region_id: str) -> str:
        """The label shown to patients, e.g. "Left knee" (the patient's own left)."""
        side, area = self.split(region_id)
        if region_id in self._side_labels:
            return self._side_labels[region_id]
        return f"{side.capitalize()} {area.label[:1].lower()}{area.label[1:]}"

    def adjacent(self, region_id: str) -> frozenset[str]:
        """Regions next to this one (not including itself)."""
        self.split(region_id)
        return self._neighbours[region_id]

    def is_thorax(self, region_id: str) -> bool:
        return self.split(region_id)[1].thorax

    def is_midline(self, region_id: str) -> bool:
        return self.split(region_id)[1].midline

    def __contains__(self, region_id: object) -> bool:
        return region_id in self._neighbours


def parse_regions(data: Any) -> Regions:
    """Check regions.yaml data strictly and build Regions (adjacency made symmetric)."""
    if not isinstance(data, Mapping) or set(data) != {"areas"}:
        raise ValueError("the file must have exactly one top-level key, areas")
    raw_areas = data["areas"]
    if not isinstance(raw_areas, list) or not raw_areas:
        raise ValueError("areas must be a non-empty list")
    seen: dict[str, Mapping[str, Any]] = {}
    for i, raw in enumerate(raw_areas):
        if not isinstance(raw, Mapping):
            raise ValueError(f"areas[{i}] must be a mapping")
        area_id = raw.get("id")
        where = f"area {area_id!r}" if isinstance(area_id, str) else f"areas[{i}]"
        if not isinstance(area_id, str) or not SNAKE.match(area_id):
            raise ValueError(f"{where}: id must be snake_case")
        if area_id in seen:
            raise ValueError(f"{where}: duplicate area id")
        unknown = set(raw) - AREA_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(map(str, unknown))}")
        if not isinstance(raw.get("label"), str) or not raw["label"].strip():
            raise ValueError(f"{where}: label must be non-empty text")
        views = raw.get("views")
        if (
            not isinstance(views, list)
            or not views
            or any(v not in VIEWS for v in views)
            or len(set(views)) != len(views)
        ):
            raise ValueError(f"{where}: views must be a list of front and/or back")
        for flag in ("thorax", "midline"):
            if not isinstance(raw.get(flag, False), bool):
                raise ValueError(f"{where}: {flag} must be true or false")
        if not isinstance(raw.get("group", ""), str):
            raise ValueError(f"{where}: group must be text")
        adjacent = raw.get("adjacent", [])
        if not isinstance(adjacent, list) or not all(isinstance(a, str) for a in adjacent):
            raise ValueError(f"{where}: adjacent must be a list of area ids")
        seen[area_id] = raw
    neighbours: dict[str, set[str]] = {area_id: set() for area_id in seen}
    for area_id, raw in seen.items():
        for other in raw.get("adjacent", []):
            if other not in seen:
                raise ValueError(f"area {area_id!r}: adjacent names unknown area {other!r}")
            if other == area_id:
                raise ValueError(f"area {area_id!r}: an area cannot be adjacent to itself")
            neighbours[area_id].add(other)
            neighbours[other].add(area_id)
    return Regions(
        tuple(
            Area(
                id=area_id,
                label=raw["label"].strip(),
                views=tuple(raw["views"]),
                thorax=raw.get("thorax", False),
                midline=raw.get("midline", False),
                adjacent=frozenset(neighbours[area_id]),
                group=raw.get("group", "").strip(),
            )
            for area_id, raw in seen.items()
        )
    )
