"""The loaded, inferred graph built by Oxigraph alone: no rdflib, no loop over triples.

:func:`build` parses every data file and the ontology with pyoxigraph's bulk
loader into a ``Store`` and then, with SPARQL Update inside the store:

1. puts the union of the source graphs into the default graph, as a *set*
   (a store holds each quad once): what queries without ``GRAPH`` see, each
   triple once however many sources state it (see :class:`kg.store.Snapshot`);
2. materialises what the ontology implies into ``graph/inferred``, the rules
   of :mod:`kg.inference` (sub-classes, sub-properties, inverse and symmetric
   properties) to a fixpoint: each round inserts what is implied and not
   known yet, until a round adds nothing; then, once, the end of force of an
   act that a later act replaces and no source ends, with its derivation
   (:meth:`kg.inference.Rules.end_of_force`);
3. adds the ontology graph and the inferred graph to the union.

The store then holds exactly the quads of the N-Quads snapshot that
:func:`kg.cache.write_nquads` writes from :func:`kg.graph.load`
(``tests/test_store_persistent.py`` compares them), and is built several
times faster: Oxigraph parses 1M quads in seconds where rdflib takes a
minute. Errors in a file are the same :class:`kg.errors.DataFileError`, with
file and line, as :func:`kg.graph.load` gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DataFileError, DataFolderError
from ..namespaces import GRAPH, ID, THB

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"

#: The rules of :mod:`kg.inference` as SPARQL Update, for one round. ``{onto}`` and
#: ``{inf}`` are our own graph IRIs (constants, never user text). Each rule reads the
#: known triples (the default graph: the union of the sources, plus what earlier rounds
#: inferred) and inserts, into ``graph/inferred`` and the default graph, only what is
#: not known yet, so that ``graph/inferred`` holds the entailed triples no source states.
_ROUND = """
PREFIX rdf: <{rdf}>
PREFIX rdfs: <{rdfs}>
PREFIX owl: <{owl}>
INSERT {{ GRAPH <{inf}> {{ ?s rdf:type ?super }} ?s rdf:type ?super }}
WHERE {{
  {{ SELECT DISTINCT ?class ?super WHERE {{
      GRAPH <{onto}> {{ ?class rdfs:subClassOf+ ?super }}
      FILTER(isIRI(?class) && isIRI(?super) && ?class != ?super)
  }} }}
  ?s rdf:type ?class .
  FILTER NOT EXISTS {{ ?s rdf:type ?super }}
}};
INSERT {{ GRAPH <{inf}> {{ ?s ?super ?o }} ?s ?super ?o }}
WHERE {{
  {{ SELECT DISTINCT ?p ?super WHERE {{
      GRAPH <{onto}> {{ ?p rdfs:subPropertyOf+ ?super }}
      FILTER(isIRI(?p) && isIRI(?super) && ?p != ?super && ?p != rdf:type)
  }} }}
  ?s ?p ?o .
  FILTER NOT EXISTS {{ ?s ?super ?o }}
}};
INSERT {{ GRAPH <{inf}> {{ ?o ?inverse ?s }} ?o ?inverse ?s }}
WHERE {{
  {{ SELECT DISTINCT ?p ?inverse WHERE {{
      {{ GRAPH <{onto}> {{ ?p owl:inverseOf ?inverse }} }}
      UNION {{ GRAPH <{onto}> {{ ?inverse owl:inverseOf ?p }} }}
      UNION {{ GRAPH <{onto}> {{ ?p rdf:type owl:SymmetricProperty }} BIND(?p AS ?inverse) }}
      FILTER(isIRI(?p) && isIRI(?inverse) && ?p != rdf:type)
  }} }}
  ?s ?p ?o .
  FILTER(isIRI(?o))
  FILTER NOT EXISTS {{ ?o ?inverse ?s }}
}}
"""

#: :meth:`kg.inference.Rules.end_of_force` as SPARQL Update, run once after the rounds
#: above (it reads ``eli:repeals``'s sub-properties from the ontology, the premises from
#: the source graphs, and nothing it adds is a premise of another rule). An act that is
#: replaced or repealed in some source graph and that no source ends was last in force
#: the day before the earliest replacing act applies (its day-precision
#: ``eli:date_applicability``, else its ``eli:first_date_entry_in_force``); the end and
#: its derivation (a reified statement naming the rule, the replacing act and the source
#: graphs of the premises) go to ``graph/inferred`` and the default graph.
_END_OF_FORCE = """
PREFIX rdf: <{rdf}>
PREFIX rdfs: <{rdfs}>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prov: <{prov}>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX thb: <{thb}>
INSERT {{
  GRAPH <{inf}> {{
    ?act eli:date_no_longer_in_force ?end .
    ?node a rdf:Statement , prov:Entity ; rdf:subject ?act ;
          rdf:predicate eli:date_no_longer_in_force ; rdf:object ?end ;
          thb:derivationRule thb:EndOfForceByReplacement ; thb:replacingAct ?r ;
          prov:wasDerivedFrom ?replacedIn , ?datedIn .
  }}
  ?act eli:date_no_longer_in_force ?end .
  ?node a rdf:Statement , prov:Entity ; rdf:subject ?act ;
        rdf:predicate eli:date_no_longer_in_force ; rdf:object ?end ;
        thb:derivationRule thb:EndOfForceByReplacement ; thb:replacingAct ?r ;
        prov:wasDerivedFrom ?replacedIn , ?datedIn .
}}
WHERE {{
  {{ SELECT ?act (MIN(?start) AS ?first) WHERE {{ {starts} }} GROUP BY ?act }}
  {starts}
  FILTER(?start = ?first)
  BIND(?first - "P1D"^^xsd:dayTimeDuration AS ?end)
  BIND(IRI(CONCAT("{derivation}", MD5(STR(?act)))) AS ?node)
}}
"""
#: The start of application of each act replacing an act no source ends, per source
#: graph: the premises of :data:`_END_OF_FORCE`.
_STARTS = """
  {{ SELECT DISTINCT ?rel WHERE {{
      {{ GRAPH <{onto}> {{ ?rel rdfs:subPropertyOf+ eli:repeals }} }}
      UNION {{ BIND(eli:repeals AS ?rel) }}
  }} }}
  GRAPH ?replacedIn {{ ?r ?rel ?act }}
  FILTER(?replacedIn != <{onto}> && ?replacedIn != <{inf}>)
  FILTER NOT EXISTS {{
    GRAPH ?endedIn {{ ?act eli:date_no_longer_in_force ?stated }}
    FILTER(?endedIn != <{onto}> && ?endedIn != <{inf}>)
  }}
  {{
    GRAPH ?datedIn {{
      ?r eli:date_applicability ?start FILTER NOT EXISTS {{ ?r thb:datePrecision ?p }}
    }}
  }} UNION {{
    GRAPH ?datedIn {{
      ?r eli:first_date_entry_in_force ?start FILTER NOT EXISTS {{ ?r thb:datePrecision ?p }}
    }}
    FILTER NOT EXISTS {{
      GRAPH ?appliesIn {{ ?r eli:date_applicability ?any }}
      FILTER(?appliesIn != <{onto}> && ?appliesIn != <{inf}>)
    }}
  }}
  FILTER(?datedIn != <{onto}> && ?datedIn != <{inf}> && DATATYPE(?start) = xsd:date)
"""

_UNION_OF_SOURCES = (
    "INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{onto}>) }}"
)
_UNION_OF = "INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
_COUNT_IN = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
_TITLES = (
    "SELECT ?g (MIN(STR(?title)) AS ?t) WHERE { ?g <http://purl.org/dc/terms/title> ?title } "
    "GROUP BY ?g"
)
#: Entities per class, as the sources and the descriptions state them (run on the union of
#: the sources, before inference and before the ontology joins the default graph).
_CLASSES = (
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) "
    "WHERE { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?c FILTER(isIRI(?c)) } "
    "GROUP BY ?c"
)
_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
#: Rounds after which inference stops even if it still adds triples (never reached: the
#: rules only add triples over the terms that are there, so they reach a fixpoint).
MAX_ROUNDS = 64


def _formats() -> dict[str, Any]:
    import pyoxigraph as ox

    return {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
            ".nq": ox.RdfFormat.N_QUADS}


def _load_file(store: Any, path: Path, *, to_graph: Any = None) -> None:
    """Bulk-load one file (its blank nodes are its own), or raise the loader's error."""
    from .. import graph as loader

    try:
        store.bulk_load(path=str(path), format=_formats()[path.suffix],
                        base_iri=path.resolve().as_uri(), to_graph=to_graph)
    except SyntaxError as exc:
        loader._check_text(path)  # not UTF-8, a lone surrogate: the same sentence as kg.load
        raise DataFileError(path, exc.lineno, loader._reason_of(exc, path)) from None
    except OSError as exc:
        raise DataFileError(path, None, f"cannot be read: {loader._os_reason(exc)}") from None


def _describe_system_graphs() -> list[Any]:
    """The default graph's description of graph/ontology and graph/inferred, as
    :func:`kg.graph._describe_ontology_graph` writes it."""
    import pyoxigraph as ox

    def iri(text: str) -> Any:
        return ox.NamedNode(text)

    quads = []
    titles = {
        "ontology": "thb-kg ontology",
        "inferred": "Triples entailed by the thb-kg ontology",
    }
    for name, title in titles.items():
        graph = iri(str(GRAPH[name]))
        for p, o in (
            (iri(_RDF + "type"), iri(str(THB.Source))),
            (iri(_PROV + "wasDerivedFrom"), iri("https://w3id.org/thb-kg/ontology")),
            (iri(_DCT + "title"), ox.Literal(title, language="en")),
            (iri(_DCT + "publisher"), iri(str(ID["body/thb-kg"]))),
        ):
            quads.append(ox.Quad(graph, p, o, ox.DefaultGraph()))
    return quads


def _count_default(store: Any) -> int:
    (solution,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(solution[0].value)


def _count(store: Any, graph: str) -> int:
    (solution,) = store.query(_COUNT_IN.format(graph=graph))
    return int(solution[0].value)


def load_into(
    store: Any, files: list[Path], ontology_file: Path, *, infer: bool = True
) -> dict[str, Any]:
    """Fill the empty pyoxigraph ``store`` with ``files`` and the ontology, the union and,
    with ``infer``, the inferred graph.

    Returns what the build counted, what ``kg stats`` shows (:func:`kg.stats.from_counts`):
    ``inferred`` triples; ``default``, the triples the files and the system graphs'
    descriptions put in the default graph itself (the source descriptions, before
    the union joins them); ``graphs``, each named graph's triples and title (from
    its description); ``classes``, the entities of each class the sources assert.
    """
    import pyoxigraph as ox

    onto, inf = str(GRAPH["ontology"]), str(GRAPH["inferred"])
    if not ontology_file.exists():
        raise DataFolderError(f"Ontology file {ontology_file} does not exist.")
    _load_file(store, ontology_file, to_graph=ox.NamedNode(onto))
    store.extend(_describe_system_graphs())
    for path in files:
        if path.suffix == ".ttl":  # a Turtle file's triples are its own source graph
            _load_file(store, path, to_graph=ox.NamedNode(str(GRAPH[path.stem])))
        else:
            _load_file(store, path)
    default = _count_default(store)
    titles = {str(row[0].value): str(row[1].value) for row in store.query(_TITLES)}
    store.update(_UNION_OF_SOURCES.format(onto=onto))
    classes = {str(row[0].value): int(row[1].value) for row in store.query(_CLASSES)}
    inferred = 0
    if infer:
        update = _ROUND.format(rdf=_RDF, rdfs=_RDFS, owl=_OWL, onto=onto, inf=inf)
        for _ in range(MAX_ROUNDS):
            store.update(update)
            now = _count(store, inf)
            if now == inferred:
                break
            inferred = now
        starts = _STARTS.format(onto=onto, inf=inf)
        store.update(_END_OF_FORCE.format(
            rdf=_RDF, rdfs=_RDFS, prov=_PROV, thb=str(THB._NS), inf=inf, starts=starts,
            derivation=f"{ID}derivation/end-of-force-"))
        inferred = _count(store, inf)
    store.update(_UNION_OF.format(graph=onto))
    graphs = {
        str(row[0].value): [int(row[1].value), titles.get(str(row[0].value), "")]
        for row in store.query(_PER_GRAPH)
    }
    return {"inferred": inferred, "default": default, "graphs": graphs, "classes": classes}


def build(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Any:
    """A new in-memory pyoxigraph ``Store`` holding the loaded, inferred graph: the
    quads of :func:`kg.cache.write_nquads` of :func:`kg.graph.load`.

    >>> store = build("tests/data/minimal")
    >>> bool(store.query("ASK { GRAPH <https://w3id.org/thb-kg/graph/inferred> { ?s ?p ?o } }"))
    True
    """
    import pyoxigraph as ox

    from .. import paths
    from ..graph import ONTOLOGY_FILE, data_files

    data_dir = Path(data) if data is not None else paths.data_dir()
    onto_dir = Path(ontology) if ontology is not None else paths.ontology_dir()
    files = data_files(data_dir)
    store = ox.Store()
    load_into(store, files, onto_dir / ONTOLOGY_FILE, infer=infer)
    return store
