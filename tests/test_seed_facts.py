"""Every seed fact S01-S60 of the seed article is in graph/seed-article, with its real value.

One SPARQL group pattern per fact, checked inside the seed article's graph on
each store. ``id:kind/slug`` in a pattern is shorthand for the full entity IRI
(Turtle and SPARQL do not allow ``/`` in a prefixed name); ``DIR_2011_36`` and
``DIR_2004_81`` stand for the ELIs. On Oxigraph plain literals come back as
xsd:string, so texts are compared with STR() or CONTAINS and numbers with =.
"""

from __future__ import annotations

import re

import pytest
from factcheck import holds_in_graph

SEED = "seed-article"
ELIS = {
    "DIR_2011_36": "<http://data.europa.eu/eli/dir/2011/36/oj>",
    "DIR_2004_81": "<http://data.europa.eu/eli/dir/2004/81/oj>",
}


def expand(pattern: str) -> str:
    """Write ``id:kind/slug`` as a full IRI and the ELI names as their IRIs."""
    pattern = re.sub(r"\bid:([A-Za-z0-9][\w/-]*)", r"<https://w3id.org/thb-kg/id/\1>", pattern)
    for name, iri in ELIS.items():
        pattern = pattern.replace(name, iri)
    return pattern


def claim(about: str, text: str, paragraph: int) -> str:
    """A claim (or quotation) about ``about`` whose text contains ``text``, at paragraph N.

    The type is read in the seed graph itself, where a quotation is typed
    thb:Quotation only (its thb:Claim type is inferred into graph/inferred).
    """
    return f"""
        ?c a ?kind ; thb:about {about} ; rdf:value ?v ; thb:locator ?loc .
        FILTER(?kind IN (thb:Claim, thb:Quotation))
        FILTER(CONTAINS(STR(?v), "{text}") && STR(?loc) = "paragraph {paragraph}")
    """


SEED_FACTS: dict[str, str] = {
    # Blue Heart Campaign
    "S01": "id:campaign/blue-heart a thb:Campaign ; thb:initiativeOf id:body/unodc .",
    # a year on an entity other sources date: on the seed's account of it (README, Dates)
    "S02": """?account thb:accountOf id:campaign/blue-heart ; thb:launchDate "2009-01-01"^^xsd:date ;
                  thb:datePrecision time:unitYear .""",
    "S03": """id:campaign/blue-heart thb:purpose ?p .
              FILTER(CONTAINS(STR(?p), "combating human trafficking and its impact on society"))"""
    + claim("id:campaign/blue-heart", "objective of combating human trafficking", 1),
    "S04": claim("id:campaign/blue-heart", "show their solidarity with the victims", 1)
    + "?c thb:claimType id:concept/claim-type/aim .",
    # The crime in general, world figures
    "S05": claim(
        "id:concept/crime-area/trafficking-in-human-beings",
        "robs the individual of their rights, their dreams and their dignity",
        2,
    ),
    "S06": claim("id:place/world", "no country is exempt", 2)
    + 'FILTER(CONTAINS(STR(?v), "every region of the world"))',
    "S07": claim("id:concept/crime-area/trafficking-in-human-beings", "modern form of slavery", 2)
    + 'FILTER(CONTAINS(STR(?v), "millions of victims"))',
    "S08": """?o a qb:Observation ; sdmx-dimension:refArea id:place/world ;
                  thb:indicator id:concept/indicator/victims-at-any-one-time ;
                  sdmx-measure:obsValue ?n ; sdmx-attribute:unitMeasure id:unit/persons ;
                  thb:refYear ?y ; thb:asStated ?s ; thb:locator "paragraph 2" .
              FILTER(?n = 2500000 && ?y = 2010 && CONTAINS(STR(?s), "data compiled in 2010"))""",
    "S09": claim("id:place/world", "tens of billions of dollars", 2)
    + "FILTER NOT EXISTS { ?any a qb:Observation ; thb:asStated ?t . "
    + 'FILTER(CONTAINS(STR(?t), "tens of billions")) }',
    "S10": claim("id:campaign/blue-heart", "represents the sadness of all those who are victims", 3)
    + "?c thb:claimType id:concept/claim-type/symbolism .",
    "S11": claim("id:body/united-nations", "alludes to the United Nations commitment", 3),
    "S12": claim("id:campaign/blue-heart", "red ribbon", 3)
    + 'FILTER(CONTAINS(STR(?v), "international symbol against human trafficking"))',
    "S13": """?p a thb:CampaignParticipation ; prov:agent id:body/unodc ;
                  thb:campaign id:campaign/blue-heart ;
                  thb:launchDate "2009-03-01"^^xsd:date ; thb:datePrecision time:unitMonth ;
                  thb:locator "paragraph 3" .""",
    # UNODC
    "S14": """?account thb:accountOf id:body/unodc ; thb:establishedIn "1997-01-01"^^xsd:date ;
                  thb:datePrecision time:unitYear .""",
    "S15": """id:body/unodc thb:purpose ?p .
              FILTER(CONTAINS(STR(?p), "implementing the three UN conventions on drugs"))""",
    "S16": """id:instrument/un-trafficking-protocol eli:passed_by id:body/un-general-assembly ;
                  dct:title ?t .
              ?e thb:instrument id:instrument/un-trafficking-protocol ;
                 prov:wasAssociatedWith id:body/un-general-assembly ;
                 thb:startDate "2000-01-01"^^xsd:date ; thb:datePrecision time:unitYear ;
                 thb:locator "paragraph 4" .
              FILTER(CONTAINS(STR(?t), "Protocol to Prevent, Suppress and Punish Trafficking in Persons"))""",
    "S17": """id:instrument/un-trafficking-protocol thb:hasGuardian id:body/unodc .
              ?g a thb:Custodianship ; prov:agent id:body/unodc ;
                 thb:instrument id:instrument/un-trafficking-protocol ;
                 thb:startDate "2000-01-01"^^xsd:date ; thb:datePrecision time:unitYear ;
                 thb:context ?ctx ; thb:locator "paragraph 4" .
              FILTER(CONTAINS(STR(?ctx), "guardian"))""",
    "S18": """id:observation/un-trafficking-protocol-signatories/seed-article
                  thb:instrument id:instrument/un-trafficking-protocol ;
                  thb:indicator id:concept/indicator/signatories ;
                  sdmx-attribute:unitMeasure id:unit/countries ;
                  sdmx-measure:obsValue ?n ; thb:valueQualifier ?q ; thb:asStated ?s .
              FILTER(?n = 147 && STR(?q) = "more than" && CONTAINS(STR(?s), "ratified and signed"))
              FILTER NOT EXISTS { id:observation/un-trafficking-protocol-signatories/seed-article thb:asOf ?d }""",
    "S19": claim(
        "id:instrument/un-trafficking-protocol",
        "enforcement of such international legal instruments still remains a major challenge",
        5,
    ),
    "S20": claim("id:concept/crime-area/trafficking-in-human-beings", "very few criminals", 5)
    + """?c a thb:Quotation ; prov:wasAttributedTo id:body/unodc ;
             thb:confidence thb:Unconfirmed .
         FILTER(CONTAINS(STR(?v), "most victims are never identified or assisted"))""",
    # Blue Heart in Europe
    "S21": """?p a thb:CampaignParticipation ; prov:agent id:state/portugal ;
                  thb:campaign id:campaign/blue-heart ; thb:context ?ctx ; thb:locator "paragraph 6" .
              FILTER(CONTAINS(STR(?ctx), "April"))
              FILTER NOT EXISTS { ?p thb:joinDate ?d }"""
    + claim("id:place/portugal", "will be launched in Portugal in April", 6),
    "S22": claim("id:state/spain", "first country in Europe to join", 6)
    + "id:campaign/blue-heart thb:hasParticipant id:state/spain .",
    "S23": """id:participation/spain-blue-heart/seed-article a thb:CampaignParticipation ;
                  prov:agent id:state/spain ; thb:campaign id:campaign/blue-heart ;
                  thb:joinDate "2010-06-01"^^xsd:date ; thb:datePrecision time:unitMonth ;
                  thb:context ?ctx ; thb:locator "paragraph 6" .
              FILTER(CONTAINS(STR(?ctx), "Presidency of the European Union"))""",
    "S24": claim("id:campaign/blue-heart", "slaves are in our midst", 6)
    + """?c a thb:Quotation ; prov:wasAttributedTo id:person/antonio-maria-costa .
         FILTER(CONTAINS(STR(?v), "Europeans believe that slavery was abolished centuries ago"))""",
    "S25": claim("id:person/antonio-maria-costa", "former UNODC Executive Director", 6)
    + "?c thb:about id:post/unodc-executive-director .",
    # UNODC 2010 report on Europe
    "S26": """id:report/unodc-2010-trafficking-to-europe a thb:Report ;
                  dct:publisher id:body/unodc ; dct:title ?t .
              ?account thb:accountOf id:report/unodc-2010-trafficking-to-europe ;
                  dct:issued "2010-01-01"^^xsd:date ; thb:datePrecision time:unitYear .
              FILTER(STR(?t) = "Trafficking in persons to Europe for sexual exploitation")""",
    "S27": claim(
        "id:report/unodc-2010-trafficking-to-europe",
        "one of the most lucrative illicit businesses in Europe",
        7,
    ),
    "S28": """id:observation/unodc-2010-europe-annual-revenue/seed-article
                  qb:dataSet ?ds ;
                  sdmx-dimension:refArea id:place/europe ;
                  sdmx-measure:obsValue ?n ; sdmx-attribute:unitMeasure id:unit/eur-per-year ;
                  thb:valueQualifier ?q ; thb:asStated ?s ; thb:locator "paragraph 7" .
              ?ds thb:accountOf id:dataset/unodc-2010-trafficking-to-europe ;
                  dct:source id:report/unodc-2010-trafficking-to-europe .
              FILTER(?n = 2500000000 && STR(?q) = "around"
                     && CONTAINS(STR(?s), "sexual exploitation and forced labour"))""",
    "S29": """?o qb:dataSet/thb:accountOf id:dataset/unodc-2010-trafficking-to-europe ;
                  thb:indicator id:concept/indicator/victims-at-any-one-time ;
                  sdmx-dimension:refArea id:place/europe ; sdmx-attribute:unitMeasure id:unit/persons ;
                  sdmx-measure:obsValue ?n ; thb:valueQualifier ?q ; thb:locator "paragraph 8" .
              FILTER(?n = 140000 && STR(?q) = "over")""",
    "S30": """?o qb:dataSet/thb:accountOf id:dataset/unodc-2010-trafficking-to-europe ;
                  thb:indicator id:concept/indicator/new-victims-per-year ;
                  sdmx-dimension:refArea id:place/europe ;
                  sdmx-attribute:unitMeasure id:unit/persons-per-year ;
                  sdmx-measure:obsValue ?n ; thb:valueQualifier ?q ; thb:locator "paragraph 8" .
              FILTER(?n = 70000 && STR(?q) = "as many as")""",
    "S31": """?o qb:dataSet/thb:accountOf id:dataset/unodc-2010-trafficking-to-europe-by-exploitation-form ;
                  thb:exploitationForm id:concept/exploitation-form/sexual-exploitation ;
                  sdmx-dimension:refArea id:place/europe ; sdmx-attribute:unitMeasure id:unit/percent ;
                  sdmx-measure:obsValue ?n ; thb:locator "paragraph 8" .
              FILTER(?n = 84)""",
    "S32": """?o qb:dataSet/thb:accountOf id:dataset/unodc-2010-trafficking-to-europe ;
                  thb:indicator id:concept/indicator/sex-workers-enslaved-through-trafficking ;
                  sdmx-dimension:refArea id:place/europe ; sdmx-attribute:unitMeasure id:unit/one-in-n ;
                  sdmx-measure:obsValue ?n ; thb:valueQualifier ?q ; thb:asStated ?s .
              FILTER(?n = 7 && STR(?q) = "up to" && CONTAINS(STR(?s), "one in every seven sex workers"))""",
    "S33": claim(
        "id:report/unodc-2010-trafficking-to-europe", "vast majority of victims are young women", 8
    ),
}


def _origin(region: str, share: int) -> str:
    return f"""?o qb:dataSet/thb:accountOf id:dataset/unodc-2010-trafficking-to-europe-by-origin ;
                  thb:originRegion id:place/{region} ; sdmx-dimension:refArea id:place/europe ;
                  sdmx-attribute:unitMeasure id:unit/percent ; sdmx-measure:obsValue ?n ;
                  thb:locator "paragraph 9" .
              FILTER(?n = {share})"""


SEED_FACTS.update(
    {
        "S34": _origin("balkans", 32),
        "S35": _origin("former-soviet-union", 19),
        "S36": _origin("south-america", 13),
        "S37": _origin("central-europe", 7),
        "S38": _origin("africa", 5),
        "S39": _origin("east-asia", 3),
        "S40": claim("id:place/western-europe", "relatively few people have been prosecuted", 10)
        + "?c prov:wasAttributedTo id:body/unodc .",
        # European Union action
        "S41": claim("id:body/european-union", "multi-disciplinary approach (Europol)", 11)
        + 'FILTER(CONTAINS(STR(?v), "prevention and victim support measures"))',
        "S42": claim("id:body/european-union", "adopted binding legislation", 12)
        + 'FILTER(CONTAINS(STR(?v), "highest European standards"))',
        "S43": """DIR_2011_36 a eli:LegalResource ; dct:title ?t ;
                      eli:type_document id:concept/document-type/directive .
                  FILTER(CONTAINS(STR(?t), "preventing and combating trafficking in human beings and protecting its victims"))"""
        + claim("DIR_2011_36", "The most recent is the Directive 2011/36/EU", 13)
        + "FILTER NOT EXISTS { ?c thb:asOf ?d }",
        "S44": """DIR_2011_36 eli:is_about id:concept/topic/prevention , id:concept/topic/prosecution ,
                                           id:concept/topic/protection ."""
        + claim("DIR_2011_36", "make legislation and penalties more effective", 13)
        + 'FILTER(CONTAINS(STR(?v), "enhanced protection of, and assistance to, victims"))',
        "S45": """DIR_2004_81 a eli:LegalResource ; eli:passed_by id:body/council-of-the-eu .
                  ?e thb:instrument DIR_2004_81 ; thb:startDate "2004-01-01"^^xsd:date ;
                     thb:datePrecision time:unitYear ; thb:locator "paragraph 14" .""",
        "S46": "DIR_2004_81 thb:provides id:concept/measure/residence-permit ."
        + claim("DIR_2004_81", "residence permit for victims who cooperate with the police", 14),
        "S47": "DIR_2004_81 thb:provides id:concept/measure/reflection-period ."
        + claim("DIR_2004_81", "so-called reflection period", 14)
        + 'FILTER(CONTAINS(STR(?v), "not an EU national and is staying illegally"))',
        "S48": """id:membership/vassiliadou-atc/seed-article a org:Membership ;
                      org:member id:person/myria-vassiliadou ;
                      org:organization id:body/european-commission ;
                      org:role id:role/anti-trafficking-coordinator ;
                      thb:appointedBy id:body/european-commission ;
                      thb:appointmentDate "2011-12-01"^^xsd:date ;
                      thb:datePrecision time:unitMonth ; thb:locator "paragraph 15" .
                  id:post/eu-anti-trafficking-coordinator org:postIn id:body/european-commission ;
                      org:role id:role/anti-trafficking-coordinator .""",
        "S49": claim(
            "id:post/eu-anti-trafficking-coordinator",
            "improving coordination and coherence between EU institutions and agencies",
            15,
        ),
        "S50": claim(
            "id:post/eu-anti-trafficking-coordinator",
            "overall strategic and policy orientation in the field of trafficking in human beings",
            15,
        ),
        "S51": claim(
            "id:post/eu-anti-trafficking-coordinator",
            "bringing together prevention, law enforcement, and victim protection",
            15,
        ),
        "S52": claim("id:body/european-union", "country of origin, transit or destination", 16)
        + 'FILTER(CONTAINS(STR(?v), "Member States have taken legal measures"))',
        "S53": claim("id:body/ecthr", "European Court of Human Rights on several occasions", 16),
        "S54": claim(
            "id:body/european-union", "immigration matters relating to trafficked persons", 16
        ),
        # Europol
        "S55": """id:body/europol skos:prefLabel ?l ; thb:officialName ?n .
                  FILTER(STR(?l) = "Europol" && STR(?n) = "European Police Office")"""
        + claim("id:body/europol", "handles criminal intelligence", 17),
        "S56": """id:body/europol thb:purpose ?p .
                  FILTER(CONTAINS(STR(?p), "fight against serious and organised crime"))""",
        "S57": "id:body/europol thb:mandatedCrimeArea id:concept/crime-area/trafficking-in-human-beings ."
        + claim("id:body/europol", "one of Europol's mandated crime areas", 17),
        "S58": """id:report/europol-2011-thb-in-the-eu a thb:Report ; dct:publisher id:body/europol ;
                      dct:title ?t ;
                      foaf:page <https://www.europol.europa.eu/sites/default/files/publications/trafficking_in_human_beings_in_the_european_union_2011.pdf> .
                  ?account thb:accountOf id:report/europol-2011-thb-in-the-eu ;
                      dct:issued "2011-01-01"^^xsd:date ; thb:datePrecision time:unitYear .
                  FILTER(STR(?t) = "Trafficking in Human Beings in the European Union")""",
        "S59": claim("id:report/europol-2011-thb-in-the-eu", "has never been higher", 18)
        + """?c a thb:Quotation ; prov:wasAttributedTo id:body/europol .
             FILTER(CONTAINS(STR(?v), "unlikely that there will be any immediate reduction")
                    && CONTAINS(STR(?v), "major impact upon the EU"))""",
        # Useful links
        "S60": """?c a thb:Claim ; thb:claimType id:concept/claim-type/link ; thb:locator "paragraph 19" ;
                     rdfs:seeAlso <http://www.unodc.org/> ,
                         <http://www.unodc.org/unodc/en/human-trafficking/what-is-human-trafficking.html?ref=menu> ,
                         <http://www.unodc.org/blueheart/> ,
                         <https://www.europol.europa.eu/sites/default/files/publications/trafficking_in_human_beings_in_the_european_union_2011.pdf> ,
                         <http://ec.europa.eu/anti-trafficking/section.action?sectionId=d4c7e512-98bb-4668-b35c-0d22d1da30a7&;sectionType=SUBSECTIONS&page=1&breadCrumbReset=true> ,
                         <http://ec.europa.eu/anti-trafficking/entity.action?id=e72b38b6-2724-40c5-810a-f444fdc8849a> .
                  id:body/unodc foaf:page <http://www.unodc.org/> .
                  id:campaign/blue-heart foaf:page <http://www.unodc.org/blueheart/> .""",
    }
)


def test_every_seed_fact_has_a_test() -> None:
    assert sorted(SEED_FACTS) == [f"S{n:02d}" for n in range(1, 61)]


@pytest.mark.parametrize("fact", sorted(SEED_FACTS))
def test_seed_fact_in_seed_graph(kg, fact: str) -> None:
    pattern = expand(SEED_FACTS[fact])
    assert holds_in_graph(kg, SEED, pattern), f"{fact} not found in graph/{SEED}:\n{pattern}"
