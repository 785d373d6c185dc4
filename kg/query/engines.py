"""The engines that run prepared query text, and how to pick one for a target.

An :class:`Engine` is anything with ``execute(text, max_rows=...)`` that
returns a :class:`~kg.query.result.QueryResult`: :class:`RdflibEngine` over
an rdflib ``Dataset`` (memory store, or Oxigraph via oxrdflib),
:class:`kg.store.Snapshot` over Oxigraph directly, or :mod:`kg.worker`'s
subprocess. :func:`_engine_for` takes the engine a loaded graph gives
(:meth:`kg.graph.KnowledgeGraph.engine`): the store layer (:mod:`kg.store`)
picks it, and this package never imports that layer, which imports this
package's results. Terms are normalised (:func:`_plain`) so every engine
gives equal answers.
"""

from __future__ import annotations

from typing import Any, Protocol

from rdflib.term import Node

from .result import QueryKind, QueryResult


def no_graph_loading() -> None:
    """Switch off rdflib's loading of graphs a query names in ``FROM`` (a file:// or
    http:// IRI): ``FROM`` names a graph of the dataset, on every engine, as Oxigraph
    reads it. Called before rdflib runs or parses any query (:class:`RdflibEngine`,
    :mod:`kg.safety`), not at import: rdflib's SPARQL package takes a quarter of a
    second to import, which a ``kg query`` on Oxigraph never needs."""
    import rdflib.plugins.sparql as rdflib_sparql

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False


class Engine(Protocol):
    """Something that runs prepared SPARQL text and returns a :class:`QueryResult`."""

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult: ...


def _plain(node: Node | None) -> Node | None:
    """One form per term (plain strings, canonical decimals): both engines give equal terms."""
    from ..terms import plain

    return plain(node)


class RdflibEngine:
    """Queries an rdflib ``Dataset`` (memory store, or Oxigraph via oxrdflib)."""

    def __init__(self, dataset: Any) -> None:
        no_graph_loading()
        self.dataset = dataset

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        from itertools import islice

        result = self.dataset.query(text)
        kind = QueryKind(result.type)
        if kind is QueryKind.ASK:
            return QueryResult(kind, boolean=bool(result.askAnswer))
        if kind.gives_graph:
            limit = None if max_rows is None else max_rows + 1
            graph = result.graph if result.graph is not None else ()
            triples = tuple((s, p, _plain(o)) for s, p, o in islice(graph, limit))
            cut = max_rows is not None and len(triples) > max_rows
            if cut:
                triples = triples[:max_rows]
            return QueryResult(kind, triples=triples, truncated=cut)  # type: ignore[arg-type]
        names = tuple(str(v) for v in (result.vars or ()))
        limit = None if max_rows is None else max_rows + 1
        rows = [tuple(_plain(t) for t in row) for row in islice(result, limit)]
        truncated = max_rows is not None and len(rows) > max_rows
        if truncated:
            rows = rows[:max_rows]
        return QueryResult(kind, names, tuple(rows), truncated=truncated)


def _engine_for(target: Any) -> Engine:
    """``target`` itself if it is an engine, else the engine a loaded graph gives
    (:meth:`kg.graph.KnowledgeGraph.engine`, which asks :mod:`kg.store`)."""
    if hasattr(target, "execute"):
        return target
    engine = getattr(target, "engine", None)
    if not callable(engine):
        raise TypeError(f"run() needs a KnowledgeGraph or an Engine, not {type(target).__name__}")
    return engine()  # type: ignore[no-any-return]
