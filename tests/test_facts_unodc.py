"""The confirmed facts of groups B, C, D and O (see docs/register.md), each in its source's graph.

One test per fact ID: the value (dates, numbers, IRIs, key words) and the
named graph of the source that states it. Then one test per conflict this
group owns (2, 9, 10): both values, each in its own graph, and the conflicts
query of the library lists them.

Plain literals come back typed xsd:string from Oxigraph, so words are matched
with STR()/CONTAINS, never by literal equality.
"""

from __future__ import annotations

import re

import pytest
from factcheck import holds_in_graph as _holds_in_graph

from kg.namespaces import GRAPH

_ID_TERM = re.compile(r"(?<![\w-])id:([\w/-]+)")


def holds_in_graph(kg, graph_slug: str, pattern: str) -> bool:
    """factcheck.holds_in_graph, writing ``id:body/unodc`` for the full entity IRI.

    SPARQL prefixed names cannot hold a slash, so each ``id:kind/slug`` of the
    patterns below is expanded to ``<https://w3id.org/thb-kg/id/kind/slug>``.
    """
    expanded = _ID_TERM.sub(lambda m: f"<https://w3id.org/thb-kg/id/{m.group(1)}>", pattern)
    return _holds_in_graph(kg, graph_slug, expanded)


# fact ID -> [(graph slug, SPARQL group pattern), ...]; every pair must hold.
FACTS: dict[str, list[tuple[str, str]]] = {
    # ---------------------------------------------------------------- B. UNODC
    "B01": [
        (
            "unvienna-unodc",
            # the year, on this source's account of UNODC (graph_data/README.md, Dates)
            """?account thb:accountOf id:body/unodc ; thb:establishedIn "1997-01-01"^^xsd:date ;
                              thb:datePrecision time:unitYear .""",
        )
    ],
    "B02": [
        (
            "wikipedia-unodc",
            """id:body/unodc skos:altLabel ?name . FILTER(STR(?name) = "Office for Drug Control and Crime Prevention")
               id:body/unodc skos:altLabel ?acronym . FILTER(STR(?acronym) = "ODCCP")
               id:event/odccp-founding-1997/wikipedia-unodc a org:ChangeEvent ;
                   org:originalOrganization id:body/undcp , id:body/unov-crime-prevention-unit ;
                   org:resultingOrganization id:body/unodc ;
                   thb:startDate "1997-01-01"^^xsd:date .
               id:body/undcp skos:altLabel ?undcp . FILTER(STR(?undcp) = "UNDCP")
               id:body/unov-crime-prevention-unit org:subOrganizationOf id:body/unov .""",
        ),
        (
            "unis-nar748",
            """id:body/unodc skos:altLabel ?acronym . FILTER(STR(?acronym) = "ODCCP")""",
        ),
    ],
    "B03": [
        (
            "wikipedia-unodc",
            """id:event/odccp-renamed-unodc-2002 a org:ChangeEvent ;
                   org:resultingOrganization id:body/unodc ;
                   thb:startDate "2002-01-01"^^xsd:date ;
                   thb:datePrecision time:unitYear .""",
        )
    ],
    "B04": [
        (
            "unvienna-unodc",
            """id:body/unodc thb:seat id:place/vienna .
               id:place/vienna a dct:Location ; dct:isPartOf id:place/austria .""",
        )
    ],
    "B05": [
        (
            "press-un-sga1251",
            """id:post/unodc-executive-director a org:Post ;
                   org:postIn id:body/unodc ; org:role id:role/executive-director .
               id:post/unov-director-general org:postIn id:body/unov .
               ?claim thb:about id:post/unodc-executive-director , id:post/unov-director-general ;
                      rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "appointed by the Secretary-General")
                      && CONTAINS(STR(?text), "Director-General of the United Nations Office at Vienna"))""",
        ),
        (
            "press-un-sg-press-releases-324",
            """?m org:role id:role/executive-director ; org:organization id:body/unodc ;
                  thb:appointedBy id:post/un-secretary-general .""",
        ),
    ],
    "B06": [
        (
            "unis-nar748",
            """id:membership/costa-unodc-executive-director/unis-nar748 a org:Membership ;
                   org:member id:person/antonio-maria-costa ;
                   org:organization id:body/unodc ;
                   org:role id:role/executive-director ;
                   org:memberDuring/time:hasBeginning/time:inXSDDate "2002-05-07"^^xsd:date .
               id:person/antonio-maria-costa schema:nationality id:place/italy .""",
        ),
        (
            "unodc-press-release-2006-04-05",
            """?e dct:subject id:membership/costa-unodc-executive-director/unodc-press-release-2006-04-05 ;
                  thb:startDate "2006-05-07"^^xsd:date ;
                  thb:context ?c . FILTER(CONTAINS(STR(?c), "second four-year term"))""",
        ),
    ],
    "B07": [
        (
            "press-un-sga1251",
            """id:membership/costa-unodc-executive-director/press-un-sga1251 org:memberDuring ?i .
               ?i time:hasEnd ?end .
               ?end time:inXSDgYear "2010"^^xsd:gYear ; thb:datePrecision time:unitYear ;
                   thb:notBefore "2010-01-01"^^xsd:date ; thb:notAfter "2010-12-31"^^xsd:date .""",
        )
    ],
    "B08": [
        (
            "press-un-sga1251",
            """id:membership/fedotov-unodc-executive-director/press-un-sga1251
                   org:member id:person/yury-fedotov ;
                   org:organization id:body/unodc ;
                   org:role id:role/executive-director ;
                   thb:appointmentDate "2010-07-09"^^xsd:date ;
                   thb:appointedBy id:person/ban-ki-moon , id:post/un-secretary-general .
               id:person/yury-fedotov schema:nationality id:place/russian-federation .""",
        ),
        (
            "unodc-lpo-brazil-2010-09-13",
            """id:membership/fedotov-unodc-executive-director/unodc-lpo-brazil-2010-09-13
                   org:memberDuring/time:hasBeginning/time:inXSDDate "2010-09-13"^^xsd:date .""",
        ),
    ],
    "B09": [
        (
            "press-un-sg-press-releases-324",
            """id:membership/waly-unodc-executive-director/press-un-sg-press-releases-324
                   org:member id:person/ghada-fathi-waly ;
                   org:organization id:body/unodc ;
                   org:role id:role/executive-director ;
                   thb:appointmentDate "2019-11-21"^^xsd:date ;
                   thb:appointedBy id:person/antonio-guterres ;
                   thb:context ?c .
               FILTER(CONTAINS(STR(?c), "succeeding Yury Fedotov"))
               id:person/ghada-fathi-waly schema:nationality id:place/egypt .""",
        )
    ],
    "B10": [
        (
            "unodc-speech-stafftownhall-2020-02-10",
            """id:membership/waly-unodc-executive-director/unodc-speech-stafftownhall-2020-02-10 org:memberDuring/time:hasBeginning ?start .
               ?start time:inXSDgYearMonth "2020-02"^^xsd:gYearMonth ; thb:datePrecision time:unitMonth .""",
        )
    ],
    "B11": [
        (
            "unodc-tip-data",
            """?claim thb:about id:body/unodc , ?indicator ; rdf:value ?text .
               ?indicator skos:notation ?n . FILTER(STR(?n) = "16.2.2")
               FILTER(CONTAINS(STR(?text), "custodian"))""",
        )
    ],
    "B12": [
        (
            "unodc-tip-data",
            """id:body/icat skos:altLabel ?a . FILTER(STR(?a) = "ICAT")
               ?claim thb:about id:body/icat , id:body/unodc ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "General Assembly") && CONTAINS(STR(?text), "coordinating role"))""",
        )
    ],
    # ---------------------------------------------------- C. drug conventions
    "C01": [
        (
            "unodc-cnd-scheduling",
            """id:instrument/single-convention-1961 a eli:LegalResource ;
                   dct:title ?t ; eli:date_document "1961-01-01"^^xsd:date ;
                   thb:datePrecision time:unitYear .
               FILTER(STR(?t) = "Single Convention on Narcotic Drugs, 1961")
               ?protocol eli:amends id:instrument/single-convention-1961 ;
                         eli:date_document "1972-01-01"^^xsd:date .""",
        )
    ],
    "C02": [
        (
            "unodc-cnd-scheduling",
            """id:instrument/psychotropic-convention-1971 a eli:LegalResource ;
                   dct:title ?t ; eli:date_document "1971-01-01"^^xsd:date ;
                   thb:datePrecision time:unitYear .
               FILTER(STR(?t) = "Convention on Psychotropic Substances, 1971")""",
        )
    ],
    "C03": [
        (
            "unodc-cnd-scheduling",
            """id:instrument/drug-trafficking-convention-1988 a eli:LegalResource ;
                   dct:title ?t ; eli:date_document "1988-01-01"^^xsd:date ;
                   thb:datePrecision time:unitYear .
               FILTER(STR(?t) = "United Nations Convention against Illicit Traffic in Narcotic Drugs and Psychotropic Substances, 1988")""",
        )
    ],
    "C04": [
        (
            "unodc-cnd-scheduling",
            """id:body/cnd skos:altLabel ?a . FILTER(STR(?a) = "CND")
               id:instrument/single-convention-1961 eli:responsibility_of_agent id:body/cnd .
               id:instrument/psychotropic-convention-1971 eli:responsibility_of_agent id:body/cnd .
               id:instrument/drug-trafficking-convention-1988 eli:responsibility_of_agent id:body/cnd .
               ?claim thb:about id:body/cnd ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "scope of control"))""",
        )
    ],
    "C05": [
        (
            "drugpolicyfacts-1575",
            """id:instrument/single-convention-1961 thb:monitoredBy id:body/incb .
               id:instrument/psychotropic-convention-1971 thb:monitoredBy id:body/incb .
               id:instrument/drug-trafficking-convention-1988 thb:monitoredBy id:body/incb .
               ?claim thb:about id:body/incb ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "quasi-judicial") && CONTAINS(STR(?text), "13 members"))""",
        )
    ],
    "C06": [
        (
            graph,
            """?claim thb:about id:instrument/drug-trafficking-convention-1988 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "money laundering")
                      && CONTAINS(STR(?text), "precursor")
                      && CONTAINS(STR(?text), "mutual legal assistance"))""",
        )
        for graph in ("citywide-drug-control-conventions", "drugpolicyfacts-1575")
    ],
    # ------------------------------------------------------- D.1 Blue Heart
    "D01": [
        (
            "un-int-blue-heart",
            """id:campaign/blue-heart thb:initiativeOf id:body/unodc .
               ?account thb:accountOf id:campaign/blue-heart ;
                   thb:launchDate "2009-03-01"^^xsd:date ; thb:datePrecision time:unitMonth .
               ?announcement dct:subject id:campaign/blue-heart ;
                   thb:startDate "2009-03-03"^^xsd:date ; dct:spatial id:place/vienna .
               ?presentation dct:subject id:campaign/blue-heart ;
                   thb:startDate "2009-03-05"^^xsd:date ; thb:context ?c .
               FILTER(CONTAINS(STR(?c), "Women's World Awards"))""",
        )
    ],
    "D02": [
        (
            "stopvaw-blue-heart-launch",
            """?claim thb:about id:campaign/blue-heart ;
                   prov:wasAttributedTo id:body/un-news-centre ;
                   dct:date "2009-03-05"^^xsd:date .""",
        )
    ],
    "D03": [
        (
            "wikipedia-blue-heart-campaign",
            """?p a thb:CampaignParticipation ;
                  prov:agent id:person/antonio-maria-costa ;
                  thb:campaign id:campaign/blue-heart ;
                  thb:context ?c . FILTER(CONTAINS(STR(?c), "launched"))""",
        )
    ],
    "D04": [
        (
            "unis-cp-623",
            """id:participation/spain-blue-heart/unis-cp-623 prov:agent id:state/spain ;
                   thb:campaign id:campaign/blue-heart ;
                   thb:joinDate "2010-06-29"^^xsd:date .
               ?event dct:subject id:campaign/blue-heart ;
                   thb:startDate "2010-06-29"^^xsd:date ;
                   prov:wasAssociatedWith id:person/antonio-maria-costa , id:person/bibiana-aido ,
                       id:person/mira-sorvino , id:person/belen-rueda , id:person/lydia-cacho ;
                   prov:qualifiedAssociation [ prov:agent id:person/bibiana-aido ; prov:hadRole ?minister ] ,
                                             [ prov:agent id:person/mira-sorvino ; prov:hadRole ?ambassador ] .
               ?minister skos:prefLabel ?ml . FILTER(CONTAINS(STR(?ml), "Minister of Equality"))
               ?ambassador skos:prefLabel ?al . FILTER(CONTAINS(STR(?al), "Goodwill Ambassador"))""",
        )
    ],
    # -------------------------------- D.2 Global Plan, Trust Fund, World Day, GLOTIP
    "D05": [
        (
            "un-ga-president-64-trafficking-2010-08-31",
            """id:instrument/un-global-plan-of-action a eli:LegalResource ;
                   skos:notation ?n ; eli:passed_by id:body/un-general-assembly ;
                   eli:date_document "2010-07-30"^^xsd:date .
               FILTER(STR(?n) = "A/RES/64/293")""",
        )
    ],
    "D06": [
        (
            "paperzz-a-res-64-293",
            """id:instrument/un-global-plan-of-action skos:notation ?n ;
                   eli:date_publication "2010-08-12"^^xsd:date ; skos:note ?note .
               FILTER(STR(?n) = "A/RES/64/293")
               FILTER(CONTAINS(STR(?note), "64th session") && CONTAINS(STR(?note), "agenda item 104")
                      && CONTAINS(STR(?note), "A/64/L.64"))""",
        )
    ],
    "D07": [
        (
            "un-ga-president-64-trafficking-2010-08-31",
            """id:instrument/un-global-plan-of-action thb:launchDate "2010-08-31"^^xsd:date .
               ?meeting dct:subject id:instrument/un-global-plan-of-action ;
                   thb:startDate "2010-08-31"^^xsd:date ; dct:spatial id:place/new-york .
               ?claim thb:about id:place/cape-verde , id:place/portugal ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "co-facilitators"))""",
        )
    ],
    "D08": [
        (
            "un-ga-president-65-trafficking-2010-11-04",
            """id:body/un-trust-fund-victims-of-trafficking skos:prefLabel ?l ;
                   thb:launchDate "2010-11-04"^^xsd:date .
               FILTER(CONTAINS(STR(?l), "Voluntary Trust Fund"))
               ?launch dct:subject id:body/un-trust-fund-victims-of-trafficking ;
                   dct:spatial id:place/new-york .""",
        )
    ],
    "D09": [
        (
            "un-org-au-world-day-2014",
            """id:body/un-trust-fund-victims-of-trafficking
                   thb:establishedBy id:instrument/un-global-plan-of-action .""",
        )
    ],
    "D10": [
        (
            "un-org-au-world-day-2014",
            """id:event/world-day-against-trafficking-in-persons/un-org-au-world-day-2014
                   dct:temporal "--07-30"^^xsd:gMonthDay ;
                   thb:establishedBy id:instrument/a-res-68-192 .
               id:instrument/a-res-68-192 skos:notation ?n ; dct:title ?t ;
                   eli:date_document "2013-12-01"^^xsd:date ; thb:datePrecision time:unitMonth .
               FILTER(STR(?n) = "A/RES/68/192")
               FILTER(STR(?t) = "Improving the coordination of efforts against trafficking in persons")""",
        )
    ],
    "D11": [
        (
            "keepincalendar-world-day",
            """?claim thb:about id:event/world-day-against-trafficking-in-persons/keepincalendar-world-day ,
                               id:instrument/un-global-plan-of-action ;
                      rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "anniversary"))
               id:instrument/un-global-plan-of-action eli:date_document "2010-07-30"^^xsd:date .""",
        )
    ],
    "D12": [
        (
            "un-org-au-world-day-2014",
            """id:event/world-day-against-trafficking-in-persons/un-org-au-world-day-2014 thb:startDate "2014-07-30"^^xsd:date .""",
        )
    ],
    "D13": [
        (
            "unodc-tip-data",
            """id:report/glotip a thb:Report ;
                   dct:publisher id:body/unodc ;
                   dct:creator id:body/unodc-crime-research-section ;
                   dct:accrualPeriodicity <http://purl.org/cld/freq/biennial> ;
                   thb:establishedBy id:instrument/un-global-plan-of-action .
               id:instrument/un-global-plan-of-action skos:notation ?n . FILTER(STR(?n) = "A/RES/64/293")""",
        )
    ],
    "D14": [
        (
            "unodc-iran-second-glotip",
            """id:report/glotip-2012 dct:isPartOf id:report/glotip ;
                   dct:issued "2012-01-01"^^xsd:date ; thb:datePrecision time:unitYear .
               id:report/glotip-2014 dct:isPartOf id:report/glotip ;
                   dct:issued "2014-11-24"^^xsd:date ; dct:spatial id:place/vienna .""",
        ),
        (
            "acrath-glotip-2018",
            """id:report/glotip-2018 dct:isPartOf id:report/glotip ;
                   dct:issued "2018-01-01"^^xsd:date ; thb:datePrecision time:unitYear .
               ?claim thb:about id:report/glotip-2018 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "142 countries") && CONTAINS(STR(?text), "2014 and 2016"))""",
        ),
        (
            "christusliberat-glotip-2020",
            """id:report/glotip-2020 dct:isPartOf id:report/glotip ;
                   dct:issued "2020-01-01"^^xsd:date ; thb:datePrecision time:unitYear .""",
        ),
    ],
    "D15": [
        (
            "stopvaw-unodc-report-2009",
            """id:report/glotip-2009 dct:publisher id:body/unodc ;
                   dct:issued "2009-02-01"^^xsd:date ; thb:datePrecision time:unitMonth .
               ?sexual qb:dataSet ?ds ; sdmx-measure:obsValue ?value1 ;
                   sdmx-attribute:unitMeasure id:unit/percent ;
                   thb:exploitationForm ?f1 .
               ?labour qb:dataSet ?ds ; sdmx-measure:obsValue ?value2 ;
                   sdmx-attribute:unitMeasure id:unit/percent ;
                   thb:exploitationForm ?f2 .
               ?ds dct:source id:report/glotip-2009 .
               FILTER(CONTAINS(STR(?f1), "sexual-exploitation") && CONTAINS(STR(?f2), "forced-labour"))
               FILTER(?value1 = 79) FILTER(?value2 = 18)""",
        )
    ],
    # ------------------------------------------------ D.3 the 2010 Europe report
    "D16": [
        (
            "docslib-unodc-2010-trafficking-to-europe",
            """id:report/unodc-2010-trafficking-to-europe dct:isPartOf id:report/unodc-2010-tocta .
               id:report/unodc-2010-tocta dct:publisher id:body/unodc ; skos:altLabel ?a ;
                   dct:issued "2010-01-01"^^xsd:date ; thb:datePrecision time:unitYear .
               FILTER(STR(?a) = "TOCTA")""",
        )
    ],
    "D17": [
        (
            graph,
            """id:report/unodc-2010-trafficking-to-europe dct:publisher id:body/unodc ;
                   dct:issued "2010-06-29"^^xsd:date .""",
        )
        for graph in ("unis-cp-623", "loc-un-report-thb-europe")
    ],
    "D18": [
        (
            "docslib-unodc-2010-trafficking-to-europe",
            """?stock qb:dataSet/thb:accountOf id:dataset/unodc-2010-trafficking-to-europe ;
                   sdmx-measure:obsValue ?value3 ; sdmx-attribute:unitMeasure id:unit/persons ;
                   sdmx-dimension:refArea id:place/europe .
               ?flow qb:dataSet/thb:accountOf id:dataset/unodc-2010-trafficking-to-europe ;
                   sdmx-measure:obsValue ?value4 ; sdmx-attribute:unitMeasure id:unit/persons-per-year ;
                   thb:context ?turnover . FILTER(CONTAINS(STR(?turnover), "two-year turnover"))
               id:observation/unodc-2010-europe-annual-revenue/docslib-unodc-2010-trafficking-to-europe
                   sdmx-measure:obsValue ?value5 ; sdmx-attribute:unitMeasure id:unit/usd-per-year .
               ?claim thb:about id:report/unodc-2010-trafficking-to-europe ,
                                id:place/balkans , id:place/former-soviet-union ;
                      rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "West and Central Europe"))
               FILTER(?value3 = 140000) FILTER(?value4 = 70000) FILTER(?value5 = 3000000000)""",
        )
    ],
    # ------------------------------------------------- O. global estimates
    "O01": [
        (
            "eur-lex-52012dc0286",
            """?victims sdmx-measure:obsValue ?value6 ; sdmx-attribute:unitMeasure id:unit/persons ;
                   sdmx-dimension:refArea id:place/world ;
                   thb:asOf "2012-06-01"^^xsd:date ; thb:datePrecision time:unitMonth ;
                   qb:dataSet ?ds ; thb:context ?c .
               FILTER(CONTAINS(STR(?c), "2002-2011"))
               ?children sdmx-measure:obsValue ?value7 ; qb:dataSet ?ds ;
                   thb:asOf "2012-06-01"^^xsd:date .
               ?ds dct:publisher id:body/ilo .
               FILTER(?value6 = 20900000) FILTER(?value7 = 5500000)""",
        )
    ],
    "O02": [
        (
            "eur-lex-52021dc0171",
            """?victims sdmx-measure:obsValue ?value8 ; thb:valueQualifier ?q ;
                   sdmx-attribute:unitMeasure id:unit/persons ;
                   thb:asOf "2021-04-14"^^xsd:date ; thb:context ?c .
               FILTER(STR(?q) = "more than" && CONTAINS(STR(?c), "2017-2018"))
               ?cost sdmx-measure:obsValue ?value9 ; sdmx-attribute:unitMeasure id:unit/eur-per-year ;
                   thb:valueQualifier ?q2 ; thb:asOf "2021-04-14"^^xsd:date .
               FILTER(STR(?q2) = "up to")
               FILTER(?value8 = 14000) FILTER(?value9 = 2700000000)""",
        )
    ],
}


def test_every_fact_id_of_the_groups_is_tested() -> None:
    expected = (
        [f"B{i:02d}" for i in range(1, 13)]
        + [f"C{i:02d}" for i in range(1, 7)]
        + [f"D{i:02d}" for i in range(1, 19)]
        + ["O01", "O02"]
    )
    assert sorted(FACTS) == sorted(expected)


@pytest.mark.parametrize("fact_id", sorted(FACTS))
def test_fact_holds_in_its_source_graph(kg, fact_id: str) -> None:
    for graph_slug, pattern in FACTS[fact_id]:
        assert holds_in_graph(kg, graph_slug, pattern), f"{fact_id} not found in graph/{graph_slug}"


# ---------------------------------------------------------------- conflicts


def test_conflict_2_revenue_eur_in_press_release_usd_in_report_box(kg) -> None:
    # each source has its own account of the observation (thb:accountOf)
    node = "?obs thb:accountOf id:observation/unodc-2010-europe-annual-revenue . ?obs"
    eur = f"""{node} sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure id:unit/eur-per-year .
              FILTER(?v = 2500000000)"""
    usd = f"""{node} sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure id:unit/usd-per-year .
              FILTER(?v = 3000000000)"""
    assert holds_in_graph(kg, "unis-cp-623", eur)
    for graph in (
        "docslib-unodc-2010-trafficking-to-europe",
        "un-news-2010-06-343382",
        "loc-un-report-thb-europe",
    ):
        assert holds_in_graph(kg, graph, usd), graph
        assert not holds_in_graph(kg, graph, eur), graph
    assert not holds_in_graph(kg, "unis-cp-623", usd)


def test_conflict_9_name_of_the_crime_prevention_unit(kg) -> None:
    unit = "id:body/unov-crime-prevention-unit"
    assert holds_in_graph(
        kg,
        "wikipedia-unodc",
        f"""{unit} thb:officialName ?n .
            FILTER(STR(?n) = "Crime Prevention and Criminal Justice Division")""",
    )
    assert holds_in_graph(
        kg,
        "actionguide-unodc",
        f"""{unit} thb:officialName ?n .
            FILTER(STR(?n) = "Centre for International Crime Prevention")""",
    )
    # Both sources make the unit an original organisation of the 1997 founding.
    for graph in ("wikipedia-unodc", "actionguide-unodc"):
        assert holds_in_graph(
            kg, graph, f"?e thb:accountOf id:event/odccp-founding-1997 ; org:originalOrganization {unit} ."
        )


def test_conflict_10_end_of_costa_term_july_or_august_2010(kg) -> None:
    """Each source's account of the term ends at its own instant, a month (not a
    thb:startDate on a shared instant), and the accounts name the same end."""
    for graph, month, last in (
        ("wikimili-costa-infobox", "2010-07", "2010-07-31"),
        ("wikimili-costa-text", "2010-08", "2010-08-31"),
    ):
        assert holds_in_graph(
            kg,
            graph,
            f"""?m thb:accountOf id:membership/costa-unodc-executive-director ;
                   org:memberDuring/time:hasEnd ?end .
                ?end thb:accountOf id:instant/costa-unodc-executive-director-end ;
                     time:inXSDgYearMonth "{month}"^^xsd:gYearMonth ; thb:datePrecision time:unitMonth ;
                     thb:notBefore "{month}-01"^^xsd:date ; thb:notAfter "{last}"^^xsd:date .
                FILTER NOT EXISTS {{ ?end thb:startDate ?d }}""",
        )


@pytest.mark.parametrize(
    ("subject", "prop", "graphs"),
    [
        (
            "id/observation/unodc-2010-europe-annual-revenue",
            "http://purl.org/linked-data/sdmx/2009/measure#obsValue",
            {"unis-cp-623", "docslib-unodc-2010-trafficking-to-europe"},
        ),
        (
            "id/observation/unodc-2010-europe-annual-revenue",
            "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure",
            {"unis-cp-623", "loc-un-report-thb-europe"},
        ),
        (
            "id/body/unov-crime-prevention-unit",
            "https://w3id.org/thb-kg/ontology#officialName",
            {"wikipedia-unodc", "actionguide-unodc"},
        ),
        (
            "id/instant/costa-unodc-executive-director-end",
            "http://www.w3.org/2006/time#inXSDgYearMonth",
            {"wikimili-costa-infobox", "wikimili-costa-text"},
        ),
    ],
)
def test_conflicts_query_lists_our_conflicts(conflicts, subject: str, prop: str,
                                             graphs: set[str]) -> None:
    iri = "https://w3id.org/thb-kg/" + subject
    pairs = {frozenset({s1, s2}) for s, p, s1, s2 in conflicts if s == iri and p == prop}
    assert frozenset(str(GRAPH[g]) for g in graphs) in pairs


def test_spain_joined_agrees_with_the_seed_month(conflicts) -> None:
    """29 June 2010 (UNIS/CP/623) and June 2010 (seed, month precision) agree."""
    assert not any(
        s.endswith("/id/participation/spain-blue-heart") and p.endswith("#joinDate")
        for s, p, _s1, _s2 in conflicts
    )
