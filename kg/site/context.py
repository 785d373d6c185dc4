"""What every page family shares while a site is built: the graph, the page table,
the template environment, and the writer that counts pages and bytes.

Each page family (:mod:`~kg.site.overview`, :mod:`~kg.site.entities`, ...)
is a module with one ``build(site)`` function that reads from and writes
through a :class:`Site`; :mod:`~kg.site.build` runs them in order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..network import KIND_BY_KEY, is_web_link, to_networkx
from ..view import csp, environment, json_for_script, view_data
from .paths import page_path, relative, source_path

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["MARKER", "QUERY_ROW_CAP", "Progress", "Site", "SiteReport"]

#: File that marks a folder as a thb-kg site (only such a folder is replaced).
MARKER = ".thb-kg-site"
QUERY_ROW_CAP = 500

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SiteReport:
    """What :func:`kg.site.build_site` wrote."""

    out: Path
    pages: int
    entities: int
    queries: int
    downloads: tuple[str, ...]
    bytes: int
    seconds: float
    notes: tuple[str, ...] = ()


class Site:
    """The state of one build: read by every page family, written through :meth:`render`."""

    def __init__(self, kg: KnowledgeGraph, root: Path, progress: Progress | None) -> None:
        self.kg = kg
        self.root = root
        self.progress: Progress = progress or (lambda step, done, total: None)
        self.env = environment()
        self.G = to_networkx(kg)
        self.sources: Mapping[str, Mapping[str, Any]] = self.G.graph["sources"]
        self.pages: dict[str, str] = {}
        taken: dict[str, str] = {}
        for n in sorted(self.G.nodes):
            path = page_path(n)
            if path in taken:  # two IRIs, one slug: tell them apart
                path = path[:-5] + "-" + hashlib.sha1(n.encode()).hexdigest()[:6] + ".html"
            taken[path] = n
            self.pages[n] = path
        self.source_pages = {g: source_path(g) for g in self.sources}
        self.written = 0
        self.bytes = 0
        self.notes: list[str] = []
        self.n_queries = 0
        self.download_names: list[str] = []
        self._engine: Any = None
        #: What kg.lod.site.entity_files reads once and keeps between entity pages.
        self.lod_cache: dict[str, Any] = {}

    def engine(self) -> Any:
        """The engine the site's queries run on: an Oxigraph snapshot of the graph where
        pyoxigraph is installed (milliseconds a query), else the graph itself (seconds)."""
        if self._engine is None:
            self._engine = self.kg
            try:
                from ..cache import Snapshot

                self._engine = Snapshot.from_graph(self.kg)
            except ImportError:
                pass
        return self._engine

    def select(self, name: str) -> list[dict[str, Any]]:
        """The rows of the site's own query ``kg/site/queries/<name>.rq``, as dicts of
        Python values (IRIs and literals as strings, unbound variables left out)."""
        from importlib.resources import files

        from ..query import run

        sparql = files(__package__).joinpath("queries", f"{name}.rq").read_text("utf-8")
        result = run(self.engine(), sparql, policy=None)
        return [
            {str(v): str(t) for v, t in zip(result.vars, row, strict=True) if t is not None}
            for row in result.rows
        ]

    def write(self, path: str, text: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = text.encode("utf-8") if isinstance(text, str) else text
        target.write_bytes(payload)
        self.written += 1
        self.bytes += len(payload)

    def render(self, template: str, path: str, **context: Any) -> None:
        from .. import __version__

        root = "../" * path.count("/")
        html = self.env.get_template(template).render(
            root=root,
            here=path,
            version=__version__,
            csp=csp(self_scripts=True),
            link=lambda iri: self.link(path, iri),
            source=lambda g: self.source_ref(path, g),
            kinds=KIND_BY_KEY,
            **context,
        )
        self.write(path, html)

    def link(self, here: str, iri: str | None) -> str | None:
        if iri is None or iri not in self.pages:
            return None
        return relative(here, self.pages[iri])

    def source_ref(self, here: str, g: str) -> dict[str, Any]:
        info = self.sources.get(g, {})
        href = info.get("document")
        return {
            "title": str(info.get("title", g)),
            "href": href if href and is_web_link(href) else None,
            "page": relative(here, self.source_pages[g]) if g in self.source_pages else None,
            "unconfirmed": bool(info.get("unconfirmed")),
            "iri": g,
        }

    def view_json(
        self, here: str, G: nx.MultiDiGraph, *, focus: str | None = None, overview: bool = False
    ) -> Any:
        data = view_data(
            G,
            focus=focus,
            open_focus=False,
            overview=overview,
            page_for=lambda iri: self.link(here, iri),
            source_page_for=lambda g: (
                relative(here, self.source_pages[g]) if g in self.source_pages else None
            ),
        )
        return data, json_for_script(data)
