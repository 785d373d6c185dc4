"""kg.network: RDF -> networkx, with labels, kinds, sources, qualified facts, dates."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import kg as kg_api
from kg.errors import KgError, UnsafeQueryError
from kg.network import (
    EntityNotFoundError,
    Qualified,
    centrality,
    components,
    from_query,
    in_force_on,
    labels,
    neighbourhood,
    resolve,
    select,
    shortest_path,
    to_networkx,
)
from kg.query import run

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/thb-kg/id/"
GRAPH = "https://w3id.org/thb-kg/graph/"
DIR_2011_36 = "http://data.europa.eu/eli/dir/2011/36/oj"
FD_2002_629 = "http://data.europa.eu/eli/dec_framw/2002/629/oj"
EUROPOL = ID + "body/europol"
EUROPOL_CONVENTION = ID + "instrument/europol-convention"
DEC_2009_371 = "http://data.europa.eu/eli/dec/2009/371/oj"
UNODC = ID + "body/unodc"
BLUE_HEART = ID + "campaign/blue-heart"


@pytest.fixture(scope="module")
def sample(store: str) -> kg_api.KnowledgeGraph:
    """tests/data/injection: every kind of node and qualified fact, on one store."""
    return kg_api.load(DATA / "injection", store=store)


@pytest.fixture(scope="module")
def G(sample: kg_api.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(sample)


@pytest.fixture(scope="module")
def shipped(kg: kg_api.KnowledgeGraph) -> nx.MultiDiGraph:
    return to_networkx(kg)


def _edges(G: nx.MultiDiGraph, u: str, v: str) -> list[dict]:
    return list((G.get_edge_data(u, v) or {}).values())


# ---------------------------------------------------------------- nodes


def test_nodes_are_iris_with_preflabels_and_kinds(G: nx.MultiDiGraph) -> None:
    assert G.nodes[EUROPOL]["label"] == "Europol"
    assert G.nodes[EUROPOL]["kind"] == "body"
    assert G.nodes[DIR_2011_36]["label"] == "Directive 2011/36/EU"
    assert G.nodes[DIR_2011_36]["kind"] == "instrument"
    assert G.nodes[ID + "person/myria-vassiliadou"]["kind"] == "person"
    assert G.nodes[BLUE_HEART]["kind"] == "campaign"
    assert G.nodes[ID + "case/rantsev-v-cyprus-and-russia"]["kind"] == "case"
    assert "European Union Agency for Law Enforcement Cooperation" in G.nodes[EUROPOL]["alt"]


def test_literals_are_facts_with_their_sources(G: nx.MultiDiGraph) -> None:
    facts = {f["label"]: f for f in G.nodes[DIR_2011_36]["facts"]}
    assert facts["entry into force"]["value"] == "2011-04-15"
    assert facts["entry into force"]["sources"] == [GRAPH + "sample-eurlex"]
    assert facts["CELEX number"]["value"] == "32011L0036"
    assert facts["type of document"]["value"] == "directive"  # an attribute, not an edge


def test_dates_keep_their_precision(G: nx.MultiDiGraph) -> None:
    established = next(f for f in G.nodes[EUROPOL]["facts"] if f["label"] == "established")
    assert (established["value"], established["date"], established["precision"]) == (
        "1998",
        "1998-01-01",
        "year",
    )


def test_links_to_eli_eurlex_un_and_web_pages(G: nx.MultiDiGraph) -> None:
    links = {link["text"]: link["href"] for link in G.nodes[DIR_2011_36]["links"]}
    assert links["ELI"] == DIR_2011_36
    assert links["EUR-Lex"] == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0036"
    protocol = {link["text"]: link["href"] for link in G.nodes[ID + "instrument/un-trafficking-protocol"]["links"]}
    assert protocol["UN document"] == "https://undocs.org/A/RES/55/25"
    assert "mtdsg_no=XVIII-12-a&chapter=18" in protocol["UN Treaty Collection"]
    assert {"text": "web page", "href": "https://www.europol.europa.eu/"} in G.nodes[EUROPOL]["links"]


def test_only_web_links_survive(G: nx.MultiDiGraph) -> None:
    for _n, d in G.nodes(data=True):
        for link in d["links"]:
            assert link["href"].startswith(("http://", "https://")), link
    hostile = G.nodes[ID + "body/hostile-img"]
    assert not any("javascript" in link["href"] for link in hostile["links"])


def test_isolated_vocabulary_is_not_drawn(G: nx.MultiDiGraph) -> None:
    # the unit "persons" and the claim type are values of facts, not nodes of their own
    assert ID + "unit/persons" not in G
    assert ID + "concept/claim-type/symbolism" not in G
    assert ID + "concept/topic/prevention" in G  # linked by eli:is_about


def test_intervals_fold_into_their_owner(G: nx.MultiDiGraph) -> None:
    assert not any("/interval/" in n or "/instant/" in n for n in G)


# ---------------------------------------------------------------- edges


def test_edge_labels_come_from_the_ontology(G: nx.MultiDiGraph) -> None:
    (edge,) = _edges(G, "http://data.europa.eu/eli/dir/2024/1712/oj", DIR_2011_36)
    assert edge["label"] == "amends"
    assert edge["predicate"] == "http://data.europa.eu/eli/ontology#amends"
    passed = {e["label"] for e in _edges(G, DIR_2011_36, ID + "body/council-of-the-eu")}
    assert passed == {"adopted by"}


def test_inferred_inverses_only_on_request(sample: kg_api.KnowledgeGraph, G: nx.MultiDiGraph) -> None:
    assert not _edges(G, DIR_2011_36, "http://data.europa.eu/eli/dir/2024/1712/oj")
    H = to_networkx(sample, include_inferred=True)
    assert "amended by" in {e["label"] for e in _edges(H, DIR_2011_36, "http://data.europa.eu/eli/dir/2024/1712/oj")}


def test_qualified_facts_collapse_into_labelled_edges(G: nx.MultiDiGraph) -> None:
    (join,) = [e for e in _edges(G, ID + "state/spain", BLUE_HEART) if e["qualified"]]
    assert join["label"] == "participates in"
    assert join["qualified"] == ID + "participation/spain-blue-heart"
    facts = {f["label"]: f["value"] for f in join["facts"]}
    assert facts["date joined"] == "2010-06"
    assert facts["context"] == "during Spain's Presidency of the EU"
    (term,) = _edges(G, ID + "person/myria-vassiliadou", ID + "body/european-commission")
    assert term["label"] == "Anti-Trafficking Coordinator"  # the role names the edge
    dates = {(f["label"], f["value"]) for f in term["facts"]}
    assert {("from", "2011-03"), ("until", "2018-03")} <= dates
    (guardian,) = [e for e in _edges(G, UNODC, ID + "instrument/un-trafficking-protocol") if e["qualified"]]
    assert guardian["label"] == "guardian of"
    assert not any(n.startswith(tuple(ID + k for k in ("participation/", "membership/", "custodianship/"))) for n in G)


def test_sources_that_disagree_are_both_kept(G: nx.MultiDiGraph) -> None:
    (term,) = _edges(G, ID + "person/myria-vassiliadou", ID + "body/european-commission")
    appointed = sorted(
        (f["value"], f["sources"][0]) for f in term["facts"] if f["label"] == "appointment date"
    )
    assert appointed == [
        ("2010-12-14", GRAPH + "sample-ip-10-1715"),
        ("2011-12", GRAPH + "sample-seed"),
    ]
    assert term["sources"] == [GRAPH + "sample-ip-10-1715", GRAPH + "sample-seed"]


def test_claims_become_notes_on_what_they_are_about(G: nx.MultiDiGraph) -> None:
    (note,) = G.nodes[BLUE_HEART]["notes"]
    assert note["label"] == "symbolism"
    assert note["text"].startswith("The blue heart represents")
    assert note["sources"] == [GRAPH + "sample-seed"]


def test_qualified_facts_can_stay_nodes(sample: kg_api.KnowledgeGraph) -> None:
    H = to_networkx(sample, qualified=Qualified.KEEP)
    participation = ID + "participation/spain-blue-heart"
    assert H.nodes[participation]["kind"] == "participation"
    assert {e["label"] for e in _edges(H, participation, ID + "state/spain")} == {"agent"}
    assert H.nodes[ID + "claim/blue-heart-symbolism"]["kind"] == "claim"
    assert to_networkx(sample, qualified="keep").number_of_nodes() == H.number_of_nodes()


def test_predicates_choose_the_edges(sample: kg_api.KnowledgeGraph) -> None:
    H = to_networkx(sample, predicates=["eli:amends", "http://data.europa.eu/eli/ontology#passed_by"])
    plain = {d["label"] for _u, _v, d in H.edges(data=True) if not d["qualified"]}
    assert plain == {"amends", "adopted by"}
    seat = [f for f in H.nodes[EUROPOL]["facts"] if f["label"] == "seat"]
    assert seat and seat[0]["value"] == "The Hague"  # not an edge: a fact


def test_literals_can_be_left_out(sample: kg_api.KnowledgeGraph) -> None:
    H = to_networkx(sample, literals=False)
    assert not [f for f in H.nodes[DIR_2011_36]["facts"] if f["datatype"]]
    assert H.nodes[DIR_2011_36]["label"] == "Directive 2011/36/EU"


def test_unconfirmed_claims_are_marked(G: nx.MultiDiGraph) -> None:
    (monitors,) = _edges(G, EUROPOL, DIR_2011_36)
    assert monitors["unconfirmed"] is True
    assert G.nodes[ID + "event/rumoured-meeting"]["unconfirmed"] is True
    assert G.nodes[EUROPOL]["unconfirmed"] is False
    assert G.graph["sources"][GRAPH + "sample-unconfirmed"]["unconfirmed"] is True


def test_same_data_same_graph(sample: kg_api.KnowledgeGraph, G: nx.MultiDiGraph) -> None:
    again = to_networkx(sample)
    assert list(again.nodes(data=True)) == list(G.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))


# ---------------------------------------------------------------- filters


def test_one_source(sample: kg_api.KnowledgeGraph) -> None:
    H = to_networkx(sample, source="sample-europol")
    assert EUROPOL in H and DIR_2011_36 not in H
    assert {g for _u, _v, d in H.edges(data=True) for g in d["sources"]} == {GRAPH + "sample-europol"}
    assert H.nodes[EUROPOL]["label"] == "Europol"
    assert to_networkx(sample, source="graph:sample-europol").number_of_nodes() == H.number_of_nodes()
    with pytest.raises(EntityNotFoundError, match="No source graph 'nope'"):
        to_networkx(sample, source="nope")


@pytest.mark.parametrize(
    ("day", "present", "absent"),
    [
        ("2005-01-01", [FD_2002_629], [DIR_2011_36, "http://data.europa.eu/eli/dir/2024/1712/oj"]),
        ("2011-04-14", [FD_2002_629], [DIR_2011_36]),  # the last day in force
        ("2011-04-15", [DIR_2011_36], [FD_2002_629]),
        ("2025-01-01", [DIR_2011_36, "http://data.europa.eu/eli/dir/2024/1712/oj"], [FD_2002_629]),
    ],
)
def test_as_of_keeps_what_was_in_force(G: nx.MultiDiGraph, day: str, present: list, absent: list) -> None:
    H = in_force_on(G, day)
    assert H.graph["as_of"] == day
    for n in present:
        assert n in H
    for n in absent:
        assert n not in H
    assert EUROPOL in H  # established 1998: always there in these years


@pytest.mark.parametrize(
    ("day", "present", "absent"),
    [
        ("2009-12-31", [EUROPOL_CONVENTION, DEC_2009_371], []),
        ("2010-01-01", [DEC_2009_371], [EUROPOL_CONVENTION]),
        ("2017-04-30", [DEC_2009_371], [EUROPOL_CONVENTION]),
        ("2017-05-01", ["http://data.europa.eu/eli/reg/2016/794/oj"], [DEC_2009_371]),
    ],
)
def test_as_of_ends_an_act_when_its_replacement_applies(
    shipped: nx.MultiDiGraph, day: str, present: list, absent: list
) -> None:
    """The Europol Convention has no end date of its own; 2009/371/JHA applies from 2010-01-01."""
    H = in_force_on(shipped, day)
    assert all(n in H for n in present) and not any(n in H for n in absent)
    assert shipped.nodes[EUROPOL_CONVENTION]["valid_until"] == "2009-12-31"
    assert shipped.nodes[DEC_2009_371]["valid_until"] == "2017-04-30"  # its own, kept


def test_as_of_applies_to_qualified_facts(G: nx.MultiDiGraph) -> None:
    before = in_force_on(G, "2010-01-01")
    assert not [e for e in _edges(before, ID + "state/spain", BLUE_HEART) if e["qualified"]]
    after = in_force_on(G, "2010-07-01")
    assert [e for e in _edges(after, ID + "state/spain", BLUE_HEART) if e["qualified"]]
    assert not _edges(in_force_on(G, "2019-01-01"), ID + "person/myria-vassiliadou", ID + "body/european-commission")


def test_as_of_refuses_what_is_not_a_date(G: nx.MultiDiGraph) -> None:
    with pytest.raises(KgError, match="not a date"):
        in_force_on(G, "June 2011")


# ---------------------------------------------------------------- lookups and measures


@pytest.mark.parametrize("name", [EUROPOL, "id:body/europol", f"<{EUROPOL}>", "Europol", "europol",
                                  "European Union Agency for Law Enforcement Cooperation"])
def test_resolve_by_iri_curie_or_label(G: nx.MultiDiGraph, name: str) -> None:
    assert resolve(G, name) == EUROPOL


def test_resolve_says_what_is_missing(G: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFoundError, match="Did you mean: 'Europol'"):
        resolve(G, "Europo")
    with pytest.raises(EntityNotFoundError, match="No entity called 'Atlantis'"):
        resolve(G, "Atlantis")


def test_neighbourhood(G: nx.MultiDiGraph) -> None:
    H = neighbourhood(G, "Europol", 1)
    assert H.graph["focus"] == EUROPOL
    assert {EUROPOL, ID + "body/european-union", ID + "place/the-hague", DIR_2011_36} <= set(H)
    assert ID + "body/european-parliament" not in H
    assert ID + "body/european-parliament" in neighbourhood(G, "Europol", 2)
    assert set(neighbourhood(G, "Europol", 0)) == {EUROPOL}
    assert H.graph["sources"] is not None


def test_paths_centrality_components(G: nx.MultiDiGraph) -> None:
    # "Spain" names the state (an agent) and the place (its territory): give the IRI
    with pytest.raises(KgError, match="names 2 entities"):
        shortest_path(G, "Spain", "UNODC")
    path = shortest_path(G, "id:state/spain", "UNODC")
    assert labels(G, path) == ["Spain", "Blue Heart Campaign", "UNODC"]
    ranked = centrality(G, "degree", top=3)
    assert len(ranked) == 3 and ranked[0][2] >= ranked[1][2] >= ranked[2][2]
    assert centrality(G, "betweenness")[0][0] in G
    with pytest.raises(KgError, match="Unknown measure"):
        centrality(G, "pagerankish")
    parts = components(G)
    assert sum(len(p) for p in parts) == G.number_of_nodes()
    assert [len(p) for p in parts] == sorted((len(p) for p in parts), reverse=True)


# ---------------------------------------------------------------- queries


def test_a_construct_becomes_a_network(sample: kg_api.KnowledgeGraph) -> None:
    result = run(sample, "CONSTRUCT { ?a eli:amends ?b } WHERE { ?a eli:amends ?b }")
    H = from_query(sample, result)
    assert set(H) == {"http://data.europa.eu/eli/dir/2024/1712/oj", DIR_2011_36}
    ((_u, _v, edge),) = H.edges(data=True)
    assert edge["label"] == "amends"
    assert edge["sources"] == [GRAPH + "sample-eurlex"]  # found in the graph that says so
    assert H.nodes[DIR_2011_36]["label"] == "Directive 2011/36/EU"


def test_a_select_with_source_relation_target(sample: kg_api.KnowledgeGraph) -> None:
    result = run(
        sample,
        'SELECT ?source ?relation ?target WHERE { ?source org:subOrganizationOf ?target '
        'BIND("part of" AS ?relation) }',
    )
    H = from_query(sample, result)
    assert {d["label"] for _u, _v, d in H.edges(data=True)} == {"part of"}
    assert H.has_edge(EUROPOL, ID + "body/european-union")
    with pytest.raises(KgError, match=r"needs the columns \?source \?relation \?target"):
        from_query(sample, run(sample, "SELECT ?x WHERE { ?x a org:Organization }"))


def test_select_runs_queries_under_the_safety_policy(sample: kg_api.KnowledgeGraph) -> None:
    with pytest.raises(UnsafeQueryError):
        select(sample, query="SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(KgError, match="ASK"):
        select(sample, query="ASK { ?s ?p ?o }")
    H = select(sample, query="CONSTRUCT { ?a eli:amends ?b } WHERE { ?a eli:amends ?b }", focus="Directive 2011/36/EU")
    assert H.graph["focus"] == DIR_2011_36


def test_select_combines_as_of_and_focus(sample: kg_api.KnowledgeGraph) -> None:
    H = select(sample, as_of="2005-01-01", focus="Council of the EU", depth=1)
    assert FD_2002_629 in H and DIR_2011_36 not in H


# ---------------------------------------------------------------- the shipped graph (contract IRIs)


def test_shipped_graph_has_the_contract_entities(shipped: nx.MultiDiGraph) -> None:
    for iri, kind in [
        (EUROPOL, "body"),
        (UNODC, "body"),
        (DIR_2011_36, "instrument"),
        (BLUE_HEART, "campaign"),
        (ID + "person/myria-vassiliadou", "person"),
        (ID + "instrument/un-trafficking-protocol", "instrument"),
    ]:
        assert iri in shipped, iri
        assert shipped.nodes[iri]["kind"] == kind
        assert not shipped.nodes[iri]["label"].startswith(("http", "id:")), iri
    assert resolve(shipped, "Europol") == EUROPOL


def test_shipped_directive_links_to_eurlex(shipped: nx.MultiDiGraph) -> None:
    links = {link["text"]: link["href"] for link in shipped.nodes[DIR_2011_36]["links"]}
    assert links["EUR-Lex"].endswith("CELEX:32011L0036")
    assert links["ELI"] == DIR_2011_36


def test_shipped_coordinator_appointment_keeps_both_dates(shipped: nx.MultiDiGraph) -> None:
    edges = [
        e
        for _u, _v, e in shipped.edges(data=True)
        if e["qualified"] == ID + "membership/vassiliadou-atc"
    ]
    assert len(edges) == 1
    graphs = {g for f in edges[0]["facts"] if f["label"] == "appointment date" for g in f["sources"]}
    assert {GRAPH + "seed-article", GRAPH + "ip-10-1715"} <= graphs


def test_shipped_blue_heart_participation_is_an_edge(shipped: nx.MultiDiGraph) -> None:
    joins = [e for _u, v, e in shipped.in_edges(BLUE_HEART, data=True) if e["qualified"]]
    assert any(e["label"] == "participates in" for e in joins)


def test_shipped_unconfirmed_sources_are_known(kg: kg_api.KnowledgeGraph, shipped: nx.MultiDiGraph) -> None:
    unconfirmed = {g for g, info in shipped.graph["sources"].items() if info["unconfirmed"]}
    assert GRAPH + "unconfirmed-claims" in unconfirmed
    for _u, _v, e in shipped.edges(data=True):
        assert e["unconfirmed"] == all(g in unconfirmed for g in e["sources"])
