"""The ontology's class diagram, laid out here and drawn as SVG by ``site_ontology.html``.

Boxes are classes, each a link to its entry on the page; solid arrows are
properties from their domain to their range, labelled with their names;
dashed arrows with a hollow head are "sub-class of". The layout is
networkx's Kamada-Kawai (deterministic for the same graph), scaled to the
drawing; no JavaScript is needed to read or print it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from ..view import layout

__all__ = ["class_diagram"]

WIDTH, HEIGHT, MARGIN = 1200.0, 900.0, 30.0
CHAR = 6.4


def class_diagram(
    classes: Iterable[tuple[str, str]],
    relations: Iterable[tuple[str, str, str, str]],
    parents: Iterable[tuple[str, str]],
    *,
    names: Mapping[str, str],
    anchor: Callable[[str], str | None],
) -> dict[str, Any]:
    """Boxes and arrows for ``classes`` ((iri, name)), ``relations`` ((domain, property,
    range, label)) and ``parents`` ((class, super-class)), in SVG user units."""
    G = nx.Graph()
    for iri, _name in classes:
        G.add_node(iri)
    labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d, _p, r, label in relations:
        if label not in labels[(d, r)]:
            labels[(d, r)].append(label)
        G.add_edge(d, r)
    subs = sorted(set(parents))
    for c, p in subs:
        G.add_edge(c, p)
    if G.number_of_nodes() == 0:
        return {"width": WIDTH, "height": HEIGHT, "boxes": [], "arrows": []}
    G.remove_edges_from([(n, n) for n in list(G.nodes) if G.has_edge(n, n)])
    # lay the small components out around the main one, not packed apart from it:
    # for the layout only, each hangs from the main component's best-connected class
    H = G.copy()
    parts = sorted(nx.connected_components(H), key=lambda c: (-len(c), sorted(c)))
    hub = max(sorted(parts[0]), key=H.degree)
    for part in parts[1:]:
        H.add_edge(hub, max(sorted(part), key=H.degree))
    pos = layout(H, spacing=190.0)
    half = max(len(names.get(n, n)) for n in G.nodes) * CHAR / 2 + 10
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def at(n: str) -> tuple[float, float]:
        x, y = pos[n]
        return (
            round(half + (x - min(xs)) / span_x * (WIDTH - 2 * half), 1),
            round(MARGIN / 2 + (y - min(ys)) / span_y * (HEIGHT - MARGIN), 1),
        )

    boxes = []
    for n in sorted(G.nodes):
        x, y = at(n)
        name = names.get(n, n.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        w = round(len(name) * CHAR + 14, 1)
        boxes.append({"iri": n, "name": name, "anchor": anchor(n), "x": x, "y": y, "w": w})
    arrows = []
    for (d, r), words in sorted(labels.items()):
        (x0, y0), (x1, y1) = at(d), at(r)
        arrows.append(
            {
                "kind": "relation",
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "mx": round((x0 + x1) / 2, 1),
                "my": round((y0 + y1) / 2 - 3, 1),
                "label": ", ".join(words) if len(words) <= 2 else f"{words[0]}, {words[1]}, …",
                "title": ", ".join(words),
                "self": d == r,
            }
        )
    for c, p in subs:
        (x0, y0), (x1, y1) = at(c), at(p)
        arrows.append(
            {
                "kind": "sub",
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "mx": 0,
                "my": 0,
                "label": "",
                "title": f"{names.get(c, c)} is a sub-class of {names.get(p, p)}",
                "self": False,
            }
        )
    return {"width": WIDTH, "height": HEIGHT, "boxes": boxes, "arrows": arrows}
