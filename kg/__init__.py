"""thb-kg: a knowledge graph of the legal framework against trafficking in human beings.

The public API, re-exported here so notebooks and the CLI call the same functions::

    import kg
    graph = kg.load()                      # ontology + graph_data/, memory store
    graph = kg.load(store="oxigraph")      # same data, Oxigraph underneath
    report = kg.validate(graph)            # SHACL over the union of graphs

Each name is imported on first use (:func:`__getattr__`, PEP 562), so that
``import kg`` and a ``kg`` command load only the modules they need: a cold
``kg query`` must not pay for rdflib's SPARQL parser, pyshacl or the
serialisers it never calls.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_EXPORTS = {
    "export": ".dump", "serialize": ".dump", "to_dataset": ".dump",
    "DataFileError": ".errors", "DataFolderError": ".errors", "FormatError": ".errors",
    "KgError": ".errors", "QueryError": ".errors", "StoreError": ".errors",
    "WriteError": ".errors", "QueryTimeoutError": ".errors", "UnsafeQueryError": ".errors",
    "KnowledgeGraph": ".graph", "load": ".graph",
    "Stats": ".stats", "stats": ".stats",
    "ValidationReport": ".validate", "Violation": ".validate", "validate": ".validate",
    # Notebook helpers (kg/notebook.py): inline offline views and result tables.
    "show": ".notebook", "table": ".notebook",
    # SPARQL (kg/query/, kg/library.py): kg.query.run(graph, sparql, params) -> QueryResult,
    # kg.library.list_queries() / get(name) / run(graph, name, params).
    "QueryResult": ".query",
}
#: Sub-packages reachable as attributes (``kg.query.run``, ``kg.library.get``).
_SUBMODULES = ("library", "query")

__all__ = [
    "DataFileError", "DataFolderError", "FormatError", "KgError", "KnowledgeGraph",
    "QueryError", "QueryResult", "QueryTimeoutError", "Stats", "StoreError", "UnsafeQueryError",
    "ValidationReport", "Violation", "WriteError", "__version__", "export", "library", "load",
    "query", "serialize", "show", "stats", "table", "to_dataset", "to_pyvis", "validate",
]

if TYPE_CHECKING:
    from . import library, query
    from .dump import export, serialize, to_dataset
    from .errors import (
        DataFileError,
        DataFolderError,
        FormatError,
        KgError,
        QueryError,
        QueryTimeoutError,
        StoreError,
        UnsafeQueryError,
        WriteError,
    )
    from .graph import KnowledgeGraph, load
    from .notebook import show, table
    from .query import QueryResult
    from .stats import Stats, stats
    from .validate import ValidationReport, Violation, validate


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and keep the name here."""
    module = _EXPORTS.get(name)
    if module is None:
        # a sub-module (kg.query, kg.library, kg.paths...): reachable as an attribute, as
        # it was when this package imported them all
        if name in _SUBMODULES or (
            not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}")
        ):
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


#: Public functions named like the module that defines them: ``kg.stats`` and
#: ``kg.validate`` are the functions, as they were when this package imported them
#: eagerly, even after ``import kg.stats`` (which sets the package's attribute).
_SHADOWED = ("stats", "validate")


class _Package(types.ModuleType):
    """This package's module type: importing the sub-module ``kg.stats`` or ``kg.validate``
    binds the function of that name, not the module (see :data:`_SHADOWED`)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def to_pyvis(view: object, **options: object) -> object:
    """Any network view as a ``pyvis.network.Network``: see :func:`kg.pyvis_network.to_pyvis`.

    Imported on first use, so that ``import kg`` does not load networkx,
    Jinja2 and pyvis.
    """
    from .pyvis_network import to_pyvis as build

    return build(view, **options)  # type: ignore[arg-type]
