"""What a network view says in words and over time, for :func:`kg.view.view_data`.

A student reads a relation once, from the node in front of them: a pair of
inverse edges ("has guardian" and "guardian of" between the same two nodes)
becomes one edge (:func:`merge_inverses`), and the details panel turns an
incoming edge round with the inverse's label. A role or an occupation (the
"Executive Director" of a membership, the "actress" of an association) is
what the edge says, not a relation of its own, and so are a figure's
indicator and a claim's type (:data:`NAMED_RELATIONS`).
Classes are named in words, never as CURIEs (:func:`class_words`). The time
slider's range comes from :func:`years`; the overview's columns, one per
legal order, from :func:`overview_columns`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from .namespaces import ORG, PROV
from .network import QUALIFIED_CLASSES, curie, humanise
from .network.orders import LEGAL_ORDERS

#: Qualified facts whose edge is named by a value (a role such as "Executive Director",
#: an indicator, a claim type): class IRI -> the relation they are filtered under.
NAMED_RELATIONS: dict[str, str] = {
    qc.cls: qc.label for qc in QUALIFIED_CLASSES if qc.label_from is not None
}
#: Of those, the ones named by a role or an occupation: "member of UNODC as Executive Director".
ROLE_RELATIONS = frozenset(
    qc.cls for qc in QUALIFIED_CLASSES if qc.label_from in (str(ORG.role), str(PROV.hadRole))
)
#: Kinds the overview opens on.
OVERVIEW_KINDS = ("instrument", "body", "campaign")

#: (from, to, relation, role or name): one edge of the page
EdgeKey = tuple[int, int, str, str]


def merge_inverses(merged: dict[EdgeKey, dict[str, Any]], inverse: Mapping[str, str]) -> None:
    """Fold each edge whose inverse joins the same two nodes into it, in place.

    Of the two, the one carrying facts (a custodianship's dates) stays, else
    the one whose relation sorts first; sources, facts and spans are pooled.
    """
    for key in sorted(merged):
        if key not in merged:
            continue
        u, v, rel, role = key
        other = (v, u, inverse.get(rel, ""), role)
        if other == key or other not in merged:
            continue
        a, b = merged[key], merged[other]
        keep, drop = (
            (key, other)
            if (bool(a["facts"]), other[2]) >= (bool(b["facts"]), rel)
            else (other, key)
        )
        kept, gone = merged[keep], merged.pop(drop)
        kept["sources"].update(gone["sources"])
        kept["facts"].extend(gone["facts"])
        kept["when"].extend(s for s in gone["when"] if s not in kept["when"])


def class_words(iri: str, label: str | None) -> str:
    """A class as words: its label, else its name split into words (never a CURIE or IRI)."""
    if label and label != iri and label != curie(iri):
        return label
    return humanise(iri)


def years(
    nodes: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]]
) -> list[int] | None:
    """The first and last year any node or edge starts or ends, or None when nothing is dated."""
    found: set[int] = set()
    for d in nodes:
        for day in (d.get("valid_from"), d.get("valid_until")):
            if day:
                found.add(int(day[:4]))
    for e in edges:
        for span in e["when"]:
            found.update(int(day[:4]) for day in span if day)
    return [min(found), max(found)] if found else None


def overview_columns(
    G: nx.MultiDiGraph, order: list[Any], orders: Mapping[str, str]
) -> dict[str, Any]:
    """The overview's start: which kinds show, and a column of positions per legal order.

    In each order's column the instruments stand on the left, oldest (by entry
    into force) at the top, and the bodies and campaigns on the right, by
    name; the columns are set side by side, those with no order last.
    ``columns`` gives each column's title and centre for the page to write
    above it.
    """
    index = {n: i for i, n in enumerate(order)}
    core = [n for n in order if G.nodes[n]["kind"] in OVERVIEW_KINDS]
    groups: list[tuple[str, list[Any]]] = [
        (o.label, [n for n in core if orders.get(n) == o.key]) for o in LEGAL_ORDERS
    ]
    groups.append(("Other", [n for n in core if n not in orders]))
    pos: list[list[float]] = []
    columns: list[dict[str, Any]] = []
    left = 0.0
    for title, members in groups:
        if not members:
            continue
        acts = sorted(
            (n for n in members if G.nodes[n]["kind"] == "instrument"),
            key=lambda n: (G.nodes[n].get("valid_from") or "9999", G.nodes[n]["label"].casefold()),
        )
        others = [n for n in members if G.nodes[n]["kind"] != "instrument"]
        for x, stack in ((left, acts), (left + LANE, others)):
            for row, n in enumerate(stack):
                pos.append([index[n], x, row * ROW])
        width = LANE if acts and others else 0.0
        columns.append({"title": title, "x": left + width / 2, "y": -ROW})
        left += width + LANE + GAP
    return {"kinds": list(OVERVIEW_KINDS), "pos": pos, "columns": columns, "wrap": WRAP}


#: The overview's grid: between the two stacks of a column, between rows, between
#: columns, and the width a label wraps at.
LANE, ROW, GAP, WRAP = 240.0, 90.0, 50.0, 200
