"""Identifiers of EU acts (ELI and CELEX) and of the articles our facts cite.

Issue 11, points 6 and 7. Every query is plain SPARQL over the default graph
(the union of the source graphs), as a researcher would write it, and runs on
each store (the ``kg`` fixture).

An EU act here is a legislative act of the Union: a directive, regulation,
decision or framework decision. The Europol Convention is a convention between
the Member States (CELEX sector 4, no ELI in our sources) and is not one.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef

import kg as kg_api
from kg.query import run

ELI = "http://data.europa.eu/eli/"
ID = "https://w3id.org/thb-kg/id/"
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

# ELI -> CELEX, as EUR-Lex writes them.
EU_ACTS = {
    "http://data.europa.eu/eli/dec/2002/187/oj": "32002D0187",
    "http://data.europa.eu/eli/dec/2009/371/oj": "32009D0371",
    "http://data.europa.eu/eli/dec_framw/2002/629/oj": "32002F0629",
    "http://data.europa.eu/eli/dir/2002/90/oj": "32002L0090",
    "http://data.europa.eu/eli/dir/2004/81/oj": "32004L0081",
    "http://data.europa.eu/eli/dir/2011/36/oj": "32011L0036",
    "http://data.europa.eu/eli/dir/2024/1712/oj": "32024L1712",
    "http://data.europa.eu/eli/reg/2004/2007/oj": "32004R2007",
    "http://data.europa.eu/eli/reg/2007/168/oj": "32007R0168",
    "http://data.europa.eu/eli/reg/2016/1624/oj": "32016R1624",
    "http://data.europa.eu/eli/reg/2016/794/oj": "32016R0794",
    "http://data.europa.eu/eli/reg/2018/1727/oj": "32018R1727",
    "http://data.europa.eu/eli/reg/2019/1896/oj": "32019R1896",
}

# The five acts issue 11 named: ELI, CELEX, the project IRI they had before
# (None: the act already had its ELI), and the EUR-Lex page that sources the CELEX.
NAMED_ACTS = [
    ("reg/2018/1727/oj", "32018R1727", "instrument/eu-regulation-2018-1727"),
    ("reg/2016/1624/oj", "32016R1624", "instrument/eu-regulation-2016-1624"),
    ("reg/2019/1896/oj", "32019R1896", "instrument/eu-regulation-2019-1896"),
    ("reg/2007/168/oj", "32007R0168", "instrument/ec-regulation-168-2007"),
    ("dir/2002/90/oj", "32002L0090", None),
]

EU_ACT_QUERY = """
SELECT DISTINCT ?act WHERE {
  ?act a eli:LegalResource .
  { ?act eli:type_document ?type .
    VALUES ?type { <https://w3id.org/thb-kg/id/concept/document-type/directive>
                   <https://w3id.org/thb-kg/id/concept/document-type/regulation>
                   <https://w3id.org/thb-kg/id/concept/document-type/council-decision>
                   <https://w3id.org/thb-kg/id/concept/document-type/framework-decision> } }
  UNION { ?act eli:id_local ?celex }
  UNION { FILTER(STRSTARTS(STR(?act), "http://data.europa.eu/eli/")) }
}
"""

# Every article (or recital) our facts cite: IRI, the act, its label.
D2011 = ELI + "dir/2011/36/oj"
D2024 = ELI + "dir/2024/1712/oj"
D2004 = ELI + "dir/2004/81/oj"
R794 = ELI + "reg/2016/794/oj"
R1896 = ELI + "reg/2019/1896/oj"
ARTICLES = [
    (D2011 + "/art_19", D2011, "Article 19 of Directive 2011/36/EU"),
    (D2011 + "/art_20", D2011, "Article 20 of Directive 2011/36/EU"),
    (D2011 + "/art_22", D2011, "Article 22 of Directive 2011/36/EU"),
    (D2011 + "/art_23", D2011, "Article 23 of Directive 2011/36/EU"),
    (D2011 + "/art_24", D2011, "Article 24 of Directive 2011/36/EU"),
    (D2024 + "/art_2", D2024, "Article 2 of Directive (EU) 2024/1712"),
    (D2024 + "/art_3", D2024, "Article 3 of Directive (EU) 2024/1712"),
    (D2004 + "/art_6", D2004, "Article 6 of Council Directive 2004/81/EC"),
    (R794 + "/art_71", R794, "Article 71 of Regulation (EU) 2016/794"),
    (R794 + "/art_72", R794, "Article 72 of Regulation (EU) 2016/794"),
    (R794 + "/art_73", R794, "Article 73 of Regulation (EU) 2016/794"),
    (R794 + "/rct_1", R794, "Recital 1 of Regulation (EU) 2016/794"),
    (R1896 + "/art_93", R1896, "Article 93 of Regulation (EU) 2019/1896"),
    (
        ID + "instrument/untoc/art_38",
        ID + "instrument/untoc",
        "Article 38 of the UN Convention against Transnational Organized Crime",
    ),
    (
        ID + "instrument/un-trafficking-protocol/art_17",
        ID + "instrument/un-trafficking-protocol",
        "Article 17 of the UN Trafficking in Persons Protocol",
    ),
    (
        ID + "instrument/ilo-c29/art_2",
        ID + "instrument/ilo-c29",
        "Article 2 of the Forced Labour Convention, 1930 (No. 29)",
    ),
    (
        ID + "instrument/ilo-c29/art_28",
        ID + "instrument/ilo-c29",
        "Article 28 of the Forced Labour Convention, 1930 (No. 29)",
    ),
    (
        ID + "instrument/ilo-p029/art_8",
        ID + "instrument/ilo-p029",
        "Article 8 of the Protocol of 2014 to the Forced Labour Convention, 1930",
    ),
]

CELEX = re.compile(r"^3(\d{4})([LRDF])(\d{4})$")
ELI_ACT = re.compile(r"^http://data\.europa\.eu/eli/(dir|reg|dec|dec_framw)/(\d{4})/(\d+)/oj$")
LETTER = {"dir": "L", "reg": "R", "dec": "D", "dec_framw": "F"}


def _select(kg: kg_api.KnowledgeGraph, sparql: str) -> list[dict]:
    return run(kg, sparql).as_dicts()


def _ask(kg: kg_api.KnowledgeGraph, sparql: str) -> bool:
    return bool(run(kg, sparql).boolean)


# ------------------------------------------------------------------ EU acts


def test_eu_acts_are_the_acts_listed_here(kg: kg_api.KnowledgeGraph) -> None:
    """A new EU act in graph_data must be added to EU_ACTS, and so tested."""
    found = {str(row["act"]) for row in _select(kg, EU_ACT_QUERY)}
    assert found == set(EU_ACTS)


@pytest.mark.parametrize("act", sorted(EU_ACTS))
def test_eu_act_has_one_eli_and_one_celex_that_agree(kg: kg_api.KnowledgeGraph, act: str) -> None:
    # The act's ELI: the act itself when its IRI is an ELI, else what it is linked to.
    elis = _select(
        kg,
        f"""SELECT DISTINCT ?eli WHERE {{
              {{ BIND(<{act}> AS ?eli) }}
              UNION {{ <{act}> skos:exactMatch|owl:sameAs ?eli }}
              FILTER(STRSTARTS(STR(?eli), "http://data.europa.eu/eli/"))
            }}""",
    )
    assert [str(r["eli"]) for r in elis] == [act]
    celexes = _select(
        kg,
        f"""SELECT DISTINCT ?celex (DATATYPE(?celex) AS ?dt) WHERE {{
              <{act}> a eli:LegalResource ; eli:id_local ?celex .
            }}""",
    )
    assert len(celexes) == 1, celexes
    celex = celexes[0]["celex"]
    assert celexes[0]["dt"] == XSD_STRING
    assert str(celex) == EU_ACTS[act]
    m_celex, m_eli = CELEX.match(str(celex)), ELI_ACT.match(act)
    assert m_celex and m_eli, (celex, act)
    eli_type, eli_year, eli_number = m_eli.groups()
    assert m_celex.group(1) == eli_year
    assert m_celex.group(2) == LETTER[eli_type]
    assert int(m_celex.group(3)) == int(eli_number)


@pytest.mark.parametrize(("eli", "celex", "old"), NAMED_ACTS, ids=[a[0] for a in NAMED_ACTS])
def test_named_act_has_its_eli_and_celex_from_its_eurlex_page(
    kg: kg_api.KnowledgeGraph, eli: str, celex: str, old: str | None
) -> None:
    act = ELI + eli
    page = "https://eur-lex.europa.eu/eli/" + eli
    # The CELEX is stated in a source graph derived from the act's EUR-Lex page.
    assert _ask(
        kg,
        f"""ASK {{
              GRAPH ?g {{ <{act}> a eli:LegalResource ; eli:id_local "{celex}" }}
              ?g a thb:Source ; prov:wasDerivedFrom <{page}> .
            }}""",
    )
    # The act has a title and a label, so it is described, not only named.
    assert _ask(kg, f"ASK {{ <{act}> dct:title ?t ; skos:prefLabel ?l }}")
    if old is not None:
        # The project IRI it had is gone: one node per act.
        assert not _ask(kg, f"ASK {{ {{ <{ID}{old}> ?p ?o }} UNION {{ ?s ?p <{ID}{old}> }} }}")


def test_celex_is_a_string_literal_like_the_other_acts(kg: kg_api.KnowledgeGraph) -> None:
    rows = _select(kg, "SELECT DISTINCT (DATATYPE(?c) AS ?dt) WHERE { ?act eli:id_local ?c }")
    assert [r["dt"] for r in rows] == [XSD_STRING]


# ------------------------------------------------------------------ articles


@pytest.mark.parametrize(("article", "act", "label"), ARTICLES, ids=[a[2] for a in ARTICLES])
def test_cited_article_has_its_iri(
    kg: kg_api.KnowledgeGraph, article: str, act: str, label: str
) -> None:
    rows = _select(
        kg,
        f"""SELECT ?act ?label WHERE {{
              <{article}> a eli:LegalResourceSubdivision ; eli:is_part_of ?act ;
                          skos:prefLabel ?label .
            }}""",
    )
    assert rows == [{"act": URIRef(act), "label": Literal(label, lang="en")}]
    # ... and it is the article of a claim, or cited by one that is.
    assert _ask(
        kg,
        f"ASK {{ {{ ?claim thb:provision <{article}> }} UNION {{ ?other eli:cites <{article}> }} }}",
    )


def test_eli_article_iri_is_the_act_eli_and_art_n(kg: kg_api.KnowledgeGraph) -> None:
    rows = _select(
        kg,
        """SELECT ?article WHERE {
             ?article eli:is_part_of ?act .
             FILTER(STRSTARTS(STR(?act), "http://data.europa.eu/eli/"))
             FILTER(!REGEX(STR(?article), CONCAT("^", STR(?act), "/(art|rct)_[0-9]+$")))
           }""",
    )
    assert rows == []


def test_every_article_locator_has_its_article(kg: kg_api.KnowledgeGraph) -> None:
    """A claim located at an article or recital links to that article's IRI."""
    rows = _select(
        kg,
        """SELECT ?claim ?locator WHERE {
             ?claim thb:locator ?locator .
             FILTER(REGEX(STR(?locator), "^(Article|Articles|recital) [0-9]", "i"))
             FILTER NOT EXISTS { ?claim thb:provision ?article }
           }""",
    )
    assert rows == []
    every = {a for a, _, _ in ARTICLES}
    cited = {
        str(r["a"])
        for r in _select(kg, "SELECT DISTINCT ?a WHERE { ?a a eli:LegalResourceSubdivision }")
    }
    assert cited == every


def test_locator_article_number_matches_its_iri(kg: kg_api.KnowledgeGraph) -> None:
    rows = _select(
        kg,
        """SELECT ?claim ?locator ?article WHERE {
             ?claim thb:locator ?locator ; thb:provision ?article .
             FILTER(REGEX(STR(?locator), "^Article [0-9]+"))
             BIND(REPLACE(STR(?locator), "^Article ([0-9]+).*$", "$1") AS ?n)
             FILTER(!STRENDS(STR(?article), CONCAT("/art_", ?n)))
           }""",
    )
    assert rows == []


def test_coordinator_legal_basis_is_article_20(kg: kg_api.KnowledgeGraph) -> None:
    rows = _select(
        kg,
        """SELECT DISTINCT ?article ?act ?label WHERE {
             <https://w3id.org/thb-kg/id/post/eu-anti-trafficking-coordinator> thb:legalBasisProvision ?article .
             ?article eli:is_part_of ?act ; skos:prefLabel ?label .
           }""",
    )
    assert rows == [
        {
            "article": URIRef(D2011 + "/art_20"),
            "act": URIRef(D2011),
            "label": Literal("Article 20 of Directive 2011/36/EU", lang="en"),
        }
    ]
    # the inverse is inferred, and Article 20 cites Article 19
    assert _ask(
        kg,
        f"""ASK {{ <{D2011}/art_20> thb:legalBasisOf <https://w3id.org/thb-kg/id/post/eu-anti-trafficking-coordinator> ;
                                  eli:cites <{D2011}/art_19> ;
                                  eli:is_part_of/eli:id_local "32011L0036" . }}""",
    )


def test_coordinator_article_is_sourced(kg: kg_api.KnowledgeGraph) -> None:
    rows = _select(
        kg,
        """SELECT DISTINCT ?doc WHERE {
             GRAPH ?g { <https://w3id.org/thb-kg/id/post/eu-anti-trafficking-coordinator> thb:legalBasisProvision ?article }
             ?g prov:wasDerivedFrom ?doc .
           } ORDER BY ?doc""",
    )
    assert [str(r["doc"]) for r in rows] == [
        "http://wordscope.be/anglais/francais/have+members.html",
        "https://gesetze.legal/eu/rl_2011_36_eu/20",
    ]
