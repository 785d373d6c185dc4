"""The graph on a SPARQL 1.1 server: an engine that sends queries there, and the dataset
fetched back for the commands that need rdflib objects.

**Layout.** ``kg publish`` (:mod:`kg.store.publish`) writes the dataset to a
server as named graphs, each under its own IRI, plus three graphs of ours
under :data:`PUBLISHED`:

* ``published/union`` (or the server's own default graph, see below): every
  triple of every graph, each once: what a query without ``GRAPH`` sees
  embedded (:class:`kg.store.Snapshot` keeps the same union in its default
  graph);
* ``published/default``: the dataset's own default graph (the descriptions
  of the sources);
* ``published/dataset``: which named graphs belong to the dataset
  (``sd:namedGraph``/``sd:name``, the SPARQL Service Description terms).

Queries then see the dataset as embedded, in one of two ways that
``kg publish`` chooses by asking the server whether its default graph
includes its named graphs:

* it does not (Oxigraph, Fuseki): the union is written into the server's own
  default graph instead of ``published/union``, queries name no dataset, and
  each ``GRAPH ?g`` pattern is wrapped to skip our graphs
  (:func:`without_published`). Oxigraph reads a dataset named in the request
  graph by graph, which made a query joining two ``GRAPH ?g`` patterns 36
  times slower at 100k quads;
* it does (Virtuoso: all graphs, with duplicates): queries name their dataset
  in the request, as the SPARQL 1.1 Protocol allows (``default-graph-uri`` =
  ``published/union``; ``named-graph-uri`` = each graph, when the query has a
  ``GRAPH`` pattern), and ``GRAPH ?g`` is wrapped too (Virtuoso's also ranges
  over the default graph named in the request).

``published/dataset`` records which (``sd:defaultGraph published/union`` for
the second). A query with its own ``FROM``/``FROM NAMED`` keeps them. A
server with no ``published/dataset`` graph is queried as it is: its own
default graph, all its named graphs.

**Queries** go as written, with our predeclared prefixes prepended (a server
does not know them), by POST; SELECT and ASK answers are asked as
``application/sparql-results+json``, CONSTRUCT and DESCRIBE as N-Triples,
and turned into the same rdflib terms every engine gives
(:func:`kg.terms.plain`).

**Fetching** the whole dataset (``kg validate``, ``kg viz``, ``kg site`` on
``--endpoint``) reads each graph with SELECT, page by page, up to
:data:`kg.store.fetch.FETCH_LIMIT` quads (:mod:`kg.store.fetch`); past it
they refuse in one sentence. ``kg stats`` is counted by the server there too.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..query.dataset import dataset_clause
from ..query.result import QueryKind, QueryResult
from . import http

if TYPE_CHECKING:
    pass

#: Environment variable naming the endpoint when no ``--endpoint`` is given.
ENDPOINT_ENV = "KG_ENDPOINT"
#: The graphs kg publish adds beside the dataset's own (see the module docstring).
PUBLISHED = "https://w3id.org/thb-kg/published/"
UNION_GRAPH = PUBLISHED + "union"
DEFAULT_GRAPH = PUBLISHED + "default"
DATASET_GRAPH = PUBLISHED + "dataset"
SD = "http://www.w3.org/ns/sparql-service-description#"

_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/json;q=0.5"
)
#: For CONSTRUCT and DESCRIBE: triples (Virtuoso would give them as s/p/o rows in JSON).
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LABEL = re.compile(r"[A-Za-z0-9_]+")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DCT_TITLE = "http://purl.org/dc/terms/title"


def endpoint_from(option: str | None) -> str | None:
    """The endpoint ``--endpoint`` or ``$KG_ENDPOINT`` names, checked; None for neither."""
    url = option or os.environ.get(ENDPOINT_ENV) or None
    return http.check_url(url) if url else None


# ---------------------------------------------------------------- terms

def term_from_json(value: dict[str, str] | None) -> Any:
    """A SPARQL 1.1 JSON results term as the rdflib term every engine gives."""
    from rdflib import BNode, Literal, URIRef

    from ..terms import plain

    if value is None:
        return None
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":  # Virtuoso's "nodeID://b10015" is no valid label for Oxigraph
        return BNode(text if _LABEL.fullmatch(text) else "b" + text.encode().hex())
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Literal(text, lang=lang)
        datatype = value.get("datatype")
        if datatype and datatype != _XSD_STRING:
            return plain(Literal(text, datatype=URIRef(datatype)))
        return Literal(text)
    raise QueryError(f"The SPARQL server sent a term of unknown type {kind!r}.")


def _nt(iri: str) -> str:
    return f"<{iri}>"


# ---------------------------------------------------------------- the dataset

@dataclass
class RemoteDataset:
    """Which graphs of the server at ``url`` make the dataset, read once on first use."""

    url: str
    timeout: float | None = http.DEFAULT_TIMEOUT
    _named: tuple[str, ...] | None = field(default=None, repr=False)
    _published: bool = field(default=False, repr=False)
    _native: bool = field(default=False, repr=False)

    def _discover(self) -> None:
        if self._named is not None:
            return
        rows = self.select(
            f"SELECT ?g ?union WHERE {{ GRAPH {_nt(DATASET_GRAPH)} "
            f"{{ ?d <{SD}namedGraph> ?n . ?n <{SD}name> ?g "
            f"OPTIONAL {{ ?d <{SD}defaultGraph> ?union }} }} }}",
            dataset=False,
        )
        named = sorted({str(r["g"]) for r in rows if r.get("g") is not None})
        if named:
            self._named, self._published = tuple(named), True
            self._native = not any(r.get("union") is not None for r in rows)
            return
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=False)
        self._named = tuple(sorted(str(r["g"]) for r in rows if r.get("g") is not None))

    @property
    def published(self) -> bool:
        """Whether ``kg publish`` wrote this dataset (it has ``published/dataset``)."""
        self._discover()
        return self._published

    @property
    def native(self) -> bool:
        """Whether the union is the server's own default graph (see :mod:`kg.store.publish`):
        queries then name no dataset, and ``GRAPH ?g`` skips our graphs."""
        self._discover()
        return self._native

    @property
    def named(self) -> tuple[str, ...]:
        """The named graphs of the dataset (ours only, when published)."""
        self._discover()
        assert self._named is not None
        return self._named

    def protocol_dataset(self, default: str | None = UNION_GRAPH, *,
                         named: bool = True) -> list[tuple[str, str]]:
        """The ``default-graph-uri``/``named-graph-uri`` fields for a query; ``named``
        False leaves the named graphs out (a query without ``GRAPH`` reads none, and
        Oxigraph reads a listed dataset graph by graph, so the list costs time)."""
        if not self.published:
            return []
        fields = [("default-graph-uri", default)] if default else []
        return fields + [("named-graph-uri", g) for g in self.named] if named else fields

    def send(self, text: str, *, dataset: bool = True, default: str | None = UNION_GRAPH,
             timeout: float | None = None) -> http.Response:
        """POST the query ``text`` (as the Protocol's form), with our dataset unless
        the query names its own."""
        fields = [("query", text)]
        if dataset:
            defaults, named = dataset_clause(text)
            if defaults or named:  # the query's own dataset, also in the request, where
                # a server that overrides FROM (Oxigraph's --union-default-graph) takes it
                fields += [("default-graph-uri", g) for g in defaults]
                fields += [("named-graph-uri", g) for g in named]
            elif default == UNION_GRAPH and self.published and self.native:
                fields = [("query", without_published(text))]
            else:
                uses_graph = _uses_graph(text)
                if uses_graph and self.published:  # Virtuoso's GRAPH ?g also sees the default
                    fields = [("query", without_published(text))]
                fields += self.protocol_dataset(default, named=uses_graph)
        return http.request(
            self.url, method="POST", data=http.form(fields),
            headers={"Accept": _ACCEPT_GRAPH if _gives_graph(text) else _ACCEPT,
                     "Content-Type": "application/x-www-form-urlencoded"},
            timeout=self.timeout if timeout is None else timeout,
            what="SPARQL endpoint",
        )

    def select(self, text: str, *, dataset: bool = True,
               default: str | None = UNION_GRAPH) -> list[dict[str, Any]]:
        """The rows of a SELECT as ``{variable: term}``."""
        result = _parse(self.send(text, dataset=dataset, default=default), self.url)
        return result.as_dicts()


def _gives_graph(text: str) -> bool:
    """Whether the query is a CONSTRUCT or DESCRIBE (its form, as the lexer reads it)."""
    from ..query.lexer import _shape

    try:
        form = _shape(text).form
    except Exception:  # noqa: BLE001 - a query the lexer refuses: the server says why
        return False
    return (form or "").upper() in ("CONSTRUCT", "DESCRIBE")


def _uses_graph(text: str) -> bool:
    """Whether the query has a ``GRAPH`` pattern (the keyword, not a prefix or an IRI)."""
    from ..query.lexer import _tokens

    return any(t.kind == "word" and t.text.upper() == "GRAPH" for t in _tokens(text))


def without_published(text: str) -> str:
    """``text`` with each ``GRAPH ?var { ... }`` in a group that skips our own graphs:
    ``{ GRAPH ?var { ... } FILTER(!STRSTARTS(STR(?var), PUBLISHED)) }``, the same
    pattern over the dataset's named graphs only (the filter sees ``?var`` bound, after
    the ``GRAPH`` pattern, as SPARQL evaluates a group)."""
    from ..query.lexer import _tokens

    tokens = _tokens(text)
    edits: list[tuple[int, str]] = []
    for i, token in enumerate(tokens[:-2]):
        var, brace = tokens[i + 1], tokens[i + 2]
        if not (token.kind == "word" and token.text.upper() == "GRAPH"
                and var.kind == "var" and brace.text == "{"):
            continue
        close = next((t for t in tokens[i + 3:] if t.text == "}" and t.depth == brace.depth + 1),
                     None)
        if close is None:  # unbalanced: the server reports the syntax error
            return text
        edits.append((token.start, "{ "))
        edits.append((close.start + 1,
                      f' FILTER(!STRSTARTS(STR({var.text}), "{PUBLISHED}")) }}'))
    for position, added in sorted(edits, reverse=True):
        text = text[:position] + added + text[position:]
    return text


def _parse(response: http.Response, url: str, max_rows: int | None = None) -> QueryResult:
    media = response.media_type
    if media in ("application/sparql-results+json", "application/json"):
        return _parse_json(response.body, url, max_rows)
    try:
        import pyoxigraph as ox

        fmt = ox.RdfFormat.from_media_type(media)
    except (ImportError, ValueError):
        fmt = None
    if fmt is None:
        raise http.EndpointError(
            f"The SPARQL endpoint at {url} answered with {media or 'no media type'}, not "
            "SPARQL results; check that the URL is a query endpoint (Oxigraph: /query, "
            "Virtuoso: /sparql).",
            url=url,
        )
    return _parse_graph(response.body, fmt, url, max_rows)


def _parse_json(body: bytes, url: str, max_rows: int | None) -> QueryResult:
    try:
        doc = json.loads(body)
        if "boolean" in doc:
            return QueryResult(QueryKind.ASK, boolean=bool(doc["boolean"]))
        names = tuple(doc["head"]["vars"])
        bindings = doc["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as exc:
        raise http.EndpointError(
            f"The SPARQL endpoint at {url} sent results that are not SPARQL 1.1 JSON "
            f"({type(exc).__name__}: {str(exc)[:100]}); check the server.",
            url=url,
        ) from None
    if names == ("__ASK_RETVAL",) and len(bindings) <= 1:  # Virtuoso 7's answer to ASK
        value = bindings[0].get("__ASK_RETVAL", {}).get("value") if bindings else "0"
        return QueryResult(QueryKind.ASK, boolean=value not in ("0", "false"))
    cut = max_rows is not None and len(bindings) > max_rows
    if cut:
        bindings = bindings[:max_rows]
    seen: dict[tuple[tuple[str, str], ...], Any] = {}  # a term repeats across rows: convert it once

    def term(value: dict[str, str] | None) -> Any:
        if value is None:
            return None
        key = tuple(sorted(value.items()))
        if key not in seen:
            seen[key] = term_from_json(value)
        return seen[key]

    rows = tuple(tuple(term(b.get(n)) for n in names) for b in bindings)
    return QueryResult(QueryKind.SELECT, names, rows, truncated=cut)


def _parse_graph(body: bytes, fmt: Any, url: str, max_rows: int | None) -> QueryResult:
    import pyoxigraph as ox

    from .engine import _from_ox

    try:
        triples = tuple(dict.fromkeys(
            (_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
            for t in ox.parse(body, format=fmt)
        ))
    except SyntaxError as exc:
        raise http.EndpointError(
            f"The SPARQL endpoint at {url} sent triples that do not parse ({exc}); "
            "check the server.",
            url=url,
        ) from None
    cut = max_rows is not None and len(triples) > max_rows
    return QueryResult(QueryKind.CONSTRUCT, triples=triples[:max_rows] if cut else triples,
                       truncated=cut)


# ---------------------------------------------------------------- the engine

class RemoteEngine:
    """An :class:`kg.query.Engine` answering from a SPARQL 1.1 Protocol server.

    ``timeout`` bounds each request (connecting and reading the whole answer).
    """

    #: Queries run in this process: the server runs them, so there is nothing to confine
    #: (kg query checks them first, as always).
    remote = True

    def __init__(self, url: str, *, timeout: float | None = http.DEFAULT_TIMEOUT) -> None:
        self.url = http.check_url(url)
        self.dataset = RemoteDataset(self.url, timeout)

    def __repr__(self) -> str:
        return f"RemoteEngine({self.url!r})"

    @property
    def timeout(self) -> float | None:
        return self.dataset.timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        self.dataset.timeout = value

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        return _parse(self.dataset.send(text), self.url, max_rows)
