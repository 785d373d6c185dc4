"""The SPARQL servers ``scripts/servers start`` runs, for the tests that need them.

Each server is named by three environment variables (the lines of
``/tmp/thb-kg-servers/env``): ``KG_TEST_<NAME>_QUERY``, ``_UPDATE`` and
``_STORE``. Without them a test that needs the server is skipped, unless
``KG_REQUIRE_SERVERS=1`` (set by ``.ci/run``), which turns the skip into a
failure: in CI no server test may be skipped.

:func:`load` writes a dataset the way ``kg publish`` lays it out: every
named graph under its own IRI (Graph Store Protocol PUT, so loading twice
leaves one copy) and the union of all graphs, each triple once, in
:data:`UNION`; :class:`ServerEngine` queries with that union as the default
graph and the dataset's graphs as the named graphs (the Protocol's
``default-graph-uri`` and ``named-graph-uri``), so every server sees what
the embedded engine sees.
"""

from __future__ import annotations

import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import pytest

from kg.query.result import QueryKind, QueryResult
from kg.terms import plain

SERVERS = ("oxigraph", "virtuoso")
UNION = "https://w3id.org/thb-kg/published/union"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Virtuoso echoes every named-graph-uri as a response header; with the ~115 graphs
# of the shipped data that passes http.client's limit of 100 headers.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 1000)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Server:
    """One running server: its name and its three endpoints."""

    name: str
    query: str
    update: str
    store: str


def server_or_skip(name: str) -> Server:
    """The server called ``name`` from the environment; skipped (failed in CI) without it."""
    key = f"KG_TEST_{name.upper()}_"
    urls = [os.environ.get(key + part) for part in ("QUERY", "UPDATE", "STORE")]
    if not all(urls):
        message = (f"no {name} server: run scripts/servers start and export the lines of "
                   "/tmp/thb-kg-servers/env")
        if os.environ.get("KG_REQUIRE_SERVERS") == "1":
            pytest.fail(message + " (KG_REQUIRE_SERVERS=1: no server test may be skipped)")
        pytest.skip(message)
    return Server(name, *urls)  # type: ignore[arg-type]


def _request(url: str, *, data: bytes | None = None, method: str = "GET",
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=120) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def put_graph(server: Server, name: str, turtle: bytes) -> None:
    """Replace the graph ``name`` on ``server`` with ``turtle`` (Graph Store Protocol PUT)."""
    status, text = _request(server.store + "?" + urllib.parse.urlencode({"graph": name}),
                            data=turtle, method="PUT", headers={"Content-Type": "text/turtle"})
    assert status in (200, 201, 204), f"{server.name} refused graph {name}: {status} {text[:200]!r}"


def load(server: Server, quads: list[Any]) -> list[str]:
    """Put ``quads`` (pyoxigraph quads, the default graph being the union) on ``server``,
    one Graph Store PUT per graph; the names of the named graphs."""
    import pyoxigraph as ox

    graphs: dict[str, list[Any]] = {}
    for q in quads:
        name = UNION if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs.setdefault(name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    for name, triples in graphs.items():
        put_graph(server, name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    return sorted(set(graphs) - {UNION})


def term(value: dict[str, str] | None) -> Any:
    """A SPARQL JSON results term as the rdflib term every engine gives (kg.terms.plain)."""
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    if value.get("xml:lang"):
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != _XSD_STRING:
        return plain(Literal(value["value"], datatype=URIRef(datatype)))
    return Literal(value["value"])


class ServerEngine:
    """A :class:`kg.query.Engine` over one server's query endpoint, with our dataset."""

    def __init__(self, server: Server, named: list[str], default: str = UNION) -> None:
        self.server, self.named, self.default = server, named, default

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        fields = [("query", text), ("default-graph-uri", self.default)]
        fields += [("named-graph-uri", g) for g in self.named]
        status, body = _request(
            self.server.query, data=urllib.parse.urlencode(fields).encode(), method="POST",
            headers={"Accept": "application/sparql-results+json",
                     "Content-Type": "application/x-www-form-urlencoded"})
        if status != 200:
            raise AssertionError(f"{self.server.name} answered {status}: "
                                 f"{body[:600].decode(errors='replace')}")
        doc = json.loads(body)
        names = tuple(doc["head"]["vars"])
        rows = tuple(tuple(term(b.get(n)) for n in names) for b in doc["results"]["bindings"])
        return QueryResult(QueryKind.SELECT, names, rows)
