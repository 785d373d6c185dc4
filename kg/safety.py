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

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib.term import Node

from .errors import QueryError, UnsafeQueryError
from .namespaces import GRAPH

if TYPE_CHECKING:
    from .query import Prepared

# Second layer: rdflib must never load a graph named in FROM / LOAD from anywhere. Its
# SPARQL package is imported (and switched off) only where rdflib parses or runs a query:
# here in _deep_check, and in kg.query.engines.RdflibEngine; Oxigraph never reads FROM
# as a location.

#: Row cap, time limit (seconds), result size (bytes) and worker memory (bytes) of
#: the endpoint's defaults.
DEFAULT_MAX_ROWS = 10_000
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_MEMORY = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class Policy:
    """What a query may do: allowed SERVICE/FROM IRIs, and the bounds it runs under.

    ``allow`` holds IRIs (or IRI prefixes ending in ``/`` or ``#``) that
    ``SERVICE`` and ``FROM`` may name besides our own graphs. ``Policy()`` is
    the endpoint's: rows, time, result bytes and worker memory capped, and the
    deep check (rdflib's parse tree too). :meth:`local` is what ``kg query``
    and the Python API apply unless told otherwise: the same refusals, no caps.
    A bound of ``None`` means none.
    """

    allow: frozenset[str] = frozenset()
    max_rows: int | None = DEFAULT_MAX_ROWS
    timeout: float | None = DEFAULT_TIMEOUT
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_memory: int | None = DEFAULT_MAX_MEMORY
    deep: bool = True
    #: FROM may name any graph (engines here never load one, SPARQL_LOAD_GRAPHS is off)
    any_graph: bool = False
    #: the names of the graphs the served dataset holds, which FROM may name too (a
    #: ``--data`` folder has its own graph names; the endpoint fills this in at start)
    graphs: frozenset[str] = frozenset()

    @classmethod
    def local(cls, allow: frozenset[str] = frozenset()) -> Policy:
        """The default of ``kg query`` and :func:`kg.query.run`: refusals, no bounds.

        FROM may name any graph of the dataset (a ``--data`` folder has its own
        graph names), since no engine here fetches a graph it names.
        """
        return cls(allow=allow, max_rows=None, timeout=None, max_bytes=None,
                   max_memory=None, deep=True, any_graph=True)

    @property
    def network(self) -> bool:
        """Whether a worker under this policy needs the network (SERVICE was allowed)."""
        return bool(self.allow)

    def allows(self, iri: str) -> bool:
        for entry in self.allow:
            if iri == entry or (entry.endswith(("/", "#")) and iri.startswith(entry)):
                return True
        return False

    def allows_graph(self, iri: str) -> bool:
        return (self.any_graph or iri.startswith(str(GRAPH)) or iri in self.graphs
                or self.allows(iri))


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


def _inspect(tree: Any, policy: Policy) -> tuple[int, int]:
    """Raise on what ``policy`` refuses; return how many SERVICE and FROM clauses were seen."""
    services = froms = 0
    for node in _walk(tree):
        name = _name(node)
        if name == "ServiceGraphPattern":
            services += 1
            term: Any = dict.get(node, "term")
            from rdflib import URIRef

            if not isinstance(term, URIRef):
                shown = term.n3() if isinstance(term, Node) else "(a prefixed name)"
                raise UnsafeQueryError(
                    f"SERVICE {shown} is not allowed: "
                    "a SERVICE must name a fixed IRI that the operator allowed"
                )
            if not policy.allows(str(term)):
                raise UnsafeQueryError(
                    f"SERVICE <{term}> is not allowed: queries here call no other endpoint "
                    "unless the operator allows its IRI (--allow-service)"
                )
        elif name == "DatasetClause":
            froms += 1
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
            raise UnsafeQueryError("Updates are refused: the graph is read-only here.")
    return services, froms


def _iri_of(tok: Any, prefixes: dict[str, str]) -> str | None:
    """The IRI a token names: an ``<IRI>``, or a prefixed name with a declared prefix."""
    if tok.kind == "iri":
        return str(tok.text[1:-1])
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def check_tokens(text: str, policy: Policy) -> None:
    """Judge the exact text an engine will run, token by token.

    ``text`` is :func:`kg.query.lexer.canonical` (as :func:`kg.query.prepare`
    gives it), so no comment or escape can hide a word from this check and
    show it to an engine. Every ``SERVICE`` must be followed by an allowed
    IRI; every ``FROM``/``FROM NAMED`` by one of our graphs or an allowed IRI;
    no update keyword may appear at all. This is conservative (a variable
    after ``SERVICE`` is refused) and cheap: one pass of the lexer.
    """
    from .query.lexer import _UPDATE_WORDS, _tokens

    toks = _tokens(text)
    prefixes: dict[str, str] = {}
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        after = toks[i + 1] if i + 1 < len(toks) else None
        if word == "PREFIX" and after is not None and after.kind == "pname":
            ref = toks[i + 2] if i + 2 < len(toks) else None
            if ref is not None and ref.kind == "iri":
                prefixes[after.text.split(":", 1)[0]] = ref.text[1:-1]
        elif word in ("SERVICE", "FROM"):
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() in (
                "SILENT", "NAMED"
            ):
                j += 1
            iri = _iri_of(toks[j], prefixes) if j < len(toks) else None
            if word == "SERVICE":
                if iri is None:
                    raise UnsafeQueryError(
                        "SERVICE is not allowed here: a SERVICE must name a fixed IRI that "
                        "the operator allowed"
                    )
                if not policy.allows(iri):
                    raise UnsafeQueryError(
                        f"SERVICE <{iri}> is not allowed: queries here call no other endpoint "
                        "unless the operator allows its IRI (--allow-service)"
                    )
            elif iri is None or not policy.allows_graph(iri):
                shown = f"<{iri}>" if iri is not None else "without an IRI"
                raise UnsafeQueryError(
                    f"FROM {shown} is not allowed: FROM may only name this graph's own graphs "
                    f"({GRAPH}...)"
                )
        elif word in _UPDATE_WORDS - {"WITH"} or word == "WITH" and i == 0:
            raise UnsafeQueryError("Updates are refused: the graph is read-only here.")


def check(text: str, policy: Policy, *, source: Prepared | None = None, deep: bool = True) -> None:
    """Raise :class:`UnsafeQueryError` if ``text`` breaks ``policy``; return if it is fine.

    ``text`` is a complete query (with its PREFIX lines) as the engine will
    run it; ``source`` maps error positions back to what the user wrote.
    :func:`check_tokens` judges that exact text first. With ``deep`` (the
    default), rdflib's parse tree and algebra are walked too, and a query
    whose parse holds fewer ``SERVICE`` or ``FROM`` clauses than its tokens is
    refused: two parsers that disagree about a text are not trusted with it.
    The deep check costs a full parse (tens of milliseconds, much more for a
    huge query), so it runs where a time limit applies: in the query worker.
    """
    key = (text, policy, deep)
    if key in _PASSED:  # the same text under the same policy: the same verdict
        try:
            _PASSED.move_to_end(key)
        except KeyError:  # dropped by another thread meanwhile
            pass
        return
    check_tokens(text, policy)
    if deep:
        _deep_check(text, policy, source)
    _PASSED[key] = None
    while len(_PASSED) > _PASSED_SIZE:
        try:
            _PASSED.popitem(last=False)
        except KeyError:
            break


#: Texts that passed the check, most recent last: a served query page sends the same
#: few queries again and again, and rdflib's parse costs tens of milliseconds.
_PASSED: OrderedDict[tuple[str, Policy, bool], None] = OrderedDict()
_PASSED_SIZE = 512


def _deep_check(text: str, policy: Policy, source: Prepared | None) -> None:
    """rdflib's parse tree and algebra, and the count of clauses against the tokens."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from .query.engines import no_graph_loading

    no_graph_loading()

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except Exception:  # noqa: BLE001 - not an update either: report the query error
            pass
        else:
            raise UnsafeQueryError("Updates are refused: the graph is read-only here.") from None
        line, col = exc.lineno, exc.col
        query = text
        if source is not None:
            line, col = source.locate(line, col)
            query = source.source
        message = str(exc.msg) if getattr(exc, "msg", None) else "syntax error"
        from .query.messages import _curie_path_hint  # the hint kg query gives for this slip

        raise QueryError(f"SPARQL syntax error: {message}{_curie_path_hint(query)}", query=query,
                         line=line, column=col) from None
    except RecursionError:
        raise QueryError(
            "The query nests too deeply to parse (too many braces or parentheses)."
        ) from None
    services, froms = _inspect(parsed, policy)
    from .query.dataset import dataset_clause
    from .query.lexer import _tokens

    keywords = sum(1 for t in _tokens(text) if t.kind == "word" and t.text.upper() == "SERVICE")
    if keywords > services:
        raise UnsafeQueryError("SERVICE is not allowed here: queries here call no other "
                               "endpoint.")
    if sum(map(len, dataset_clause(text))) > froms:
        raise UnsafeQueryError("FROM is not allowed here: the query's dataset clauses are "
                               "ambiguous.")
    try:
        algebra = translateQuery(parsed)
    except RecursionError:
        raise QueryError("The query nests too deeply to translate.") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exceptions here
        raise QueryError(f"Query cannot be translated: {exc}") from None
    _inspect(algebra.algebra, policy)
