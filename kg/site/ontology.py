"""``ontology.html``: the classes and properties of the ontology, with their instances."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..network import curie
from .context import Site


def build(site: Site) -> None:
    from ..graph import ONTOLOGY_GRAPH
    from ..namespaces import OWL, RDF, RDFS

    G = site.G
    onto = site.kg.dataset.graph(ONTOLOGY_GRAPH)
    info: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"label": None, "comment": None, "parents": [], "kinds": set()}
    )
    for s, p, o in onto:
        if not isinstance(s, type(ONTOLOGY_GRAPH)):
            continue
        entry = info[str(s)]
        if p == RDFS.label and (entry["label"] is None or getattr(o, "language", None) == "en"):
            entry["label"] = str(o)
        elif p == RDFS.comment:
            entry["comment"] = str(o)
        elif p in (RDFS.subClassOf, RDFS.subPropertyOf) and isinstance(o, type(ONTOLOGY_GRAPH)):
            entry["parents"].append(str(o))
        elif p == RDF.type:
            entry["kinds"].add(str(o))
    instances: dict[str, list[str]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        for t in d["types"]:
            instances[t].append(n)
    usage: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    count: dict[str, int] = defaultdict(int)
    for s, p, o, _g in site.kg.asserted_quads():
        if _g in site.sources:
            count[str(p)] += 1
            if len(usage[str(p)]) < 30:
                usage[str(p)].append((s, o))
    class_kinds = {str(OWL.Class), str(RDFS.Class), str(RDFS.Datatype)}
    classes = sorted(
        {c for c, e in info.items() if e["kinds"] & class_kinds} | set(instances),
        key=lambda c: curie(c),
    )
    properties = sorted(
        {p for p, e in info.items() if e["label"] and not e["kinds"] & class_kinds} | set(count),
        key=lambda p: curie(p),
    )
    site.render(
        "site_ontology.html",
        "ontology.html",
        title="Ontology: classes and properties",
        classes=[
            (c, info.get(c), sorted(instances.get(c, []), key=lambda n: G.nodes[n]["label"]))
            for c in classes
            if c != str(RDF.Property)
        ],
        properties=[(p, info.get(p), count.get(p, 0), usage.get(p, [])) for p in properties],
        curie=curie,
        label_of=lambda term: G.nodes[str(term)]["label"] if str(term) in G else None,
        node_label=lambda n: G.nodes[n]["label"],
    )
