"""``assets/``: the scripts, styles and licences every page shares."""

from __future__ import annotations

from ..network import KINDS
from ..view import asset
from .context import Site

ASSETS = ("vis-network.min.js", "view.js", "view.css", "site.css", "LICENSE-vis-network.txt")


def build(site: Site) -> None:
    for name in ASSETS:
        text = asset(name)
        if name == "site.css":  # colours by class, from the one table in kg.network
            text += "".join(
                f'.swatch[data-kind="{k.key}"] {{ background: {k.color}; }}\n' for k in KINDS
            )
        site.write(f"assets/{name}", text)
