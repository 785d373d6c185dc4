"""SHACL validation of the union of all graphs, with the source of each problem.

pySHACL reports a focus node and a path; a reader of a legal reference also
needs to know *which source graph* made the bad statement, so each violation
carries the graphs in which its focus node is described.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .graph import SYSTEM_GRAPHS, KnowledgeGraph
from .namespaces import SH

SHAPE = Namespace("https://w3id.org/thb-kg/shapes#")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: where, what, and who said it."""

    focus: Node
    path: str | None
    message: str
    severity: str
    shape: str | None
    value: Node | None
    source_graphs: tuple[URIRef, ...]


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`; ``conforms`` is what ``kg validate`` exits on."""

    conforms: bool
    violations: tuple[Violation, ...]

    def summary(self) -> str:
        if self.conforms:
            return "conforms"
        return f"does not conform: {len(self.violations)} violation(s)"


def _path_text(report: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return (
            report.namespace_manager.normalizeUri(node) if report.namespace_manager else str(node)
        )
    # A complex path (sequence / inverse) is a blank node: show it in Turtle-ish form.
    parts = [
        report.namespace_manager.normalizeUri(n) if isinstance(n, URIRef) else str(n)
        for n in report.items(node)
    ]
    if parts:
        return "( " + " / ".join(parts) + " )"
    inverse = report.value(node, SH.inversePath)
    if inverse is not None:
        return f"^{_path_text(report, inverse)}"
    return str(node)


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


def validate(kg: KnowledgeGraph, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate the union of ``kg``'s graphs against its SHACL shapes.

    >>> from kg import load
    >>> validate(load()).conforms
    True
    """
    import pyshacl  # slow import; only this command needs it

    shapes_graph = shapes if shapes is not None else kg.shapes()
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
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
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
    violations.sort(key=lambda v: (str(v.focus), v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


__all__ = ["ValidationReport", "Violation", "validate", "union_graph", "Literal"]
