"""The dataset's VoID description and DCAT-AP record, validated by DCAT-AP's own SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from lod_support import graph_sizes
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

import kg as kg_api
from kg.lod.void import VOID, describe, licence, namespace_of

SHAPES = Path(__file__).parent / "data" / "dcat-ap"
DATASET = URIRef("https://w3id.org/thb-kg/.well-known/void#thb-kg")





@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for name in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl"):
        g.parse(SHAPES / name, format="turtle")
    return g


def _record(kg: kg_api.KnowledgeGraph) -> Graph:
    g = Graph()
    for t in describe(kg).default_graph:
        g.add(t)
    return g


def _violations(data: Graph, shapes: Graph) -> list[tuple]:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, allow_warnings=True)
    return [(report.value(r, SH.focusNode), report.value(r, SH.resultPath))
            for r in report.subjects(RDF.type, SH.ValidationResult)
            if report.value(r, SH.resultSeverity) == SH.Violation]


def test_dcat_ap_record_conforms(kg: kg_api.KnowledgeGraph, shapes: Graph) -> None:
    data = _record(kg)
    assert (DATASET, RDF.type, DCAT.Dataset) in data
    assert _violations(data, shapes) == []


@pytest.mark.parametrize(("node", "prop"), [
    (DATASET, DCTERMS.title),
    (DATASET, DCTERMS.description),
    (URIRef("https://w3id.org/thb-kg/.well-known/void#dump"), DCAT.accessURL),
    (URIRef("https://w3id.org/thb-kg/.well-known/void#catalog"), DCTERMS.publisher),
])
def test_the_shapes_catch_a_missing_mandatory_property(
    kg: kg_api.KnowledgeGraph, shapes: Graph, node: URIRef, prop: URIRef
) -> None:
    data = _record(kg)
    data.remove((node, prop, None))
    assert (node, prop) in _violations(data, shapes)


def test_void_counts_vocabularies_and_licence(kg: kg_api.KnowledgeGraph) -> None:
    g = _record(kg)
    sizes = graph_sizes(kg)
    named = set(sizes)
    assert len(named) > 100
    assert set(g.objects(DATASET, VOID.subset)) == named
    for n in named:
        assert int(g.value(n, VOID.triples)) == sizes[n]
    used = {namespace_of(str(p)) for _s, p, _o, gr in kg.dataset.quads((None, None, None, None))
            if getattr(gr, "identifier", gr) in named}
    assert used <= {str(v) for v in g.objects(DATASET, VOID.vocabulary)}
    assert "http://data.europa.eu/eli/ontology#" in used
    assert g.value(DATASET, DCTERMS.license) == URIRef(licence())
    assert licence() == "http://spdx.org/licenses/MIT"  # pyproject.toml: license MIT
    assert g.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/thb-kg/sparql")
    assert g.value(DATASET, VOID.dataDump) == URIRef("https://w3id.org/thb-kg/data/thb-kg.nq")
