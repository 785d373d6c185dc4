"""Virtuoso's dialect: the library answers on each server as embedded, quirks pinned.

tests/test_remote_agreement.py runs every library query through ``kg
publish`` and ``--endpoint`` with its defaults and a few other parameters;
here the same path runs them with the parameters of the fact tests of
tests/test_library.py (every day of the in-force table, each date range,
each instrument), comparing rows and the order the ORDER BY keys give.

Virtuoso 7.2 needed library queries written another way (README, "SPARQL
servers"). :data:`QUIRKS` pins each quirk on Virtuoso itself: the query as
SPARQL 1.1 reads it answers otherwise there (if a release fixes it, the test
says the rewrite can go), and the form the library uses answers right on
both servers.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import servers
from rdflib import BNode
from test_library import D2011, D2024, IN_FORCE, PROTOCOL

from kg import library
from kg.query import run
from kg.store import http as kg_http
from kg.store import open_engine
from kg.store.publish import publish
from kg.store.remote import RemoteEngine

#: The fact tests' parameters (tests/test_library.py), beyond each query's defaults.
PARAMS: list[tuple[str, dict[str, str]]] = [
    *(("in-force", {"asOf": date}) for date, _inside, _outside in IN_FORCE),
    ("changes", {"from": "2011-04-01", "to": "2011-04-30"}),
    ("changes", {"from": "2024-01-01", "to": "2024-12-31"}),
    ("changes", {"from": "2010-01-01", "to": "2017-12-31"}),
    ("timeline", {"from": "2010-01-01", "to": "2011-12-31"}),
    *(("lineage", {"instrument": iri}) for iri in (D2011, D2024, PROTOCOL)),
    ("provenance", {"entity": "id:membership/vassiliadou-atc", "property": "thb:appointmentDate"}),
]


def _case_id(case: tuple[str, dict[str, str]]) -> str:
    name, params = case
    return name + "".join(f"-{v.rstrip('/').rsplit('/', 2)[-2] if '/' in v else v}"
                          for v in params.values())


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("dialect-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def embedded(cache_dir: Path) -> Any:
    """The engine kg query uses on the shipped data."""
    return open_engine()


@pytest.fixture(scope="module", params=servers.NAMES)
def server(request: pytest.FixtureRequest, cache_dir: Path) -> servers.Server:
    """A server holding the shipped dataset, published by kg publish."""
    found = servers.server(request.param)
    publish(found.query, update_url=found.update, store_url=found.store)
    return found


def _rows(result: Any) -> Counter:
    """Rows as a multiset, every blank node the same (its label is the engine's)."""
    return Counter(tuple("_:" if isinstance(t, BNode) else t for t in row) for row in result.rows)


def _order_keys(sparql: str, result: Any) -> list[tuple[Any, ...]]:
    """The projected ORDER BY keys of each row, in the order the engine gave them."""
    clause = sparql.rsplit("ORDER BY", 1)[1] if "ORDER BY" in sparql else ""
    keys = []
    for var in re.findall(r"\?(\w+)", clause):
        if var not in result.vars:
            break  # a key not projected: the order past it is not ours to see
        keys.append(result.vars.index(var))
    return [tuple(row[i] for i in keys) for row in result.rows]


@pytest.mark.parametrize("case", PARAMS, ids=_case_id)
def test_fact_test_parameters_agree(case: tuple[str, dict[str, str]], server: servers.Server,
                                    embedded: Any) -> None:
    name, params = case
    there = library.run(RemoteEngine(server.query), name, params)
    here = library.run(embedded, name, params)
    assert there.vars == here.vars
    assert _rows(there) == _rows(here), (
        f"{server.name}: {name} {params} answers differently;\n"
        f"server only: {sorted(map(repr, _rows(there) - _rows(here)))[:5]}\n"
        f"embedded only: {sorted(map(repr, _rows(here) - _rows(there)))[:5]}")
    sparql = library.get(name).sparql
    assert _order_keys(sparql, there) == _order_keys(sparql, here)


# ------------------------------------------------------------ Virtuoso's quirks, pinned

_D = "<http://www.w3.org/2001/XMLSchema#date>"
#: A few statements of the quirks' own, in a graph of their own (removed afterwards).
QUIRK_GRAPH = "urn:thb-kg:test:quirks"
STATEMENTS = """
<urn:a> a <urn:C> ; <urn:p> <urn:x> ;
        <urn:t> "The reflection period is provided for in Article 6."@en ; <urn:n> "73316/01"^^<urn:AppNo> .
<urn:b> a <urn:C> ; <urn:p> <urn:y> ;
        <urn:t> "The reflection period allows victims to recover."@en ; <urn:n> "[2005] ECHR 545"^^<urn:Citation> .
<urn:c> a <urn:C> ; <urn:t> "Sixteen characters"@en ; <urn:n> "20 BHRC 654"^^<urn:Report> .
<urn:x> <urn:l> "x" .
"""
_MINUS = ("VALUES ?p { <urn:p> <urn:q> } ?s ?p ?o "
          "MINUS { VALUES ?p { <urn:p> <urn:q> } ?n <urn:sub> ?p . ?s ?n ?o }")
_OPTIONAL = "OPTIONAL { ?c a <urn:C> ; <urn:agent> ?o ; <urn:start> ?l }"
#: quirk -> (the query as SPARQL 1.1 reads it, the form the library uses instead, the
#: answer: a set of rows, a list where the order is the point, or None: the embedded
#: engine's answer on the shipped graph). ``{dataset}`` is the FROM clause of the quirk
#: graph, or nothing for the shipped graph.
QUIRKS: dict[str, tuple[str, str, set[tuple[str, ...]] | list[tuple[str, ...]] | None]] = {
    # in-force, changes, timeline: <= against an xsd:date misses rows when the pattern
    # reads one graph; on the shipped union every time, on a few statements now and then
    "date <= in one graph": (
        "SELECT ?s {dataset} WHERE { ?s eli:first_date_entry_in_force ?d "
        f'FILTER(?d <= "2011-04-15"^^{_D}) }}',
        "SELECT ?s {dataset} WHERE { ?s eli:first_date_entry_in_force ?d "
        f'FILTER(!(?d > "2011-04-15"^^{_D})) }}',
        None),
    # conflicts: YEAR() of an IRI stops the query, where SPARQL makes it an error
    "YEAR of an IRI": (
        "SELECT ?s {dataset} WHERE { ?s <urn:p> ?o "
        "FILTER(!COALESCE(isLiteral(?o) && YEAR(?o) = 2011, false)) }",
        "SELECT ?s {dataset} WHERE { ?s <urn:p> ?o "
        "FILTER(!COALESCE(IF(isLiteral(?o), YEAR(?o) = 2011, false), false)) }",
        {("urn:a",), ("urn:b",)}),
    # instruments: COALESCE (or IF) around an aggregate: an internal compiler error
    "COALESCE of an aggregate": (
        'SELECT ?s (COALESCE(MIN(?l), "-") AS ?m) {dataset} WHERE { ?s a <urn:C> . '
        "?s <urn:p> ?o BIND(STR(?o) AS ?l) } GROUP BY ?s",
        'SELECT ?s (COALESCE(?l0, "-") AS ?m) {dataset} WHERE { { SELECT ?s (MIN(?l) AS ?l0) '
        "WHERE { ?s a <urn:C> . ?s <urn:p> ?o BIND(STR(?o) AS ?l) } GROUP BY ?s } }",
        {("urn:a", "urn:x"), ("urn:b", "urn:y")}),
    # responsible-bodies: the VALUES of a MINUS beside an OPTIONAL is dropped, and every
    # statement of the graph comes back
    "VALUES in MINUS beside OPTIONAL": (
        f"SELECT DISTINCT ?s ?o {{dataset}} WHERE {{ {_MINUS} {_OPTIONAL} }}",
        f"SELECT DISTINCT ?s ?o {{dataset}} WHERE {{ {{ {_MINUS} }} {_OPTIONAL} }}",
        {("urn:a", "urn:x"), ("urn:b", "urn:y")}),
    # victim-measures: language-tagged strings ordered by their first characters only
    # (SPARQL leaves their order to the engine; STR() makes it defined)
    "ORDER BY of long tagged strings": (
        "SELECT ?s {dataset} WHERE { ?s <urn:t> ?o } ORDER BY ?o",
        "SELECT ?s {dataset} WHERE { ?s <urn:t> ?o } ORDER BY STR(?o)",
        [("urn:c",), ("urn:b",), ("urn:a",)]),
    # court-cases: literals of different datatypes ordered by datatype first (SPARQL
    # leaves their order to the engine; STR() makes it defined)
    "ORDER BY across datatypes": (
        "SELECT ?s {dataset} WHERE { ?s <urn:n> ?o } ORDER BY ?o",
        "SELECT ?s {dataset} WHERE { ?s <urn:n> ?o } ORDER BY STR(?o)",
        [("urn:c",), ("urn:a",), ("urn:b",)]),
}


@pytest.fixture(scope="module")
def quirk_graph(server: servers.Server) -> Iterator[servers.Server]:
    """The quirks' statements on the server, in their own graph, removed afterwards."""
    def store(method: str, body: bytes | None) -> None:
        url = server.store + "?" + urllib.parse.urlencode({"graph": QUIRK_GRAPH})
        kg_http.request(url, method=method, data=body, what="Graph Store endpoint",
                        headers={"Content-Type": "text/turtle"})

    store("PUT", STATEMENTS.encode())
    yield server
    store("DELETE", None)


def _answer(engine: Any, sparql: str, ordered: bool) -> Any:
    try:
        result = run(engine, sparql, policy=None)
    except Exception as exc:  # noqa: BLE001 - a refused query is the quirk's answer
        return f"error: {exc}"[:120]
    rows = [tuple(str(t) for t in row) for row in result.rows]
    return rows if ordered else set(rows)


def _on_server(quirk: str, server: servers.Server) -> tuple[Any, str]:
    """The engine and the FROM clause: none for the shipped graph (kg --endpoint names
    the dataset itself: on Virtuoso, the union graph as the default graph)."""
    shipped = QUIRKS[quirk][2] is None
    return RemoteEngine(server.query), "" if shipped else f"FROM <{QUIRK_GRAPH}>"


def _expected(quirk: str, embedded: Any) -> Any:
    plain, _rewritten, expected = QUIRKS[quirk]
    if expected is None:  # the shipped graph: what the embedded engine answers
        return _answer(embedded, plain.replace("{dataset}", ""), False)
    return expected


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_the_library_form_answers_right(quirk: str, quirk_graph: servers.Server,
                                        embedded: Any) -> None:
    _plain, rewritten, expected = QUIRKS[quirk]
    engine, dataset = _on_server(quirk, quirk_graph)
    got = _answer(engine, rewritten.replace("{dataset}", dataset), isinstance(expected, list))
    assert got == _expected(quirk, embedded)


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_virtuoso_quirk_is_as_the_readme_says(quirk: str, quirk_graph: servers.Server,
                                              embedded: Any) -> None:
    """On Virtuoso the plain form answers otherwise (the README says how); on Oxigraph
    as SPARQL reads it. If Virtuoso changes, this fails: drop the rewrite and the line."""
    plain, _rewritten, expected = QUIRKS[quirk]
    engine, dataset = _on_server(quirk, quirk_graph)
    got = _answer(engine, plain.replace("{dataset}", dataset), isinstance(expected, list))
    want = _expected(quirk, embedded)
    assert want, "a quirk needs an answer to miss"
    if quirk_graph.name == "virtuoso":
        assert got != want, f"Virtuoso now answers {quirk!r} as SPARQL reads it"
    else:
        assert got == want
