"""Questions about a built network: shortest paths, centrality, components.

Thin wrappers over networkx that take entity names as :func:`resolve` reads
them and answer with node ids and labels.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..errors import KgError
from .focus import resolve


def shortest_path(G: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """Node ids on a shortest path between two entities, ignoring edge direction."""
    u, v = resolve(G, a), resolve(G, b)
    try:
        return list(nx.shortest_path(G.to_undirected(as_view=True), u, v))
    except nx.NetworkXNoPath:
        return []


def centrality(
    G: nx.MultiDiGraph, measure: str = "degree", *, top: int | None = None
) -> list[tuple[str, str, float]]:
    """``(node, label, score)`` by ``degree``, ``betweenness`` or ``closeness``, best first."""
    simple = nx.Graph(G.to_undirected(as_view=True))
    functions = {
        "degree": nx.degree_centrality,
        "betweenness": nx.betweenness_centrality,
        "closeness": nx.closeness_centrality,
    }
    if measure not in functions:
        raise KgError(f"Unknown measure {measure!r}; choose one of: {', '.join(functions)}.")
    scores = functions[measure](simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(n, G.nodes[n]["label"], s) for n, s in ranked[:top]]


def components(G: nx.MultiDiGraph) -> list[set[str]]:
    """Weakly connected components, largest first."""
    return sorted(
        (set(c) for c in nx.weakly_connected_components(G)), key=lambda c: (-len(c), min(c))
    )


def labels(G: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    """The labels of node ids, e.g. of a :func:`shortest_path`."""
    return [G.nodes[n]["label"] for n in nodes]
