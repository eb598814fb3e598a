"""Progress charts drawn on the server: plain SVG text, the same for the
patient page and the PDF, with a text alternative and the data as a table.

``charts(definition, visits, day_label)`` turns the visits' own answers
(``(visit date, answers)``, as ``progress.progress`` takes them) into four
charts: back pain and leg pain (NPRS now and worst in 24 hours), STarT Back
and PHQ-2, each a ``Chart`` with one value per visit (None where the visit
did not ask it) and, for the NPRS lines, the change since the first visit
against the minimal important change (progress.change). ``svg(chart)``
draws it (markup, every text escaped): ``role="img"`` with a title and a description that says every
value, text labels on the axes, on each point and at each line's end, and
lines told apart by dash and marker shape as well as colour. No JavaScript.

Every word is a message (intake.i18n.messages) put in ``language`` when the
charts are made: ``charts(..., language="fr")`` for a French reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from intake.i18n.messages import N_, NP_, translate
from intake.questionnaire.definition import Definition
from intake.visits import progress

NOW, WORST = NP_("pain score", "Now"), N_("Worst in 24 hours")
TOTAL = NP_("questionnaire score", "Total")
#: (chart id, title, scale maximum, [(series name, line label)])
CHARTS = (
    ("back", N_("Back pain (NPRS, 0 to 10)"), 10,
     (("back_now", NOW), ("back_worst_24h", WORST))),
    ("leg", N_("Leg pain (NPRS, 0 to 10)"), 10,
     (("leg_now", NOW), ("leg_worst_24h", WORST))),
    ("startback", N_("STarT Back (total 0 to 9; distress 0 to 5)"), 9,
     (("startback_total", TOTAL), ("startback_distress", N_("Distress")))),
    ("phq2", N_("PHQ-2 (0 to 6)"), 6, (("phq2_total", TOTAL),)),
)
VERDICTS = {"better": N_("better"), "worse": N_("worse"),
            "no important change": N_("no important change")}
NOT_ASKED = N_("Not asked")
WIDTH, HEIGHT = 600, 284
#: BOTTOM holds a value label under a point at 0 (VALUE_BELOW), then the visit
#: days (DAY_BASELINE), tilted when there are many of them.
LEFT, RIGHT, TOP, BOTTOM = 40, 140, 18, 72
VALUE_ABOVE, VALUE_BELOW, DAY_BASELINE = -8, 18, 32
STYLES = (("#0b5cad", "", "circle"), ("#a4161a", "6 4", "square"))


@dataclass(frozen=True)
class Line:
    label: str
    values: tuple[int | None, ...]          # one per visit
    change: progress.Change | None = None   # NPRS lines: first to latest
    language: str = "en"                    # of the words (the label is in it already)

    @property
    def change_text(self) -> str | None:
        c = self.change
        if c is None:
            return None
        points = format(c.points, "+d")
        percent = ""
        if c.fraction is not None:
            percent = N_(", %(percent)s%%", percent=format(round(c.fraction * 100), "+d"))
        return translate(N_("%(line)s: %(first)s to %(latest)s (%(points)s points%(percent)s), "
                            "%(verdict)s", line=self.label, first=c.first, latest=c.latest,
                            points=points, percent=percent, verdict=VERDICTS[c.verdict]),
                         self.language)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    scale_max: int
    visits: tuple[str, ...]                 # visit date labels, oldest first
    lines: tuple[Line, ...]
    language: str = "en"                    # of the words (the title is in it already)

    @property
    def has_data(self) -> bool:
        return any(v is not None for line in self.lines for v in line.values)

    @property
    def description(self) -> str:
        parts = []
        for line in self.lines:
            given = [N_("%(value)s on %(day)s", value=v, day=day)
                     for v, day in zip(line.values, self.visits, strict=True) if v is not None]
            values = ", ".join(self._say(g) for g in given) if given else N_("not asked")
            parts.append(self._say(N_("%(line)s: %(values)s.", line=line.label, values=values)))
            if line.change_text:
                parts.append(self._say(N_("Change since the first visit: %(change)s.",
                                          change=line.change_text)))
        return " ".join(parts)

    def _say(self, message: Any) -> Any:
        return translate(message, self.language)

    def rows(self) -> list[tuple[str, list[str]]]:
        """The data table: one row per visit, one cell per line ("Not asked")."""
        not_asked = self._say(NOT_ASKED)
        return [(day, [not_asked if line.values[i] is None else str(line.values[i])
                       for line in self.lines]) for i, day in enumerate(self.visits)]


def charts(definition: Definition, visits: Iterable[tuple[date, Mapping[str, Any]]],
           day_label: Callable[[date], str], language: str = "en") -> list[Chart]:
    ordered = sorted(visits, key=lambda visit: visit[0])
    whole = progress.progress(definition, ordered)
    each = [progress.progress(definition, [visit]) for visit in ordered]
    labels = tuple(day_label(day) for day, _ in ordered)
    out = []
    for chart_id, title, top, series in CHARTS:
        lines = tuple(
            Line(translate(label, language),
                 tuple(s[name].points[0].value if s[name].points else None for s in each),
                 whole[name].change, language)
            for name, label in series)
        out.append(Chart(chart_id, translate(title, language), top, labels, lines, language))
    return out


def _x(i: int, n: int) -> float:
    return LEFT + (i + 0.5) * (WIDTH - LEFT - RIGHT) / max(n, 1)


def _y(value: float, top: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'


def _offset(chart: Chart, index: int, i: int) -> int:
    """A point's value label: above it when its line is highest there, else below."""
    value = chart.lines[index].values[i]
    others = [line.values[i] for j, line in enumerate(chart.lines)
              if j != index and line.values[i] is not None]
    highest = all(value > o or (value == o and index == 0) for o in others)
    return VALUE_ABOVE if highest else VALUE_BELOW


def _spread(ends: list[tuple[float, int, str, str]]) -> list[tuple[float, int, str, str]]:
    """The lines' end labels, top to bottom, at least 15 units apart."""
    placed: list[tuple[float, int, str, str]] = []
    for y, index, label, colour in sorted(ends):
        if placed and y < placed[-1][0] + 15:
            y = placed[-1][0] + 15
        placed.append((y, index, label, colour))
    return placed


def svg(chart: Chart, prefix: str = "chart") -> Markup:
    """The chart as an SVG element; every text in it is escaped here."""
    ident = f"{prefix}-{chart.id}"
    n = len(chart.visits)
    step = 2 if chart.scale_max >= 8 else 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" role="img" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
           f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif" '
           f'font-size="12">',
           f'<title id="{ident}-title">{escape(chart.title)}</title>',
           f'<desc id="{ident}-desc">{escape(chart.description)}</desc>']
    for tick in range(0, chart.scale_max + 1, step):
        y = _y(tick, chart.scale_max)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                   f'stroke="#d0d5da" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'fill="#333">{tick}</text>')
    rotate = n > 4
    for i, day in enumerate(chart.visits):
        x, y = _x(i, n), HEIGHT - BOTTOM + DAY_BASELINE
        turn = f' transform="rotate(-25 {x:.1f} {y:.1f})"' if rotate else ""
        anchor = "end" if rotate else "middle"
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{turn} '
                   f'fill="#333">{escape(day)}</text>')
    ends = []
    for index, line in enumerate(chart.lines):
        colour, dash, shape = STYLES[index % len(STYLES)]
        points = [(i, _x(i, n), _y(v, chart.scale_max), v) for i, v in enumerate(line.values)
                  if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for _, x, y, _ in points)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dashed}/>')
        for i, x, y, v in points:
            out.append(_marker(shape, x, y, colour))
            out.append(f'<text x="{x:.1f}" y="{y + _offset(chart, index, i):.1f}" '
                       f'text-anchor="middle" fill="{colour}" font-weight="bold">{v}</text>')
        if points:
            ends.append((points[-1][2], index, line.label, colour))
    for y, _, label, colour in _spread(ends):
        out.append(f'<text x="{WIDTH - RIGHT + 10}" y="{y + 4:.1f}" '
                   f'fill="{colour}">{escape(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704
