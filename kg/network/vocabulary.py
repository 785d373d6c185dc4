"""The named graphs and ontology terms that the builder treats in a special way.

Which graphs belong to the system (ontology, inferred) rather than to a
source; which object properties are attributes rather than edges, which are
never listed, which give labels or web links; which classes are folded into
the dates they carry. Each table comes twice: as rdflib terms, to read, and
as plain strings (the ``_`` names), which is what the builder compares.
"""

from __future__ import annotations

from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..namespaces import (
    DCTERMS,
    ELI,
    FOAF,
    GRAPH,
    ID,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_MEASURE,
    SKOS,
    THB,
    TIME,
    XSD,
)

ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]
QUERY_GRAPH = "urn:thb-kg:query-result"  # source of triples a query made up

#: Object-valued predicates shown as attributes (the object's label), never as edges.
ATTRIBUTE_PREDICATES = frozenset(
    {
        RDF.type,
        SKOS.inScheme,
        SKOS.topConceptOf,
        SKOS.hasTopConcept,
        ELI.type_document,
        THB.datePrecision,
        THB.claimType,
        THB.confidence,
        SDMX_ATTRIBUTE.unitMeasure,
        THB.indicator,
        PROV.wasDerivedFrom,
    }
)
#: Predicates a view never lists: the class is the node's kind, the precision
#: is applied to the dates it qualifies, an instant's bounds follow from its
#: date, and a source's node of a qualified fact (thb:accountOf) is drawn as
#: the fact's one edge.
HIDDEN_PREDICATES = frozenset(
    {RDF.type, THB.datePrecision, THB.accountOf, THB.notBefore, THB.notAfter}
)
#: Labels for predicates the ontology does not label.
PREDICATE_LABELS = {
    TIME.hasBeginning: "from",
    TIME.hasEnd: "until",
    SDMX_MEASURE.obsValue: "value",
    SDMX_ATTRIBUTE.unitMeasure: "unit",
    DCTERMS.source: "source",
    DCTERMS.title: "title",
    DCTERMS.issued: "issued",
    DCTERMS.date: "date",
    DCTERMS.identifier: "identifier",
    SKOS.notation: "identifier",
    SKOS.altLabel: "also called",
    SKOS.prefLabel: "name",
    RDF.value: "text",
    FOAF.page: "web page",
    FOAF.name: "name",
    PROV.wasDerivedFrom: "derived from",
    PROV.hadRole: "role",
    PROV.qualifiedAssociation: "associated with",
}
#: Label predicates, best first.
LABEL_PREDICATES = (SKOS.prefLabel, FOAF.name, RDFS.label, DCTERMS.title, ELI.title)
ALT_PREDICATES = (SKOS.altLabel, THB.officialName)
FOLD_CLASSES = frozenset({TIME.Interval, TIME.ProperInterval, TIME.Instant})
TIME_LINKS = (TIME.hasBeginning, TIME.hasEnd)
ELI_PREFIX = "http://data.europa.eu/eli/"
ELI_TERMS = str(ELI._NS)
ID_PREFIX = str(ID)
LINK_PREDICATES = {FOAF.page: "web page", SKOS.exactMatch: "same as", RDFS.seeAlso: "see also"}
PRECISION = {TIME.unitYear: 4, TIME.unitMonth: 7}

# The builder works on plain strings, not rdflib terms: an rdflib term's
# __eq__ is Python code, run on every dict and set hit, and it makes a URIRef
# unequal to the same IRI as a str. IRIs become str, blank nodes "_:" + id,
# literals stay Literals (see names._term_id); these are the constants it compares.
_DEFAULT = str(DATASET_DEFAULT_GRAPH_ID)
_ONTOLOGY = str(ONTOLOGY_GRAPH)
_INFERRED = str(INFERRED_GRAPH)
_SYSTEM = frozenset({_ONTOLOGY, _INFERRED})
_P_ATTRIBUTE = frozenset(str(p) for p in ATTRIBUTE_PREDICATES)
_P_HIDDEN = frozenset(str(p) for p in HIDDEN_PREDICATES)
_P_LABEL_RANK = {str(p): i for i, p in enumerate(LABEL_PREDICATES)}
_P_ALT = frozenset(str(p) for p in ALT_PREDICATES)
_P_LINK = {str(p): text for p, text in LINK_PREDICATES.items()}
_P_LABELS = {str(p): text for p, text in PREDICATE_LABELS.items()}
_P_TIME_LINKS = tuple(str(p) for p in TIME_LINKS)
_C_FOLD = frozenset(str(c) for c in FOLD_CLASSES)
_PRECISION = {str(u): n for u, n in PRECISION.items()}
_RDF_TYPE = str(RDF.type)
_DATE_PRECISION = str(THB.datePrecision)
_ACCOUNT_OF = str(THB.accountOf)
#: An instant's date as its source writes it (issue 11, item 3): a day, a month, a year.
_INSTANT_DATES = frozenset(str(p) for p in (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear))
_INVERSE_OF = str(OWL.inverseOf)
_MEMBER_DURING = str(ORG.memberDuring)
_PREF_LABEL = str(SKOS.prefLabel)
_RDF_VALUE = str(RDF.value)
_SOURCE = str(THB.Source)
_UNCONFIRMED = str(THB.Unconfirmed)
_CONFIDENCE = str(THB.confidence)
_DERIVED_FROM = str(PROV.wasDerivedFrom)
_TITLE = str(DCTERMS.title)
_DATE = str(DCTERMS.date)
_NO_LONGER_IN_FORCE = str(ELI.date_no_longer_in_force)
_PUBLISHER = str(DCTERMS.publisher)
_XSD_DATE = XSD.date  # compared with Literal.datatype, a URIRef
#: Datatypes of a date known to the month or the year, and that precision.
_PARTIAL_DATES = {XSD.gYearMonth: "month", XSD.gYear: "year"}
