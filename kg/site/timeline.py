"""``timeline.html``: the framework through time, drawn with vis-timeline, and every dated fact.

The page draws, one row per legal order (UN, Council of Europe, EU, ILO,
other): each instrument, body and campaign with a start as a **bar** over
the time it was in force or existed (open-ended bars run to the last date
in the data), each term in a post as a bar too, and every other dated fact
(an adoption, a signature, an event) as a **mark**. It zooms and pans, and
filters by legal order and by kind, in the browser and offline: vis-timeline
(npm, vendored in ``kg/static`` with its licence) is shipped in ``assets/``.
Labels reach the page as JSON and are set as text (DOM elements, never
HTML). Below it, the same facts as a list, oldest first, which needs no
script and prints.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from ..network import KIND_BY_KEY, KINDS
from ..network.orders import LEGAL_ORDERS, ORDERED_KINDS, legal_orders
from ..view import json_for_script
from ..view_words import ROLE_RELATIONS
from .context import Site

#: Kinds drawn as bars over their dates; the rest of what is dated is a mark.
BAR_KINDS = frozenset({"instrument", "body", "campaign"})
OTHER = len(LEGAL_ORDERS)  # the row of what no legal order reaches


def _row(G: nx.MultiDiGraph, orders: dict[str, str], n: str) -> int:
    """A node's legal order as a row. An instrument, body or campaign has the order
    :func:`~kg.network.orders.legal_orders` gives it (the one rule the framework map and
    the network overview use), else "other"; anything else (a person, a report, an
    event) the order most of its neighbours have, else "other"."""
    keys = [o.key for o in LEGAL_ORDERS]
    if n in orders:
        return keys.index(orders[n])
    if G.nodes[n]["kind"] in ORDERED_KINDS:
        return OTHER
    near = Counter(orders[m] for m in nx.all_neighbors(G, n) if m in orders)
    if not near:
        return OTHER
    best = max(near.values())
    return min(keys.index(k) for k, c in near.items() if c == best)


def timeline_data(G: nx.MultiDiGraph, site: Site, here: str) -> dict[str, Any]:
    """The JSON the timeline page draws: rows, kinds, sources, bars and marks."""
    orders = legal_orders(G)
    sources: dict[str, int] = {}

    def src(gids: list[str]) -> list[int]:
        return [sources.setdefault(g, len(sources)) for g in gids]

    kinds = [k.key for k in KINDS]
    items: list[dict[str, Any]] = []
    last = max(
        (f["date"] for _n, d in G.nodes(data=True) for f in d["facts"] if f.get("date")),
        default=None,
    )
    spans: set[tuple[str, str]] = set()  # (node, date) drawn as a bar's end
    for n, d in sorted(G.nodes(data=True), key=lambda t: (t[1]["label"].casefold(), t[0])):
        if d["kind"] in BAR_KINDS and d.get("valid_from"):
            start, end = d["valid_from"], d.get("valid_until")
            spans.update({(n, start), (n, end or "")})
            gids = sorted(
                {g for f in d["facts"] if f.get("date") in (start, end) for g in f["sources"]}
            )
            items.append(
                {
                    "label": d["label"],
                    "start": start,
                    "end": end or last,
                    "open": end is None,
                    "what": "in force" if d["kind"] == "instrument" else "in existence",
                    "row": _row(G, orders, n),
                    "kind": kinds.index(d["kind"]),
                    "page": site.link(here, n),
                    "src": src(gids or d["sources"]),
                    "u": bool(d.get("unconfirmed")),
                }
            )
    for u, v, e in G.edges(
        data=True
    ):  # a term in a post: "Myria Vassiliadou, Anti-Trafficking Coordinator"
        if e.get("predicate") in ROLE_RELATIONS and e.get("valid_from"):
            items.append(
                {
                    "label": f"{G.nodes[u]['label']}, {e['label']} ({G.nodes[v]['label']})",
                    "start": e["valid_from"],
                    "end": e.get("valid_until") or last,
                    "open": not e.get("valid_until"),
                    "what": "in post",
                    "row": _row(G, orders, v),
                    "kind": kinds.index(G.nodes[u]["kind"]),
                    "page": site.link(here, u),
                    "src": src(e["sources"]),
                    "u": bool(e.get("unconfirmed")),
                }
            )
    for n, d in G.nodes(data=True):
        for f in d["facts"]:
            if f.get("date") and (n, f["date"]) not in spans:
                items.append(
                    {
                        "label": d["label"],
                        "start": f["date"],
                        "shown": f["value"],
                        "what": f["label"],
                        "row": _row(G, orders, n),
                        "kind": kinds.index(d["kind"]),
                        "page": site.link(here, n),
                        "src": src(f["sources"]),
                        "u": bool(d.get("unconfirmed")),
                    }
                )
    items.sort(key=lambda it: (it["start"], it["label"].casefold(), it["what"]))
    used_kinds = sorted({it["kind"] for it in items})
    info = [site.source_ref(here, g) for g in sources]
    return {
        "rows": [o.label for o in LEGAL_ORDERS] + ["Other"],
        "kinds": [
            {
                "index": k,
                "key": kinds[k],
                "label": KIND_BY_KEY[kinds[k]].label,
                "color": KIND_BY_KEY[kinds[k]].color,
            }
            for k in used_kinds
        ],
        "sources": [{"title": s["title"], "page": s["page"], "href": s["href"]} for s in info],
        "items": items,
    }


def build(site: Site) -> None:
    G = site.G
    events = []
    for n, d in G.nodes(data=True):
        for f in d["facts"]:
            if f.get("date"):
                events.append(
                    (f["date"], f["value"], d["label"], f["label"], n, None, f["sources"])
                )
    for u, v, e in G.edges(data=True):
        for f in e["facts"]:
            if f.get("date"):
                what = f"{G.nodes[u]['label']} {e['label']} {G.nodes[v]['label']}"
                events.append((f["date"], f["value"], what, f["label"], u, v, f["sources"]))
    events.sort(key=lambda ev: (ev[0], ev[2].casefold(), ev[3]))
    years: dict[str, list[Any]] = defaultdict(list)
    for ev in events:
        years[ev[0][:4]].append(ev)
    data = timeline_data(G, site, "timeline.html")
    site.render(
        "site_timeline.html",
        "timeline.html",
        title="Timeline",
        years=sorted(years.items()),
        count=len(events),
        rows=data["rows"],
        tl_kinds=data["kinds"],
        bars=sum(1 for it in data["items"] if "end" in it),
        marks=sum(1 for it in data["items"] if "end" not in it),
        data_json=json_for_script(data),
    )
