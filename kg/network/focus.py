"""The entity a view is about: found by IRI, CURIE or label, and its neighbourhood.

:func:`resolve` turns what a user typed into a node id (or an error that
lists the candidates); :func:`neighbourhood` keeps what lies within a few
steps of it.
"""

from __future__ import annotations

import networkx as nx

from ..errors import KgError
from .names import _expand_curie


class EntityNotFoundError(KgError):
    """An entity named by IRI, CURIE or label that is not in the graph (or is ambiguous)."""


def resolve(G: nx.MultiDiGraph, text: str) -> str:
    """The node id of an entity named by IRI, CURIE (``id:body/europol``) or label.

    Labels match without regard to case, also alternative labels (acronyms,
    official names); a name that fits several entities is an error listing them.
    """
    text = text.strip()
    if text in G:
        return text
    expanded = _expand_curie(text)
    if expanded and expanded in G:
        return expanded
    if text.startswith("<") and text.endswith(">") and text[1:-1] in G:
        return text[1:-1]
    wanted = text.casefold()
    exact = sorted(n for n, d in G.nodes(data=True) if d.get("label", "").casefold() == wanted)
    if not exact:
        exact = sorted(
            n
            for n, d in G.nodes(data=True)
            if any(a.casefold() == wanted for a in d.get("alt", ()))
        )
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise EntityNotFoundError(
            f"{text!r} names {len(exact)} entities: {', '.join(exact[:5])}; give the IRI."
        )
    close = sorted(n for n, d in G.nodes(data=True) if wanted in d.get("label", "").casefold())
    hint = (
        f" Did you mean: {', '.join(repr(G.nodes[n]['label']) for n in close[:5])}?"
        if close
        else ""
    )
    raise EntityNotFoundError(f"No entity called {text!r} in the graph.{hint}")


def neighbourhood(G: nx.MultiDiGraph, entity: str, depth: int = 1) -> nx.MultiDiGraph:
    """The entity and everything within ``depth`` steps of it, in either direction."""
    if depth < 0:
        raise KgError("--depth must be 0 or more.")
    centre = resolve(G, entity)
    seen = {centre}
    frontier = [centre]
    for _step in range(depth):  # breadth-first, both directions; no copy of G
        nxt = []
        for n in frontier:
            for m in list(G.successors(n)) + list(G.predecessors(n)):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    H = G.subgraph(seen).copy()
    H.graph.update(G.graph)
    H.graph["focus"] = centre
    H.graph["title"] = f"{G.nodes[centre]['label']} and its neighbourhood"
    return H
