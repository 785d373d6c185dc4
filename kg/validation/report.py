"""The validation report, the same whichever engine made it (pySHACL or SPARQL)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..namespaces import SH


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
    """The outcome of :func:`kg.validate.validate`: ``conforms`` is what ``kg validate``
    exits on."""

    conforms: bool
    violations: tuple[Violation, ...]

    def summary(self) -> str:
        if self.conforms:
            return "conforms"
        return f"does not conform: {len(self.violations)} violation(s)"


def sort_key(v: Violation) -> tuple[str, ...]:
    """The order of a report's violations: focus, path, message, value, then shape,
    severity and source graphs, so that no two different violations tie (two shapes
    can say the same message on the same value: both engines then list them alike)."""
    return (str(v.focus), v.path or "", v.message, "" if v.value is None else str(v.value),
            v.shape or "", v.severity, " ".join(v.source_graphs))


def report_namespaces(shapes: Graph) -> Graph:
    """An empty graph with the prefixes pySHACL's report graph has: rdflib's core
    prefixes and those of the shapes graph. Paths are written with them."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in shapes.namespace_manager.namespaces():
        graph.namespace_manager.bind(prefix, namespace)
    return graph


def path_text(report: Graph, node: Node | None) -> str | None:
    """A result path as a short text: a CURIE where a prefix fits, else ``<iri>``."""
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
        return f"^{path_text(report, inverse)}"
    return str(node)
