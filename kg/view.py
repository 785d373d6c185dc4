"""networkx -> one self-contained, offline HTML page drawn with vis-network.

:func:`render` takes a graph from :mod:`kg.network` and returns a
:class:`View` whose ``html`` is a complete page: vis-network (vendored in
``kg/static/``, MIT licence), our script and styles are inlined, the data is
JSON in a ``<script type="application/json">`` element with ``<``, ``>``
and ``&`` escaped, and a Content-Security-Policy lets only those two inline
scripts run and forbids every network request. The page is built from a
Jinja2 template with autoescape on; pyvis's ``Options`` supplies the
vis-network options, but not its template (it writes headings unescaped and
loads Bootstrap from a CDN) nor its ``add_node`` (quadratic).

Same graph, same page: nodes are ordered by label, vis-network's random
seed is fixed, physics stops once the layout is stable; past
:data:`PHYSICS_LIMIT` nodes positions are computed here (:func:`layout`)
and physics is off.

>>> import kg
>>> from kg.network import to_networkx
>>> v = render(to_networkx(kg.load("tests/data/minimal")), title="Minimal <graph>")
>>> (v.nodes, v.edges, "Minimal &lt;graph&gt;" in v.html, "<script src=" in v.html)
(3, 1, True, False)
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .network import KIND_BY_KEY, KINDS, gc_paused, is_web_link
from .network.orders import LEGAL_ORDERS, legal_orders
from .view_words import (
    NAMED_RELATIONS,
    ROLE_RELATIONS,
    class_words,
    merge_inverses,
    overview_columns,
    years,
)

__all__ = ["PHYSICS_LIMIT", "View", "layout", "render", "view_data", "viz", "write_view"]

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"
TEMPLATES = PACKAGE / "templates"
#: Past this many nodes positions are precomputed and physics is off.
PHYSICS_LIMIT = 300
#: Past this many edges the canvas shows no edge labels (tooltips still do).
EDGE_LABEL_LIMIT = 600
EDGE_COLOR = "#8a8a8a"
#: Facts of a claim not repeated after its text (the text itself, its kind).
NOTE_SKIP = frozenset(
    {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
        "https://w3id.org/thb-kg/ontology#claimType",
        "https://w3id.org/thb-kg/ontology#about",
    }
)
DIM_COLOR = "#e3e3e3"

PageFor = Callable[[str], str | None]


# ---------------------------------------------------------------- assets


@cache
def asset(name: str) -> str:
    """A file of ``kg/static/``; refuses a script that could close its ``<script>``."""
    text = (STATIC / name).read_text(encoding="utf-8")
    if name.endswith(".js") and "</script" in text.lower():
        raise ValueError(f"kg/static/{name} contains '</script' and cannot be inlined.")
    return text


def script_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def csp(*, inline_scripts: tuple[str, ...] = (), self_scripts: bool = False) -> str:
    """A Content-Security-Policy that runs only our scripts and fetches nothing."""
    sources = (["'self'"] if self_scripts else []) + [script_hash(s) for s in inline_scripts]
    return (
        "default-src 'none'; "
        f"script-src {' '.join(sources) or chr(39) + 'none' + chr(39)}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'none'; font-src 'none'; object-src 'none'; frame-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def json_for_script(data: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 escaped.

    >>> str(json_for_script({"a": "</script><b>&"}))
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)  # noqa: S704 - escaped above; JSON is not HTML


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of kg/templates, autoescape on for every template."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


# ---------------------------------------------------------------- layout


def layout(G: nx.Graph, *, spacing: float = 70.0) -> dict[Any, tuple[float, float]]:
    """Deterministic positions in O(n log n), pure Python: a radial tree per component.

    Each connected component is laid out around its best-connected node,
    one ring per breadth-first level, each subtree in a wedge proportional
    to its size; components are packed in rows, largest first. Meant for
    graphs too big for a force simulation (a few hundred nodes and more).
    """
    adj: dict[Any, set[Any]] = {n: set() for n in G}
    for u, v in G.edges():
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    key = {n: str(n) for n in adj}
    order = sorted(adj, key=lambda n: (-len(adj[n]), key[n]))
    seen: set[Any] = set()
    placed: list[tuple[float, dict[Any, tuple[float, float]]]] = []
    for root in order:
        if root in seen:
            continue
        seen.add(root)
        parent: dict[Any, Any] = {root: None}
        depth = {root: 0}
        bfs = [root]
        queue = deque([root])
        while queue:
            n = queue.popleft()
            for m in sorted(adj[n] - seen, key=key.__getitem__):
                seen.add(m)
                parent[m] = n
                depth[m] = depth[n] + 1
                bfs.append(m)
                queue.append(m)
        placed.append(_radial(bfs, parent, depth, spacing))
    return _pack(placed, spacing)


def _radial(
    bfs: list[Any], parent: dict[Any, Any], depth: dict[Any, int], spacing: float
) -> tuple[float, dict[Any, tuple[float, float]]]:
    size = dict.fromkeys(bfs, 1)
    children: dict[Any, list[Any]] = defaultdict(list)
    for n in reversed(bfs[1:]):
        size[parent[n]] += size[n]
    for n in bfs[1:]:
        children[parent[n]].append(n)
    per_level: dict[int, int] = defaultdict(int)
    for n in bfs:
        per_level[depth[n]] += 1
    radius = {0: 0.0}
    for d in range(1, max(per_level) + 1):
        radius[d] = max(radius[d - 1] + spacing, per_level[d] * spacing / (2 * math.pi))
    wedge = {bfs[0]: (0.0, 2 * math.pi)}
    pos: dict[Any, tuple[float, float]] = {}
    for n in bfs:
        start, width = wedge[n]
        angle = start + width / 2
        r = radius[depth[n]]
        pos[n] = (r * math.cos(angle), r * math.sin(angle))
        total = size[n] - 1
        cursor = start
        for c in children[n]:
            share = width * size[c] / total if total else 0.0
            wedge[c] = (cursor, share)
            cursor += share
    return radius[max(per_level)] + spacing / 2, pos


def _pack(
    placed: list[tuple[float, dict[Any, tuple[float, float]]]], spacing: float
) -> dict[Any, tuple[float, float]]:
    """Rows of components, largest first, in a roughly square block."""
    placed.sort(key=lambda item: -item[0])
    area = sum((2 * r) ** 2 for r, _ in placed)
    row_width = max(math.sqrt(area) * 1.1, 2 * placed[0][0] if placed else 0.0)
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for r, pos in placed:
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height + spacing / 2, 0.0
        cx, cy = x + r, y + r
        for n, (px, py) in pos.items():
            out[n] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * r + spacing / 2
        row_height = max(row_height, 2 * r)
    return out


# ---------------------------------------------------------------- data for the page


def _vis_options(*, physics: bool, n: int, kinds: list[str]) -> dict[str, Any]:
    """vis-network options, built with pyvis's Options (physics, layout, interaction)."""
    from pyvis.options import Options

    opts = Options(layout=True)
    opts.layout.randomSeed = 7
    opts.layout.improvedLayout = physics and n <= 100
    opts.layout.hierarchical.enabled = False
    opts.physics.enabled = physics
    # forceAtlas2Based spreads a few hundred nodes readably in ~200 steps (about
    # 1.4 s for 200 nodes in headless Chromium; barnesHut needed 400 and 3.6 s)
    opts.physics.use_force_atlas_2based(
        {
            "gravity": -60,
            "central_gravity": 0.01,
            "spring_length": 90,
            "spring_strength": 0.08,
            "damping": 0.4,
            "overlap": 0.2,
        }
    )
    opts.physics.stabilization.iterations = 200
    opts.physics.stabilization.updateInterval = 50
    opts.physics.stabilization.fit = True
    opts.edges.smooth.enabled = False  # dynamic curves add a physics node per edge
    opts.edges.color.inherit = False
    opts.interaction.hideEdgesOnDrag = n > PHYSICS_LIMIT
    opts.interaction.dragNodes = True
    options: dict[str, Any] = json.loads(opts.to_json())
    options["physics"]["minVelocity"] = 0.75
    options["layout"].pop("hierarchical", None)
    options["interaction"].update(
        {
            "hover": n <= 2000,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": False,
            "hideEdgesOnZoom": n > PHYSICS_LIMIT,
            "multiselect": False,
        }
    )
    options["edges"].update(
        {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {
                "color": EDGE_COLOR,
                "highlight": "#222222",
                "hover": "#444444",
                "inherit": False,
            },
            "font": {"size": 10, "color": "#555555", "strokeWidth": 3, "align": "middle"},
            "width": 1,
            "selectionWidth": 1.5,
        }
    )
    options["nodes"] = {
        "font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1a1a1a"},
        "borderWidth": 1,
    }
    groups: dict[str, Any] = {}
    for key in kinds:
        kind = KIND_BY_KEY[key]
        groups[key] = {
            "shape": kind.shape,
            "size": kind.size,
            "color": {
                "background": kind.color,
                "border": "#333333",
                "highlight": {"background": kind.color, "border": "#000000"},
                "hover": {"background": kind.color, "border": "#000000"},
            },
        }
        groups[key + "~hi"] = {
            "shape": kind.shape,
            "size": round(kind.size * 1.5),
            "borderWidth": 3,
            "color": {"background": kind.color, "border": "#000000"},
            "font": {"size": 16, "color": "#000000", "strokeWidth": 3},
        }
        groups[key + "~dim"] = {
            "shape": kind.shape,
            "size": kind.size,
            "color": {"background": DIM_COLOR, "border": "#cccccc"},
            "font": {"color": "#b5b5b5"},
        }
    options["groups"] = groups
    options.pop("configure", None)
    return options


def _fact_row(
    fact: Mapping[str, Any], index: Mapping[str, int], sources: Mapping[str, int]
) -> list[Any]:
    target = index.get(fact.get("iri") or "", -1)
    return [fact["label"], fact["value"], target, [sources[g] for g in fact["sources"]]]


def view_data(
    G: nx.MultiDiGraph,
    *,
    physics: bool | None = None,
    focus: str | None = None,
    open_focus: bool = True,
    page_for: PageFor | None = None,
    source_page_for: PageFor | None = None,
    overview: bool = False,
) -> dict[str, Any]:
    """The JSON the page's script draws: nodes, edges, details, legend, options.

    With ``overview`` the page opens on the instruments, bodies and campaigns
    only, each legal order in a column of its own
    (:func:`kg.view_words.overview_columns`); the
    whole graph is one click away.

    ``page_for`` maps a node IRI to the site page of that entity (a relative
    path) and ``source_page_for`` a source graph IRI to its page; both are
    for :mod:`kg.site`.
    """
    n_nodes = G.number_of_nodes()
    physics = n_nodes <= PHYSICS_LIMIT if physics is None else physics
    attrs = dict(G.nodes(data=True))  # one pass over networkx's views, then plain dicts
    edge_list = list(G.edges(keys=True, data=True))
    order = sorted(attrs, key=lambda n: (attrs[n]["label"].casefold(), str(n)))
    index = {n: i for i, n in enumerate(order)}
    kind_count: dict[str, int] = defaultdict(int)
    for d in attrs.values():
        kind_count[d["kind"]] += 1
    kinds = [k.key for k in KINDS if k.key in kind_count]
    kind_index = {k: i for i, k in enumerate(kinds)}

    source_info: Mapping[str, Mapping[str, Any]] = G.graph.get("sources", {})
    used: set[str] = set()
    for d in attrs.values():
        used.update(d["sources"])
        for f in d["facts"]:
            used.update(f["sources"])
        for note in d["notes"]:
            used.update(note["sources"])
    for _u, _v, _k, d in edge_list:
        used.update(d["sources"])
        for f in d["facts"]:
            used.update(f["sources"])
    source_order = sorted(used, key=lambda g: (str(source_info.get(g, {}).get("title", g)), g))
    sources = {g: i for i, g in enumerate(source_order)}
    unconfirmed_sources = {g for g in used if source_info.get(g, {}).get("unconfirmed")}

    def unconfirmed(gids: list[str]) -> bool:
        if not unconfirmed_sources:
            return False
        return bool(gids) and all(g in unconfirmed_sources for g in gids)

    # merge parallel edges with the same relation (e.g. two figures for one area),
    # then each pair of inverse edges ("has guardian" / "guardian of") into one
    merged: dict[tuple[int, int, str, str], dict[str, Any]] = {}
    role_pred: dict[tuple[int, int, str, str], bool] = {}
    touches_unconfirmed: set[Any] = set()
    edge_list.sort(key=lambda e: (index[e[0]], index[e[1]], e[3]["label"], str(e[2])))
    for u, v, _k, d in edge_list:
        rel = NAMED_RELATIONS.get(d.get("predicate") or "", d["label"])
        named = d["label"] if rel != d["label"] else ""
        key = (index[u], index[v], rel, named)
        entry = merged.get(key)
        if entry is None:
            entry = merged[key] = {"sources": set(), "facts": [], "when": []}
        entry["sources"].update(d["sources"])
        entry["facts"].extend(d["facts"])
        span = [d.get("valid_from"), d.get("valid_until")]
        if span not in entry["when"]:
            entry["when"].append(span)
        if unconfirmed(d["sources"]):
            touches_unconfirmed.update((u, v))
        if d.get("predicate") in ROLE_RELATIONS:
            role_pred[key] = True
    inverse_labels: Mapping[str, str] = G.graph.get("inverse_labels", {})
    merge_inverses(merged, inverse_labels)
    relations = sorted({k[2] for k in merged})
    rel_index = {r: i for i, r in enumerate(relations)}
    orders = legal_orders(G)
    order_keys = [o.key for o in LEGAL_ORDERS]

    positions = None if physics else layout(G)
    nodes: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    class_labels = G.graph.get("class_labels", {})
    for n in order:
        d = attrs[n]
        item: dict[str, Any] = {
            "label": d["label"],
            "kind": kind_index[d["kind"]],
            "src": [sources[g] for g in d["sources"]],
        }
        if d.get("unconfirmed"):
            item["u"] = 1
        if n in orders:
            item["o"] = order_keys.index(orders[n])
        if d.get("valid_from") or d.get("valid_until"):
            item["t"] = [d.get("valid_from"), d.get("valid_until")]
        if positions is not None:
            item["x"], item["y"] = positions[n]
        nodes.append(item)
        facts = [_fact_row(f, index, sources) for f in d["facts"]]
        notes = [
            [
                note["label"],
                note["text"]
                + "".join(
                    f"; {f['label']}: {f['value']}"
                    for f in note["facts"]
                    if f["predicate"] not in NOTE_SKIP
                ),
                [sources[g] for g in note["sources"]],
                1 if unconfirmed(note["sources"]) else 0,
            ]
            for note in d["notes"]
        ]
        some_u = (
            n in touches_unconfirmed
            or any(note[3] for note in notes)
            or any(unconfirmed(f["sources"]) for f in d["facts"])
        )
        details.append(
            {
                "iri": d["iri"],
                "types": [class_words(t, class_labels.get(t)) for t in d["types"]],
                "alt": d.get("alt", []),
                "facts": facts,
                "notes": notes,
                "links": [
                    [link["text"], link["href"]] for link in d["links"] if is_web_link(link["href"])
                ],
                "page": page_for(n) if page_for else None,
                "someU": some_u,
            }
        )
    edges: list[dict[str, Any]] = []
    for (u, v, label, role), entry in merged.items():
        gids = sorted(entry["sources"], key=sources.__getitem__)
        item = {"from": u, "to": v, "rel": rel_index[label], "src": [sources[g] for g in gids]}
        if role:  # "member of ... as Executive Director"; a figure or claim is named by it
            item["role" if role_pred.get((u, v, label, role)) else "say"] = role
        when = entry["when"]
        if any(a or b for a, b in when):  # in force or true during any of these spans
            item["t"] = when
        if entry["facts"]:
            item["facts"] = [[f["label"], f["value"]] for f in entry["facts"]]
        if unconfirmed(gids):
            item["u"] = 1
        edges.append(item)

    source_list = []
    for g in source_order:
        info = source_info.get(g, {})
        href = info.get("document")
        source_list.append(
            {
                "iri": g,
                "title": str(info.get("title", g)),
                "href": href if href and is_web_link(href) else None,
                "u": bool(info.get("unconfirmed")),
                "page": source_page_for(g) if source_page_for else None,
            }
        )
    focus_id = G.graph.get("focus") if focus is None else focus
    return {
        "title": str(G.graph.get("title", "thb-kg")),
        "physics": physics,
        "edgeLabels": len(edges) <= EDGE_LABEL_LIMIT,
        "edgeColor": EDGE_COLOR,
        "focus": index.get(focus_id) if focus_id is not None else None,
        "openFocus": open_focus,
        "kinds": [
            {
                "key": k,
                "label": KIND_BY_KEY[k].label,
                "color": KIND_BY_KEY[k].color,
                "shape": KIND_BY_KEY[k].shape,
                "count": kind_count[k],
            }
            for k in kinds
        ],
        "relations": relations,
        "inverse": [inverse_labels.get(r) for r in relations],
        "orders": [{"key": o.key, "label": o.label, "adj": o.adjective} for o in LEGAL_ORDERS],
        "years": years(attrs.values(), merged.values()),
        "asOf": G.graph.get("as_of"),
        "overview": overview_columns(G, order, orders) if overview else None,
        "sources": source_list,
        "nodes": nodes,
        "edges": edges,
        "details": details,
        "options": _vis_options(physics=physics, n=n_nodes, kinds=kinds),
    }


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class View:
    """A rendered view: the page's HTML and what it draws."""

    html: str
    nodes: int
    edges: int
    physics: bool
    title: str

    def write(self, path: Path | str) -> int:
        """Write the page atomically; returns the bytes written."""
        from .atomic import atomic_write

        payload = self.html.encode("utf-8")
        atomic_write(path, payload)
        return len(payload)

    def _repr_html_(self) -> str:  # shown inline in Jupyter, still offline
        from .notebook import show

        return show(self.html, title=self.title)._repr_html_()


def _subtitle(G: nx.MultiDiGraph, data: Mapping[str, Any]) -> str:
    parts = [f"{len(data['nodes'])} nodes, {len(data['edges'])} relations"]
    if G.graph.get("as_of"):
        parts.append(f"in force or true on {G.graph['as_of']}")
    if G.graph.get("qualified") == "collapse":
        parts.append("qualified facts drawn as labelled edges")
    parts.append("click a node for its facts and sources")
    return "; ".join(parts) + "."


def render(
    G: nx.MultiDiGraph,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    physics: bool | None = None,
    focus: str | None = None,
    open_focus: bool = True,
    overview: bool = False,
) -> View:
    """One self-contained HTML page drawing ``G`` (see the module's docstring).

    ``overview`` opens it on the instruments, bodies and campaigns, grouped
    by legal order (see :func:`view_data`).
    """
    from . import __version__

    with gc_paused():
        data = view_data(
            G, physics=physics, focus=focus, open_focus=open_focus, overview=overview
        )
        if title:  # the page's name, also the PNG's
            data["title"] = title
        data_json = json_for_script(data)
    vis_js, view_js = asset("vis-network.min.js"), asset("view.js")
    page = (
        environment()
        .get_template("view.html")
        .render(
            title=title or data["title"],
            subtitle=subtitle or _subtitle(G, data),
            as_of=G.graph.get("as_of"),
            version=__version__,
            csp=csp(inline_scripts=(vis_js, view_js)),
            view_css=Markup(asset("view.css")),  # noqa: S704 - our own static file
            vis_js=Markup(vis_js),  # noqa: S704 - vendored, checked by asset()
            view_js=Markup(view_js),  # noqa: S704 - our own static file
            data_json=data_json,
        )
    )
    return View(
        html=page,
        nodes=len(data["nodes"]),
        edges=len(data["edges"]),
        physics=bool(data["physics"]),
        title=title or data["title"],
    )


def write_view(G: nx.MultiDiGraph, path: Path | str, **options: Any) -> View:
    """Render ``G`` (see :func:`render`) and write the page to ``path`` atomically."""
    view = render(G, **options)
    view.write(path)
    return view


def viz(
    kg: Any,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | None = None,
    params: Any = None,
    as_of: str | None = None,
    source: str | None = None,
    keep_qualified: bool = False,
    edges: list[str] | None = None,
    include_inferred: bool = False,
    title: str | None = None,
    overview: bool = False,
) -> View:
    """What ``kg viz`` writes: :func:`kg.network.select` drawn by :func:`render`."""
    from .network import Qualified, select
    from .network.store_focus import focused_network

    mode = Qualified.KEEP if keep_qualified else Qualified.COLLAPSE
    G = None
    if focus is not None and query is None and source is None:  # on Oxigraph: fetch only that
        G = focused_network(
            kg, focus, depth, as_of=as_of, qualified=mode, predicates=edges,
            include_inferred=include_inferred,
        )
    G = G if G is not None else select(
        kg,
        focus=focus,
        depth=depth,
        query=query,
        params=params,
        as_of=as_of,
        source=source,
        qualified=mode,
        predicates=edges,
        include_inferred=include_inferred,
    )
    return render(G, title=title, overview=overview)
