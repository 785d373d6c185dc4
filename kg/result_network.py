"""A query result as the data of the network view, for the endpoint's query page.

The query page of ``kg serve`` draws a CONSTRUCT/DESCRIBE, or a SELECT with
``?source ?relation ?target``, with the same code as ``kg viz``:
:func:`kg.network.from_query` builds the network (labels, classes and the
source graph of each triple from the whole dataset) and
:func:`kg.view.view_data` turns it into the JSON that ``kg/static/view.js``
draws. This runs inside a query worker (:mod:`kg.answer`), under its time
limit and memory cap, like every other step that costs in proportion to
what a client sent. The workers' zygote imports this module (and so networkx
and pyvis) before it forks them: drawing then costs tens of milliseconds,
not the 0.35 s of CPU the imports take, which would make every drawing a
long query (:mod:`kg.worker`).

>>> import kg
>>> from kg.cache import Snapshot
>>> from kg.query import run
>>> engine = Snapshot.from_graph(kg.load("tests/data/minimal"))
>>> result = run(engine, "CONSTRUCT { ?a eli:amends ?b } WHERE { ?a eli:amends ?b }")
>>> data = view_json(engine, result)
>>> [n["label"] for n in data["nodes"]], data["relations"]
(['Directive (EU) 2024/1712', 'Directive 2011/36/EU'], ['amends'])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyvis.options  # noqa: F401 - kg.view's options; imported here so a worker has it

from .errors import KgError, QueryError
from .network import from_query
from .query import QueryKind, QueryResult
from .view import view_data

#: Nodes past which the page is not sent a network (the browser would stall).
MAX_NODES = 3000


class _OxigraphQuads:
    """The quads of a pyoxigraph-backed engine as rdflib terms, as kg.network reads a Dataset."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def quads(self, _pattern: Any = None) -> Iterator[tuple[Any, Any, Any, Any]]:
        import pyoxigraph as ox
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        from .store.engine import _from_ox

        for q in self.store.quads_for_pattern(None, None, None, None):
            g = q.graph_name
            gid = DATASET_DEFAULT_GRAPH_ID if isinstance(g, ox.DefaultGraph) else _from_ox(g)
            yield _from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object), gid


def _dataset_of(engine: Any) -> Any:
    """What :func:`kg.network.from_query` can read the quads of, for any of our engines."""
    if hasattr(engine, "dataset"):  # rdflib's engine, or a loaded KnowledgeGraph
        return engine
    store = getattr(engine, "store", None)
    if store is not None and hasattr(store, "quads_for_pattern"):
        return _OxigraphQuads(store)
    raise QueryError("This store cannot draw a network of a query result.")


def view_json(engine: Any, result: QueryResult) -> dict[str, Any]:
    """The view data (:func:`kg.view.view_data`) of ``result``, labelled from ``engine``'s graph.

    Raises :class:`QueryError` with a sentence to act on for an ASK, a SELECT
    without ``?source ?relation ?target``, or a network too large to draw.
    """
    if result.kind is QueryKind.ASK:
        raise QueryError(
            "An ASK query answers yes or no; draw a CONSTRUCT or a SELECT with "
            "?source ?relation ?target."
        )
    try:
        G = from_query(_dataset_of(engine), result)
    except QueryError:
        raise
    except KgError as err:
        raise QueryError(str(err)) from None
    if G.number_of_nodes() > MAX_NODES:
        raise QueryError(
            f"The network has {G.number_of_nodes():,} nodes, more than the page draws "
            f"({MAX_NODES:,}); narrow the query, or use kg viz --query."
        )
    return view_data(G)
