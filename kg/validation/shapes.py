"""The SHACL shapes graph read into plain values, for :mod:`kg.validation.compile`.

Only the constructs the SPARQL engine can run are accepted; any other SHACL
term on a shape raises :class:`UnsupportedShapeError` naming the shape and the
term, so a new shape never passes by being silently ignored (run it with
``kg validate --engine pyshacl`` meanwhile). Annotations outside the ``sh:``
vocabulary (``rdfs:label``, ``rdfs:comment``) are ignored, as SHACL says.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ..errors import KgError
from ..namespaces import SH


class UnsupportedShapeError(KgError):
    """A shape that uses a SHACL construct the SPARQL engine does not compile."""

    def __init__(self, shape: Node, what: str) -> None:
        self.shape = shape
        self.what = what
        super().__init__(
            f"The SHACL shape {shape} uses {what}, which the SPARQL validator does not "
            "support; run kg validate --engine pyshacl, or extend kg/validation/."
        )


#: Constraint parameters the engine compiles (``sh:flags`` goes with ``sh:pattern``).
CONSTRAINTS = frozenset({
    SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH["or"], SH.xone,
    SH.uniqueLang, SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive,
    SH.lessThanOrEquals, SH["in"], SH.hasValue, SH.sparql,
})
TARGETS = frozenset({SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode,
                     SH.target})
#: ``sh:`` terms on a shape that change nothing in a report (or are read elsewhere).
NON_VALIDATING = frozenset({
    SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH.defaultValue, SH.path, SH.property,
})


@dataclass(frozen=True)
class Target:
    """One target of a shape: ``kind`` is the local name of the ``sh:`` term."""

    kind: str
    value: Node  # a class, a predicate, a node, or the SPARQL text of a SPARQL target


@dataclass(frozen=True)
class SparqlConstraint:
    """A ``sh:sparql`` constraint: its node, SELECT text and messages."""

    node: Node
    select: str
    messages: tuple[Literal, ...]


@dataclass(frozen=True)
class Shape:
    """A node or property shape with its own constraints and its property shapes."""

    node: Node
    path: URIRef | None
    constraints: tuple[tuple[URIRef, Node], ...]
    properties: tuple[Shape, ...]
    targets: tuple[Target, ...]
    messages: tuple[Literal, ...]
    severity: URIRef
    sparql: tuple[SparqlConstraint, ...]
    parent: Node | None = None

    def values(self, parameter: URIRef) -> list[Node]:
        return [v for p, v in self.constraints if p == parameter]

    def value(self, parameter: URIRef) -> Node | None:
        found = self.values(parameter)
        return found[0] if found else None


def _members(shapes: Graph, shape: Node, head: Node, what: str) -> list[Node]:
    if not isinstance(head, BNode | URIRef) or (head != RDF.nil and shapes.value(head, RDF.first)
                                                is None):
        raise UnsupportedShapeError(shape, f"{what} whose value is not an RDF list")
    return list(Collection(shapes, head))


def _read(shapes: Graph, node: Node, *, parent: Node | None = None, member: bool = False) -> Shape:
    for p in set(shapes.predicates(node)):
        if not isinstance(p, URIRef) or not str(p).startswith(str(SH)):
            continue
        if p not in CONSTRAINTS and p not in TARGETS and p not in NON_VALIDATING:
            raise UnsupportedShapeError(node, shapes.namespace_manager.normalizeUri(p))
    if (node, RDF.type, RDFS.Class) in shapes or (node, RDF.type, OWL.Class) in shapes:
        raise UnsupportedShapeError(node, "an implicit class target (a shape that is a class)")
    path = shapes.value(node, SH.path)
    if path is not None and not isinstance(path, URIRef):
        raise UnsupportedShapeError(node, "a complex sh:path (only a predicate IRI)")
    constraints: list[tuple[URIRef, Node]] = []
    for p, o in sorted(shapes.predicate_objects(node)):
        if p in CONSTRAINTS and p != SH.sparql:
            constraints.append((p, o))  # type: ignore[arg-type]
    sparql = [_read_sparql(shapes, node, c) for c in shapes.objects(node, SH.sparql)]
    targets = _targets(shapes, node)
    nested = shapes.value(node, SH.property) is not None
    if member and (bool(targets) or bool(sparql) or nested):
        raise UnsupportedShapeError(node, "targets, sh:sparql or sh:property inside sh:or/sh:xone")
    properties = tuple(
        _property(shapes, node, prop) for prop in sorted(shapes.objects(node, SH.property),
                                                         key=str)
        if not _deactivated(shapes, prop)
    )
    for shape in properties:
        if shape.path is None:
            raise UnsupportedShapeError(shape.node, "a property shape without sh:path")
    severity = shapes.value(node, SH.severity) or SH.Violation
    return Shape(
        node=node, path=path, constraints=tuple(constraints), properties=properties,
        targets=targets, messages=tuple(m for m in shapes.objects(node, SH.message)
                                        if isinstance(m, Literal)),
        severity=severity, sparql=tuple(sparql), parent=parent,  # type: ignore[arg-type]
    )


def _property(shapes: Graph, parent: Node, node: Node) -> Shape:
    """A property shape of ``parent``; an error in it names ``parent`` when it is a blank node."""
    try:
        return _read(shapes, node, parent=parent)
    except UnsupportedShapeError as err:
        if not isinstance(err.shape, BNode) or isinstance(parent, BNode):
            raise
        path = shapes.value(node, SH.path)
        where = shapes.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "?"
        raise UnsupportedShapeError(parent, f"{err.what} (in its sh:property on {where})") from None


def _deactivated(shapes: Graph, node: Node) -> bool:
    value = shapes.value(node, SH.deactivated)
    return isinstance(value, Literal) and value.value is True


def _targets(shapes: Graph, node: Node) -> tuple[Target, ...]:
    targets = []
    for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
        for value in sorted(shapes.objects(node, kind), key=str):
            targets.append(Target(str(kind).rsplit("#", 1)[-1], value))
    for target in shapes.objects(node, SH.target):
        if (target, RDF.type, SH.SPARQLTarget) not in shapes:
            raise UnsupportedShapeError(node, "a sh:target that is not a sh:SPARQLTarget")
        if shapes.value(target, SH.prefixes) is not None:
            raise UnsupportedShapeError(node, "sh:prefixes on a SPARQL target")
        select = shapes.value(target, SH.select)
        if not isinstance(select, Literal):
            raise UnsupportedShapeError(node, "a SPARQL target without sh:select")
        targets.append(Target("sparql", select))
    return tuple(targets)


def _read_sparql(shapes: Graph, shape: Node, node: Node) -> SparqlConstraint:
    if shapes.value(node, SH.prefixes) is not None:
        raise UnsupportedShapeError(shape, "sh:prefixes on a SPARQL constraint")
    select = shapes.value(node, SH.select)
    if not isinstance(select, Literal):
        raise UnsupportedShapeError(shape, "a sh:sparql constraint without sh:select "
                                    "(sh:ask validators are not supported)")
    text = str(select)
    for variable in ("shapesGraph", "currentShape"):
        if f"${variable}" in text or f"?{variable}" in text:
            raise UnsupportedShapeError(shape, f"${variable} in a SPARQL constraint")
    messages = tuple(m for m in shapes.objects(node, SH.message) if isinstance(m, Literal))
    return SparqlConstraint(node=node, select=text, messages=messages)


def member_shapes(shapes: Graph, owner: Shape, head: Node, what: str) -> list[Shape]:
    """The shapes of a ``sh:or``/``sh:xone`` list, each read as a shape without targets."""
    return [_read(shapes, m, member=True) for m in _members(shapes, owner.node, head, what)]


def list_items(shapes: Graph, owner: Shape, head: Node, what: str) -> list[Node]:
    """The terms of a ``sh:in`` list."""
    return _members(shapes, owner.node, head, what)


def targeted_shapes(shapes: Graph) -> list[Shape]:
    """Every shape with a target, in a stable order (what a validator starts from)."""
    nodes = {s for t in TARGETS for s in shapes.subjects(t, None)}
    implicit = {s for s in shapes.subjects(RDF.type, SH.NodeShape)} | {
        s for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    for node in implicit:
        if (node, RDF.type, RDFS.Class) in shapes or (node, RDF.type, OWL.Class) in shapes:
            raise UnsupportedShapeError(node, "an implicit class target (a shape that is a class)")
    return [_read(shapes, n) for n in sorted(nodes, key=str) if not _deactivated(shapes, n)]
