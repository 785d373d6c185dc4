"""An act replaced by a later one, with no end of force of its own in any source, has
its end in the data: a derived ``eli:date_no_longer_in_force`` in graph/inferred, with
its derivation, so that any in-force query a researcher writes over the union sees it
(issue 11, item 2).

Each data question runs on the ``kg`` fixture's stores (rdflib's memory store and
Oxigraph through rdflib) and on the store :mod:`kg.store.build` fills with pyoxigraph
and SPARQL Update alone: the two places inference is computed.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

import kg as kg_api
from kg.graph import INFERRED_GRAPH
from kg.namespaces import sparql_prologue
from kg.store.build import build

ID = "https://w3id.org/thb-kg/id/"
EUROPOL_CONVENTION = ID + "instrument/europol-convention"
DEC_2009_371 = "http://data.europa.eu/eli/dec/2009/371/oj"
GRAPH = "https://w3id.org/thb-kg/graph/"

#: What a researcher writes first: the union, no GRAPH, no library rule.
IN_FORCE_ON = """
SELECT DISTINCT ?act WHERE {
  ?act a eli:LegalResource ; eli:first_date_entry_in_force ?start .
  FILTER(?start <= "%s"^^xsd:date)
  FILTER NOT EXISTS { ?act eli:date_no_longer_in_force ?end FILTER(?end < "%s"^^xsd:date) }
}
"""
DERIVATION = """
SELECT ?end ?rule ?by ?from WHERE {
  ?d a rdf:Statement , prov:Entity ; rdf:subject <%s> ;
     rdf:predicate eli:date_no_longer_in_force ; rdf:object ?end ;
     thb:derivationRule ?rule ; thb:replacingAct ?by ; prov:wasDerivedFrom ?from .
  <%s> eli:date_no_longer_in_force ?end .
}
"""
#: Every derived end is of an act that no source ends, and every source's end is kept.
DERIVED_WHERE_A_SOURCE_ENDS = """
SELECT ?act WHERE {
  GRAPH graph:inferred { ?act eli:date_no_longer_in_force ?derived }
  GRAPH ?g { ?act eli:date_no_longer_in_force ?stated }
  FILTER(?g != graph:inferred)
}
"""
INFERRED = "SELECT ?s ?p ?o WHERE { GRAPH graph:inferred { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def oxigraph_built() -> ox.Store:
    """The shipped data as kg.store.build loads it: pyoxigraph alone, SPARQL Update."""
    return build()


def _text(term: Any) -> str:
    return str(getattr(term, "value", term))


def _ask(target: Any, query: str) -> list[tuple[str, ...]]:
    """Rows of ``query`` (with the project's prefixes) on an rdflib Dataset or a pyoxigraph Store."""
    text = sparql_prologue() + query
    if isinstance(target, ox.Store):
        return [tuple(_text(t) for t in row) for row in target.query(text)]
    return [tuple(_text(t) for t in row) for row in target.query(text)]


def _targets(kg: kg_api.KnowledgeGraph, oxigraph_built: ox.Store) -> list[Any]:
    return [kg.dataset, oxigraph_built]


@pytest.mark.parametrize(
    ("day", "in_force"),
    [("2009-12-31", True), ("2010-01-01", False), ("2011-06-30", False), ("2012-01-01", False)],
)
def test_a_union_in_force_query_ends_the_europol_convention(
    kg: kg_api.KnowledgeGraph, oxigraph_built: ox.Store, day: str, in_force: bool
) -> None:
    for target in _targets(kg, oxigraph_built):
        acts = {row[0] for row in _ask(target, IN_FORCE_ON % (day, day))}
        assert (EUROPOL_CONVENTION in acts) is in_force, (type(target).__name__, day)
        assert DEC_2009_371 in acts or day < "2009-06-04"


def test_the_derived_end_names_its_rule_its_act_and_its_sources(
    kg: kg_api.KnowledgeGraph, oxigraph_built: ox.Store
) -> None:
    for target in _targets(kg, oxigraph_built):
        rows = set(_ask(target, DERIVATION % (EUROPOL_CONVENTION, EUROPOL_CONVENTION)))
        assert {r[0] for r in rows} == {"2009-12-31"}
        assert {r[1] for r in rows} == {"https://w3id.org/thb-kg/ontology#EndOfForceByReplacement"}
        assert {r[2] for r in rows} == {DEC_2009_371}
        # the replacement (recital 1 of Reg. 2016/794) and the date of application
        assert {r[3] for r in rows} == {GRAPH + "eumonitor-2016-794", GRAPH + "eumonitor-2009-371"}


def test_the_derived_end_is_in_the_inferred_graph_only(kg: kg_api.KnowledgeGraph) -> None:
    graphs = {row[0] for row in kg.dataset.query(
        sparql_prologue()
        + f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EUROPOL_CONVENTION}> eli:date_no_longer_in_force ?e }} }}"
    )}
    assert graphs == {INFERRED_GRAPH}


def test_no_end_is_derived_where_a_source_gives_one(
    kg: kg_api.KnowledgeGraph, oxigraph_built: ox.Store
) -> None:
    for target in _targets(kg, oxigraph_built):
        assert _ask(target, DERIVED_WHERE_A_SOURCE_ENDS) == []


def test_both_places_that_infer_agree_triple_for_triple(oxigraph_built: ox.Store) -> None:
    """kg.inference (rdflib, memory store) and kg.store.build (SPARQL Update) give the
    same graph/inferred on the shipped data; blank nodes by their canonical names."""
    memory = kg_api.load(store="memory")
    ours = ox.Dataset(
        ox.Quad(_ox(s), _ox(p), _ox(o), ox.DefaultGraph())
        for s, p, o in memory.dataset.graph(INFERRED_GRAPH)
    )
    theirs = ox.Dataset(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for q in oxigraph_built.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH)))
    )
    for dataset in (ours, theirs):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert len(ours) > 0
    assert {str(q) for q in ours} == {str(q) for q in theirs}


def _ox(term: Any) -> Any:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))
