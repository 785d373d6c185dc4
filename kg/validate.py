"""SHACL validation of the union of all graphs, with the source of each problem.

pySHACL reports a focus node and a path; a reader of a legal reference also
needs to know *which source graph* made the bad statement, so each violation
carries the graphs in which its focus node is described.

Two engines give the same report (:class:`Engine`): pySHACL over an rdflib
copy of the union graph, and the shapes compiled to SPARQL and run inside
Oxigraph (:mod:`kg.validation`), which is what large data needs (pySHACL took
32 s at 100k quads). :func:`default_engine` picks one.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .graph import SYSTEM_GRAPHS, KnowledgeGraph
from .namespaces import SH
from .validation.report import ValidationReport, Violation, path_text, sort_key

SHAPE = Namespace("https://w3id.org/thb-kg/shapes#")
#: Stores that are Oxigraph: there the SPARQL engine is the default.
OXIGRAPH_STORES = frozenset({"oxigraph", "pyoxigraph", "oxigraph-disk"})


class Engine(enum.Enum):
    """Which validator runs the shapes (``kg validate --engine``)."""

    PYSHACL = "pyshacl"
    SPARQL = "sparql"


def engine_named(name: str | Engine | None) -> Engine | None:
    """The :class:`Engine` called ``name`` (None stays None: the default applies)."""
    if name is None or isinstance(name, Engine):
        return name
    from .errors import KgError

    try:
        return Engine(name.lower())
    except ValueError:
        raise KgError(f"Unknown validation engine {name!r}; choose pyshacl or sparql.") from None


def default_engine(store: str, data: Path | str | None = None) -> Engine:
    """SPARQL on an Oxigraph store or on data past :data:`kg.store.LARGE_DATA` bytes
    (whatever the store), pySHACL otherwise."""
    from .store import uses_disk

    if store in OXIGRAPH_STORES or uses_disk(store, data, chosen=False):
        return Engine.SPARQL
    return Engine.PYSHACL


def _path_text(report: Graph, node: Node | None) -> str | None:
    return path_text(report, node)


def union_graph(kg: KnowledgeGraph) -> Graph:
    """Every triple of every graph in one plain Graph, plus a marker per named graph.

    The marker (``<g> a shape:LoadedGraph``) lets a SHACL shape demand that each
    named graph be described as a ``thb:Source`` in the default graph.
    """
    data = Graph()
    for prefix, ns in kg.dataset.namespaces():
        data.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _g in kg.dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    for name in kg.graph_names():
        data.add((name, RDF.type, SHAPE.LoadedGraph))
    return data


def _graphs_describing(kg: KnowledgeGraph, node: Node) -> tuple[URIRef, ...]:
    found = set()
    for _s, _p, _o, g in kg.dataset.quads((node, None, None, None)):  # type: ignore[arg-type]
        gid = getattr(g, "identifier", g)
        if isinstance(gid, URIRef) and gid not in SYSTEM_GRAPHS:
            found.add(gid)
    return tuple(sorted(found))


def validate(
    kg: KnowledgeGraph, *, shapes: Graph | None = None, engine: Engine | str | None = None
) -> ValidationReport:
    """Validate the union of ``kg``'s graphs against its SHACL shapes.

    ``engine`` defaults to SPARQL on an Oxigraph-backed graph, pySHACL otherwise
    (:func:`default_engine`); both give the same report.

    >>> from kg import load
    >>> validate(load()).conforms
    True
    """
    shapes_graph = shapes if shapes is not None else kg.shapes()
    chosen = engine_named(engine) or (
        Engine.SPARQL if kg.store.name in OXIGRAPH_STORES else Engine.PYSHACL)
    if chosen is Engine.SPARQL:
        from .store.engine import Snapshot, engine_for_dataset

        found = engine_for_dataset(kg.dataset)
        snapshot = found if isinstance(found, Snapshot) and kg.dataset.default_union \
            else Snapshot.from_graph(kg)
        return validate_store(snapshot.store, shapes_graph,
                              data_namespaces=lambda: _namespaces_of(kg.dataset))
    return _validate_pyshacl(kg, shapes_graph)


def _validate_pyshacl(kg: KnowledgeGraph, shapes_graph: Graph) -> ValidationReport:
    import pyshacl  # slow import; only this engine needs it

    conforms, report, _text = pyshacl.validate(
        union_graph(kg),
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        parent = None
        if shape is not None:
            parent = next(iter(shapes_graph.subjects(SH.property, shape)), None)
        violations.append(
            Violation(
                focus=focus,
                path=_path_text(report, report.value(result, SH.resultPath)),
                message="; ".join(messages) or "constraint failed",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=str(parent if isinstance(parent, URIRef) else shape) if shape else None,
                value=report.value(result, SH.value),
                source_graphs=_graphs_describing(kg, focus) if focus is not None else (),
            )
        )
    violations.sort(key=sort_key)
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


def validate_store(store: Any, shapes: Graph, *, data_namespaces: Any = None) -> ValidationReport:
    """Validate a pyoxigraph ``Store`` laid out as kg builds it (the union in the default
    graph, one named graph per source) with the SPARQL engine: each named graph is
    marked a ``shape:LoadedGraph``, as :func:`union_graph` does."""
    from .validation.run import named_graphs
    from .validation.run import validate_store as run

    markers = [(g, SHAPE.LoadedGraph) for g in named_graphs(store)]
    return run(store, shapes, markers=markers, skip_graphs=SYSTEM_GRAPHS,
               data_namespaces=data_namespaces)


def validate_data(
    data: Path | str | None = None, ontology: Path | str | None = None, *,
    infer: bool = True, store: str = "pyoxigraph",
) -> ValidationReport:
    """``kg validate`` with the SPARQL engine: the cached Oxigraph store of these inputs
    (:func:`kg.store.open_engine`, built by Oxigraph when missing), opened once; only
    the shapes are parsed by rdflib."""
    from . import paths
    from .graph import SHAPES_FILE, _parse_graph, data_files
    from .store import open_engine

    shapes = _parse_graph(Path(ontology or paths.ontology_dir()) / SHAPES_FILE)
    engine = open_engine(data, ontology, infer=infer,
                         store="oxigraph-disk" if store == "oxigraph-disk" else "pyoxigraph")
    files = data_files(Path(data) if data is not None else paths.data_dir())
    return validate_store(engine.store, shapes,  # type: ignore[attr-defined]
                          data_namespaces=lambda: _file_namespaces(files))


def validate_folder(
    data: Path | str | None = None, ontology: Path | str | None = None, *,
    store: str = "memory", infer: bool = True, engine: Engine | str | None = None,
) -> ValidationReport:
    """What ``kg validate`` runs: the data folder validated by ``engine``, by default
    the one :func:`default_engine` picks for ``store`` and the size of ``data``."""
    chosen = engine_named(engine) or default_engine(store, data)
    if chosen is Engine.SPARQL:
        return validate_data(data, ontology, infer=infer, store=store)
    from .graph import load

    return validate(load(data, ontology=ontology, store=store, infer=infer),
                    engine=Engine.PYSHACL)


def _namespaces_of(dataset: Dataset) -> Graph:
    graph = Graph()
    for prefix, ns in dataset.namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def _file_namespaces(files: list[Path]) -> Graph:
    """The prefixes pySHACL's data graph has when :func:`kg.load` parses ``files`` with
    rdflib: ours, then each file's, as rdflib's parser binds them."""
    import pyoxigraph as ox

    from .graph import DATA_SUFFIXES
    from .namespaces import PREFIXES

    formats = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
               "nquads": ox.RdfFormat.N_QUADS}
    dataset = Dataset()
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True, replace=True)
    for path in files:
        parser = ox.parse(path=str(path), format=formats[DATA_SUFFIXES[path.suffix]])
        for _ in parser:
            pass
        for prefix, iri in getattr(parser, "prefixes", {}).items():
            dataset.bind(prefix, iri)
    return _namespaces_of(dataset)


__all__ = ["Engine", "ValidationReport", "Violation", "default_engine", "validate",
           "validate_data", "validate_folder", "validate_store", "union_graph", "Literal"]
