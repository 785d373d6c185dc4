"""Run SPARQL on the graph: prologue, typed parameters, results as values.

For now all of it lives in :mod:`kg.query.execute`; this package re-exports it
so that ``from kg.query import ...`` and ``kg.query.run(graph, ...)`` keep
working.
"""

from __future__ import annotations

from .execute import (  # noqa: F401 - also importable from kg.query, outside __all__
    MAX_NESTING,
    Engine,
    Prepared,
    QueryKind,
    QueryResult,
    RdflibEngine,
    _tokens,
    bind_text,
    dataset_clause,
    describe_term,
    labels,
    parse_param,
    parse_params,
    prepare,
    run,
    valid_iri,
    with_dataset,
    wrap_error,
)

__all__ = [
    "Engine",
    "QueryKind",
    "QueryResult",
    "parse_param",
    "parse_params",
    "prepare",
    "run",
]
