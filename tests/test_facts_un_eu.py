"""The confirmed facts of groups A, E, F and G (see docs/register.md), each in its source's graph.

A: UNTOC, its three Protocols and the 1949 Convention; E: Directive 2011/36/EU
and Framework Decision 2002/629/JHA; F: Directive (EU) 2024/1712; G: Council
Directive 2004/81/EC.

One test per fact ID: the value (dates, numbers, IRIs, key words) and the
named graph of the source that states it. Then one test per conflict these
groups own (3, 5, 7, 8): both values, each in its own graph, and, for the
conflicts on a thb:ComparableProperty (3, 7, 8), the conflicts query of the
library lists them.

Plain literals come back typed xsd:string from Oxigraph, so words are matched
with STR()/CONTAINS and numbers with =, never by literal equality.
"""

from __future__ import annotations

import re

import pytest
from factcheck import holds_in_graph as _holds_in_graph

from kg.namespaces import GRAPH, sparql_prologue

_ID_TERM = re.compile(r"(?<![\w-])id:([\w/-]+)")


def holds_in_graph(kg, graph_slug: str, pattern: str) -> bool:
    """factcheck.holds_in_graph, writing ``id:kind/slug`` for the full entity IRI.

    SPARQL prefixed names cannot hold a slash, so each ``id:kind/slug`` of the
    patterns below is expanded to ``<https://w3id.org/thb-kg/id/kind/slug>``.
    """
    expanded = _ID_TERM.sub(lambda m: f"<https://w3id.org/thb-kg/id/{m.group(1)}>", pattern)
    return _holds_in_graph(kg, graph_slug, expanded)


UNTOC = "id:instrument/untoc"
TIP = "id:instrument/un-trafficking-protocol"
SOM = "id:instrument/un-smuggling-protocol"
FIREARMS = "id:instrument/un-firearms-protocol"
RES_55_25 = "id:instrument/a-res-55-25"
DIR_2011_36 = "<http://data.europa.eu/eli/dir/2011/36/oj>"
DIR_2004_81 = "<http://data.europa.eu/eli/dir/2004/81/oj>"
DIR_2024_1712 = "<http://data.europa.eu/eli/dir/2024/1712/oj>"
DIR_2002_90 = "<http://data.europa.eu/eli/dir/2002/90/oj>"
FD_2002_629 = "<http://data.europa.eu/eli/dec_framw/2002/629/oj>"


def count(
    node: str, instrument: str, indicator: str, value: int, as_of: str, precision: str = ""
) -> str:
    """A dated count: an observation of ``instrument`` with its value and "as at" date.

    ``precision`` is "unitMonth" or "unitYear" for an "as at" date known to the
    month or year; empty means a full date, so the node has no thb:datePrecision.
    """
    dated = (
        f"?o thb:datePrecision time:{precision} ."
        if precision
        else "FILTER NOT EXISTS { ?o thb:datePrecision ?p }"
    )
    return f"""BIND({node} AS ?o)
               ?o a qb:Observation ; thb:instrument {instrument} ;
                  thb:indicator id:concept/indicator/{indicator} ;
                  sdmx-attribute:unitMeasure id:unit/countries ;
                  sdmx-measure:obsValue ?n ; thb:asOf "{as_of}"^^xsd:date .
               FILTER(?n = {value})
               {dated}"""


def claim(about: str, words: str, locator: str | None = None) -> str:
    """A thb:Claim about ``about`` whose text contains ``words`` (and, if given, its locator)."""
    where = f'?c thb:locator ?loc . FILTER(STR(?loc) = "{locator}")' if locator else ""
    return f"""?c a thb:Claim ; thb:about {about} ; rdf:value ?v .
               FILTER(CONTAINS(STR(?v), "{words}")) {where}"""


# fact ID -> [(graph slug, SPARQL group pattern), ...]; every pair must hold.
FACTS: dict[str, list[tuple[str, str]]] = {
    # ---------------------------------------------------- A. UNTOC and its Protocols
    "A01": [
        (
            graph,
            f"""{UNTOC} eli:passed_by id:body/un-general-assembly ;
                   eli:date_document "2000-11-15"^^xsd:date ; eli:related_to {RES_55_25} .
               {RES_55_25} skos:notation ?s . FILTER(STR(?s) = "A/RES/55/25")""",
        )
        for graph in ("ec-atc-untoc", "unodc-ctoc-signatures")
    ],
    "A02": [
        (
            "legal-un-untoc",
            f"""{UNTOC} eli:date_document "2000-11-15"^^xsd:date ; dct:spatial id:place/new-york .""",
        )
    ],
    "A03": [
        (
            "unodc-ctoc-signatures",
            """id:event/untoc-palermo-signing-conference/unodc-ctoc-signatures thb:startDate "2000-12-12"^^xsd:date ;
                   dct:spatial id:place/palermo ; thb:context ?ctx .
               id:event/untoc-palermo-signing-conference-last-day/unodc-ctoc-signatures thb:startDate "2000-12-15"^^xsd:date .
               id:place/palermo dct:isPartOf id:place/italy .
               id:event/untoc-signature-new-york-last-day thb:startDate "2002-12-12"^^xsd:date ;
                   dct:spatial id:place/new-york .
               FILTER(CONTAINS(STR(?ctx), "Palazzi di Giustizia"))""",
        )
    ],
    "A04": [
        (
            "unis-cp-510",
            count(
                "id:observation/untoc-signatories-palermo-conference",
                UNTOC,
                "signatories",
                123,
                "2000-12-01",
                "unitMonth",
            ),
        ),
        (
            "unis-cp-510",
            count(
                "id:observation/untoc-signatories-2005",
                UNTOC,
                "signatories",
                147,
                "2005-01-01",
                "unitYear",
            ),
        ),
    ],
    "A05": [
        (
            "legal-un-untoc",
            f"""{UNTOC} eli:first_date_entry_in_force "2003-09-29"^^xsd:date ."""
            + claim(UNTOC, "fortieth instrument", "Article 38"),
        ),
        ("ec-atc-untoc", f"""{UNTOC} eli:first_date_entry_in_force "2003-09-29"^^xsd:date ."""),
    ],
    "A06": [
        (
            "unis-cp-510",
            count("id:observation/untoc-parties-2005-03/unis-cp-510", UNTOC, "parties", 100, "2005-03-04")
            + f"""?e prov:wasAssociatedWith id:place/uruguay ; thb:instrument {UNTOC} ;
                     thb:startDate "2005-03-04"^^xsd:date .""",
        )
    ],
    "A07": [
        (
            "ojp-untoc-abstract",
            count(
                "id:observation/untoc-parties-2005-03/ojp-untoc-abstract",
                UNTOC,
                "parties",
                100,
                "2005-03-01",
                "unitMonth",
            ),
        ),
        (
            "wikipedia-untoc",
            count(
                "id:observation/untoc-parties-2016-06",
                UNTOC,
                "parties",
                187,
                "2016-06-01",
                "unitMonth",
            ),
        ),
    ],
    "A08": [
        (
            "legal-un-untoc",
            f"""{TIP} thb:supplements {UNTOC} ; dct:title ?t1 .
               {SOM} thb:supplements {UNTOC} ; dct:title ?t2 .
               {FIREARMS} thb:supplements {UNTOC} ; dct:title ?t3 .
               FILTER(CONTAINS(STR(?t1), "Trafficking in Persons")
                      && STR(?t2) = "Protocol against the Smuggling of Migrants by Land, Sea and Air"
                      && CONTAINS(STR(?t3), "Trafficking in Firearms, Their Parts and Components and Ammunition"))""",
        )
    ],
    "A09": [
        (
            "unodc-iran-second-glotip",
            f"""{UNTOC} thb:hasGuardian id:body/unodc .
               {TIP} thb:hasGuardian id:body/unodc .
               {SOM} thb:hasGuardian id:body/unodc .
               {FIREARMS} thb:hasGuardian id:body/unodc .
               id:custodianship/unodc-untoc a thb:Custodianship ; prov:agent id:body/unodc ;
                   thb:instrument {UNTOC} .
               id:custodianship/unodc-un-trafficking-protocol/unodc-iran-second-glotip a thb:Custodianship ;
                   prov:agent id:body/unodc ; thb:instrument {TIP} .""",
        )
    ],
    "A10": [
        (
            "unodc-ctoc-signatures",
            f"""{TIP} dct:title ?t .
               FILTER(STR(?t) = "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime")""",
        )
    ],
    "A11": [
        (
            "untc-xviii-12-a",
            f"""{TIP} eli:passed_by id:body/un-general-assembly ;
                   eli:date_document "2000-11-15"^^xsd:date ; eli:related_to {RES_55_25} ;
                   skos:notation ?doc , ?chapter .
               {RES_55_25} skos:notation ?res ; thb:context ?session .
               FILTER(STR(?res) = "A/RES/55/25" && STR(?doc) = "A/55/383"
                      && STR(?chapter) = "XVIII-12-a" && CONTAINS(STR(?session), "fifty-fifth session"))""",
        )
    ],
    "A12": [
        (
            "untc-xviii-12-a",
            f"""{TIP} eli:first_date_entry_in_force "2003-12-25"^^xsd:date ."""
            + claim(TIP, "ninetieth day", "Article 17"),
        ),
        ("legal-un-untoc", f"""{TIP} eli:first_date_entry_in_force "2003-12-25"^^xsd:date ."""),
    ],
    "A13": [
        (
            "untc-xviii-12-a",
            f"""?e thb:instrument {TIP} ; thb:startDate "2003-12-25"^^xsd:date ; dct:identifier ?no .
               {TIP} dct:bibliographicCitation ?cit .
               FILTER(STR(?no) = "39574" && CONTAINS(STR(?cit), "vol. 2237, p. 319"))""",
        )
    ],
    "A14": [
        (
            "untc-xviii-12-a",
            count(
                "id:observation/un-trafficking-protocol-signatories/untc-xviii-12-a",
                TIP,
                "signatories",
                117,
                "2024-04-20",
            ),
        ),
        (
            "untc-xviii-12-a",
            count(
                "id:observation/un-trafficking-protocol-parties-2024-04-20",
                TIP,
                "parties",
                182,
                "2024-04-20",
            ),
        ),
    ],
    "A15": [
        (
            "ojp-untoc-abstract",
            count(
                "id:observation/un-trafficking-protocol-parties-2005-03",
                TIP,
                "parties",
                80,
                "2005-03-01",
                "unitMonth",
            ),
        ),
        (
            "unodc-2007-tip-signatures",
            count(
                "id:observation/un-trafficking-protocol-parties-2007-08",
                TIP,
                "parties",
                114,
                "2007-08-01",
                "unitMonth",
            ),
        ),
        (
            "docslib-ctoc-cop-2018-2",
            count(
                "id:observation/un-trafficking-protocol-parties-2018-07-23",
                TIP,
                "parties",
                173,
                "2018-07-23",
            ),
        ),
    ],
    "A16": [
        (
            "unodc-tip-protocol",
            claim(TIP, "first legally binding instrument")
            + 'FILTER(CONTAINS(STR(?v), "internationally recognized definition of human trafficking"))',
        )
    ],
    "A17": [
        (
            "legal-un-untoc",
            f"""{SOM} eli:related_to {RES_55_25} ; eli:date_document "2000-11-15"^^xsd:date ;
                   eli:first_date_entry_in_force "2004-01-28"^^xsd:date .""",
        )
    ],
    "A18": [
        (
            "vlex-res-55-255",
            f"""{FIREARMS} eli:passed_by id:body/un-general-assembly ;
                   eli:date_document "2001-05-31"^^xsd:date ; eli:related_to ?res .
               ?res eli:date_document "2001-05-31"^^xsd:date ; eli:date_publication "2001-06-08"^^xsd:date ;
                   dct:title ?t .
               FILTER(STR(?t) = "General Assembly resolution 55/255")""",
        )
    ],
    "A19": [
        ("legal-un-untoc", f"""{FIREARMS} eli:first_date_entry_in_force "2005-07-03"^^xsd:date .""")
    ],
    "A20": [
        (
            "unodc-since-1949",
            """id:instrument/convention-1949-traffic-in-persons a eli:LegalResource ; dct:title ?t ;
                   eli:passed_by id:body/un-general-assembly ;
                   eli:date_document "1949-12-02"^^xsd:date ; eli:related_to ?res .
               ?res dct:title ?rt .
               ?e thb:instrument id:instrument/convention-1949-traffic-in-persons ;
                  thb:startDate "1951-01-01"^^xsd:date ; thb:datePrecision time:unitYear .
               FILTER(STR(?t) = "Convention for the Suppression of the Traffic in Persons and of the Exploitation of the Prostitution of Others"
                      && STR(?rt) = "General Assembly resolution 317 (IV)")""",
        )
    ],
    # ----------------------------------------- E. Directive 2011/36/EU, FD 2002/629/JHA
    "E01": [
        (
            "eumonitor-2011-36",
            f"""{DIR_2011_36} a eli:LegalResource ; dct:title ?t .
               FILTER(STR(?t) = "Directive 2011/36/EU of the European Parliament and of the Council of 5 April 2011 on preventing and combating trafficking in human beings and protecting its victims, and replacing Council Framework Decision 2002/629/JHA")""",
        )
    ],
    "E02": [("eumonitor-2011-36", f"""{DIR_2011_36} eli:date_document "2011-04-05"^^xsd:date .""")],
    "E03": [
        (
            "eumonitor-2011-36",
            f"""{DIR_2011_36} prov:wasDerivedFrom id:document/com-2010-95 .
               id:document/com-2010-95 skos:notation ?n ; dct:issued "2010-03-01"^^xsd:date ;
                   thb:datePrecision time:unitMonth .
               FILTER(STR(?n) = "COM(2010) 95")""",
        )
    ],
    "E04": [
        (
            "ip-10-1715",
            f"""?e thb:instrument {DIR_2011_36} ; prov:wasAssociatedWith id:body/european-parliament ;
                   thb:startDate "2010-12-14"^^xsd:date ; thb:context ?c .
               FILTER(CONTAINS(STR(?c), "voted in favour"))""",
        )
    ],
    "E05": [
        (
            "eurasylum-042011-vassiliadou",
            f"""?e thb:instrument {DIR_2011_36} ; prov:wasAssociatedWith id:body/council-of-the-eu ;
                   thb:startDate "2011-03-21"^^xsd:date .""",
        )
    ],
    "E06": [
        (
            "eumonitor-2011-36",
            f"""{DIR_2011_36} thb:ojReference ?oj ; eli:date_publication "2011-04-15"^^xsd:date .
               FILTER(STR(?oj) = "OJ L 101, 15.4.2011, p. 1")""",
        )
    ],
    "E07": [
        (graph, f"""{DIR_2011_36} eli:id_local ?c . FILTER(STR(?c) = "32011L0036")""")
        for graph in ("eumonitor-2011-36", "eur-lex-lsu-32011l0036")
    ],
    "E08": [
        (
            "eumonitor-2011-36",
            f"""{DIR_2011_36} thb:legalBasis ?a , ?b ; dct:description ?d .
               FILTER(CONTAINS(STR(?a), "Article 82(2)") && CONTAINS(STR(?b), "Article 83(1)")
                      && CONTAINS(STR(?a), "Functioning of the European Union")
                      && CONTAINS(STR(?d), "ordinary legislative procedure"))""",
        )
    ],
    "E09": [
        (
            "eumonitor-2011-36",
            f"""{DIR_2011_36} eli:first_date_entry_in_force "2011-04-15"^^xsd:date ."""
            + claim(DIR_2011_36, "day of its publication", "Article 24"),
        )
    ],
    "E10": [
        (
            "eumonitor-2011-36",
            f"""{DIR_2011_36} thb:transpositionDeadline "2013-04-06"^^xsd:date ."""
            + claim(DIR_2011_36, "6 April 2013", "Article 22"),
        )
    ],
    "E11": [
        (
            "eumonitor-2011-36",
            claim(DIR_2011_36, "Article 23(1)", "Article 23(1)")
            + '?c dct:date "2015-04-06"^^xsd:date .',
        ),
        (
            "eumonitor-2011-36",
            claim(DIR_2011_36, "Article 23(2)", "Article 23(2)")
            + '?c dct:date "2016-04-06"^^xsd:date .',
        ),
    ],
    "E12": [
        (
            "parlementairemonitor-fd-2002-629",
            f"""{DIR_2011_36} thb:replaces {FD_2002_629} .
               {FD_2002_629} eli:date_no_longer_in_force "2011-04-14"^^xsd:date .""",
        ),
        ("eumonitor-2011-36", f"{DIR_2011_36} thb:replaces {FD_2002_629} ."),
    ],
    "E13": [
        (
            "eur-lex-lsu-32011l0036",
            claim(DIR_2011_36, "at least 5 years")
            + f"""FILTER(CONTAINS(STR(?v), "at least 10 years") && CONTAINS(STR(?v), "aggravating circumstances"))
                  {DIR_2011_36} eli:is_about id:concept/topic/prosecution .""",
        )
    ],
    "E14": [
        (
            "acamstoday-2011-36",
            claim(DIR_2011_36, "apart from Denmark") + "?c thb:about id:place/denmark .",
        )
    ],
    "E15": [
        (
            graph,
            claim(DIR_2011_36, "EU anti-trafficking coordinator", "Article 20")
            + """?c thb:about id:post/eu-anti-trafficking-coordinator .
                 FILTER(CONTAINS(STR(?v), "Article 19") && CONTAINS(STR(?v), "every two years"))""",
        )
        for graph in ("wordscope-have-members", "gesetze-legal-2011-36-art-20")
    ],
    "E16": [
        (
            "parlementairemonitor-com-2016-267",
            f"""id:report/com-2016-267 a thb:Report ; skos:notation ?n ; dct:identifier ?swd ;
                   dct:issued "2016-05-19"^^xsd:date ; dct:publisher id:body/european-commission ;
                   dct:subject {DIR_2011_36} .
               FILTER(STR(?n) = "COM(2016) 267" && STR(?swd) = "SWD(2016) 159")""",
        ),
        (
            "eur-lex-52018sc0473",
            f"""id:report/com-2018-777 a thb:Report ; skos:notation ?n ; dct:identifier ?swd ;
                   dct:issued "2018-12-03"^^xsd:date ; dct:subject {DIR_2011_36} .
               FILTER(STR(?n) = "COM(2018) 777" && STR(?swd) = "SWD(2018) 473")""",
        ),
        (
            "eur-lex-52022dc0736",
            f"""id:report/com-2022-736 a thb:Report ; skos:notation ?n ;
                   dct:issued "2022-12-19"^^xsd:date ; dct:subject {DIR_2011_36} .
               FILTER(STR(?n) = "COM(2022) 736")""",
        ),
    ],
    "E17": [
        (
            "eur-lex-eli-dir-2011-36",
            f"""{DIR_2024_1712} eli:amends {DIR_2011_36} ; eli:date_document "2024-06-13"^^xsd:date .
               ?c thb:about {DIR_2011_36} ; dct:identifier ?cons .
               FILTER(STR(?cons) = "02011L0036-20240714")""",
        )
    ],
    "E18": [
        (
            "parlementairemonitor-fd-2002-629",
            f"""{FD_2002_629} a eli:LegalResource ; dct:title ?t ; eli:id_local ?celex ;
                   eli:date_document "2002-07-19"^^xsd:date ; eli:date_publication "2002-08-01"^^xsd:date ;
                   thb:ojReference ?oj ; thb:legalBasis ?b1 , ?b2 , ?b3 ;
                   eli:passed_by id:body/council-of-the-eu ;
                   eli:type_document id:concept/document-type/framework-decision ;
                   prov:wasDerivedFrom ?proposal .
               ?proposal skos:notation ?com .
               FILTER(CONTAINS(STR(?t), "on combating trafficking in human beings")
                      && STR(?celex) = "32002F0629" && STR(?oj) = "OJ L 203, 1.8.2002, p. 1-4"
                      && STR(?com) = "COM(2000) 854"
                      && CONTAINS(STR(?b1), "Article 29") && CONTAINS(STR(?b2), "Article 31(e)")
                      && CONTAINS(STR(?b3), "Article 34(2)(b)"))""",
        )
    ],
    "E19": [
        (
            "parlementairemonitor-fd-2002-629",
            f"""{FD_2002_629} eli:first_date_entry_in_force "2002-08-01"^^xsd:date ;
                   thb:transpositionDeadline "2004-07-31"^^xsd:date .""",
        ),
        (
            "emn-ie-fd-2002-629",
            f"""{FD_2002_629} thb:transpositionDeadline "2004-08-01"^^xsd:date .""",
        ),
    ],
    # ------------------------------------------------- F. Directive (EU) 2024/1712
    "F01": [
        (
            "eur-lex-32024l1712",
            f"""{DIR_2024_1712} a eli:LegalResource ; dct:title ?t ;
                   eli:date_document "2024-06-13"^^xsd:date ; eli:amends {DIR_2011_36} ;
                   eli:passed_by id:body/european-parliament , id:body/council-of-the-eu .
               FILTER(STR(?t) = "Directive (EU) 2024/1712 of the European Parliament and of the Council of 13 June 2024 amending Directive 2011/36/EU on preventing and combating trafficking in human beings and protecting its victims")""",
        )
    ],
    "F02": [
        (
            "eur-lex-32024l1712",
            f"""{DIR_2024_1712} eli:id_local ?c ; thb:ojReference ?oj ;
                   eli:date_publication "2024-06-24"^^xsd:date .
               FILTER(STR(?c) = "32024L1712" && STR(?oj) = "OJ L, 2024/1712, 24.6.2024")""",
        ),
        (
            "eumonitor-2024-1712",
            f"""{DIR_2024_1712} eli:id_local ?c . FILTER(STR(?c) = "32024L1712")""",
        ),
    ],
    "F03": [
        (
            "eur-lex-32024l1712",
            f"""{DIR_2024_1712} thb:legalBasis ?a , ?b .
               FILTER(CONTAINS(STR(?a), "Article 82(2)") && CONTAINS(STR(?b), "Article 83(1)"))""",
        )
    ],
    "F04": [
        (
            "eur-lex-52022pc0732",
            f"""{DIR_2024_1712} prov:wasDerivedFrom id:document/com-2022-732 .
               id:document/com-2022-732 skos:notation ?n ; dct:identifier ?proc ;
                   dct:issued "2022-12-19"^^xsd:date .
               FILTER(STR(?n) = "COM(2022) 732" && STR(?proc) = "2022/0426(COD)")""",
        )
    ],
    "F05": [
        (
            "eumonitor-2024-1712",
            f"""{DIR_2024_1712} eli:first_date_entry_in_force "2024-07-14"^^xsd:date ."""
            + claim(DIR_2024_1712, "twentieth day", "Article 3"),
        ),
        (
            "home-affairs-2024-07-12",
            f"""{DIR_2024_1712} eli:first_date_entry_in_force "2024-07-14"^^xsd:date .""",
        ),
    ],
    "F06": [
        (
            "eumonitor-2024-1712",
            f"""{DIR_2024_1712} thb:transpositionDeadline "2026-07-15"^^xsd:date ."""
            + claim(DIR_2024_1712, "15 July 2026", "Article 2(1)"),
        ),
        (
            "home-affairs-2024-07-12",
            f"""{DIR_2024_1712} thb:transpositionDeadline "2026-07-15"^^xsd:date .""",
        ),
    ],
    "F07": [
        (
            "home-affairs-2024-07-12",
            f"""{DIR_2024_1712} eli:is_about id:concept/exploitation-form/exploitation-of-surrogacy ,
                   id:concept/exploitation-form/forced-marriage , id:concept/exploitation-form/illegal-adoption ."""
            + claim(
                DIR_2024_1712, "exploitation of surrogacy, forced marriage and illegal adoption"
            ),
        )
    ],
    "F08": [
        (
            "home-affairs-2024-07-12",
            claim(DIR_2024_1712, "knowingly using services provided by victims"),
        )
    ],
    "F09": [
        (
            "home-affairs-2024-07-12",
            f"""{DIR_2024_1712} thb:provides id:concept/measure/national-anti-trafficking-coordinator ,
                   id:concept/measure/national-action-plan ."""
            + claim(DIR_2024_1712, "national anti-trafficking coordinators"),
        )
    ],
    "F10": [
        (
            "eucrim-2024-1712",
            f"""?agreement thb:instrument {DIR_2024_1712} ; thb:startDate "2024-01-23"^^xsd:date ;
                   thb:context ?presidency .
               ?vote thb:instrument {DIR_2024_1712} ; prov:wasAssociatedWith id:body/european-parliament ;
                   thb:startDate "2024-04-01"^^xsd:date ; thb:datePrecision time:unitMonth ; thb:context ?votes .
               ?council thb:instrument {DIR_2024_1712} ; prov:wasAssociatedWith id:body/council-of-the-eu ;
                   thb:startDate "2024-05-27"^^xsd:date .
               FILTER(CONTAINS(STR(?presidency), "Belgian Presidency")
                      && CONTAINS(STR(?votes), "563") && CONTAINS(STR(?votes), "7 against")
                      && CONTAINS(STR(?votes), "17 abstentions"))""",
        )
    ],
    # -------------------------------------------------- G. Council Directive 2004/81/EC
    "G01": [
        (
            "eu-summary-l33187",
            f"""{DIR_2004_81} dct:title ?t ; eli:passed_by id:body/council-of-the-eu .
               FILTER(STR(?t) = "Council Directive 2004/81/EC of 29 April 2004 on the residence permit issued to third-country nationals who are victims of trafficking in human beings or who have been the subject of an action to facilitate illegal immigration, who cooperate with the competent authorities")""",
        )
    ],
    "G02": [
        (graph, f"""{DIR_2004_81} eli:date_document "2004-04-29"^^xsd:date .""")
        for graph in ("eu-summary-l33187", "emn-ie-2004-81")
    ],
    "G03": [
        (
            graph,
            f"""{DIR_2004_81} a eli:LegalResource ; eli:id_local ?c . FILTER(STR(?c) = "32004L0081")""",
        )
        for graph in ("eur-lex-32004l0081-lt", "eur-lex-32004l0081-pl-not")
    ],
    "G04": [
        (
            "eur-lex-32004l0081-pl-not",
            f"""{DIR_2004_81} thb:ojReference ?oj ; eli:date_publication "2004-08-06"^^xsd:date .
               FILTER(STR(?oj) = "OJ L 261, 6.8.2004, p. 19-23")""",
        )
    ],
    "G05": [
        (
            "eur-lex-32004l0081-lt",
            f"""{DIR_2004_81} thb:legalBasis ?b .
               FILTER(CONTAINS(STR(?b), "European Community") && CONTAINS(STR(?b), "Article 63, point 3"))""",
        )
    ],
    "G06": [
        (
            "emn-ie-2004-81",
            f"""{DIR_2004_81} eli:first_date_entry_in_force "2004-08-06"^^xsd:date .""",
        )
    ],
    "G07": [
        ("emn-ie-2004-81", f"""{DIR_2004_81} thb:transpositionDeadline "2006-08-06"^^xsd:date .""")
    ],
    "G08": [
        (
            "emn-ie-2004-81",
            claim(DIR_2004_81, "does not bind")
            + "?c thb:about id:place/united-kingdom , id:place/ireland , id:place/denmark .",
        )
    ],
    "G09": [
        (
            "emn-ie-2004-81",
            f"""{DIR_2004_81} thb:provides id:concept/measure/reflection-period ."""
            + claim("id:concept/measure/reflection-period", "informed decision")
            + """FILTER(CONTAINS(STR(?v), "no entitlement to residence") && CONTAINS(STR(?v), "expelled")
                        && CONTAINS(STR(?v), "emergency medical care") && CONTAINS(STR(?v), "translation"))""",
        )
    ],
    "G10": [
        (
            "eur-lex-62021cc0066",
            f"""{DIR_2004_81} thb:provides id:concept/measure/reflection-period ."""
            + claim("id:concept/measure/reflection-period", "Article 6", "Article 6"),
        )
    ],
    "G11": [
        (
            "emn-ie-2004-81",
            claim(DIR_2004_81, "adult third-country nationals")
            + 'FILTER(CONTAINS(STR(?v), "entered the Member State illegally") && CONTAINS(STR(?v), "minors"))',
        )
    ],
    "G12": [
        (
            "eu-summary-l33187",
            f"""{DIR_2004_81} eli:related_to {FD_2002_629} , {DIR_2002_90} ."""
            + claim(
                DIR_2004_81,
                "supplements Council Framework Decision 2002/629/JHA and Council Directive 2002/90/EC",
            ),
        )
    ],
    "G13": [
        (
            "eur-lex-52014dc0635",
            f"""id:report/com-2014-635 a thb:Report ; skos:notation ?n ;
                   dct:issued "2014-10-17"^^xsd:date ; dct:subject {DIR_2004_81} .
               FILTER(STR(?n) = "COM(2014) 635")""",
        )
    ],
    "G14": [
        (
            "eur-lex-32004l0081-pl-not",
            claim(DIR_2004_81, "is in force") + "?c thb:claimType id:concept/claim-type/status .",
        )
    ],
}

EXPECTED_IDS = (
    [f"A{n:02d}" for n in range(1, 21)]
    + [f"E{n:02d}" for n in range(1, 20)]
    + [f"F{n:02d}" for n in range(1, 11)]
    + [f"G{n:02d}" for n in range(1, 15)]
)


def test_every_fact_has_a_test() -> None:
    assert sorted(FACTS) == EXPECTED_IDS


@pytest.mark.parametrize("fact", EXPECTED_IDS)
def test_fact_in_its_source_graph(kg, fact: str) -> None:
    for graph_slug, pattern in FACTS[fact]:
        assert holds_in_graph(kg, graph_slug, pattern), f"{fact} not found in graph/{graph_slug}"


# Every source graph of these groups is described in the default graph.
SOURCES = sorted({graph for pairs in FACTS.values() for graph, _ in pairs})
SECONDARY = ("wikipedia-untoc", "acamstoday-2011-36", "eucrim-2024-1712")


@pytest.mark.parametrize("graph_slug", SOURCES)
def test_source_graph_is_described(kg, graph_slug: str) -> None:
    query = f"""ASK {{ <{GRAPH[graph_slug]}> a thb:Source ; prov:wasDerivedFrom ?doc ;
                         dct:title ?t ; dct:publisher ?p ; thb:confidence thb:Confirmed .
                       FILTER(isIRI(?doc) && isIRI(?p)) }}"""
    assert bool(kg.dataset.query(sparql_prologue() + query).askAnswer)


@pytest.mark.parametrize("graph_slug", SECONDARY)
def test_secondary_sources_are_marked(kg, graph_slug: str) -> None:
    query = (
        f"""ASK {{ <{GRAPH[graph_slug]}> dct:type ?t . FILTER(STR(?t) = "secondary source") }}"""
    )
    assert bool(kg.dataset.query(sparql_prologue() + query).askAnswer)


def test_no_inverse_written_by_hand(kg) -> None:
    """eli:amended_by and thb:replacedBy are inferred, never asserted in a source graph."""
    for graph_slug in SOURCES:
        for prop in ("eli:amended_by", "thb:replacedBy", "thb:guardianOf", "thb:supplementedBy"):
            assert not holds_in_graph(kg, graph_slug, f"?a {prop} ?b ."), (graph_slug, prop)
    assert holds_in_graph(
        kg,
        "inferred",
        f"""{DIR_2011_36} eli:amended_by {DIR_2024_1712} .
            {FD_2002_629} thb:replacedBy {DIR_2011_36} .
            {UNTOC} thb:supplementedBy {TIP} , {SOM} , {FIREARMS} .
            id:body/unodc thb:guardianOf {UNTOC} , {TIP} .""",
    )


# ---------------------------------------------------------------- conflicts


def test_conflict_3_protocol_signatories_147_vs_117(kg) -> None:
    # each source has its own account of the observation (thb:accountOf)
    node = "?obs thb:accountOf id:observation/un-trafficking-protocol-signatories . ?obs"
    seed = f"""{node} sdmx-measure:obsValue ?n ; thb:valueQualifier ?q ; thb:asStated ?s .
               FILTER(?n = 147 && STR(?q) = "more than")
               FILTER NOT EXISTS {{ ?obs thb:asOf ?d }}"""
    untc = (
        f"""{node} sdmx-measure:obsValue ?n ; thb:asOf "2024-04-20"^^xsd:date . FILTER(?n = 117)"""
    )
    assert holds_in_graph(kg, "seed-article", seed)
    assert holds_in_graph(kg, "untc-xviii-12-a", untc)
    assert not holds_in_graph(
        kg, "untc-xviii-12-a", f"{node} sdmx-measure:obsValue ?n . FILTER(?n = 147)"
    )
    # The 182 parties are a separate node, and 147 is the UNTOC signatory count.
    assert holds_in_graph(
        kg,
        "untc-xviii-12-a",
        "id:observation/un-trafficking-protocol-parties-2024-04-20 sdmx-measure:obsValue ?n . FILTER(?n = 182)",
    )
    assert holds_in_graph(
        kg,
        "unis-cp-510",
        "id:observation/untoc-signatories-2005 sdmx-measure:obsValue ?n . FILTER(?n = 147)",
    )


def test_conflict_5_most_recent_directive_vs_amendment(kg) -> None:
    assert holds_in_graph(
        kg,
        "seed-article",
        claim(DIR_2011_36, "The most recent is the Directive 2011/36/EU", "paragraph 13")
        + "FILTER NOT EXISTS { ?c thb:asOf ?d }",
    )
    # The amendment (EUR-Lex) and its entry into force (EU Monitor) come from two
    # EU sources; the seed's "most recent" has no date to weigh against them.
    assert holds_in_graph(kg, "eur-lex-32024l1712", f"{DIR_2024_1712} eli:amends {DIR_2011_36} .")
    assert holds_in_graph(
        kg,
        "eumonitor-2024-1712",
        f"""{DIR_2024_1712} eli:amends {DIR_2011_36} ;
               eli:first_date_entry_in_force "2024-07-14"^^xsd:date .""",
    )


def test_conflict_7_palermo_conference_last_day(kg) -> None:
    # each source has its own account of the two events (thb:accountOf)
    last_day = "?e thb:accountOf id:event/untoc-palermo-signing-conference-last-day . ?e thb:startDate"
    first_day = (
        "?f thb:accountOf id:event/untoc-palermo-signing-conference . "
        '?f thb:startDate "2000-12-12"^^xsd:date .'
    )
    assert holds_in_graph(kg, "unodc-ctoc-signatures", f'{last_day} "2000-12-15"^^xsd:date .')
    assert holds_in_graph(kg, "unis-cp-510", f'{last_day} "2000-12-16"^^xsd:date .')
    assert not holds_in_graph(kg, "unodc-ctoc-signatures", f'{last_day} "2000-12-16"^^xsd:date .')
    assert not holds_in_graph(kg, "unis-cp-510", f'{last_day} "2000-12-15"^^xsd:date .')
    for graph in ("unodc-ctoc-signatures", "unis-cp-510"):
        assert holds_in_graph(kg, graph, first_day)


def test_conflict_8_fd_transposition_deadline(kg) -> None:
    deadline = f"{FD_2002_629} thb:transpositionDeadline"
    assert holds_in_graph(
        kg, "parlementairemonitor-fd-2002-629", f'{deadline} "2004-07-31"^^xsd:date .'
    )
    assert holds_in_graph(kg, "emn-ie-fd-2002-629", f'{deadline} "2004-08-01"^^xsd:date .')
    assert not holds_in_graph(
        kg, "parlementairemonitor-fd-2002-629", f'{deadline} "2004-08-01"^^xsd:date .'
    )
    assert not holds_in_graph(kg, "emn-ie-fd-2002-629", f'{deadline} "2004-07-31"^^xsd:date .')


THB = "https://w3id.org/thb-kg/ontology#"


@pytest.mark.parametrize(
    ("subject", "prop", "graphs"),
    [
        (
            "https://w3id.org/thb-kg/id/observation/un-trafficking-protocol-signatories",
            "http://purl.org/linked-data/sdmx/2009/measure#obsValue",
            {"seed-article", "untc-xviii-12-a"},
        ),
        (
            "https://w3id.org/thb-kg/id/event/untoc-palermo-signing-conference-last-day",
            THB + "startDate",
            {"unodc-ctoc-signatures", "unis-cp-510"},
        ),
        (
            "http://data.europa.eu/eli/dec_framw/2002/629/oj",
            THB + "transpositionDeadline",
            {"parlementairemonitor-fd-2002-629", "emn-ie-fd-2002-629"},
        ),
        (  # conflict 5: the seed's "the most recent" vs the amending Directive (EU) 2024/1712
            "http://data.europa.eu/eli/dir/2011/36/oj",
            THB + "timeRelative",
            {"seed-article", "eur-lex-32024l1712"},
        ),
    ],
)
def test_conflicts_query_lists_our_conflicts(conflicts, subject: str, prop: str,
                                             graphs: set[str]) -> None:
    pairs = {frozenset({s1, s2}) for s, p, s1, s2 in conflicts if s == subject and p == prop}
    assert frozenset(str(GRAPH[g]) for g in graphs) in pairs


def test_conflict_5_row_gives_the_wording_and_the_later_act(conflict_rows) -> None:
    rows = [r for r in conflict_rows if str(r["property"]) == THB + "timeRelative"]
    assert {(str(r["subject"]), str(r["value1"]), str(r["source1"])) for r in rows} == {
        ("http://data.europa.eu/eli/dir/2011/36/oj", "the most recent", str(GRAPH["seed-article"]))
    }
    assert {str(r["value2"]) for r in rows} == {"http://data.europa.eu/eli/dir/2024/1712/oj"}


def test_imprecise_seed_dates_agree_with_exact_ones(conflicts) -> None:
    """Year- or month-precision seed dates are not conflicts when the exact date falls inside them."""
    quiet = {
        "https://w3id.org/thb-kg/id/event/un-trafficking-protocol-adoption",
        "https://w3id.org/thb-kg/id/event/dir-2004-81-adoption",
        "https://w3id.org/thb-kg/id/participation/spain-blue-heart",
        "https://w3id.org/thb-kg/id/report/unodc-2010-trafficking-to-europe",
        "https://w3id.org/thb-kg/id/event/untoc-palermo-signing-conference",
    }
    assert not {s for s, _p, _s1, _s2 in conflicts} & quiet
