"""The framework map: instruments as bars over their time in force, one lane per legal
order, lineage arrows between them and their guarding or monitoring bodies beside.

:func:`build_map` turns the rows of the site's map queries
(``kg/site/queries/map-*.rq``) into a :class:`FrameworkMap`: plain
coordinates in SVG user units that ``site_start.html`` draws as inline SVG,
so the map is readable without JavaScript and prints. Nothing here knows
an instrument by name: lanes, dates, arrows and bodies all come from the
graph.

A lane is a legal order (UN, Council of Europe, EU, ILO), by the one rule
the network overview and the timeline use too,
:func:`kg.network.orders.legal_orders`: who adopted an instrument, which
body is part of which, who guards or monitors it, what it amends, replaces
or supplements. An instrument that rule reaches no order for goes to a last
lane that says so.

A date known only to the year or month (``thb:datePrecision``) is drawn as
a hatched stretch over that year or month, and written "1971" or "June
2010", never as a day the sources do not give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..network.orders import LEGAL_ORDERS

__all__ = ["FrameworkMap", "build_map", "show_date"]

#: The last lane: instruments no link in the graph ties to a legal order.
UNPLACED = "Legal order not recorded in the graph"

YEAR_PRECISION = "http://www.w3.org/2006/time#unitYear"
MONTH_PRECISION = "http://www.w3.org/2006/time#unitMonth"
MONTHS = (
    "January February March April May June July August September October November December"
).split()

#: Geometry in SVG user units (the SVG scales to the page width).
WIDTH = 1200
AXIS_LEFT = 16
AXIS_RIGHT = 830
BODY_COLUMN = 842
#: Average width of a character of the map's 11-unit font, to keep labels off the edge.
CHAR = 5.9
ROW = 22
LANE_HEAD = 26
TOP = 30
#: Relations drawn as arrows, with the style class the stylesheet gives them.
ARROW_STYLES = {
    "https://w3id.org/thb-kg/ontology#replaces": "replaces",
    "http://data.europa.eu/eli/ontology#repeals": "replaces",
    "http://data.europa.eu/eli/ontology#amends": "amends",
    "https://w3id.org/thb-kg/ontology#supplements": "supplements",
}
#: Relations that put a body beside an instrument, and how the map says them.
BODY_ROLES = {
    "https://w3id.org/thb-kg/ontology#hasGuardian": "guardian",
    "https://w3id.org/thb-kg/ontology#monitoredBy": "monitored by",
    "http://data.europa.eu/eli/ontology#responsibility_of_agent": "responsible",
}


def show_date(iso: str, precision: str | None = None) -> str:
    """An ISO date as a reader writes it, no more precise than the source.

    >>> show_date("2011-04-15"), show_date("1971-01-01", YEAR_PRECISION)
    ('15 April 2011', '1971')
    >>> show_date("2010-06-01", MONTH_PRECISION)
    'June 2010'
    """
    d = date.fromisoformat(iso[:10])
    if precision == YEAR_PRECISION:
        return str(d.year)
    if precision == MONTH_PRECISION:
        return f"{MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class Dated:
    iso: str
    precision: str | None
    sources: tuple[str, ...]

    @property
    def text(self) -> str:
        return show_date(self.iso, self.precision)


@dataclass
class Bar:
    """One instrument's row: a bar over its time in force, or a mark at its adoption."""

    iri: str
    label: str
    href: str | None
    y: float
    start: Dated | None
    end: Dated | None
    adopted: Dated | None
    x0: float = 0.0
    x1: float = 0.0
    fuzzy: tuple[float, float] | None = None  # the stretch a year/month-only start covers
    open_end: bool = False
    label_x: float = 0.0
    short_label: str = ""
    label_anchor: str = "start"
    bodies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def when(self) -> str:
        """The short date text written after the label on the map."""
        if self.start:
            return self.start.text + (f" – {self.end.text}" if self.end else "")
        return f"adopted {self.adopted.text}" if self.adopted else ""

    @property
    def roles(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The bodies beside the bar, grouped by role: [("monitored by", [...]), ...]."""
        out: dict[str, list[dict[str, Any]]] = {}
        for x in self.bodies:
            out.setdefault(x["role"], []).append(x)
        return list(out.items())

    @property
    def words(self) -> str:
        """The bar's dates in words, for its tooltip and the table beside the map."""
        if self.start:
            until = f" until {self.end.text}" if self.end else " (no end of force recorded)"
            return f"in force from {self.start.text}{until}"
        if self.adopted:
            return f"adopted {self.adopted.text} (no entry into force recorded)"
        return "no date recorded"


@dataclass
class Lane:
    label: str
    y: float
    height: float
    bars: list[Bar]
    index: int
    unplaced: bool = False


@dataclass
class Arrow:
    relation: str
    style: str
    source_iri: str
    target_iri: str
    source_label: str
    target_label: str
    words: str
    href: str | None
    x: float
    y0: float
    y1: float
    sources: tuple[str, ...]


@dataclass
class FrameworkMap:
    width: int
    height: float
    lanes: list[Lane]
    arrows: list[Arrow]
    ticks: list[tuple[float, int]]
    today_x: float
    undated: list[Bar]

    @property
    def bars(self) -> list[Bar]:
        return [b for lane in self.lanes for b in lane.bars]


class _Scale:
    def __init__(self, first: int, last: int) -> None:
        self.first, self.last = first, last

    def __call__(self, iso: str) -> float:
        d = date.fromisoformat(iso[:10])
        t = d.year + (d.timetuple().tm_yday - 1) / 366
        span = (self.last + 1) - self.first
        return AXIS_LEFT + (t - self.first) / span * (AXIS_RIGHT - AXIS_LEFT)


def _dates(rows: Iterable[Mapping[str, str]]) -> dict[str, dict[str, Any]]:
    """Per instrument: label, and per kind of date each value with its precision and sources."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = out.setdefault(r["instrument"], {"label": r["label"], "dates": defaultdict(dict)})
        if "what" in r and "date" in r:
            by_value = entry["dates"][r["what"]]
            prec, sources = by_value.get(r["date"], (r.get("precision"), set()))
            sources.add(r.get("source", ""))
            # the coarsest precision any source gives for this value is what is known
            if r.get("precision") == YEAR_PRECISION or prec == YEAR_PRECISION:
                prec = YEAR_PRECISION
            elif r.get("precision") == MONTH_PRECISION or prec == MONTH_PRECISION:
                prec = MONTH_PRECISION
            by_value[r["date"]] = (prec, sources)
    return out


def _pick(values: Mapping[str, tuple[str | None, set[str]]], latest: bool) -> Dated | None:
    if not values:
        return None
    iso = max(values) if latest else min(values)
    prec, sources = values[iso]
    return Dated(iso[:10], prec, tuple(sorted(s for s in sources if s)))


def build_map(
    date_rows: Iterable[Mapping[str, str]],
    orders: Mapping[str, str],
    lineage_rows: Iterable[Mapping[str, str]],
    body_rows: Iterable[Mapping[str, str]],
    short_names: Mapping[str, str],
    *,
    link: Callable[[str], str | None],
    today: date,
) -> FrameworkMap:
    """Lay the map out (see the module docstring); ``orders`` maps an instrument to its
    legal order's key (:func:`kg.network.orders.legal_orders`); ``link`` gives an
    entity's page."""
    info = _dates(date_rows)
    keys = [o.key for o in LEGAL_ORDERS]
    lane_labels = [o.label for o in LEGAL_ORDERS] + [UNPLACED]
    unplaced = len(LEGAL_ORDERS)
    lane_of = {i: keys.index(k) for i, k in orders.items() if k in keys}
    bars: list[Bar] = []
    for iri, entry in info.items():
        d = entry["dates"]
        bars.append(
            Bar(
                iri=iri,
                label=entry["label"],
                href=link(iri),
                y=0.0,
                start=_pick(d.get("start", {}), latest=False),
                end=_pick(d.get("end", {}), latest=True),
                adopted=_pick(d.get("adopted", {}), latest=False),
            )
        )
    dated = [b for b in bars if b.start or b.adopted]
    undated = sorted((b for b in bars if not (b.start or b.adopted)), key=lambda b: b.label)
    years = [int((b.start or b.adopted).iso[:4]) for b in dated]  # type: ignore[union-attr]
    first = (min(years, default=today.year) // 10) * 10
    scale = _Scale(first, today.year)
    for b in bars:  # the bodies beside each instrument
        seen: set[tuple[str, str]] = set()
        for r in body_rows:
            role = BODY_ROLES.get(r["relation"])
            if r["instrument"] != b.iri or role is None or (r["body"], role) in seen:
                continue
            seen.add((r["body"], role))
            b.bodies.append(
                {
                    "role": role,
                    "name": short_names.get(r["body"], r["bodyLabel"]),
                    "label": r["bodyLabel"],
                    "href": link(r["body"]),
                }
            )
        # a body listed as guardian is not listed again as merely "responsible"
        named = {x["name"] for x in b.bodies if x["role"] != "responsible"}
        b.bodies = [x for x in b.bodies if x["role"] != "responsible" or x["name"] not in named]
    lanes: list[Lane] = []
    y = TOP
    by_lane: dict[int, list[Bar]] = defaultdict(list)
    for b in dated:
        by_lane[lane_of.get(b.iri, unplaced)].append(b)

    order = sorted(by_lane)  # the legal orders as every view lists them, then the rest
    for k in order:
        members = sorted(by_lane[k], key=lambda b: ((b.start or b.adopted).iso, b.label))  # type: ignore[union-attr]
        lane_y = y
        y += LANE_HEAD
        for b in members:
            b.y = y
            _place(b, scale, today)
            y += ROW
        lanes.append(
            Lane(lane_labels[k], lane_y, y - lane_y, members, len(lanes), unplaced=k == unplaced)
        )
        y += 8
    rows_by_iri = {b.iri: b for lane in lanes for b in lane.bars}
    arrows: list[Arrow] = []
    merged: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    words: dict[tuple[str, str, str], str] = {}
    for r in lineage_rows:
        key = (r["from"], ARROW_STYLES.get(r["relation"], ""), r["to"])
        if key[1] and r["from"] in rows_by_iri and r["to"] in rows_by_iri:
            merged[key].add(r["source"])
            words[key] = r["relationLabel"]
    for key, sources in sorted(merged.items()):
        src, style, dst = key
        a, b = rows_by_iri[src], rows_by_iri[dst]
        when = a.start or a.adopted
        x = scale(when.iso) if when else a.x0
        arrows.append(
            Arrow(
                relation=words[key],
                style=style,
                source_iri=src,
                target_iri=dst,
                source_label=a.label,
                target_label=b.label,
                words=f"{a.label} {words[key]} {b.label}",
                href=a.href,
                x=x,
                y0=a.y + ROW / 2,
                y1=b.y + (ROW - 4 if b.y < a.y else 4),
                sources=tuple(sorted(sources)),
            )
        )
    step = 10 if today.year - first > 40 else 5
    ticks = [(scale(f"{year}-01-01"), year) for year in range(first, today.year + 1, step)]
    return FrameworkMap(
        width=WIDTH,
        height=y + 10,
        lanes=lanes,
        arrows=arrows,
        ticks=ticks,
        today_x=scale(today.isoformat()),
        undated=undated,
    )


def _place(b: Bar, scale: _Scale, today: date) -> None:
    """Set a bar's x coordinates and where its label goes."""
    if b.start:
        b.x0 = scale(b.start.iso)
        if b.end:
            b.x1 = max(scale(b.end.iso), b.x0 + 2)
        else:
            b.x1, b.open_end = scale(today.isoformat()), True
        if b.start.precision in (YEAR_PRECISION, MONTH_PRECISION):
            d = date.fromisoformat(b.start.iso)
            if b.start.precision == YEAR_PRECISION:
                last = date(d.year, 12, 31)
            else:
                nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
                last = date.fromordinal(nxt.toordinal() - 1)
            b.fuzzy = (b.x0, max(scale(last.isoformat()), b.x0 + 2))
    else:
        assert b.adopted is not None
        b.x0 = b.x1 = scale(b.adopted.iso)
        if b.adopted.precision in (YEAR_PRECISION, MONTH_PRECISION):
            b.fuzzy = (
                b.x0,
                b.x0
                + (scale(f"{int(b.adopted.iso[:4]) + 1}-01-01") - b.x0)
                / (1 if b.adopted.precision == YEAR_PRECISION else 12),
            )
    b.x0, b.x1 = round(b.x0, 1), round(b.x1, 1)
    # the label reads from the bar's start; where it would run past the axis it ends
    # before the start instead
    # before the start instead; where neither fits, the label is shortened ("...") to
    # the wider side, and the bar's tooltip keeps it whole
    width = (len(b.label) + len(b.when) + 1) * CHAR
    right, left = AXIS_RIGHT - (b.x0 + 8), b.x0 - 8
    if width > right and width <= left:
        b.label_x, b.label_anchor = b.x0 - 8, "end"
    else:
        b.label_x, b.label_anchor = b.x0 + 8, "start"
        if width > right and left > right:
            b.label_x, b.label_anchor = b.x0 - 8, "end"
        room = int(max(right, left) / CHAR) - len(b.when) - 1
        if width > max(right, left) and room > 8:
            b.short_label = b.label[: room - 1].rstrip() + "…"
