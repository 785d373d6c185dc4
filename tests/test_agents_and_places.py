"""A state that acts (joins a campaign) is an agent, apart from the place that is its
territory: no agent of a qualified fact or participant of a campaign is a dct:Location
(issue 11, item 8). Plain union SPARQL, on each store of the ``kg`` fixture."""

from __future__ import annotations

import pytest

import kg as kg_api
from kg.namespaces import sparql_prologue

#: Properties whose value acts: an agent, never a place.
AGENT_PROPERTIES = ["prov:agent", "thb:hasParticipant", "thb:initiativeOf",
                    "prov:wasAttributedTo", "thb:appointedBy", "eli:passed_by"]


@pytest.mark.parametrize("prop", AGENT_PROPERTIES)
def test_no_place_acts(kg: kg_api.KnowledgeGraph, prop: str) -> None:
    rows = list(kg.dataset.query(
        sparql_prologue() + f"SELECT DISTINCT ?x WHERE {{ ?s {prop} ?x . ?x a dct:Location }}"
    ))
    assert rows == [], f"{prop} points at places: {[str(r[0]) for r in rows]}"


@pytest.mark.parametrize("name", ["spain", "portugal"])
def test_the_state_and_its_territory_are_two_linked_nodes(
    kg: kg_api.KnowledgeGraph, name: str
) -> None:
    ask = sparql_prologue() + f"""
    ASK {{
      ?p a thb:CampaignParticipation ; prov:agent <https://w3id.org/thb-kg/id/state/{name}> ;
         thb:campaign <https://w3id.org/thb-kg/id/campaign/blue-heart> .
      <https://w3id.org/thb-kg/id/state/{name}> a thb:State , org:Organization , prov:Agent ;
         thb:territory <https://w3id.org/thb-kg/id/place/{name}> .
      <https://w3id.org/thb-kg/id/place/{name}> a dct:Location .
      FILTER NOT EXISTS {{ <https://w3id.org/thb-kg/id/state/{name}> a dct:Location }}
    }}"""
    assert kg.dataset.query(ask).askAnswer


def test_spain_joined_the_campaign_as_a_state(kg: kg_api.KnowledgeGraph) -> None:
    rows = {str(r[0]) for r in kg.dataset.query(sparql_prologue() + """
        SELECT ?who WHERE { <https://w3id.org/thb-kg/id/campaign/blue-heart> thb:hasParticipant ?who }""")}
    assert rows == {"https://w3id.org/thb-kg/id/state/spain"}
