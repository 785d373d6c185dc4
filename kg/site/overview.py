"""``network.html``: the overview network of the whole graph."""

from __future__ import annotations

from collections import defaultdict

from ..network import KIND_BY_KEY, KINDS
from .context import Site


def build(site: Site) -> None:
    # opens on instruments, bodies and campaigns by legal order; the whole graph one click away
    data, data_json = site.view_json("network.html", site.G, overview=True)
    counts: dict[str, int] = defaultdict(int)
    for _n, d in site.G.nodes(data=True):
        counts[d["kind"]] += 1
    site.render(
        "site_network.html",
        "network.html",
        title="thb-kg: the legal framework against trafficking in human beings",
        data_json=data_json,
        nodes=len(data["nodes"]),
        edges=len(data["edges"]),
        counts=[(KIND_BY_KEY[k.key], counts[k.key]) for k in KINDS if counts[k.key]],
        sources=len(site.sources),
        as_of=None,
    )
