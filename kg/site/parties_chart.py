"""Parties over time: the dated counts of parties to each instrument, drawn on the server as SVG.

:func:`parties_chart` turns the rows of ``kg/site/queries/parties-over-time.rq``
into plain coordinates that ``site_macros.html`` draws as inline SVG (so it
reads without JavaScript and prints), plus the same facts as a table, its
text alternative. One line per instrument, one point per count:

* each count keeps the date it holds for at the precision its source gives
  ("March 2005", never a day the source does not give) and its sources;
* counts of one instrument whose dates overlap (4 March 2005 and March 2005)
  and that agree are one point with both dates and both sources; where they
  differ, both are drawn and the table says the sources disagree;
* a count with no "as at" date cannot stand on a time axis: it is listed
  under the chart as undated, with its source, never placed at a guessed date.

Nothing here knows an instrument by name; the shapes that tell the lines
apart (circle, square, diamond) do not rely on colour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..numbers import show_number
from .framework_map import MONTH_PRECISION, YEAR_PRECISION, show_date

__all__ = ["PartiesChart", "parties_chart"]

WIDTH = 760
LEFT, RIGHT, TOP, BOTTOM = 48, 560, 20, 250
HEIGHT = BOTTOM + 34
LEGEND_X = RIGHT + 22
SHAPES = ("circle", "square", "diamond", "triangle")
LEGEND_CHARS = 28


def _period(iso: str, precision: str | None) -> tuple[date, date]:
    """The days a date at its precision covers: a year, a month, or the day itself."""
    d = date.fromisoformat(iso[:10])
    if precision == YEAR_PRECISION:
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if precision == MONTH_PRECISION:
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return date(d.year, d.month, 1), date.fromordinal(nxt.toordinal() - 1)
    return d, d


@dataclass
class Count:
    """One count as the sources state it: value, dates (at their precision) and sources."""

    value: Decimal
    text: str
    qualifier: str
    dates: list[str] = field(default_factory=list)  # ISO, for ordering
    as_of: list[str] = field(default_factory=list)  # in words, at the source's precision
    sources: list[str] = field(default_factory=list)
    period: tuple[date, date] | None = None
    disputed: bool = False
    x: float = 0.0
    y: float = 0.0

    @property
    def words(self) -> str:
        when = " and ".join(self.as_of) if self.as_of else "undated"
        return f"{self.qualifier + ' ' if self.qualifier else ''}{self.text} parties, as of {when}"


@dataclass
class Series:
    instrument: str
    label: str
    shape: str
    counts: list[Count]
    undated: list[Count]

    @property
    def legend_lines(self) -> list[str]:
        """The label broken into lines that fit beside the plot."""
        lines: list[str] = []
        for word in self.label.split():
            if lines and len(lines[-1]) + 1 + len(word) <= LEGEND_CHARS:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines

    @property
    def path(self) -> str:
        """The line through the series' points, oldest first."""
        pts = sorted(self.counts, key=lambda c: (c.x, c.y))
        return " ".join(f"{'M' if i == 0 else 'L'}{c.x},{c.y}" for i, c in enumerate(pts))


@dataclass
class PartiesChart:
    width: int
    height: int
    series: list[Series]
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, int]]
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM
    legend_x: int = LEGEND_X

    @property
    def dated(self) -> int:
        return sum(len(s.counts) for s in self.series)

    @property
    def disputed(self) -> bool:
        return any(c.disputed for s in self.series for c in s.counts)


def _merge(rows: list[Mapping[str, str]]) -> tuple[list[Count], list[Count]]:
    """One instrument's rows as counts: overlapping dates with the same value become one."""
    dated: list[Count] = []
    undated: dict[tuple[Decimal, str], Count] = {}
    for r in sorted(rows, key=lambda r: (r.get("asOf", ""), r["source"])):
        value, qualifier = Decimal(r["value"]), r.get("qualifier", "")
        if "asOf" not in r:
            c = undated.setdefault(
                (value, qualifier), Count(value, show_number(r["value"]), qualifier)
            )
            c.sources = sorted({*c.sources, r["source"]})
            continue
        period = _period(r["asOf"], r.get("precision"))
        when = show_date(r["asOf"], r.get("precision"))
        for c in dated:
            assert c.period is not None
            overlaps = c.period[0] <= period[1] and period[0] <= c.period[1]
            if overlaps and c.value == value and c.qualifier == qualifier:
                if when not in c.as_of:
                    c.as_of.append(when)
                c.dates.append(r["asOf"][:10])
                c.sources = sorted({*c.sources, r["source"]})
                # the narrower period is what the sources together say
                if period[1] - period[0] < c.period[1] - c.period[0]:
                    c.period = period
                break
        else:
            dated.append(
                Count(
                    value,
                    show_number(r["value"]),
                    qualifier,
                    dates=[r["asOf"][:10]],
                    as_of=[when],
                    sources=[r["source"]],
                    period=period,
                )
            )
    for a in dated:  # different values for overlapping dates: the sources disagree
        for b in dated:
            assert a.period is not None and b.period is not None
            if a is not b and a.value != b.value:
                if a.period[0] <= b.period[1] and b.period[0] <= a.period[1]:
                    a.disputed = b.disputed = True
    return dated, sorted(undated.values(), key=lambda c: c.value)


def _year(d: date) -> float:
    return d.year + (d.timetuple().tm_yday - 1) / 366


def parties_chart(rows: Iterable[Mapping[str, str]]) -> PartiesChart | None:
    """The chart for the rows of ``parties-over-time.rq``, or None when no count is dated."""
    by_instrument: dict[str, list[Mapping[str, str]]] = defaultdict(list)
    labels: dict[str, str] = {}
    for r in rows:
        by_instrument[r["instrument"]].append(r)
        labels[r["instrument"]] = r["instrumentLabel"]
    merged = {i: _merge(rs) for i, rs in by_instrument.items()}
    points = [c for dated, _u in merged.values() for c in dated]
    if not points:
        return None
    # the axis: whole years around the counts, and from zero to a round number above them
    first = min(c.period[0] for c in points if c.period).year
    last = max(c.period[1] for c in points if c.period).year + 1
    top = max(c.value for c in points)
    step = 50 if top > 100 else 10
    y_max = int((top // step + 1) * step)

    def x_of(c: Count) -> float:
        assert c.period is not None
        middle = c.period[0] + (c.period[1] - c.period[0]) / 2
        return round(LEFT + (_year(middle) - first) / (last - first) * (RIGHT - LEFT), 1)

    def y_of(v: float) -> float:
        return round(BOTTOM - v / y_max * (BOTTOM - TOP), 1)

    order = sorted(
        merged,
        key=lambda i: (
            not merged[i][0],
            min((c.dates[0] for c in merged[i][0]), default=""),
            labels[i],
        ),
    )
    series = []
    for k, i in enumerate(order):
        dated, undated = merged[i]
        for c in dated:
            c.x, c.y = x_of(c), y_of(float(c.value))
        series.append(
            Series(
                instrument=i,
                label=labels[i],
                shape=SHAPES[k % len(SHAPES)],
                counts=sorted(dated, key=lambda c: (c.dates[0], c.value)),
                undated=undated,
            )
        )
    year_step = 5 if last - first > 12 else 1
    x_ticks = [
        (round(LEFT + (y - first) / (last - first) * (RIGHT - LEFT), 1), y)
        for y in range(first, last + 1)
        if y % year_step == 0
    ]
    y_ticks = [(y_of(v), v) for v in range(0, y_max + 1, step * (2 if y_max / step > 6 else 1))]
    return PartiesChart(WIDTH, HEIGHT, series, x_ticks, y_ticks)
