"""The vocabularies thb-kg uses, declared once.

Our own terms and the ELI terms we rely on are closed namespaces
(:class:`rdflib.namespace.DefinedNamespace`), so a typo such as ``ELI.ammends``
fails at import time instead of returning an empty query result.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)
from rdflib.term import URIRef

__all__ = [
    "DCTERMS",
    "ELI",
    "FOAF",
    "GRAPH",
    "ID",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SDMX_ATTRIBUTE",
    "SDMX_DIMENSION",
    "SDMX_MEASURE",
    "SH",
    "SKOS",
    "THB",
    "TIME",
    "XSD",
    "sparql_prologue",
]


class THB(DefinedNamespace):
    """Terms of ``ontology/thb.ttl``; keep this list in step with that file."""

    _NS = Namespace("https://w3id.org/thb-kg/ontology#")
    _fail = True

    # classes
    Campaign: URIRef
    Report: URIRef
    CourtCase: URIRef
    Claim: URIRef
    Quotation: URIRef
    CampaignParticipation: URIRef
    Custodianship: URIRef
    Event: URIRef
    Source: URIRef
    ComparableProperty: URIRef
    EndOfForceByReplacement: URIRef
    State: URIRef
    # concepts
    ConfidenceScheme: URIRef
    Confirmed: URIRef
    Unconfirmed: URIRef
    # datatypes for identifiers (skos:notation)
    UNTreatyChapter: URIRef
    UNDocumentSymbol: URIRef
    CETS: URIRef
    ECHRApplicationNo: URIRef
    COMDocument: URIRef
    NeutralCitation: URIRef
    # properties
    supplements: URIRef
    supplementedBy: URIRef
    replaces: URIRef
    replacedBy: URIRef
    hasGuardian: URIRef
    guardianOf: URIRef
    monitoredBy: URIRef
    monitors: URIRef
    establishedBy: URIRef
    establishes: URIRef
    legalBasisProvision: URIRef
    legalBasisOf: URIRef
    mandatedCrimeArea: URIRef
    provides: URIRef
    legalBasis: URIRef
    transpositionDeadline: URIRef
    ojReference: URIRef
    establishedIn: URIRef
    officialName: URIRef
    seat: URIRef
    initiativeOf: URIRef
    runsCampaign: URIRef
    hasParticipant: URIRef
    participatesIn: URIRef
    launchDate: URIRef
    campaign: URIRef
    joinDate: URIRef
    instrument: URIRef
    startDate: URIRef
    appointmentDate: URIRef
    appointedBy: URIRef
    context: URIRef
    purpose: URIRef
    datePrecision: URIRef
    asOf: URIRef
    asStated: URIRef
    timeRelative: URIRef
    about: URIRef
    claimType: URIRef
    locator: URIRef
    provision: URIRef
    confidence: URIRef
    judgmentDate: URIRef
    finalDate: URIRef
    decidedBy: URIRef
    concerns: URIRef
    indicator: URIRef
    originRegion: URIRef
    exploitationForm: URIRef
    valueQualifier: URIRef
    refYear: URIRef
    derivationRule: URIRef
    replacingAct: URIRef
    territory: URIRef


class ELI(DefinedNamespace):
    """The ELI ontology terms thb-kg uses (http://data.europa.eu/eli/ontology#)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    LegalExpression: URIRef
    ResourceType: URIRef
    title: URIRef
    title_short: URIRef
    title_alternative: URIRef
    type_document: URIRef
    passed_by: URIRef
    date_document: URIRef
    date_publication: URIRef
    first_date_entry_in_force: URIRef
    date_no_longer_in_force: URIRef
    date_applicability: URIRef
    amends: URIRef
    amended_by: URIRef
    repeals: URIRef
    repealed_by: URIRef
    transposes: URIRef
    transposed_by: URIRef
    cites: URIRef
    cited_by: URIRef
    based_on: URIRef
    basis_for: URIRef
    related_to: URIRef
    responsibility_of_agent: URIRef
    responsibility_of: URIRef
    is_about: URIRef
    id_local: URIRef
    description: URIRef
    is_part_of: URIRef
    has_part: URIRef


ID = Namespace("https://w3id.org/thb-kg/id/")
GRAPH = Namespace("https://w3id.org/thb-kg/graph/")
SCHEMA = Namespace("https://schema.org/")  # rdflib's own binding; see tests/test_namespaces.py
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SH = Namespace("http://www.w3.org/ns/shacl#")
CPOV = Namespace("http://data.europa.eu/m8g/")

#: Prefixes predeclared for every query and used when serialising.
PREFIXES: dict[str, str] = {
    "thb": str(THB._NS),
    "id": str(ID),
    "graph": str(GRAPH),
    "eli": str(ELI._NS),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "time": str(TIME),
    "qb": str(QB),
    "schema": str(SCHEMA),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "cpov": str(CPOV),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}


def sparql_prologue() -> str:
    """The PREFIX lines for every predeclared prefix, to put before a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
