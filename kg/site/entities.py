"""``entities.html`` and ``e/<kind>/<slug>.html``: the entity index and a page per entity.

Each page shows the entity's neighbourhood view, its facts and relations
with their sources, the values sources disagree on, and its web links.
"""

from __future__ import annotations

from collections import defaultdict

from ..network import KIND_BY_KEY, KINDS, curie, is_web_link, neighbourhood
from ..view import NOTE_SKIP
from .context import Site

#: Kinds listed first on the entity index (the rest follow in KINDS order).
MAIN_KINDS = ("instrument", "body", "person", "post", "campaign", "report", "case", "event")


def build(site: Site) -> None:
    index(site)
    comparable = comparable_properties(site)
    nodes = sorted(site.pages)  # every entity, or the best-connected (kg site --max-pages)
    for i, n in enumerate(nodes):
        if i % 25 == 0:
            site.progress(f"entity pages ({i}/{len(nodes)})", 2, 8)
        entity(site, n, comparable)


def index(site: Site) -> None:
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n, d in site.G.nodes(data=True):
        by_kind[d["kind"]].append((d["label"], n))
    groups = [
        (KIND_BY_KEY[k], sorted(by_kind[k], key=lambda t: (t[0].casefold(), t[1])))
        for k in list(MAIN_KINDS) + [k.key for k in KINDS if k.key not in MAIN_KINDS]
        if by_kind.get(k)
    ]
    site.render("site_entities.html", "entities.html", title="Entities", groups=groups)


def comparable_properties(site: Site) -> set[str]:
    """Properties with one value per subject (thb:ComparableProperty): sources can disagree."""
    from ..graph import ONTOLOGY_GRAPH
    from ..namespaces import RDF, THB

    onto = site.kg.dataset.graph(ONTOLOGY_GRAPH)
    return {str(p) for p in onto.subjects(RDF.type, THB.ComparableProperty)}


def entity(site: Site, n: str, comparable: set[str]) -> None:
    G = site.G
    here = site.pages[n]
    d = G.nodes[n]
    hood = neighbourhood(G, n, 1)
    _data, data_json = site.view_json(here, hood, focus=n)
    out_edges = sorted(
        G.out_edges(n, keys=True, data=True),
        key=lambda e: (e[3]["label"], G.nodes[e[1]]["label"]),
    )
    in_edges = sorted(
        G.in_edges(n, keys=True, data=True),
        key=lambda e: (e[3]["label"], G.nodes[e[0]]["label"]),
    )
    values: dict[str, set[str]] = defaultdict(set)
    for f in d["facts"]:
        if f["predicate"] in comparable:
            values[f["predicate"]].add(f["value"])
    disputed = {p for p, v in values.items() if len(v) > 1}
    disputed_labels = sorted({f["label"] for f in d["facts"] if f["predicate"] in disputed})
    for _u, _v, _k, e in out_edges + in_edges:  # a qualified fact's dates may disagree too
        edge_values: dict[str, set[str]] = defaultdict(set)
        for f in e["facts"]:
            if f["predicate"] in comparable:
                edge_values[f["predicate"]].add(f["value"])
        for f in e["facts"]:
            if len(edge_values.get(f["predicate"], ())) > 1:
                disputed.add(f["predicate"])
                disputed_labels.append(f"{f['label']} ({e['label']})")
    disputed_labels = sorted(set(disputed_labels))
    class_labels = G.graph.get("class_labels", {})
    from ..lod.site import entity_files  # .ttl and .jsonld beside the page (issue 13)

    alternates = entity_files(site.kg, n, here, site.write, site.lod_cache)
    site.render(
        "site_entity.html",
        here,
        title=d["label"],
        node=d,
        iri=n,
        web_iri=is_web_link(n),
        kind=KIND_BY_KEY[d["kind"]],
        types=[(class_labels.get(t, t), curie(t)) for t in d["types"]],
        facts=d["facts"],
        disputed=disputed,
        disputed_labels=disputed_labels,
        out_edges=[(G.nodes[v], v, e) for _u, v, _k, e in out_edges],
        in_edges=[(G.nodes[u], u, e) for u, _v, _k, e in in_edges],
        notes=d["notes"],
        note_skip=NOTE_SKIP,
        links=[link for link in d["links"] if is_web_link(link["href"])],
        data_json=data_json,
        as_of=None,
        alternates=alternates,
    )
