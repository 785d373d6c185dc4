"""The safety policy for queries from people we do not know.

Before any engine sees a query, :func:`check` parses it with rdflib's SPARQL
parser and walks both the parse tree and the algebra: an update, a
``SERVICE`` (also nested in ``OPTIONAL``/``UNION``/sub-queries, also with a
variable as its IRI), or a ``FROM``/``FROM NAMED`` outside our own graph
names is refused unless the operator allowed that IRI. As a second layer
``rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS`` is switched off, so rdflib never
fetches a graph named in ``FROM``. Time limits live in :mod:`kg.worker`.

>>> check("SELECT * WHERE { ?s ?p ?o }", Policy())
>>> check("SELECT * WHERE { OPTIONAL { SERVICE <http://127.0.0.1/> { ?s ?p ?o } } }",
...       Policy())  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.UnsafeQueryError: SERVICE <http://127.0.0.1/> is not allowed: ...
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rdflib.plugins.sparql as _rdflib_sparql

from .errors import QueryError, UnsafeQueryError
from .namespaces import GRAPH

if TYPE_CHECKING:
    from .query import Prepared

# Second layer: rdflib must never load a graph named in FROM / LOAD from anywhere.
_rdflib_sparql.SPARQL_LOAD_GRAPHS = False

#: Row cap and time limit (seconds) of the safe defaults.
DEFAULT_MAX_ROWS = 10_000
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Policy:
    """What a query may do: allowed SERVICE/FROM IRIs, a row cap, a time limit.

    ``allow`` holds IRIs (or IRI prefixes ending in ``/`` or ``#``) that
    ``SERVICE`` and ``FROM`` may name besides our own graphs.
    """

    allow: frozenset[str] = frozenset()
    max_rows: int = DEFAULT_MAX_ROWS
    timeout: float = DEFAULT_TIMEOUT

    def allows(self, iri: str) -> bool:
        for entry in self.allow:
            if iri == entry or (entry.endswith(("/", "#")) and iri.startswith(entry)):
                return True
        return False

    def allows_graph(self, iri: str) -> bool:
        return iri.startswith(str(GRAPH)) or self.allows(iri)


def _walk(node: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every node of an rdflib parse tree or algebra (CompValues, lists, results)."""
    if seen is None:
        seen = set()
    if id(node) in seen:
        return
    seen.add(id(node))
    yield node
    if isinstance(node, dict):  # CompValue is an OrderedDict
        children: Any = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    elif hasattr(node, "asList") and hasattr(node, "__iter__"):  # pyparsing ParseResults
        children = list(node)
    else:
        return
    for child in children:
        if isinstance(child, (str, bytes, int, float, set, frozenset)):
            continue
        yield from _walk(child, seen)


def _name(node: Any) -> str | None:
    return getattr(node, "name", None) if isinstance(node, dict) else None


def _inspect(tree: Any, policy: Policy) -> int:
    """Raise on what ``policy`` refuses; return how many SERVICE clauses were seen."""
    services = 0
    for node in _walk(tree):
        name = _name(node)
        if name == "ServiceGraphPattern":
            services += 1
            term: Any = dict.get(node, "term")
            from rdflib import URIRef

            if not isinstance(term, URIRef):
                shown = term.n3() if hasattr(term, "n3") else str(term)
                raise UnsafeQueryError(
                    f"SERVICE {shown} is not allowed: "
                    "a SERVICE must name a fixed IRI that the operator allowed"
                )
            if not policy.allows(str(term)):
                raise UnsafeQueryError(
                    f"SERVICE <{term}> is not allowed: this endpoint does not call other "
                    "endpoints (an operator can allow an IRI with --allow-service)"
                )
        elif name == "DatasetClause":
            for key in ("default", "named"):
                iri = dict.get(node, key)
                if iri is not None and not policy.allows_graph(str(iri)):
                    word = "FROM" if key == "default" else "FROM NAMED"
                    raise UnsafeQueryError(
                        f"{word} <{iri}> is not allowed: FROM may only name this graph's "
                        f"own graphs ({GRAPH}...)"
                    )
        elif name in ("Load", "Clear", "Drop", "Create", "Add", "Move", "Copy",
                      "InsertData", "DeleteData", "DeleteWhere", "Modify"):
            raise UnsafeQueryError("Updates are refused: this endpoint is read-only.")
    return services


def check(text: str, policy: Policy, *, source: Prepared | None = None) -> None:
    """Raise :class:`UnsafeQueryError` if ``text`` breaks ``policy``; return if it is fine.

    ``text`` is a complete query (with its PREFIX lines); ``source`` maps
    error positions back to what the user wrote.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except Exception:  # noqa: BLE001 - not an update either: report the query error
            pass
        else:
            raise UnsafeQueryError("Updates are refused: this endpoint is read-only.") from None
        line, col = exc.lineno, exc.col
        query = text
        if source is not None:
            line, col = source.locate(line, col)
            query = source.source
        message = str(exc.msg) if getattr(exc, "msg", None) else "syntax error"
        raise QueryError(f"SPARQL syntax error: {message}", query=query, line=line,
                         column=col) from None
    except RecursionError:
        raise QueryError(
            "The query nests too deeply to parse (too many braces or parentheses)."
        ) from None
    seen = _inspect(parsed, policy)
    # Third layer: the engine that runs the query has its own parser. If our lexer
    # sees more SERVICE keywords than rdflib's parse tree holds, the parsers disagree
    # about this text: refuse rather than guess.
    from .query.lexer import _tokens

    keywords = sum(1 for t in _tokens(text) if t.kind == "word" and t.text.upper() == "SERVICE")
    if keywords > seen:
        raise UnsafeQueryError("SERVICE is not allowed here: this endpoint does not call "
                               "other endpoints.")
    try:
        algebra = translateQuery(parsed)
    except RecursionError:
        raise QueryError("The query nests too deeply to translate.") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exceptions here
        raise QueryError(f"Query cannot be translated: {exc}") from None
    _inspect(algebra.algebra, policy)
