"""The confirmed facts of groups H to N (see docs/register.md), each in its source's graph.

H: the EU Anti-Trafficking Coordinator; I: EU strategies and policy;
J: Europol; K: Eurojust, Frontex, FRA; L: the Council of Europe Convention
(CETS 197) and GRETA; M: ECtHR case law; N: ILO C29 and its 2014 Protocol.

One test per fact ID: the value (dates, numbers, IRIs, key words) and the
named graph of the source that states it. Then one test per conflict this
group owns (1, 4, 6): both values, each in its own graph, and the conflicts
query of the library lists them.

Plain literals come back typed xsd:string from Oxigraph, so words are matched
with STR()/CONTAINS, never by literal equality.
"""

from __future__ import annotations

import re

import pytest
from factcheck import holds_in_graph as _holds_in_graph

from kg.namespaces import GRAPH, sparql_prologue

_ID_TERM = re.compile(r"(?<![\w-])id:([\w/-]+)")


def holds_in_graph(kg, graph_slug: str, pattern: str) -> bool:
    """factcheck.holds_in_graph, writing ``id:body/europol`` for the full entity IRI.

    SPARQL prefixed names cannot hold a slash, so each ``id:kind/slug`` of the
    patterns below is expanded to ``<https://w3id.org/thb-kg/id/kind/slug>``.
    """
    expanded = _ID_TERM.sub(lambda m: f"<https://w3id.org/thb-kg/id/{m.group(1)}>", pattern)
    return _holds_in_graph(kg, graph_slug, expanded)


DEC_2009_371 = "<http://data.europa.eu/eli/dec/2009/371/oj>"
REG_2016_794 = "<http://data.europa.eu/eli/reg/2016/794/oj>"
DEC_2002_187 = "<http://data.europa.eu/eli/dec/2002/187/oj>"
REG_2004_2007 = "<http://data.europa.eu/eli/reg/2004/2007/oj>"
REG_2018_1727 = "<http://data.europa.eu/eli/reg/2018/1727/oj>"
REG_2016_1624 = "<http://data.europa.eu/eli/reg/2016/1624/oj>"
REG_2019_1896 = "<http://data.europa.eu/eli/reg/2019/1896/oj>"
REG_168_2007 = "<http://data.europa.eu/eli/reg/2007/168/oj>"
DIR_2011_36 = "<http://data.europa.eu/eli/dir/2011/36/oj>"
CETS = "id:instrument/coe-convention-cets-197"
RANTSEV = "id:case/rantsev-v-cyprus-and-russia"
SILIADIN = "id:case/siliadin-v-france"

# fact ID -> [(graph slug, SPARQL group pattern), ...]; every pair must hold.
FACTS: dict[str, list[tuple[str, str]]] = {
    # ------------------------------------------- H. EU Anti-Trafficking Coordinator
    "H01": [
        (
            graph,
            """?atc thb:accountOf id:membership/vassiliadou-atc ; a org:Membership ;
                   org:member id:person/myria-vassiliadou ;
                   org:organization id:body/european-commission ;
                   org:role id:role/anti-trafficking-coordinator ;
                   thb:appointmentDate "2010-12-14"^^xsd:date ;
                   thb:appointedBy id:body/european-commission .
               FILTER NOT EXISTS { ?atc thb:datePrecision ?p }""",
        )
        for graph in ("ip-10-1715", "eurojust-pr-2011-07-01")
    ],
    "H02": [
        (
            "ip-10-1715",
            """id:person/myria-vassiliadou schema:nationality id:place/cyprus .
               id:membership/vassiliadou-ewl-secretary-general org:member id:person/myria-vassiliadou ;
                   org:organization id:body/european-womens-lobby .
               ?c thb:about id:person/myria-vassiliadou ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "Secretary General of the European Women's Lobby")
                      && CONTAINS(STR(?text), "PhD in Sociology"))""",
        )
    ],
    "H03": [
        (
            "eurasylum-042011-vassiliadou",
            """id:membership/vassiliadou-atc/eurasylum-042011-vassiliadou org:memberDuring/time:hasBeginning ?start .
               ?start a time:Instant ; time:inXSDgYearMonth "2011-03"^^xsd:gYearMonth ;
                   thb:datePrecision time:unitMonth ;
                   thb:notBefore "2011-03-01"^^xsd:date ; thb:notAfter "2011-03-31"^^xsd:date .""",
        )
    ],
    "H04": [
        (
            "ip-10-1715",
            """id:post/eu-anti-trafficking-coordinator org:reportsTo id:post/director-general-dg-home-affairs .
               id:post/director-general-dg-home-affairs org:postIn id:body/dg-home-affairs .
               ?c thb:about id:post/eu-anti-trafficking-coordinator ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "reports directly to the Director-General of DG Home Affairs"))""",
        )
    ],
    "H05": [
        (
            "ec-eu-anti-trafficking-coordinator",
            """id:membership/vassiliadou-atc/ec-eu-anti-trafficking-coordinator org:member id:person/myria-vassiliadou ;
                   org:memberDuring/time:hasEnd ?end ; thb:context ?c .
               ?end time:inXSDDate "2020-02-29"^^xsd:date ; thb:datePrecision time:unitDay ;
                   thb:notBefore "2020-02-29"^^xsd:date ; thb:notAfter "2020-02-29"^^xsd:date .
               FILTER(CONTAINS(STR(?c), "first"))""",
        )
    ],
    "H06": [
        (
            "ec-eu-anti-trafficking-coordinator",
            """id:membership/onidi-atc-acting org:member id:person/olivier-onidi ;
                   org:organization id:body/european-commission ;
                   org:role id:role/anti-trafficking-coordinator ;
                   thb:context ?c ;
                   org:memberDuring ?i .
               ?i time:hasBeginning ?b ; time:hasEnd ?e .
               ?b time:inXSDgYearMonth "2020-03"^^xsd:gYearMonth ; thb:datePrecision time:unitMonth ;
                   thb:notBefore "2020-03-01"^^xsd:date .
               ?e time:inXSDgYearMonth "2021-06"^^xsd:gYearMonth ; thb:datePrecision time:unitMonth ;
                   thb:notAfter "2021-06-30"^^xsd:date .
               FILTER(CONTAINS(STR(?c), "acting") && CONTAINS(STR(?c), "Deputy Director-General"))""",
        )
    ],
    "H07": [
        (
            "ec-eu-anti-trafficking-coordinator",
            """id:membership/schmitt-atc org:member id:person/diane-schmitt ;
                   org:role id:role/anti-trafficking-coordinator ;
                   org:memberDuring ?i .
               ?i time:hasBeginning/time:inXSDDate "2021-07-01"^^xsd:date .
               FILTER NOT EXISTS { ?i time:hasEnd ?e }
               id:person/diane-schmitt schema:nationality id:place/luxembourg .
               ?c thb:about id:person/diane-schmitt ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "studied law in France") && CONTAINS(STR(?text), "1992"))""",
        )
    ],
    "H08": [
        (
            "ec-eu-anti-trafficking-coordinator",
            f"""id:post/eu-anti-trafficking-coordinator org:postIn id:body/european-commission .
               ?c thb:about id:post/eu-anti-trafficking-coordinator , {DIR_2011_36} ,
                            id:document/eu-strategy-thb-2021-2025 ;
                  rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "two years") && CONTAINS(STR(?text), "2021-2025"))""",
        )
    ],
    "H09": [
        (
            "womenlobby-atc-situation-worrying",
            """id:post/eu-anti-trafficking-coordinator prov:wasInfluencedBy id:document/stockholm-programme .
               id:document/stockholm-programme dct:publisher id:body/european-council ;
                   dct:issued "2009-12-01"^^xsd:date ; thb:datePrecision time:unitMonth .
               ?c thb:about id:document/stockholm-programme ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "first mentioned") && CONTAINS(STR(?text), "4.4.2"))""",
        )
    ],
    # ------------------------------------------------------ I. EU policy and strategies
    "I01": [
        (
            "eur-lex-52012dc0286",
            """id:document/eu-strategy-thb-2012-2016 a foaf:Document ;
                   skos:notation "COM(2012) 286"^^thb:COMDocument ;
                   dct:publisher id:body/european-commission ;
                   dct:issued "2012-06-19"^^xsd:date ; dct:title ?t .
               FILTER(CONTAINS(STR(?t), "Eradication of Trafficking in Human Beings 2012-2016"))""",
        )
    ],
    "I02": [
        (
            "wixsite-trafficking-europe-eu-strategy",
            """?c thb:about id:document/eu-strategy-thb-2012-2016 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "five priorities") && CONTAINS(STR(?text), "prevention")
                      && CONTAINS(STR(?text), "prosecution of traffickers"))""",
        )
    ],
    "I03": [
        (
            "euroalert-15529",
            """?c thb:about id:document/eu-strategy-thb-2012-2016 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "40 concrete measures"))""",
        )
    ],
    "I04": [
        (
            "ec-atc-council-conclusions-eu-strategy",
            """id:document/council-conclusions-eu-strategy-2012-10-25
                   dct:publisher id:body/council-of-the-eu ;
                   dct:issued "2012-10-25"^^xsd:date ;
                   dct:spatial id:place/luxembourg ;
                   dct:subject id:document/eu-strategy-thb-2012-2016 .""",
        )
    ],
    "I05": [
        (
            "eur-lex-52021dc0171",
            """id:document/eu-strategy-thb-2021-2025 a foaf:Document ;
                   skos:notation "COM(2021) 171"^^thb:COMDocument ;
                   dct:publisher id:body/european-commission ;
                   dct:issued "2021-04-14"^^xsd:date ;
                   dct:spatial id:place/brussels ; dct:title ?t .
               FILTER(CONTAINS(STR(?t), "Combatting Trafficking in Human Beings 2021-2025"))""",
        ),
        (
            "lastrada-directive-2011-36",
            """id:document/eu-strategy-thb-2021-2025 skos:notation "COM(2021) 171"^^thb:COMDocument .""",
        ),
    ],
    "I06": [
        (
            "lastrada-directive-2011-36",
            """id:document/eu-strategy-thb-2021-2025 dct:relation id:document/eu-strategy-organised-crime-2021-2025 .
               id:document/eu-strategy-organised-crime-2021-2025 skos:prefLabel ?l .
               FILTER(CONTAINS(STR(?l), "Organised Crime 2021-2025"))""",
        )
    ],
    "I07": [
        (
            "lastrada-directive-2011-36",
            """id:body/eu-civil-society-platform-thb a org:Organization ;
                   thb:establishedIn "2013-01-01"^^xsd:date ; thb:datePrecision time:unitYear .""",
        )
    ],
    "I08": [
        (
            "coe-thb-news",
            """id:event/eu-anti-trafficking-day a thb:Event ; dct:temporal ?day .
               FILTER(STR(?day) = "--10-18")
               id:event/eu-anti-trafficking-day-2014 dct:isPartOf id:event/eu-anti-trafficking-day ;
                   thb:startDate "2014-10-18"^^xsd:date ; skos:prefLabel ?l .
               FILTER(CONTAINS(STR(?l), "8th"))""",
        )
    ],
    "I09": [
        (
            "ec-atc-council-conclusions-eu-strategy",
            """id:document/jha-agencies-joint-statement-2011 dct:issued "2011-01-01"^^xsd:date ;
                   thb:datePrecision time:unitYear ; skos:prefLabel ?l .
               FILTER(CONTAINS(STR(?l), "Justice and Home Affairs agencies"))""",
        )
    ],
    # ---------------------------------------------------------------------- J. Europol
    "J01": [
        (
            "europol-legalconv",
            """id:instrument/europol-convention a eli:LegalResource ;
                   eli:date_document "1995-07-26"^^xsd:date ;
                   eli:date_publication "1995-11-27"^^xsd:date ;
                   thb:ojReference ?oj ; thb:legalBasis ?basis ; dct:title ?t .
               FILTER(STR(?oj) = "OJ C 316, 27.11.1995" && CONTAINS(STR(?basis), "K.3")
                      && CONTAINS(STR(?t), "European Police Office"))
               id:body/europol thb:establishedBy id:instrument/europol-convention .""",
        )
    ],
    "J02": [
        (
            "projuris-europol-convention",
            """id:instrument/europol-convention eli:first_date_entry_in_force "1998-10-01"^^xsd:date .""",
        )
    ],
    "J03": [
        (
            "likumi-lv-europol-convention",
            """id:body/europol thb:seat id:place/the-hague .
               id:place/the-hague dct:isPartOf id:place/netherlands .
               id:event/europol-seat-decision-1993/likumi-lv-europol-convention prov:wasAssociatedWith id:body/european-council ;
                   thb:startDate "1993-10-29"^^xsd:date ; dct:subject id:body/europol .
               ?c thb:about id:body/europol ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "7 February 1992"))""",
        ),
        (
            "projuris-europol-convention",
            """id:event/europol-seat-decision-1993/projuris-europol-convention thb:startDate "1993-10-29"^^xsd:date .""",
        ),
    ],
    "J04": [
        (
            "eumonitor-2009-371",
            f"""{DEC_2009_371} a eli:LegalResource ; eli:id_local ?celex ;
                   eli:date_document "2009-04-06"^^xsd:date ;
                   eli:date_publication "2009-05-15"^^xsd:date ;
                   eli:passed_by id:body/council-of-the-eu ;
                   thb:ojReference ?oj ; thb:legalBasis ?basis ; dct:title ?t .
               FILTER(STR(?celex) = "32009D0371" && STR(?oj) = "OJ L 121, 15.5.2009, p. 37-66")
               FILTER(CONTAINS(STR(?basis), "30(1)(b)") && CONTAINS(STR(?basis), "34(2)(c)"))
               FILTER(CONTAINS(STR(?t), "establishing the European Police Office"))
               id:body/europol thb:establishedBy {DEC_2009_371} .""",
        )
    ],
    "J05": [
        (
            "eumonitor-2016-794",
            f"""{DEC_2009_371} thb:replaces id:instrument/europol-convention .
               ?c thb:about id:body/europol ; rdf:value ?text ; thb:locator ?loc .
               FILTER(CONTAINS(STR(?text), "general budget") && STR(?loc) = "recital 1")""",
        )
    ],
    "J06": [
        (
            "eumonitor-2009-371",
            f"""{DEC_2009_371} eli:first_date_entry_in_force "2009-06-04"^^xsd:date ;
                   eli:date_applicability "2010-01-01"^^xsd:date ;
                   eli:date_no_longer_in_force "2017-04-30"^^xsd:date .""",
        )
    ],
    "J07": [
        (
            graph,
            f"""{REG_2016_794} a eli:LegalResource ; eli:id_local ?celex ;
                   eli:date_document "2016-05-11"^^xsd:date ;
                   eli:date_publication "2016-05-24"^^xsd:date ;
                   eli:passed_by id:body/european-parliament , id:body/council-of-the-eu ;
                   thb:ojReference ?oj ; dct:title ?t ;
                   thb:replaces {DEC_2009_371} .
               FILTER(STR(?celex) = "32016R0794" && STR(?oj) = "OJ L 135, 24.5.2016, p. 53-114")
               FILTER(CONTAINS(STR(?t), "2009/934/JHA") && CONTAINS(STR(?t), "2009/968/JHA"))""",
        )
        for graph in ("eur-lex-legissum-23040102-1", "eumonitor-2016-794")
    ],
    "J08": [
        (
            "eumonitor-2016-794",
            f"""{REG_2016_794} thb:legalBasis ?basis ; prov:wasDerivedFrom ?proposal .
               ?proposal skos:notation "COM(2013) 173"^^thb:COMDocument .
               FILTER(CONTAINS(STR(?basis), "Article 88") && CONTAINS(STR(?basis), "ordinary legislative procedure"))""",
        )
    ],
    "J09": [
        (
            graph,
            f"""{REG_2016_794} eli:first_date_entry_in_force "2016-06-13"^^xsd:date ;
                   eli:date_applicability "2017-05-01"^^xsd:date .""",
        )
        for graph in ("eumonitor-2016-794", "eur-lex-legissum-23040102-1")
    ]
    + [
        (
            "eumonitor-2016-794",
            f"""?c thb:about {REG_2016_794} ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "Articles 71 to 73 apply from 13 June 2016"))""",
        )
    ],
    "J10": [
        (
            "eu-legislation-summary-jl0025",
            """id:body/europol thb:seat id:place/the-hague .
               id:place/the-hague dct:isPartOf id:place/netherlands .""",
        )
    ],
    "J11": [
        (
            "kipdf-europol-2011-thb",
            """id:report/europol-2011-thb-in-the-eu a thb:Report ;
                   dct:publisher id:body/europol ;
                   dct:issued "2011-09-01"^^xsd:date ;
                   dct:spatial id:place/the-hague ;
                   dct:identifier ?no ; dct:extent ?pages ; dct:type ?type ; dct:description ?d .
               FILTER(STR(?no) = "2565-84" && CONTAINS(STR(?pages), "15")
                      && STR(?type) = "Knowledge Product"
                      && CONTAINS(STR(?d), "O8 OC Networks in the South-East European Sphere"))""",
        )
    ],
    "J12": [
        (
            "ec-atc-europol-perspective-2009",
            """id:report/europol-2009-thb-perspective a thb:Report ;
                   dct:publisher id:body/europol ;
                   dct:issued "2009-01-01"^^xsd:date ; thb:datePrecision time:unitYear ;
                   dct:title ?t ; dct:extent ?pages .
               FILTER(CONTAINS(STR(?t), "A Europol perspective") && CONTAINS(STR(?pages), "12"))
               ?c1 thb:about id:report/europol-2009-thb-perspective ; rdf:value ?t1 .
               FILTER(CONTAINS(STR(?t1), "positive steps"))
               ?c2 thb:about id:report/europol-2009-thb-perspective ; rdf:value ?t2 .
               FILTER(CONTAINS(STR(?t2), "immediate reduction"))
               ?c3 thb:about id:report/europol-2009-thb-perspective ; rdf:value ?t3 .
               FILTER(CONTAINS(STR(?t3), "major impact on the EU"))""",
        )
    ],
    "J13": [
        (
            "studylib-europol-situation-report-2016",
            """id:report/europol-2016-situation-report-thb a thb:Report ;
                   dct:publisher id:body/europol ;
                   dct:issued "2016-02-01"^^xsd:date ; thb:datePrecision time:unitMonth ;
                   dct:spatial id:place/the-hague ; dct:identifier ?ref .
               FILTER(STR(?ref) = "765175")
               ?c thb:about id:report/europol-2016-situation-report-thb ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "70%") && CONTAINS(STR(?text), "EU nationals"))""",
        )
    ],
    # ------------------------------------------------------- K. Eurojust, Frontex, FRA
    "K01": [
        (
            "eur-lex-legissum-l33188-html",
            f"""{DEC_2002_187} a eli:LegalResource ; eli:id_local ?celex ;
                   eli:date_document "2002-02-28"^^xsd:date ;
                   eli:date_publication "2002-03-06"^^xsd:date ;
                   thb:ojReference ?oj ; dct:title ?t .
               FILTER(STR(?celex) = "32002D0187" && STR(?oj) = "OJ L 63, 6.3.2002, p. 1-13")
               FILTER(CONTAINS(STR(?t), "setting up Eurojust"))
               id:body/eurojust thb:establishedBy {DEC_2002_187} .""",
        )
    ],
    "K02": [
        (
            "eur-lex-legissum-l33188",
            """id:body/eurojust thb:seat id:place/the-hague .""",
        )
    ],
    "K03": [
        (
            "eur-lex-legissum-l33188",
            f"""{REG_2018_1727} a eli:LegalResource ;
                   eli:date_document "2018-11-14"^^xsd:date ;
                   eli:date_publication "2018-11-21"^^xsd:date ;
                   thb:ojReference ?oj ; thb:legalBasis ?basis ;
                   thb:replaces {DEC_2002_187} .
               FILTER(STR(?oj) = "OJ L 295, 21.11.2018, p. 138-183" && CONTAINS(STR(?basis), "Article 85"))
               {DEC_2002_187} eli:date_no_longer_in_force "2019-12-11"^^xsd:date ; thb:asStated ?as .
               FILTER(CONTAINS(STR(?as), "12 December 2019"))
               id:body/eurojust thb:officialName ?name .
               FILTER(STR(?name) = "European Union Agency for Criminal Justice Cooperation")""",
        )
    ],
    "K04": [
        (
            "eurojust-pr-2011-07-01",
            """id:body/eurojust-thb-team org:subOrganizationOf id:body/eurojust ; skos:prefLabel ?l .
               FILTER(CONTAINS(STR(?l), "Trafficking and Related Crimes Team"))
               ?c thb:about id:body/eurojust ; rdf:value ?text ; thb:asOf "2011-07-01"^^xsd:date .
               FILTER(CONTAINS(STR(?text), "over 80 trafficking cases a year"))""",
        )
    ],
    "K05": [
        (
            "eumonitor-2004-2007",
            f"""{REG_2004_2007} a eli:LegalResource ; eli:id_local ?celex ;
                   eli:date_document "2004-10-26"^^xsd:date ;
                   eli:date_publication "2004-11-25"^^xsd:date ;
                   eli:date_applicability "2005-05-01"^^xsd:date ;
                   eli:passed_by id:body/council-of-the-eu ;
                   thb:ojReference ?oj ; thb:legalBasis ?basis ; dct:title ?t .
               FILTER(STR(?celex) = "32004R2007" && STR(?oj) = "OJ L 349, 25.11.2004")
               FILTER(CONTAINS(STR(?basis), "62(2)(a)") && CONTAINS(STR(?basis), "66"))
               FILTER(CONTAINS(STR(?t), "Management of Operational Cooperation at the External Borders"))
               id:body/frontex thb:establishedBy {REG_2004_2007} .""",
        )
    ],
    "K06": [
        (
            graph,
            f"""{REG_2016_1624} eli:date_document "2016-09-14"^^xsd:date .
               {REG_2019_1896} eli:date_document "2019-11-13"^^xsd:date ;
                   eli:date_publication "2019-11-14"^^xsd:date ; thb:ojReference ?oj .
               FILTER(STR(?oj) = "OJ L 295, 14.11.2019, p. 1")
               id:body/frontex thb:officialName ?name .
               FILTER(STR(?name) = "European Border and Coast Guard Agency")""",
        )
        for graph in ("frontex-legal-basis", "frontex-legal-basis-http")
    ]
    + [
        (
            "frontex-legal-basis",
            """?c thb:about id:body/frontex ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "same legal personality") && CONTAINS(STR(?text), "2019/1896"))""",
        )
    ],
    "K07": [
        (
            "frontex-legal-basis-http",
            """id:body/frontex thb:seat id:place/warsaw .
               id:place/warsaw dct:isPartOf id:place/poland .
               ?c thb:about id:body/frontex ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "Article 93(5)"))""",
        )
    ],
    "K08": [
        (
            "eur-lex-legissum-l14169",
            f"""{REG_168_2007} a eli:LegalResource ;
                   eli:date_document "2007-02-15"^^xsd:date ;
                   eli:date_publication "2007-02-22"^^xsd:date ;
                   eli:passed_by id:body/council-of-the-eu ;
                   thb:ojReference ?oj ; thb:legalBasis ?basis ; dct:title ?t .
               FILTER(STR(?oj) = "OJ L 53, 22.2.2007, p. 1-14" && CONTAINS(STR(?basis), "Article 308"))
               FILTER(CONTAINS(STR(?t), "European Union Agency for Fundamental Rights"))
               id:body/fra thb:establishedBy {REG_168_2007} .""",
        )
    ],
    "K09": [
        (
            "eur-lex-legissum-l14169",
            f"""{REG_168_2007} eli:date_applicability "2007-03-01"^^xsd:date .
               id:body/fra thb:seat id:place/vienna ; dct:replaces id:body/eumc .
               id:body/eumc skos:prefLabel ?l .
               FILTER(STR(?l) = "European Monitoring Centre on Racism and Xenophobia")""",
        )
    ],
    # ------------------------------------------------------------ L. CETS 197 and GRETA
    "L01": [
        (
            "coe-anti-trafficking-convention",
            f"""{CETS} a eli:LegalResource ; skos:notation "CETS 197"^^thb:CETS ;
                   eli:type_document ?kind .
               FILTER(STRENDS(STR(?kind), "/convention"))""",
        )
    ],
    "L02": [
        (
            graph,
            f"""{CETS} eli:passed_by id:body/coe-committee-of-ministers ;
                   eli:date_document "2005-05-03"^^xsd:date .""",
        )
        for graph in ("coe-anti-trafficking-convention", "coe-gender-matters-convention")
    ],
    "L03": [
        (
            graph,
            f"""?e thb:accountOf id:event/cets-197-opening-for-signature ; dct:subject {CETS} ;
                   dct:spatial id:place/warsaw ; thb:startDate "2005-05-16"^^xsd:date .""",
        )
        for graph in ("coe-anti-trafficking-convention", "wikipedia-coe-convention-thb")
    ],
    "L04": [
        (
            "coe-anti-trafficking-convention",
            f"""{CETS} eli:first_date_entry_in_force "2008-02-01"^^xsd:date .
               ?c thb:about {CETS} ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "10th ratification"))""",
        )
    ],
    "L05": [
        (
            "coe-anti-trafficking-convention",
            f"""?obs a qb:Observation ; thb:instrument {CETS} ;
                   thb:indicator id:concept/indicator/parties ;
                   sdmx-measure:obsValue ?n ; sdmx-attribute:unitMeasure id:unit/countries ;
                   thb:asStated ?as ; thb:context ?c .
               FILTER(?n = 48 && STR(?as) = "page snapshot, undated")
               FILTER(CONTAINS(STR(?c), "46") && CONTAINS(STR(?c), "Belarus") && CONTAINS(STR(?c), "Israel"))
               FILTER NOT EXISTS {{ ?obs thb:asOf ?date }}""",
        )
    ],
    "L06": [
        (
            "coe-thb-news",
            f"""id:event/belarus-accession-cets-197 dct:subject {CETS} ;
                   prov:wasAssociatedWith id:place/belarus ; thb:startDate "2013-11-26"^^xsd:date .
               id:event/cets-197-entry-into-force-belarus dct:spatial id:place/belarus ;
                   thb:startDate "2014-03-01"^^xsd:date .
               ?c thb:about {CETS} , id:place/belarus ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "first"))""",
        )
    ],
    "L07": [
        (
            "wikipedia-coe-convention-thb",
            f"""id:event/israel-joins-cets-197 dct:subject {CETS} ;
                   prov:wasAssociatedWith id:place/israel ;
                   thb:startDate "2021-01-01"^^xsd:date ; thb:datePrecision time:unitYear .
               ?c thb:about id:place/israel ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "first country outside Europe"))""",
        )
    ],
    "L08": [
        (
            "coe-gender-matters-convention",
            f"""{CETS} thb:monitoredBy id:body/greta , id:body/cets-197-committee-of-the-parties .
               id:body/greta skos:prefLabel ?l ; skos:altLabel ?a .
               FILTER(STR(?l) = "Group of Experts on Action against Trafficking in Human Beings"
                      && STR(?a) = "GRETA")
               FILTER NOT EXISTS {{ id:body/greta org:subOrganizationOf ?parent }}""",
        )
    ],
    "L09": [
        (
            "wikipedia-coe-convention-thb",
            """?c thb:about id:body/greta ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "between 10 and 15 members")
                      && CONTAINS(STR(?text), "elected by the States Parties"))""",
        )
    ],
    "L10": [
        (
            "coe-gender-matters-convention",
            f"""{CETS} thb:provides id:concept/measure/reflection-period ,
                                    id:concept/measure/residence-permit ,
                                    id:concept/measure/compensation .
               ?c thb:about {CETS} ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "at least 30 days") && CONTAINS(STR(?text), "renewable residence permit"))""",
        )
    ],
    "L11": [
        (
            "coe-anti-human-trafficking",
            f"""?c thb:about {CETS} ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "all forms of trafficking")
                      && CONTAINS(STR(?text), "national or transnational")
                      && CONTAINS(STR(?text), "women, men and children"))""",
        )
    ],
    "L12": [
        (
            "coe-anti-trafficking-convention",
            f"""?c thb:about {CETS} ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "not members of the Council of Europe")
                      && CONTAINS(STR(?text), "European Union"))""",
        )
    ],
    # ---------------------------------------------------------------- M. ECtHR cases
    "M01": [
        (
            "bailii-rantsev",
            f"""{RANTSEV} a thb:CourtCase ; thb:decidedBy id:body/ecthr ;
                   skos:notation "25965/04"^^thb:ECHRApplicationNo ,
                                 "[2010] ECHR 22"^^thb:NeutralCitation ,
                                 "(2010) 51 EHRR 1"^^thb:NeutralCitation ,
                                 "28 BHRC 313"^^thb:NeutralCitation .""",
        )
    ],
    "M02": [
        (
            "bailii-rantsev",
            f"""{RANTSEV} thb:judgmentDate "2010-01-07"^^xsd:date ;
                   thb:finalDate "2010-05-10"^^xsd:date ;
                   dct:spatial id:place/strasbourg ; thb:context ?c .
               FILTER(CONTAINS(STR(?c), "First Section"))""",
        )
    ],
    "M03": [
        (
            "bailii-rantsev",
            f"""{RANTSEV} dct:dateSubmitted "2004-05-26"^^xsd:date .
               id:person/nikolay-rantsev schema:nationality id:place/russian-federation .
               ?c thb:about {RANTSEV} , id:person/oxana-rantseva , id:place/cyprus ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "5 March 2001") && CONTAINS(STR(?text), "artiste")
                      && CONTAINS(STR(?text), "Articles 2, 3, 4, 5, 6 and 8"))""",
        )
    ],
    "M04": [
        (
            "asylumlawdatabase-rantsev",
            f"""{RANTSEV} thb:concerns id:concept/right/echr-article-4 .
               id:concept/right/echr-article-4 a skos:Concept ; skos:inScheme ?scheme .
               ?c thb:about {RANTSEV} ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "Article 4") && CONTAINS(STR(?text), "positive obligations")
                      && CONTAINS(STR(?text), "investigate"))""",
        )
    ],
    "M05": [
        (
            "bailii-siliadin",
            f"""{SILIADIN} a thb:CourtCase ; thb:decidedBy id:body/ecthr ;
                   skos:notation "73316/01"^^thb:ECHRApplicationNo ,
                                 "[2005] ECHR 545"^^thb:NeutralCitation ,
                                 "(2006) 43 EHRR 16"^^thb:NeutralCitation ,
                                 "20 BHRC 654"^^thb:NeutralCitation .""",
        )
    ],
    "M06": [
        (
            "bailii-beta-siliadin",
            f"""{SILIADIN} thb:judgmentDate "2005-07-26"^^xsd:date ;
                   thb:finalDate "2005-10-26"^^xsd:date ;
                   dct:spatial id:place/strasbourg ; thb:context ?c .
               FILTER(CONTAINS(STR(?c), "Second Section"))""",
        )
    ],
    "M07": [
        (
            "legislationline-7496",
            f"""{SILIADIN} dct:dateSubmitted "2001-04-17"^^xsd:date .
               id:person/siwa-akofa-siliadin schema:nationality id:place/togo .
               ?c thb:about {SILIADIN} , id:person/siwa-akofa-siliadin ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "1978") && CONTAINS(STR(?text), "January 1994")
                      && CONTAINS(STR(?text), "15 and a half"))""",
        ),
        (
            "bailii-siliadin",
            f"""{SILIADIN} dct:dateSubmitted "2001-04-17"^^xsd:date .""",
        ),
    ],
    "M08": [
        (
            "legislationline-7496",
            f"""{SILIADIN} thb:concerns id:concept/right/echr-article-4 .
               ?c thb:about {SILIADIN} ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "unanimously") && CONTAINS(STR(?text), "Article 4")
                      && CONTAINS(STR(?text), "26,209.69"))""",
        )
    ],
    # ---------------------------------------------------------------- N. ILO C29, P029
    "N01": [
        (
            "ohchr-ilo-c29",
            """id:instrument/ilo-c29 a eli:LegalResource ; dct:title ?t ;
                   eli:passed_by id:body/ilo ;
                   eli:date_document "1930-06-28"^^xsd:date .
               FILTER(STR(?t) = "Forced Labour Convention, 1930 (No. 29)")
               id:event/ilo-c29-adoption dct:subject id:instrument/ilo-c29 ;
                   dct:spatial id:place/geneva ; skos:prefLabel ?l .
               FILTER(CONTAINS(STR(?l), "14th session"))""",
        )
    ],
    "N02": [
        (
            "ohchr-ilo-c29",
            """id:instrument/ilo-c29 eli:first_date_entry_in_force "1932-05-01"^^xsd:date .
               ?c thb:about id:instrument/ilo-c29 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "Article 28"))""",
        )
    ],
    "N03": [
        (
            "gsphub-ilo-c29",
            """?q a thb:Quotation ; thb:about id:instrument/ilo-c29 ; rdf:value ?text ; thb:context ?c .
               FILTER(CONTAINS(STR(?text), "exacted from any person under the menace of any penalty")
                      && CONTAINS(STR(?text), "not offered himself voluntarily")
                      && CONTAINS(STR(?c), "Article 2"))""",
        )
    ],
    "N04": [
        (
            "gsphub-ilo-c29",
            """?c thb:about id:instrument/ilo-c29 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "eight fundamental conventions"))""",
        )
    ],
    "N05": [
        (
            "loc-ilo-forced-labour-protocol",
            """id:instrument/ilo-p029 a eli:LegalResource ;
                   eli:date_document "2014-06-11"^^xsd:date ;
                   thb:supplements id:instrument/ilo-c29 .
               id:instrument/ilo-r203 eli:date_document "2014-06-11"^^xsd:date ; dct:title ?t .
               FILTER(CONTAINS(STR(?t), "Recommendation No. 203"))
               ?c thb:about id:instrument/ilo-p029 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "103rd Session"))""",
        ),
        (
            "ilo-normlex-p029",
            """id:instrument/ilo-p029 eli:date_document "2014-06-11"^^xsd:date .""",
        ),
    ],
    "N06": [
        (
            "loc-ilo-forced-labour-protocol",
            """id:instrument/ilo-p029 eli:first_date_entry_in_force "2016-11-09"^^xsd:date .
               ?c thb:about id:instrument/ilo-p029 , id:place/niger , id:place/norway ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "12 months") && CONTAINS(STR(?text), "Article 8"))""",
        )
    ],
    "N07": [
        (
            "ilo-normlex-p029",
            """id:instrument/ilo-p029 eli:amends id:instrument/ilo-c29 ;
                   thb:supplements id:instrument/ilo-c29 .
               ?c thb:about id:instrument/ilo-c29 , id:instrument/ilo-p029 ; rdf:value ?text .
               FILTER(CONTAINS(STR(?text), "Articles 3 to 24") && CONTAINS(STR(?text), "deleted"))""",
        )
    ],
}


def test_every_fact_id_of_the_groups_is_tested() -> None:
    expected = (
        [f"H{i:02d}" for i in range(1, 10)]
        + [f"I{i:02d}" for i in range(1, 10)]
        + [f"J{i:02d}" for i in range(1, 14)]
        + [f"K{i:02d}" for i in range(1, 10)]
        + [f"L{i:02d}" for i in range(1, 13)]
        + [f"M{i:02d}" for i in range(1, 9)]
        + [f"N{i:02d}" for i in range(1, 8)]
    )
    assert sorted(FACTS) == sorted(expected)


@pytest.mark.parametrize("fact_id", sorted(FACTS))
def test_fact_holds_in_its_source_graph(kg, fact_id: str) -> None:
    for graph_slug, pattern in FACTS[fact_id]:
        assert holds_in_graph(kg, graph_slug, pattern), f"{fact_id} not found in graph/{graph_slug}"


SECONDARY = (
    "womenlobby-atc-situation-worrying",
    "wixsite-trafficking-europe-eu-strategy",
    "euroalert-15529",
    "lastrada-directive-2011-36",
    "projuris-europol-convention",
    "wikipedia-coe-convention-thb",
    "gsphub-ilo-c29",
)


@pytest.mark.parametrize("graph_slug", SECONDARY)
def test_secondary_sources_are_marked(kg, graph_slug: str) -> None:
    query = f"""ASK {{ <{GRAPH[graph_slug]}> a thb:Source ; dct:type ?t ;
                         thb:confidence thb:Confirmed .
                       FILTER(STR(?t) = "secondary source") }}"""
    assert bool(kg.dataset.query(sparql_prologue() + query).askAnswer)


# ---------------------------------------------------------------- conflicts


def test_conflict_1_vassiliadou_appointment_2010_not_2011(kg) -> None:
    # each source has its own account of the membership (thb:accountOf)
    node = "?atc thb:accountOf id:membership/vassiliadou-atc . ?atc"
    for graph in ("ip-10-1715", "eurojust-pr-2011-07-01"):
        assert holds_in_graph(kg, graph, f'{node} thb:appointmentDate "2010-12-14"^^xsd:date .')
        assert not holds_in_graph(kg, graph, f"{node} thb:datePrecision ?p .")
    assert holds_in_graph(
        kg,
        "seed-article",
        f"""{node} thb:appointmentDate "2011-12-01"^^xsd:date ; thb:datePrecision time:unitMonth .""",
    )
    # The term of office is separate from the decision: March 2011 to 29 February 2020.
    assert holds_in_graph(
        kg,
        "eurasylum-042011-vassiliadou",
        f'{node} org:memberDuring/time:hasBeginning/time:inXSDgYearMonth "2011-03"^^xsd:gYearMonth .',
    )


def test_conflict_4_europol_official_name(kg) -> None:
    new = """id:body/europol thb:officialName ?n .
             FILTER(STR(?n) = "European Union Agency for Law Enforcement Cooperation")"""
    old = """id:body/europol thb:officialName ?n . FILTER(STR(?n) = "European Police Office")"""
    for graph in ("eumonitor-2016-794", "eur-lex-legissum-23040102-1"):
        assert holds_in_graph(kg, graph, new), graph
        assert not holds_in_graph(kg, graph, old), graph
    assert holds_in_graph(kg, "seed-article", old)
    # One English prefLabel for Europol across the union: the seed's.
    labels = kg.dataset.query(
        """SELECT DISTINCT ?l WHERE {
             <https://w3id.org/thb-kg/id/body/europol> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l
             FILTER(LANGMATCHES(LANG(?l), "en")) }"""
    )
    assert [str(row[0]) for row in labels] == ["Europol"]


def test_conflict_6_rantsev_judgment_date(kg) -> None:
    assert holds_in_graph(
        kg, "bailii-rantsev", f'{RANTSEV} thb:judgmentDate "2010-01-07"^^xsd:date .'
    )
    assert holds_in_graph(
        kg, "asylumlawdatabase-rantsev", f'{RANTSEV} thb:judgmentDate "2010-10-10"^^xsd:date .'
    )
    assert not holds_in_graph(
        kg, "bailii-rantsev", f'{RANTSEV} thb:judgmentDate "2010-10-10"^^xsd:date .'
    )
    assert not holds_in_graph(
        kg, "asylumlawdatabase-rantsev", f'{RANTSEV} thb:judgmentDate "2010-01-07"^^xsd:date .'
    )


@pytest.mark.parametrize(
    ("subject", "prop", "graphs"),
    [
        (
            "id/membership/vassiliadou-atc",
            "https://w3id.org/thb-kg/ontology#appointmentDate",
            {"seed-article", "ip-10-1715"},
        ),
        (
            "id/membership/vassiliadou-atc",
            "https://w3id.org/thb-kg/ontology#appointmentDate",
            {"seed-article", "eurojust-pr-2011-07-01"},
        ),
        (
            "id/body/europol",
            "https://w3id.org/thb-kg/ontology#officialName",
            {"seed-article", "eumonitor-2016-794"},
        ),
        (
            "id/case/rantsev-v-cyprus-and-russia",
            "https://w3id.org/thb-kg/ontology#judgmentDate",
            {"bailii-rantsev", "asylumlawdatabase-rantsev"},
        ),
    ],
)
def test_conflicts_query_lists_our_conflicts(conflicts, subject: str, prop: str,
                                             graphs: set[str]) -> None:
    iri = "https://w3id.org/thb-kg/" + subject
    pairs = {frozenset({s1, s2}) for s, p, s1, s2 in conflicts if s == iri and p == prop}
    assert frozenset(str(GRAPH[g]) for g in graphs) in pairs


def test_europol_2011_report_date_agrees_with_the_seed_year(conflicts) -> None:
    """1 September 2011 (kipdf) and 2011 (seed, year precision) agree."""
    assert not any(
        s.endswith("/id/report/europol-2011-thb-in-the-eu") and p.endswith("/terms/issued")
        for s, p, _s1, _s2 in conflicts
    )


# ------------------------------------------------------------ unconfirmed claims


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        ("third-article-20-progress-report", "COM(2020) 661"),
        ("rantsev-siliadin-firsts", "first"),
        ("europol-full-operations-1999", "1 July 1999"),
        ("ilo-c29-ratifications", "181"),
        ("untoc-parties-today", "193"),  # U01
        ("un-trafficking-protocol-parties-today", "185"),  # U02
    ],
)
def test_unconfirmed_claims_stay_unconfirmed(kg, claim: str, words: str) -> None:
    assert holds_in_graph(
        kg,
        "unconfirmed-claims",
        f"""id:claim/{claim} thb:confidence thb:Unconfirmed ; rdf:value ?text .
            FILTER(CONTAINS(STR(?text), "{words}"))""",
    )
