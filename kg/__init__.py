"""thb-kg: a knowledge graph of the legal framework against trafficking in human beings.

The public API, re-exported here so notebooks and the CLI call the same functions::

    import kg
    graph = kg.load()                      # ontology + graph_data/, memory store
    graph = kg.load(store="oxigraph")      # same data, Oxigraph underneath
    report = kg.validate(graph)            # SHACL over the union of graphs
"""

from __future__ import annotations

__version__ = "0.1.0"

from .dump import export, serialize, to_dataset  # noqa: E402
from .errors import (  # noqa: E402
    DataFileError,
    DataFolderError,
    FormatError,
    KgError,
    QueryError,
    StoreError,
    WriteError,
)
from .graph import KnowledgeGraph, load  # noqa: E402
from .stats import Stats, stats  # noqa: E402
from .validate import ValidationReport, Violation, validate  # noqa: E402

__all__ = [
    "DataFileError",
    "DataFolderError",
    "FormatError",
    "KgError",
    "KnowledgeGraph",
    "QueryError",
    "StoreError",
    "Stats",
    "ValidationReport",
    "Violation",
    "WriteError",
    "__version__",
    "export",
    "load",
    "serialize",
    "stats",
    "to_dataset",
    "validate",
]

# Notebook helpers (kg/notebook.py): inline offline views and result tables.
from .notebook import show, table  # noqa: E402

__all__ += ["show", "table"]

# SPARQL (kg/query/, kg/library.py): kg.query.run(graph, sparql, params) -> QueryResult,
# kg.library.list_queries() / get(name) / run(graph, name, params).
from . import library, query  # noqa: E402
from .errors import QueryTimeoutError, UnsafeQueryError  # noqa: E402
from .query import QueryResult  # noqa: E402

__all__ += ["QueryResult", "QueryTimeoutError", "UnsafeQueryError", "library", "query"]



def to_pyvis(view: object, **options: object) -> object:
    """Any network view as a ``pyvis.network.Network``: see :func:`kg.pyvis_network.to_pyvis`.

    Imported on first use, so that ``import kg`` does not load networkx,
    Jinja2 and pyvis.
    """
    from .pyvis_network import to_pyvis as build

    return build(view, **options)  # type: ignore[arg-type]


__all__ += ["to_pyvis"]
