"""The same query gives the same rows on every store, duplicates and FROM included.

rdflib's memory store reads the union default graph as a *set* of triples
and honours ``FROM``/``FROM NAMED``; Oxigraph's own union default graph is a
bag (a triple three sources state matches three times) and oxrdflib's query
path replaces a query's ``FROM`` with the store's default graph. These tests
pin that a researcher gets one answer whichever store is chosen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg as kg_api
from kg.cache import engine_from_snapshot, write_nquads
from kg.query import run

EUROPOL = "<https://w3id.org/thb-kg/id/body/europol>"
IP_10_1715 = "<https://w3id.org/thb-kg/graph/ip-10-1715>"
SEED = "<https://w3id.org/thb-kg/graph/seed-article>"

QUERIES = {
    # Europol's label is stated by many sources: one row, not one per source
    "duplicates": f"SELECT ?label WHERE {{ {EUROPOL} skos:prefLabel ?label }}",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "from": f"SELECT (COUNT(*) AS ?n) FROM {IP_10_1715} WHERE {{ ?s ?p ?o }}",
    "two-froms": f"SELECT (COUNT(*) AS ?n) FROM {IP_10_1715} FROM {SEED} WHERE {{ ?s ?p ?o }}",
    "from-named": (
        f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED {IP_10_1715} "
        "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ),
    "construct": f"CONSTRUCT {{ {EUROPOL} skos:prefLabel ?l }} WHERE {{ {EUROPOL} skos:prefLabel ?l }}",
}


def answer(target: object, query: str) -> object:
    result = run(target, query)  # type: ignore[arg-type]
    return sorted(result.triples) if result.kind.gives_graph else sorted(result.rows)


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    """Every answer on rdflib's memory store, the reference semantics (SPARQL 1.1)."""
    graph = kg_api.load(store="memory")
    return {name: answer(graph, q) for name, q in QUERIES.items()}


@pytest.fixture(scope="module")
def snapshot_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("agree") / "snapshot.nq"
    write_nquads(kg_api.load(store="memory"), path)
    return path


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_loaded_graph_agrees_on_every_store(
    kg: kg_api.KnowledgeGraph, reference: dict[str, object], name: str
) -> None:
    assert answer(kg, QUERIES[name]) == reference[name]


@pytest.mark.parametrize("store", ["memory", "oxigraph", "pyoxigraph"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_kg_query_engines_agree(
    snapshot_file: Path, reference: dict[str, object], store: str, name: str
) -> None:
    """What `kg query --store NAME` answers from the cached snapshot."""
    assert answer(engine_from_snapshot(snapshot_file, store), QUERIES[name]) == reference[name]


def test_the_reference_is_what_a_reader_expects(reference: dict[str, object]) -> None:
    assert [str(r[0]) for r in reference["duplicates"]] == ["Europol"]  # type: ignore[index]
    (from_one,) = reference["from"]  # type: ignore[misc]
    (everything,) = reference["count"]  # type: ignore[misc]
    assert 0 < int(from_one[0]) < int(everything[0])
    ((graph, n),) = reference["from-named"]  # type: ignore[misc]
    assert (f"<{graph}>", n) == (IP_10_1715, from_one[0])


def test_the_oxigraph_engine_follows_changes_to_the_dataset() -> None:
    """The Oxigraph store answers through a snapshot; a change to the dataset renews it."""
    from rdflib import Literal, URIRef

    graph = kg_api.load(store="oxigraph")
    query = "SELECT ?l WHERE { <urn:x:new> skos:prefLabel ?l }"
    assert run(graph, query).rows == ()
    named = graph.dataset.graph(URIRef("https://w3id.org/thb-kg/graph/a-new-source"))
    named.add((URIRef("urn:x:new"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
               Literal("New")))
    assert run(graph, query).rows == ((Literal("New"),),)
