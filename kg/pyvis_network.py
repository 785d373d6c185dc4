"""Any network view as a ``pyvis.network.Network``, offline and safe.

pyvis users know its API (``add_node``, ``toggle_physics``, ``show_buttons``,
``write_html``); :func:`to_pyvis` hands them the graph of a view with the
same nodes, edges, colours, shapes and labels as :func:`kg.view.render`
draws, so they can go on from there.

pyvis's own page template is not used: whatever ``cdn_resources`` says, it
loads Bootstrap from a CDN, writes the heading and the node ids of its
select menu unescaped, and switches to an ``innerHTML`` tooltip as soon as
any title contains "href". The returned network renders through
``kg/templates/pyvis.html`` instead (``net.templateEnv``, ``net.path``):
vis-network inlined from ``kg/static`` as in every view, the data as JSON in
a ``<script type="application/json">`` element, tooltips as plain text, a
Content-Security-Policy that forbids every request, and
``cdn_resources="in_line"``. ``net.generate_html()``, ``net.write_html()``
and ``net.show()`` all go through it; ``net.set_template()`` swaps it out.

>>> import kg
>>> net = kg.to_pyvis(kg.load("tests/data/minimal"), title="Minimal <graph>")
>>> type(net).__name__, len(net.nodes), len(net.edges), net.cdn_resources
('Network', 3, 1, 'in_line')
>>> page = net.generate_html()
>>> "Minimal &lt;graph&gt;" in page, "<script src=" in page, "cdn" in page.lower()
(True, False, False)
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from .network import KIND_BY_KEY, to_networkx
from .view import EDGE_COLOR, TEMPLATES, asset, csp, json_for_script, view_data

__all__ = ["to_pyvis"]

#: The template pyvis renders (``net.path`` in ``net.templateEnv``).
TEMPLATE = "pyvis.html"
_CSS_SIZE = re.compile(r"^\d+(\.\d+)?(px|%|em|rem|vh|vw)$")
_CSS_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+)$")


def _script_json(value: Any) -> Markup:
    """pyvis's data (a list, or its options as a JSON string) as JSON safe in a script element."""
    if isinstance(value, str):
        value = json.loads(value)
    return json_for_script(value)


def _css(value: Any, pattern: re.Pattern[str], default: str) -> str:
    """A CSS length or colour from pyvis's settings, or the default when it is anything else."""
    text = str(value).strip()
    return text if pattern.match(text) else default


@lru_cache(maxsize=1)
def pyvis_environment() -> Environment:
    """The Jinja2 environment a returned network renders with: autoescape on, our assets."""
    vis_js, boot_js = asset("vis-network.min.js"), asset("pyvis.js")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    env.filters["script_json"] = _script_json
    env.filters["css_size"] = lambda v: _css(v, _CSS_SIZE, "600px")
    env.filters["css_colour"] = lambda v: _css(v, _CSS_COLOUR, "#ffffff")
    env.globals.update(
        vis_js=Markup(vis_js),  # noqa: S704 - vendored, checked by asset()
        boot_js=Markup(boot_js),  # noqa: S704 - our own static file
        csp=csp(inline_scripts=(vis_js, boot_js)),
    )
    return env


def _tooltip(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def to_pyvis(
    view: Any,
    *,
    title: str | None = None,
    height: str = "750px",
    width: str = "100%",
    notebook: bool = False,
) -> Any:
    """A ``pyvis.network.Network`` with the nodes and edges of ``view``.

    ``view`` is a network from :mod:`kg.network` (``to_networkx``, ``select``,
    ``neighbourhood``, ``in_force_on``, ...) or a loaded graph (drawn whole).
    Node ids are the IRIs; each node keeps its label, kind colour, shape and
    size, and a plain-text tooltip (kind, sources); edges keep their label
    (the relation, or a role such as "Executive Director"), direction, and
    dashes where only unconfirmed sources say so. Labels stay text: vis-network
    draws them on the canvas and writes tooltips with ``innerText``, and the
    page escapes everything else.
    """
    from pyvis.network import Network

    G: nx.MultiDiGraph = view if isinstance(view, nx.Graph) else to_networkx(view)
    data = view_data(G, physics=True)
    heading = title if title is not None else data["title"]
    net = Network(
        height=height,
        width=width,
        directed=True,
        notebook=notebook,
        heading=heading,
        cdn_resources="in_line",
    )
    net.templateEnv = pyvis_environment()
    net.path = TEMPLATE
    if net.template is not None:  # notebook=True loaded pyvis's template already
        net.template = net.templateEnv.get_template(TEMPLATE)
    sources = data["sources"]
    ids = [d["iri"] for d in data["details"]]
    for i, node in enumerate(data["nodes"]):
        kind = KIND_BY_KEY[data["kinds"][node["kind"]]["key"]]
        src = "; ".join(sources[s]["title"] for s in node["src"])
        options: dict[str, Any] = {}
        if node.get("u"):
            options["shapeProperties"] = {"borderDashes": [4, 3]}
        net.add_node(
            ids[i],
            label=node["label"],
            title=_tooltip([f"{node['label']} ({kind.label})", f"source: {src}" if src else ""]),
            color=kind.color,
            shape=kind.shape,
            size=kind.size,
            **options,
        )
    for e in data["edges"]:
        relation = data["relations"][e["rel"]]
        label = e.get("role") or e.get("say") or relation
        src = "; ".join(sources[s]["title"] for s in e["src"])
        net.add_edge(
            ids[e["from"]],
            ids[e["to"]],
            label=label,
            title=_tooltip(
                [
                    f"{data['nodes'][e['from']]['label']} \u2192 {label} \u2192 "
                    f"{data['nodes'][e['to']]['label']}",
                    f"source: {src}" if src else "",
                ]
            ),
            color=EDGE_COLOR,
            dashes=bool(e.get("u")),
        )
    _options(net, data["options"])
    return net


def _options(net: Any, ours: dict[str, Any]) -> None:
    """Our view's vis-network options, set on pyvis's ``Options`` object.

    It stays an ``Options`` object, so pyvis's methods that change it
    (``toggle_physics``, ``show_buttons``, ``barnes_hut``, ...) keep working.
    """
    physics = ours["physics"]
    fa2 = physics["forceAtlas2Based"]
    net.force_atlas_2based(
        gravity=fa2["gravitationalConstant"],
        central_gravity=fa2["centralGravity"],
        spring_length=fa2["springLength"],
        spring_strength=fa2["springConstant"],
        damping=fa2["damping"],
        overlap=fa2["avoidOverlap"],
    )
    net.options.physics.stabilization.iterations = physics["stabilization"]["iterations"]
    net.options.physics.minVelocity = physics["minVelocity"]
    net.options.layout = ours["layout"]
    net.options.edges.smooth = {"enabled": False}
    for key in ("arrows", "color", "font", "width", "selectionWidth"):
        setattr(net.options.edges, key, ours["edges"][key])
    for key, value in ours["interaction"].items():
        setattr(net.options.interaction, key, value)
    net.options.nodes = ours["nodes"]
