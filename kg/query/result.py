"""The answer to a query as values: :class:`QueryKind` and :class:`QueryResult`.

Every engine (rdflib's memory store, Oxigraph through oxrdflib, Oxigraph
directly) returns the same frozen :class:`QueryResult`, so callers never
see an engine's own result type. Writing a result out (CSV, JSON, a table)
is the job of :mod:`kg.results`; this module only holds the values.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib.term import Node

from ..namespaces import PREFIXES


class QueryKind(enum.Enum):
    """The four query forms; SELECT and ASK give rows, the others give triples."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def gives_graph(self) -> bool:
        return self in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE)


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: variables and rows, a boolean, or triples.

    ``rows`` hold rdflib terms (``None`` where a variable is unbound);
    ``truncated`` is true when a row cap cut the answer short.
    """

    kind: QueryKind
    vars: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.triples) if self.kind.gives_graph else len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def as_dicts(self) -> list[dict[str, Node]]:
        """Each row as ``{variable: term}``, unbound variables left out."""
        return [
            {v: t for v, t in zip(self.vars, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def column(self, name: str) -> list[Node | None]:
        """The values of one variable, in row order."""
        try:
            i = self.vars.index(name)
        except ValueError:
            raise KeyError(f"no variable ?{name}; variables: {', '.join(self.vars)}") from None
        return [row[i] for row in self.rows]

    def graph(self) -> Any:
        """The triples of a CONSTRUCT or DESCRIBE as an rdflib ``Graph``."""
        from rdflib import Graph

        g = Graph()
        for prefix, iri in PREFIXES.items():
            g.bind(prefix, iri, override=True, replace=True)
        for t in self.triples:
            g.add(t)
        return g
