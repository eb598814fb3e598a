"""Progress over a course of visits: the series the patient page and the PDF chart.

``progress(definition, visits)`` takes ``(visit date, answers)`` pairs, one
per visit, each with the answers *asked at that visit* (the intake's for the
first, each follow-up's own for the later ones), not the carried-forward
set, so a score appears only at the visits that asked it (PHQ-2 and STarT
Back every fourth visit). It returns one series per measure:

- NPRS (0-10, the intake's ``pain.*`` scale questions): back and leg, now
  and worst in 24 hours, the value as given;
- PHQ-2 total (0-6) and STarT Back total (0-9) and distress subscale (items
  5-9, 0-5): the sum of the options' ``score`` in the questionnaire, the
  same points the screening rules (rules/scores.yaml) add up; a visit with
  an item unanswered has no total (a partial total would read as better).

The change since the first visit, for the NPRS series, is judged against the
minimal clinically important change: a reduction of about 2 points or about
30% of the first score (Farrar JT, Young JP, LaMoreaux L, Werth JL, Poole
RM. Clinical importance of changes in chronic pain intensity measured on an
11-point numerical pain rating scale. Pain 2001;94(2):149-158,
doi:10.1016/S0304-3959(01)00349-9; 2,724 patients in 10 trials, chronic low
back pain among them). The same size of rise is reported as "worse".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from intake.questionnaire.definition import Definition

#: NPRS measures: series name -> question id (the intake's pain scores)
NPRS = {
    "back_now": "pain.back_now",
    "back_worst_24h": "pain.back_worst_24h",
    "leg_now": "pain.leg_now",
    "leg_worst_24h": "pain.leg_worst_24h",
}
PHQ2 = ("wellbeing.phq2_interest", "wellbeing.phq2_down")
STARTBACK = tuple(f"wellbeing.startback_{n}" for n in range(1, 10))
STARTBACK_DISTRESS = STARTBACK[4:]
TOTALS = {"phq2_total": PHQ2, "startback_total": STARTBACK,
          "startback_distress": STARTBACK_DISTRESS}
#: Farrar et al. 2001: about 2 points or about 30% of the first score
MIC_POINTS = 2
MIC_FRACTION = 0.3


@dataclass(frozen=True)
class Point:
    day: date
    value: int


@dataclass(frozen=True)
class Change:
    first: int
    latest: int
    points: int                 # latest - first (negative: less pain)
    fraction: float | None      # points / first; None when the first score was 0
    verdict: str                # "better", "worse" or "no important change"


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]
    change: Change | None = None    # NPRS series with two points or more


def change(first: int, latest: int) -> Change:
    """The change from ``first`` to ``latest`` against the minimal important change."""
    points = latest - first
    fraction = points / first if first else None
    important = abs(points) >= MIC_POINTS or (
        fraction is not None and abs(fraction) >= MIC_FRACTION and points != 0)
    verdict = "no important change" if not important else ("better" if points < 0 else "worse")
    return Change(first, latest, points, fraction, verdict)


def total(definition: Definition, answers: Mapping[str, Any], items: Iterable[str]) -> int | None:
    """The sum of the chosen options' scores; None when an item has no scored answer."""
    score = 0
    for qid in items:
        value = answers.get(qid)
        try:
            points = definition.question(qid).option(value).score
        except KeyError:
            return None
        if points is None:
            return None
        score += points
    return score


def progress(definition: Definition,
             visits: Iterable[tuple[date, Mapping[str, Any]]]) -> dict[str, Series]:
    """Every measure's series, in visit-date order (NPRS first, then the totals)."""
    ordered = sorted(visits, key=lambda visit: visit[0])
    out: dict[str, Series] = {}
    for name, qid in NPRS.items():
        found = tuple(Point(day, answers[qid]) for day, answers in ordered
                      if isinstance(answers.get(qid), int) and not isinstance(answers[qid], bool))
        moved = change(found[0].value, found[-1].value) if len(found) > 1 else None
        out[name] = Series(name, found, moved)
    for name, items in TOTALS.items():
        scored = ((day, total(definition, answers, items)) for day, answers in ordered)
        out[name] = Series(name, tuple(Point(day, v) for day, v in scored if v is not None))
    return out
