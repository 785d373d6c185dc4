"""``questions.html`` and ``q/<name>.html``: the question library, each query's SPARQL
and its result, run once at build time."""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef

from ..errors import KgError
from ..network import humanise
from ..numbers import is_number, show_number
from .chart import bar_chart
from .context import QUERY_ROW_CAP, Site
from .parties_chart import parties_chart
from .paths import relative, segment

#: Questions whose answer holds the counts of parties: their pages draw them over time.
PARTIES_PAGES = frozenset({"dated-counts", "statistics"})

#: Ontology namespaces whose terms have an anchor on ontology.html.
ONTOLOGY_NAMESPACES = ("https://w3id.org/thb-kg/ontology#",)


def library() -> Any:
    """kg.library when it is installed and complete, else None (the site says so)."""
    try:
        from .. import library as lib
    except ImportError:
        return None
    return lib if hasattr(lib, "list_queries") else None


def result_table(result: Any) -> tuple[list[list[Any]], list[str]]:
    if result is None:
        return [], []
    if getattr(result, "kind", None) is not None and result.kind.gives_graph:
        return [list(t) for t in result.triples[:QUERY_ROW_CAP]], ["subject", "predicate", "object"]
    return [list(r) for r in result.rows], list(result.vars)


def answer_cells(site: Site, here: str, rows: list[list[Any]]) -> list[list[dict[str, Any]]]:
    """Each cell in words: an IRI as its label (never the IRI itself), linked to its
    entity page, source page or ontology term where the site has one; the IRI stays
    in the link's title. A number as a reader writes it ("182", not the stored
    "182.0"; :mod:`kg.numbers`), anything else as its text."""
    from ..query import labels

    iris = {c for row in rows for c in row if isinstance(c, URIRef)}
    names = labels(site.engine(), iris) if iris else {}
    out = []
    for row in rows:
        line = []
        for c in row:
            if c is None:
                line.append({"text": "", "href": None, "title": None})
            elif isinstance(c, URIRef):
                iri = str(c)
                href = site.link(here, iri)
                if href is None and iri in site.source_pages:
                    href = relative(here, site.source_pages[iri])
                if href is None and iri.startswith(ONTOLOGY_NAMESPACES):
                    href = relative(here, "ontology.html") + "#" + iri.rsplit("#", 1)[-1]
                text = names.get(c) or (
                    site.G.nodes[iri]["label"] if iri in site.G else humanise(iri)
                )
                if iri in site.sources and c not in names:
                    text = str(site.sources[iri].get("title", text))
                line.append({"text": text, "href": href, "title": iri})
            elif isinstance(c, Literal):
                text = show_number(c) if is_number(c) else str(c)
                line.append({"text": text, "href": None, "title": None, "literal": c})
            else:
                line.append({"text": str(c), "href": None, "title": None})
        out.append(line)
    return out


def build(site: Site) -> None:
    lib = library()
    site.n_queries = 0
    if lib is None:
        site.notes.append(
            "the question library (kg.library) is not available; questions.html says so"
        )
        site.render(
            "site_questions.html",
            "questions.html",
            title="Questions",
            queries=[],
            available=False,
        )
        return
    from ..query import run

    parties = parties_chart(site.select("parties-over-time"))
    engine = site.engine()  # Oxigraph answers the library in milliseconds; rdflib takes seconds
    entries = []
    for q in lib.list_queries():
        here = f"q/{segment(q.name)}.html"
        error = None
        result = None
        try:
            result = run(engine, q.sparql, q.bindings(), max_rows=QUERY_ROW_CAP, policy=None)
        except KgError as exc:
            error = str(exc)
        rows, columns = result_table(result)
        cells = answer_cells(site, here, rows)
        entries.append((q, here))
        site.render(
            "site_query.html",
            here,
            title=q.title,
            q=q,
            error=error,
            columns=columns,
            rows=cells,
            chart=bar_chart(columns, rows, cells),
            parties=parties if q.name in PARTIES_PAGES and rows else None,
            boolean=getattr(result, "boolean", None),
            truncated=bool(getattr(result, "truncated", False)),
        )
        site.n_queries += 1
    site.render(
        "site_questions.html",
        "questions.html",
        title="Questions",
        queries=entries,
        available=True,
    )
