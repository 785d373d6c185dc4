"""``timeline.html``: every dated fact, in order, grouped by year."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .context import Site


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
    site.render(
        "site_timeline.html",
        "timeline.html",
        title="Timeline",
        years=sorted(years.items()),
        count=len(events),
    )
