"""The network as GraphML or GEXF, for network tools (yEd, Gephi, Cytoscape).

:func:`flatten` keeps text, number and boolean attributes only (with GEXF
colours, sizes and shapes by kind); :func:`export` is ``kg export --format
graphml|gexf``, which writes atomically and reads the file back first.
:mod:`kg.formats` names the encoders as ``kg.network:graphml_bytes`` and
``kg.network:gexf_bytes``: they are looked up on the package at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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


#: A character XML 1.0 cannot hold, even escaped (C0 controls but tab, LF, CR; U+FFFE/F).
XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _strings(value: Any, name: str) -> Iterator[tuple[str, str]]:
    """Every string in ``value`` with a name for it ("label", "fact 'date of entry'")."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        label = value.get("label")
        one = name[:-1] if name.endswith("s") else name
        for key, item in value.items():
            inner = f"{one} {label!r}" if isinstance(label, str) and key != "label" else name
            yield from _strings(item, inner)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item, name)


def xml_problem(G: nx.MultiDiGraph) -> str | None:
    """Why ``G`` cannot be written as GraphML or GEXF, or None when it can.

    XML 1.0 has no way to hold most control characters (U+0001, a vertical
    tab U+000B from a word processor, ...), not even as ``&#1;``; networkx
    writes them anyway and the file does not parse. This names the first
    entity or relation holding one, so the data can be fixed.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://example.org/x", label="bad\x0bname")
    >>> print(xml_problem(G).split(",")[0])
    the label of https://example.org/x holds the control character U+000B
    """
    items: list[tuple[str, dict[str, Any]]] = [("the graph", dict(G.graph))]
    items += [(f"of {n}", d) for n, d in G.nodes(data=True)]
    items += [
        (f"of the relation {d.get('label', k)!r} from {u} to {v}", d)
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    for where, data in items:
        for key, value in data.items():
            for name, text in _strings(value, key):
                found = XML_ILLEGAL.search(text)
                if found:
                    place = f"{name} {where}" if where.startswith("of ") else f"{where}'s {name}"
                    return (
                        f"the {place} holds the control character U+{ord(found.group()):04X}, "
                        "which GraphML and GEXF (XML 1.0) cannot hold; remove it from the data"
                    )
    return None


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
    the bytes written. Called by ``kg export --format graphml|gexf``. A
    character XML cannot hold is refused first, naming the entity (see
    :func:`xml_problem`).
    """
    from ..atomic import atomic_write, reads_back
    from ..errors import WriteError
    from ..formats import network_format

    spec = network_format(fmt)
    G = to_networkx(kg, include_inferred=include_inferred)
    problem = xml_problem(G)
    if problem:
        raise WriteError(f"Cannot write {path} as {spec.name}: {problem}; {path} left as it was.")
    payload = spec.encode(G)

    atomic_write(path, payload, check=reads_back(spec.read, spec.name, path))
    return len(payload)
