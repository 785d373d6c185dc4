"""The names students type (issue 12, item 5) are labels only where a source uses them:
"Palermo Protocol", "anti-trafficking Directive" and "GRETA" are skos:altLabel or
skos:prefLabel of their entity in the graph of a public source that uses the name;
"UN Trafficking Protocol" is used by no source at hand, so it is no label in the graph
(the search finds the Protocol by its own name's words: tests/test_site_story_browser.py)."""

from __future__ import annotations

import pytest
from rdflib import URIRef

import kg as kg_api
from kg.namespaces import PROV, SKOS

OWN_GRAPHS = ("https://w3id.org/thb-kg/graph/inferred", "https://w3id.org/thb-kg/graph/ontology")
ID = "https://w3id.org/thb-kg/id/"


@pytest.fixture(scope="module")
def shipped() -> kg_api.KnowledgeGraph:
    return kg_api.load()


def _sources_naming(shipped: kg_api.KnowledgeGraph, entity: str, name: str) -> set[str]:
    """The source graphs that give ``entity`` the label ``name`` (case aside)."""
    ds = shipped.dataset
    out = set()
    for ctx in ds.graphs():
        g = str(ctx.identifier)
        if g in OWN_GRAPHS:
            continue
        for p in (SKOS.prefLabel, SKOS.altLabel):
            if any(str(o).casefold() == name.casefold() for o in ctx.objects(URIRef(entity), p)):
                out.add(g)
    return out


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("Palermo Protocol", ID + "instrument/un-trafficking-protocol"),
        ("anti-trafficking Directive", "http://data.europa.eu/eli/dir/2011/36/oj"),
        ("GRETA", ID + "body/greta"),
    ],
)
def test_the_name_is_a_label_from_a_public_source(
    shipped: kg_api.KnowledgeGraph, name: str, entity: str
) -> None:
    graphs = _sources_naming(shipped, entity, name)
    assert graphs, f"no source graph names {entity} {name!r}"
    for g in graphs:  # each is a source graph derived from a public document
        assert shipped.dataset.value(URIRef(g), PROV.wasDerivedFrom) is not None, g


def test_a_name_no_source_uses_stays_out(shipped: kg_api.KnowledgeGraph) -> None:
    protocol = ID + "instrument/un-trafficking-protocol"
    assert _sources_naming(shipped, protocol, "UN Trafficking Protocol") == set()
