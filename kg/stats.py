"""Counts a curator checks after every change: triples per source, entities per class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from .graph import INFERRED_GRAPH, SYSTEM_GRAPHS, KnowledgeGraph


@dataclass(frozen=True)
class GraphCount:
    graph: URIRef
    title: str
    triples: int


@dataclass(frozen=True)
class Stats:
    graphs: tuple[GraphCount, ...]
    default_triples: int
    inferred_triples: int
    classes: tuple[tuple[URIRef, int], ...]

    @property
    def total_triples(self) -> int:
        return sum(g.triples for g in self.graphs) + self.default_triples + self.inferred_triples

    @property
    def total_entities(self) -> int:
        return sum(n for _c, n in self.classes)


def from_counts(counts: Mapping[str, Any]) -> Stats:
    """The stats of a graph built into a store (:func:`kg.store.build.load_into` counts
    them while it builds; :func:`kg.store.disk.meta` reads them back): the same as
    :func:`stats` of that graph loaded with :func:`kg.load`, without loading it."""
    graphs = tuple(
        GraphCount(URIRef(name), title, n)
        for name, (n, title) in sorted(counts["graphs"].items())
        if URIRef(name) != INFERRED_GRAPH and n > 0
    )
    classes = tuple(sorted(
        ((URIRef(c), int(n)) for c, n in counts["classes"].items()),
        key=lambda kv: (-kv[1], str(kv[0])),
    ))
    return Stats(graphs=graphs, default_triples=int(counts["default"]),
                 inferred_triples=int(counts["inferred"]), classes=classes)


def stats(kg: KnowledgeGraph) -> Stats:
    """Triples per named graph (titles from the default graph) and entities per asserted class."""
    default = kg.dataset.default_graph
    graphs = []
    for name in kg.graph_names():
        if name == INFERRED_GRAPH:
            continue
        title = default.value(name, DCTERMS.title)
        graphs.append(GraphCount(name, str(title) if title else "", len(kg.dataset.graph(name))))
    per_class: dict[URIRef, set] = {}
    for s, _p, o, g in kg.dataset.quads((None, RDF.type, None, None)):
        gid = getattr(g, "identifier", g)
        if gid in SYSTEM_GRAPHS or not isinstance(o, URIRef):
            continue
        per_class.setdefault(o, set()).add(s)
    classes = Counter({cls: len(members) for cls, members in per_class.items()})
    return Stats(
        graphs=tuple(graphs),
        default_triples=len(default),
        inferred_triples=len(kg.dataset.graph(INFERRED_GRAPH)),
        classes=tuple(sorted(classes.items(), key=lambda kv: (-kv[1], str(kv[0])))),
    )
