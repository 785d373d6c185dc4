"""``questions.html`` and ``q/<name>.html``: the question library, each query's SPARQL
and its result, run once at build time."""

from __future__ import annotations

from typing import Any

from ..errors import KgError
from .context import QUERY_ROW_CAP, Site
from .paths import segment


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

    engine: Any = site.kg
    try:  # Oxigraph answers the library in milliseconds; rdflib takes seconds
        from ..cache import Snapshot

        engine = Snapshot.from_graph(site.kg)
    except ImportError:
        pass
    G = site.G
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
        entries.append((q, here))
        site.render(
            "site_query.html",
            here,
            title=q.title,
            q=q,
            error=error,
            columns=columns,
            rows=rows,
            boolean=getattr(result, "boolean", None),
            truncated=bool(getattr(result, "truncated", False)),
            label_of=lambda term: G.nodes[term]["label"] if term in G else None,
        )
        site.n_queries += 1
    site.render(
        "site_questions.html",
        "questions.html",
        title="Questions",
        queries=entries,
        available=True,
    )
