"""Inverses, super-properties and super-classes are queryable without being in the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

import kg as kg_api
from kg.graph import INFERRED_GRAPH

MINIMAL = Path(__file__).parent / "data" / "minimal"
DATA_DIR = Path(__file__).parent.parent / "graph_data"

AMENDED_BY = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?g WHERE { GRAPH ?g { <http://data.europa.eu/eli/dir/2011/36/oj> eli:amended_by
    <http://data.europa.eu/eli/dir/2024/1712/oj> } }
"""


def test_inverse_is_inferred_into_its_own_graph(minimal_kg: kg_api.KnowledgeGraph) -> None:
    graphs = {row[0] for row in minimal_kg.dataset.query(AMENDED_BY)}
    assert graphs == {INFERRED_GRAPH}


def test_no_inference_when_turned_off(store: str) -> None:
    plain = kg_api.load(MINIMAL, store=store, infer=False)
    assert list(plain.dataset.query(AMENDED_BY)) == []
    assert plain.inferred == 0


INVERSES = ["eli:amended_by", "eli:repealed_by", "eli:transposed_by", "eli:cited_by",
            "eli:basis_for", "thb:replacedBy", "thb:guardianOf", "thb:supplementedBy",
            "thb:monitors", "thb:establishes", "org:hasSubOrganization", "org:hasPost",
            "org:heldBy", "thb:runsCampaign", "thb:participatesIn"]


@pytest.mark.parametrize("inverse", INVERSES)
def test_inverses_are_never_written_by_hand(inverse: str) -> None:
    from rdflib import Dataset

    from kg.namespaces import PREFIXES

    prefix, local = inverse.split(":")
    predicate = URIRef(PREFIXES[prefix] + local)
    for path in sorted(DATA_DIR.glob("*.trig")):
        ds = Dataset()
        ds.parse(path, format="trig")
        used = list(ds.quads((None, predicate, None, None)))
        assert not used, f"{path.name} writes {inverse}; it is inferred at load"


def test_shipped_graph_infers_amended_by(kg: kg_api.KnowledgeGraph) -> None:
    assert kg.inferred > 0
    assert [tuple(r) for r in kg.dataset.query(AMENDED_BY)] == [(INFERRED_GRAPH,)]


def test_super_property_and_super_class(kg: kg_api.KnowledgeGraph) -> None:
    ask = kg.dataset.query(
        """
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        PREFIX thb: <https://w3id.org/thb-kg/ontology#>
        ASK { ?instrument thb:hasGuardian ?body . ?instrument eli:responsibility_of_agent ?body .
              ?q a thb:Quotation . ?q a thb:Claim . }
        """
    )
    assert ask.askAnswer
