"""The network as GraphML or GEXF, for network tools (yEd, Gephi, Cytoscape).

:func:`flatten` keeps text, number and boolean attributes only (with GEXF
colours, sizes and shapes by kind); :func:`export` is ``kg export --format
graphml|gexf``, which writes atomically and reads the file back first.
:mod:`kg.formats` names the encoders as ``kg.network:graphml_bytes`` and
``kg.network:gexf_bytes``: they are looked up on the package at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from .convert import to_networkx
from .kinds import KIND_BY_KEY
from .names import curie

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

GEXF_SHAPES = {
    "square": "square",
    "triangle": "triangle",
    "triangleDown": "triangle",
    "diamond": "diamond",
}


def _rgb(color: str) -> dict[str, Any]:
    return {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16), "a": 1.0}


def flatten(G: nx.MultiDiGraph, *, viz: bool = False) -> nx.MultiDiGraph:
    """A copy of ``G`` with text, number and boolean attributes only, as GraphML and
    GEXF need: label, class (kind), the classes as CURIEs, IRI, sources, facts as text.
    With ``viz`` nodes also get GEXF colours, sizes and shapes by class.
    """
    H = nx.MultiDiGraph()
    H.graph["name"] = str(G.graph.get("title", "thb-kg"))
    for n, d in G.nodes(data=True):
        kind = KIND_BY_KEY[d["kind"]]
        attrs: dict[str, Any] = {
            "label": d["label"],
            "kind": kind.label,
            "classes": " ".join(curie(t) for t in d["types"]),
            "iri": d["iri"],
            "sources": " ".join(d["sources"]),
            "unconfirmed": bool(d["unconfirmed"]),
            "valid_from": d.get("valid_from") or "",
            "valid_until": d.get("valid_until") or "",
            "facts": "\n".join(f"{f['label']}: {f['value']}" for f in d["facts"]),
        }
        if viz:
            attrs["viz"] = {
                "color": _rgb(kind.color),
                "size": float(kind.size),
                "shape": GEXF_SHAPES.get(kind.shape, "disc"),
            }
        H.add_node(n, **attrs)
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(
            u,
            v,
            key=k,
            label=d["label"],
            predicate=curie(d["predicate"]),
            sources=" ".join(d["sources"]),
            unconfirmed=bool(d["unconfirmed"]),
            qualified=d.get("qualified") or "",
            facts="\n".join(f"{f['label']}: {f['value']}" for f in d["facts"]),
        )
    return H


def graphml_bytes(G: nx.MultiDiGraph) -> bytes:
    """``G`` as GraphML (yEd, Gephi, Cytoscape)."""
    return "\n".join(nx.generate_graphml(flatten(G), encoding="utf-8")).encode("utf-8") + b"\n"


def gexf_bytes(G: nx.MultiDiGraph) -> bytes:
    """``G`` as GEXF 1.2 (Gephi), with colours, sizes and shapes by class."""
    return ("\n".join(nx.generate_gexf(flatten(G, viz=True), encoding="utf-8")) + "\n").encode(
        "utf-8"
    )


def export(
    kg: KnowledgeGraph | Any, path: Path | str, fmt: str, *, include_inferred: bool = False
) -> int:
    """Write the network of ``kg`` to ``path`` as ``graphml`` or ``gexf``, atomically.

    The file is read back with networkx before it replaces ``path``; returns
    the bytes written. Called by ``kg export --format graphml|gexf``.
    """
    from ..atomic import atomic_write, reads_back
    from ..formats import network_format

    spec = network_format(fmt)
    G = to_networkx(kg, include_inferred=include_inferred)
    payload = spec.encode(G)

    atomic_write(path, payload, check=reads_back(spec.read, spec.name, path))
    return len(payload)
