"""``assets/``: the scripts, styles and licences every page shares."""

from __future__ import annotations

from ..network import KINDS
from ..view import asset
from .context import Site

ASSETS = (
    "vis-network.min.js",
    "view.js",
    "view.css",
    "site.css",
    "LICENSE-vis-network.txt",
    "vis-timeline-graph2d.min.js",
    "vis-timeline-graph2d.min.css",
    "timeline.js",
    "LICENSE-vis-timeline.txt",
    "minisearch.js",
    "search.js",
    "LICENSE-minisearch.txt",
)


def build(site: Site) -> None:
    for name in ASSETS:
        text = asset(name)
        if name == "site.css":  # colours by class, from the one table in kg.network
            text += "".join(
                f'.swatch[data-kind="{k.key}"] {{ background: {k.color}; }}\n' for k in KINDS
            )
            text += "".join(  # the timeline's bars and marks, by the same colours
                f".vis-item.tl-k-{k.key} {{ background-color: {k.color}; "
                f"border-color: {k.color}; }}\n"
                f".vis-item.vis-point.tl-k-{k.key} .vis-dot {{ border-color: {k.color}; }}\n"
                for k in KINDS
            )
        site.write(f"assets/{name}", text)
