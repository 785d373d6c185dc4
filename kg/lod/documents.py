"""What the document about one of our IRIs holds, as an rdflib ``Dataset``.

Cool URIs for the Semantic Web (W3C note, 303 URIs): an entity such as
``.../id/body/unodc`` is a thing, not a page, so it is answered by a
*document* (``.../doc/body/unodc``) that says what it describes
(``foaf:primaryTopic``) and lists its other formats (``dct:hasFormat``).
A source graph (``.../graph/seed-article``) and the ontology
(``.../ontology``) are documents themselves.

Every statement keeps its source: the document is a set of quads, each in
the named graph of the source that says it, and the sources' own
descriptions (where each came from, its title) sit in the default graph.
Written as TriG, N-Quads or JSON-LD, a reader sees which source says what;
the triple formats (Turtle, N-Triples, RDF/XML) merge the statements and
keep the sources as a provenance section (``dct:source`` of the document,
plus each source's description).

The quads come from fixed SPARQL queries with the IRI bound as a parameter
(:func:`kg.query.run`), so the same code runs on a loaded graph (the static
site) and on the endpoint's worker pool, where each lookup is bounded in
time and rows like any query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import BNode, Node

from ..formats import RDF_FORMATS, RdfFormat
from ..namespaces import DCTERMS, FOAF, GRAPH, PREFIXES, RDF

Quad = tuple[Node, Node, Node, Node | None]

ONTOLOGY_IRI = "https://w3id.org/thb-kg/ontology"
ONTOLOGY_GRAPH = GRAPH["ontology"]
#: W3C's IRIs for the RDF formats (https://www.w3.org/ns/formats/), by our format name.
FORMAT_IRIS = {
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "nt": "http://www.w3.org/ns/formats/N-Triples",
    "trig": "http://www.w3.org/ns/formats/TriG",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
    "xml": "http://www.w3.org/ns/formats/RDF_XML",
}
#: Rows a document may hold (the largest source graph has a few thousand statements).
MAX_STATEMENTS = 20_000

_ENTITY = """SELECT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { ?this ?p ?o } BIND(?this AS ?s) }
  UNION
  { GRAPH ?g { ?s ?p ?this } BIND(?this AS ?o) }
  UNION
  { GRAPH ?g { ?this ?via ?s . ?s ?p ?o } FILTER(isBlank(?s)) }
}"""
_GRAPH = "SELECT ?s ?p ?o WHERE { GRAPH ?this { ?s ?p ?o } }"
_SOURCES = "SELECT ?g ?p ?o WHERE { ?g a thb:Source ; ?p ?o }"


@dataclass(frozen=True)
class Document:
    """The statements of one document, before it is given a URL and written.

    ``topic`` is the IRI the document describes; ``quads`` hold the
    statements, each with its source graph; ``sources`` describe those
    graphs (from the default graph); ``truncated`` says the row cap cut it.
    """

    kind: str  # "entity", "graph", "ontology"
    topic: URIRef
    quads: tuple[Quad, ...]
    sources: Mapping[Node, tuple[tuple[Node, Node], ...]]
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.quads)

    def graphs(self) -> list[Node]:
        """The source graphs the statements come from, in a stable order."""
        return sorted({g for *_t, g in self.quads if g is not None}, key=str)


def source_descriptions(target: Any) -> dict[Node, tuple[tuple[Node, Node], ...]]:
    """Each source graph's description (``prov:wasDerivedFrom``, title, ...), by graph IRI."""
    from ..query import run

    found: dict[Node, list[tuple[Node, Node]]] = {}
    for g, p, o in run(target, _SOURCES, policy=None).rows:
        if g is not None and p is not None and o is not None:
            found.setdefault(g, []).append((p, o))
    return {g: tuple(v) for g, v in found.items()}


def _pick(sources: Mapping[Node, tuple[tuple[Node, Node], ...]],
          graphs: Iterable[Node]) -> dict[Node, tuple[tuple[Node, Node], ...]]:
    return {g: sources[g] for g in graphs if g in sources}


def entity_document(target: Any, iri: str, sources: Mapping[Node, Any],
                    *, max_rows: int | None = MAX_STATEMENTS) -> Document:
    """The statements about ``iri`` and those pointing to it, each with its source graph.

    A blank node the entity points to comes with its own statements (one level:
    the data nests none deeper), as in a Concise Bounded Description.
    """
    from ..query import run

    this = URIRef(iri)
    dataset = getattr(target, "dataset", None)
    if dataset is not None and max_rows is None:  # a loaded graph: its quad index is quicker
        found: list[Quad] = []  # (rdflib's SPARQL took 0.13 s an entity; this takes ~1 ms)
        for pattern in ((this, None, None, None), (None, None, this, None)):
            for s, p, o, g in dataset.quads(pattern):
                gid = getattr(g, "identifier", g)
                if gid != dataset.default_graph.identifier:
                    found.append((s, p, o, gid))
                    if s == this and isinstance(o, BNode):  # a blank node is part of it
                        found.extend((bs, bp, bo, gid)
                                     for bs, bp, bo, _c in dataset.quads((o, None, None, gid)))
        quads, truncated = tuple(sorted(set(found))), False
    else:
        result = run(target, _ENTITY, {"this": this}, policy=None, max_rows=max_rows)
        quads = tuple((s, p, o, g) for s, p, o, g in result.rows
                      if s is not None and p is not None and o is not None)
        truncated = result.truncated
    graphs = {q[3] for q in quads if q[3] is not None}
    return Document("entity", this, quads, _pick(sources, graphs), truncated)


def graph_document(target: Any, iri: str, sources: Mapping[Node, Any],
                   *, kind: str = "graph", max_rows: int = MAX_STATEMENTS) -> Document:
    """Every statement of the named graph ``iri``, with the graph's description."""
    from ..query import run

    graph = URIRef(iri)
    if kind == "ontology":
        graph = ONTOLOGY_GRAPH
    result = run(target, _GRAPH, {"this": graph}, policy=None, max_rows=max_rows)
    quads = tuple((s, p, o, graph) for s, p, o in result.rows
                  if s is not None and p is not None and o is not None)
    topic = URIRef(ONTOLOGY_IRI) if kind == "ontology" else graph
    return Document(kind, topic, quads, _pick(sources, [graph]) if quads else {},
                    result.truncated)


def to_dataset(doc: Document, url: str, alternates: Mapping[str, str]) -> Dataset:
    """The document as a ``Dataset``: its statements in their graphs, and in the
    default graph what the document is (``foaf:primaryTopic``, its formats) and
    where its statements come from.

    ``url`` is the document's own address (may be relative, ``""`` for "this
    file"); ``alternates`` maps each format name to its address.
    """
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    for s, p, o, g in doc.quads:
        target = g if isinstance(g, URIRef | BNode) else ds.default_graph.identifier
        ds.graph(target).add((s, p, o))
    meta = ds.default_graph
    here = URIRef(url)
    meta.add((here, RDF.type, FOAF.Document))
    meta.add((here, FOAF.primaryTopic, doc.topic))
    for name, href in alternates.items():
        alt = URIRef(href)
        meta.add((here, DCTERMS.hasFormat, alt))
        if name in FORMAT_IRIS:
            meta.add((alt, DCTERMS["format"], URIRef(FORMAT_IRIS[name])))
            meta.add((alt, DCTERMS["format"], Literal(RDF_FORMATS[name].media_type)))
        elif name == "html":
            meta.add((alt, DCTERMS["format"], Literal("text/html")))
    for g in doc.graphs():
        meta.add((here, DCTERMS.source, g))
    for g, pairs in doc.sources.items():
        for p, o in pairs:
            meta.add((g, p, o))
    return ds


def serialize(ds: Dataset, spec: RdfFormat) -> bytes:
    """``ds`` in ``spec``: quads as they are, or the union of its graphs for triple formats.

    Raises :class:`kg.errors.WriteError` when RDF/XML cannot hold a statement.
    """
    from ..dump import XML_FORMATS, xml_problem
    from ..errors import WriteError

    if spec.name in XML_FORMATS:
        problem = xml_problem(ds)
        if problem:
            raise WriteError(problem)
    if spec.quads:
        return ds.serialize(format=spec.rdflib_name, encoding="utf-8")
    union = Graph()
    for prefix, ns in [*ds.namespaces(), *PREFIXES.items()]:  # ours last: they win
        union.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union.serialize(format=spec.rdflib_name, encoding="utf-8")


def rows_for_html(doc: Document) -> list[dict[str, Any]]:
    """The statements grouped by subject, the topic first, for the HTML page."""
    by_subject: dict[Node, list[tuple[Node, Node, Node | None]]] = {}
    for s, p, o, g in doc.quads:
        by_subject.setdefault(s, []).append((p, o, g))
    order = sorted(by_subject, key=lambda s: (s != doc.topic, isinstance(s, BNode), str(s)))
    groups = []
    for s in order:
        fragment = str(s).split("#", 1)[1] if str(s).startswith(ONTOLOGY_IRI + "#") else None
        groups.append({
            "subject": s,
            "anchor": fragment,
            "rows": sorted(by_subject[s], key=lambda r: (str(r[0]), str(r[1]), str(r[2]))),
        })
    return groups
