"""``sources.html`` and ``s/<slug>.html``: each source graph and every claim it makes."""

from __future__ import annotations

from collections import defaultdict

from .context import Site


def build(site: Site) -> None:
    G = site.G
    claims: dict[str, list[tuple[str, str, str, str | None]]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        for f in d["facts"]:
            for g in f["sources"]:
                claims[g].append((n, f["label"], f["value"], f.get("iri")))
        for note in d["notes"]:
            for g in note["sources"]:
                claims[g].append((n, note["label"], note["text"], None))
    for u, v, e in G.edges(data=True):
        for g in e["sources"]:
            claims[g].append((u, e["label"], G.nodes[v]["label"], v))
    listing = sorted(site.sources, key=lambda g: (str(site.sources[g].get("title")), g))
    for g in listing:
        here = site.source_pages[g]
        site.render(
            "site_source.html",
            here,
            title=str(site.sources[g].get("title", g)),
            info=site.sources[g],
            src=site.source_ref(here, g),
            claims=sorted(claims[g], key=lambda c: (G.nodes[c[0]]["label"], c[1], c[2])),
            node_label=lambda n: G.nodes[n]["label"] if n in G else n,
        )
    site.render(
        "site_sources.html",
        "sources.html",
        title="Sources",
        sources=[(site.source_ref("sources.html", g), len(claims[g])) for g in listing],
    )
