"""The dataset describes itself: VoID for Linked Data tools, DCAT-AP for data portals.

One graph holds both descriptions of the same dataset node:

* VoID (W3C interest group note): ``void:Dataset`` with its triple count,
  entities, classes and properties, ``void:uriSpace``, ``void:sparqlEndpoint``,
  ``void:dataDump``, ``void:vocabulary`` for each vocabulary the data uses, and
  one ``void:subset`` per source graph with its own triple count;
* DCAT-AP 3 (the EU profile of DCAT that data.europa.eu harvests): a
  ``dcat:Catalog`` holding the ``dcat:Dataset``, its distributions (the dump,
  the SPARQL endpoint as a ``dcat:DataService``), publisher, licence.

Every count is computed from the graph by SPARQL (:func:`kg.query.run`), so
the same code describes a loaded graph (the static site) and the endpoint's
worker pool. The licence is the package's own (``License`` in its metadata,
an SPDX identifier).
"""

from __future__ import annotations

from typing import Any

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ..namespaces import PREFIXES, PROV
from . import PUBLIC_BASE

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: EU controlled vocabularies DCAT-AP asks for.
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
AVAILABILITY = Namespace("http://publications.europa.eu/resource/authority/planned-availability/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SPDX = "http://spdx.org/licenses/"

TITLE = "thb-kg: the legal framework against trafficking in human beings"
DESCRIPTION = (
    "A knowledge graph of the instruments, bodies, posts, campaigns, reports, statistics "
    "and case law of the legal framework against trafficking in human beings. Every "
    "statement sits in the named graph of the public source that states it."
)
#: The dump kg serve gives (its snapshot: every graph, the entailed one included).
DUMP = ("data/thb-kg.nq", "application/n-quads", "NQUADS")

_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_TOTAL = """SELECT (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"""
_ENTITIES = """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), "https://w3id.org/thb-kg/id/")) }"""
_PROPERTIES = "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }"
_CLASSES = "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?s a ?c } }"
_SOURCES = "SELECT ?g ?title ?from WHERE { ?g a thb:Source . OPTIONAL { ?g dct:title ?title } " \
    "OPTIONAL { ?g prov:wasDerivedFrom ?from } }"


def licence() -> str:
    """The package's licence as an SPDX IRI (``License`` in pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("thb-kg")
    except PackageNotFoundError:  # a source tree that was never installed
        return SPDX + "MIT"
    fields = meta.json
    spdx = str(fields.get("license_expression") or fields.get("license") or "MIT")
    return SPDX + spdx.strip()


def namespace_of(iri: str) -> str:
    """The vocabulary an IRI belongs to: up to its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _number(target: Any, query: str) -> int:
    from ..query import run

    rows = run(target, query, policy=None).rows
    return int(str(rows[0][0])) if rows and rows[0][0] is not None else 0


def describe(target: Any, *, base: str = PUBLIC_BASE) -> Dataset:
    """The VoID description and DCAT-AP record of the graph in ``target``.

    ``base`` is where the IRIs resolve (the w3id.org namespace by default):
    the endpoint is ``{base}sparql``, the dump ``{base}data/thb-kg.nq``.
    """
    from ..query import run

    ds = Dataset()
    for prefix, ns in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT),
                       "sd": str(SD), "dcatap": str(DCATAP)}.items():
        ds.bind(prefix, ns, override=True, replace=True)
    g = ds.default_graph
    doc = URIRef(base + ".well-known/void")
    dataset = URIRef(base + ".well-known/void#thb-kg")
    catalog = URIRef(base + ".well-known/void#catalog")
    service = URIRef(base + ".well-known/void#sparql")
    dump = URIRef(base + ".well-known/void#dump")
    publisher = URIRef(base + "id/body/thb-kg")
    licence_iri = URIRef(licence())
    endpoint = URIRef(base + "sparql")

    g.add((doc, RDF.type, VOID.DatasetDescription))
    g.add((doc, FOAF.primaryTopic, dataset))
    g.add((doc, DCTERMS.title, Literal(f"VoID and DCAT-AP description of {TITLE}", lang="en")))

    # --- VoID
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((dataset, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((dataset, DCTERMS.license, licence_iri))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, VOID.sparqlEndpoint, endpoint))
    g.add((dataset, VOID.dataDump, URIRef(base + DUMP[0])))
    g.add((dataset, VOID.uriSpace, Literal(base + "id/")))
    g.add((dataset, VOID.rootResource, URIRef(base + "ontology")))
    g.add((dataset, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Quads")))
    g.add((dataset, VOID.triples, Literal(_number(target, _TOTAL), datatype=XSD.integer)))
    g.add((dataset, VOID.entities, Literal(_number(target, _ENTITIES), datatype=XSD.integer)))
    properties = [r[0] for r in run(target, _PROPERTIES, policy=None).rows if r[0] is not None]
    classes = [r[0] for r in run(target, _CLASSES, policy=None).rows if r[0] is not None]
    g.add((dataset, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    g.add((dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for ns in sorted({namespace_of(str(t)) for t in properties + classes}):
        g.add((dataset, VOID.vocabulary, URIRef(ns)))

    described: dict[Any, tuple[Any, Any]] = {}
    for src, title, derived in run(target, _SOURCES, policy=None).rows:
        described.setdefault(src, (title, derived))
    for graph, n in run(target, _COUNTS, policy=None).rows:
        if graph is None or n is None:
            continue
        g.add((dataset, VOID.subset, graph))
        g.add((graph, RDF.type, VOID.Dataset))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(int(str(n)), datatype=XSD.integer)))
        g.add((graph, VOID.sparqlEndpoint, endpoint))
        title, derived = described.get(graph, (None, None))
        if title is not None:
            g.add((graph, DCTERMS.title, title))
        if derived is not None:
            g.add((graph, PROV.wasDerivedFrom, derived))
            g.add((graph, DCTERMS.source, derived))

    # --- DCAT-AP
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("thb-kg catalogue", lang="en")))
    g.add((catalog, DCTERMS.description,
           Literal("The thb-kg knowledge graph, for data portals.", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    g.add((catalog, FOAF.homepage, URIRef(base)))
    g.add((catalog, DCTERMS.license, licence_iri))
    g.add((catalog, DCTERMS.language, LANGUAGE.ENG))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(str(DATA_THEME)[:-1])))

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCAT.distribution, dump))
    g.add((dataset, DCAT.keyword, Literal("trafficking in human beings", lang="en")))
    g.add((dataset, DCAT.keyword, Literal("legal framework", lang="en")))
    g.add((dataset, DCAT.landingPage, URIRef(base)))
    g.add((dataset, DCAT.theme, DATA_THEME.JUST))
    g.add((dataset, DCTERMS.language, LANGUAGE.ENG))
    g.add((dataset, DCTERMS.conformsTo, URIRef(base + "ontology")))

    g.add((dump, RDF.type, DCAT.Distribution))
    g.add((dump, DCTERMS.title, Literal("The whole graph as N-Quads", lang="en")))
    g.add((dump, DCTERMS.description, Literal(
        "Every named graph (one per source, the ontology, the entailed statements) "
        "and the sources' descriptions, as N-Quads.", lang="en")))
    g.add((dump, DCATAP.availability, AVAILABILITY.STABLE))
    g.add((dump, DCAT.accessURL, URIRef(base + DUMP[0])))
    g.add((dump, DCAT.downloadURL, URIRef(base + DUMP[0])))
    g.add((dump, DCAT.mediaType, IANA[DUMP[1]]))
    g.add((dump, DCTERMS["format"], FILE_TYPE[DUMP[2]]))
    g.add((dump, DCTERMS.license, licence_iri))
    access = URIRef(base + ".well-known/void#sparql-access")
    g.add((dataset, DCAT.distribution, access))
    g.add((access, RDF.type, DCAT.Distribution))
    g.add((access, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((access, DCTERMS.description, Literal(
        "Read-only SPARQL 1.1 Protocol endpoint over every graph.", lang="en")))
    g.add((access, DCATAP.availability, AVAILABILITY.STABLE))
    g.add((access, DCAT.accessURL, endpoint))
    g.add((access, DCAT.accessService, service))
    g.add((access, DCTERMS.license, licence_iri))

    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, RDF.type, SD.Service))
    g.add((service, DCTERMS.title, Literal("thb-kg SPARQL 1.1 endpoint (read-only)", lang="en")))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, URIRef(base + "sparql")))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCTERMS.license, licence_iri))
    g.add((service, DCAT.theme, DATA_THEME.JUST))
    g.add((service, DCAT.keyword, Literal("SPARQL", lang="en")))
    g.add((service, SD.endpoint, endpoint))

    # the types DCAT-AP's range shapes ask for
    g.add((URIRef(base), RDF.type, FOAF.Document))
    g.add((URIRef(base + "ontology"), RDF.type, DCTERMS.Standard))
    g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCTERMS.Standard))
    # the EU vocabularies' own labels (op.europa.eu, "Data theme", "Planned availability")
    g.add((DATA_THEME.JUST, RDF.type, SKOS.Concept))
    g.add((DATA_THEME.JUST, SKOS.prefLabel,
           Literal("Justice, legal system and public safety", lang="en")))
    g.add((URIRef(str(DATA_THEME)[:-1]), RDF.type, SKOS.ConceptScheme))
    g.add((URIRef(str(DATA_THEME)[:-1]), DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((AVAILABILITY.STABLE, RDF.type, SKOS.Concept))
    g.add((AVAILABILITY.STABLE, SKOS.prefLabel, Literal("stable", lang="en")))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("thb-kg project", lang="en")))
    g.add((licence_iri, RDF.type, DCTERMS.LicenseDocument))
    for node in (LANGUAGE.ENG,):
        g.add((node, RDF.type, DCTERMS.LinguisticSystem))
    g.add((IANA[DUMP[1]], RDF.type, DCTERMS.MediaType))
    g.add((FILE_TYPE[DUMP[2]], RDF.type, DCTERMS.MediaTypeOrExtent))
    return ds
