"""Each SHACL constraint of :mod:`kg.validation.shapes` as one SPARQL SELECT.

A query finds *all* the violations of one constraint at once, for every focus
node of its shape: the focus nodes come from a sub-select over the shape's
targets (``{ SELECT DISTINCT ?this ... }``), the value nodes from the path, and a
FILTER, a MINUS (a hash anti-join: Oxigraph runs ``FILTER NOT EXISTS`` as a
nested loop) or a GROUP BY keeps what fails. The semantics are SHACL's, as
pySHACL runs them on the union graph: class targets and ``sh:class`` follow
``rdfs:subClassOf*`` in the data; ``sh:datatype`` also refuses an ill-formed
literal (``"2011-13-45"^^xsd:date``), found by casting it; comparisons that
cannot be made (a string against a number) are failures.

Terms from the shapes graph are written as N-Triples terms by pyoxigraph
(escaped), never pasted from user text; the one exception is the SELECT text
of a SPARQL target or constraint, which *is* a query, embedded as a
sub-select (its ``PREFIX`` lines hoisted in front) and joined with the focus
nodes on ``?this``. pySHACL pre-binds ``$this`` instead; the two agree when
``$this`` appears in a triple pattern of the query's group, as in every
constraint of ``ontology/shapes.ttl`` (a ``$this`` only inside a FILTER,
OPTIONAL or MINUS could differ).

The data graph pySHACL sees also holds ``<g> a shape:LoadedGraph`` for each
named graph (:func:`kg.validate.union_graph`); the store does not, so those
typing triples come in as ``VALUES`` (``extra``) wherever ``rdf:type`` is read by
a target, a path or ``sh:class``. SELECT texts written in the shapes do not see them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ..namespaces import SH
from .shapes import Shape, SparqlConstraint, UnsupportedShapeError, list_items, member_shapes

_TYPE = f"<{RDF.type}>"
_INSTANCE_OF = f"<{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
#: Datatypes whose well-formed lexical forms Oxigraph checks by a cast (``xsd:date(?v)``).
CASTABLE = frozenset(XSD[n] for n in (
    "string", "boolean", "decimal", "integer", "float", "double", "date", "dateTime", "time",
    "duration", "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth",
))
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_PROLOGUE = re.compile(r"^\s*((?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*)", re.I)


@dataclass(frozen=True)
class Check:
    """One query and how to read its rows.

    ``rows`` is ``"focus"`` (one violation per row, no value), ``"value"`` (focus and
    value), ``"pairs"`` (focus and value, one per row even when repeated: a pair
    compared) or ``"sparql"`` (a SPARQL constraint's solutions).
    """

    shape: Shape
    component: URIRef
    query: str
    rows: str
    sparql: SparqlConstraint | None = None


def term(node: Node) -> str:
    """``node`` as a SPARQL term, written by pyoxigraph (escaped)."""
    from ..store.engine import _to_ox

    return str(_to_ox(node))


class Compiler:
    """Compiles the shapes of one shapes graph; ``extra`` gives, for a class, the nodes
    the data graph types with it beyond the store's triples (the markers)."""

    def __init__(self, shapes: Graph, extra: Callable[[Node], list[Node]],
                 markers: list[tuple[Node, Node]]) -> None:
        self.shapes = shapes
        self.extra = extra
        self.markers = markers
        self._fresh = itertools.count()

    def var(self, name: str) -> str:
        return f"?{name}_{next(self._fresh)}"

    # ------------------------------------------------------------ patterns
    def triple(self, s: str, p: Node, o: str) -> str:
        """``s p o`` in the data graph, with the marker triples when ``p`` is rdf:type."""
        pattern = f"{s} {term(p)} {o} ."
        if p != RDF.type or not self.markers:
            return pattern
        rows = " ".join(f"({term(n)} {term(c)})" for n, c in self.markers)
        subject, obj = self.var("ms"), self.var("mo")
        tests = [
            f"BIND({subject} AS {s})" if s.startswith("?") else f"sameTerm({subject}, {s})",
            f"BIND({obj} AS {o})" if o.startswith("?") else f"sameTerm({obj}, {o})",
        ]
        filters = " ".join(f"FILTER({t})" for t in tests if t.startswith("sameTerm"))
        binds = " ".join(t for t in tests if t.startswith("BIND"))
        return (f"{{ {pattern} }} UNION "
                f"{{ VALUES ({subject} {obj}) {{ {rows} }} {filters} {binds} }}")

    def instances(self, var: str, cls: Node) -> str:
        """``var`` is a SHACL instance of ``cls`` (rdf:type/rdfs:subClassOf*)."""
        pattern = f"{{ {var} {_INSTANCE_OF} {term(cls)} . }}"
        extra = self.extra(cls)
        if extra:
            pattern += f" UNION {{ VALUES {var} {{ {' '.join(term(n) for n in extra)} }} }}"
        return pattern

    def focus(self, shape: Shape) -> str:
        """The sub-select of the focus nodes of ``shape`` (``?this``)."""
        parts = []
        for target in shape.targets:
            if target.kind == "targetClass":
                parts.append(self.instances("?this", target.value))
            elif target.kind == "targetSubjectsOf":
                parts.append(f"{{ {self.triple('?this', target.value, self.var('o'))} }}")
            elif target.kind == "targetObjectsOf":
                parts.append(f"{{ {self.triple(self.var('s'), target.value, '?this')} }}")
            elif target.kind == "targetNode":
                parts.append(f"{{ VALUES ?this {{ {term(target.value)} }} }}")
            else:
                parts.append(f"{{ {subselect(str(target.value))} }}")
        return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(parts)} }} }}"

    # ------------------------------------------------------------ conditions
    def condition(self, owner: Shape, parameter: URIRef, value: Node, v: str) -> str:
        """A SPARQL expression, true when the node in ``v`` satisfies ``parameter value``."""
        if parameter == SH.datatype:
            return datatype_test(value, v)
        if parameter == SH.nodeKind:
            if value not in _NODE_KINDS:
                raise UnsupportedShapeError(owner.node, f"sh:nodeKind {value}")
            return _NODE_KINDS[value].format(v=v)  # type: ignore[index]
        if parameter == SH["class"]:
            return f"EXISTS {{ {self.instances(v, value)} }}"
        if parameter == SH["in"]:
            items = list_items(self.shapes, owner, value, "sh:in")
            tests = [f"sameTerm({v}, {term(i)})" for i in items] or ["false"]
            return "(" + " || ".join(tests) + ")"
        if parameter == SH.hasValue:
            return f"sameTerm({v}, {term(value)})"
        if parameter == SH.pattern:
            flags = owner.value(SH.flags)
            args = f"STR({v}), {term(Literal(str(value)))}"
            if flags is not None:
                args += f", {term(Literal(str(flags)))}"
            return f"(!isBlank({v}) && COALESCE(REGEX({args}), false))"
        if parameter == SH.minInclusive:
            return f"COALESCE({v} >= {term(value)}, false)"
        if parameter == SH.maxInclusive:
            return f"COALESCE({v} <= {term(value)}, false)"
        if parameter in (SH["or"], SH.xone):
            members = [self.conforms(m, v) for m in
                       member_shapes(self.shapes, owner, value, _curie(parameter))]
            if parameter == SH["or"]:
                return "(" + " || ".join(members or ["false"]) + ")"
            return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1)" if members \
                else "false"
        raise UnsupportedShapeError(owner.node, f"{_curie(parameter)} here")

    def conforms(self, member: Shape, v: str) -> str:
        """The node in ``v`` conforms to the target-less ``member`` (of sh:or/sh:xone)."""
        tests = []
        if member.path is None:
            for parameter, value in member.constraints:
                if parameter in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThanOrEquals):
                    raise UnsupportedShapeError(member.node, f"{_curie(parameter)} on a node shape")
                if parameter != SH.flags:
                    tests.append(self.condition(member, parameter, value, v))
            return "(" + " && ".join(tests or ["true"]) + ")"
        x = self.var("x")
        per_value = []
        for parameter, value in member.constraints:
            if parameter == SH.minCount:
                if int(value) > 1:  # type: ignore[call-overload]
                    raise UnsupportedShapeError(member.node, "sh:minCount above 1 in sh:or/sh:xone")
                if int(value) == 1:  # type: ignore[call-overload]
                    tests.append(f"EXISTS {{ {self.triple(v, member.path, x)} }}")
            elif parameter in (SH.maxCount, SH.uniqueLang, SH.lessThanOrEquals):
                raise UnsupportedShapeError(member.node, f"{_curie(parameter)} in sh:or/sh:xone")
            elif parameter != SH.flags:
                per_value.append(self.condition(member, parameter, value, x))
        if per_value:
            y = self.var("y")
            tests.append(f"NOT EXISTS {{ {self.triple(v, member.path, y)} "
                         f"FILTER(!({' && '.join(c.replace(x, y) for c in per_value)})) }}")
        return "(" + " && ".join(tests or ["true"]) + ")"

    # ------------------------------------------------------------ checks
    def checks(self, shape: Shape) -> Iterator[Check]:
        """Every query of a targeted shape, its property shapes' included."""
        focus = self.focus(shape)
        yield from self._own(shape, focus)
        for prop in shape.properties:
            if prop.properties or prop.sparql:
                raise UnsupportedShapeError(prop.node,
                                            "sh:property or sh:sparql on a property shape")
            yield from self._own(prop, focus)

    def _own(self, shape: Shape, focus: str) -> Iterator[Check]:
        path = shape.path
        values = (self.triple("?this", path, "?value") if path is not None
                  else "BIND(?this AS ?value)")
        for parameter, value in shape.constraints:
            if parameter == SH.flags:
                continue
            if parameter in (SH.minCount, SH.maxCount):
                if path is None:
                    raise UnsupportedShapeError(shape.node, f"{_curie(parameter)} on a node shape")
                n = int(value)  # type: ignore[call-overload]
                if parameter == SH.minCount:
                    q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})")
                else:
                    q = (f"SELECT ?this WHERE {{ {focus} {values} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})")
                yield Check(shape, parameter, q, "focus")
            elif parameter == SH.hasValue and path is not None:
                q = (f"SELECT ?this WHERE {{ {focus} MINUS {{ "
                     f"{self.triple('?this', path, term(value))} }} }}")
                yield Check(shape, parameter, q, "focus")
            elif parameter == SH.uniqueLang:
                if not (isinstance(value, Literal) and value.value is True):
                    continue
                if path is None:
                    raise UnsupportedShapeError(shape.node, "sh:uniqueLang on a node shape")
                q = (f"SELECT ?this WHERE {{ {focus} {values} "
                     f"FILTER(isLiteral(?value) && LANG(?value) != \"\") }} "
                     f"GROUP BY ?this (LCASE(LANG(?value))) HAVING (COUNT(DISTINCT ?value) > 1)")
                yield Check(shape, parameter, q, "focus")
            elif parameter == SH.lessThanOrEquals:
                if path is None:
                    raise UnsupportedShapeError(shape.node, "sh:lessThanOrEquals on a node shape")
                other = self.var("other")
                q = (f"SELECT ?this ?value WHERE {{ {focus} {values} "
                     f"{self.triple('?this', value, other)} "
                     f"FILTER(!COALESCE(?value <= {other}, false)) }}")
                yield Check(shape, parameter, q, "pairs")
            elif parameter == SH["class"]:
                extra = self.extra(value)
                minus = f"MINUS {{ ?value {_INSTANCE_OF} {term(value)} . }}"
                if extra:
                    minus += f" MINUS {{ VALUES ?value {{ {' '.join(term(n) for n in extra)} }} }}"
                q = f"SELECT ?this ?value WHERE {{ {focus} {values} {minus} }}"
                yield Check(shape, parameter, q, "value")
            else:
                test = self.condition(shape, parameter, value, "?value")
                q = f"SELECT ?this ?value WHERE {{ {focus} {values} FILTER(!{test}) }}"
                yield Check(shape, parameter, q, "value")
        for constraint in shape.sparql:
            prologue, body = split_prologue(constraint.select)
            q = f"{prologue}\nSELECT * WHERE {{ {focus} {{ {body} }} }}"
            yield Check(shape, SH.sparql, q, "sparql", constraint)


def datatype_test(datatype: Node, v: str) -> str:
    """True when ``v`` is a well-formed literal of ``datatype`` (pySHACL's sh:datatype)."""
    if datatype == RDF.langString:
        return f"(isLiteral({v}) && LANG({v}) != \"\")"
    if datatype == XSD.string:
        return f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {term(XSD.string)}))"
    same = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {term(datatype)})"
    if datatype in CASTABLE:
        return f"({same} && COALESCE(sameTerm(DATATYPE({term(datatype)}(STR({v}))), " \
               f"{term(datatype)}), false))"
    return f"({same})"


def split_prologue(text: str) -> tuple[str, str]:
    """A SELECT text's ``PREFIX``/``BASE`` lines and the rest (a sub-select cannot have them)."""
    match = _PROLOGUE.match(text)
    assert match is not None
    return match.group(1), text[match.end():]


def subselect(text: str) -> str:
    prologue, body = split_prologue(text)
    if prologue.strip():
        raise UnsupportedShapeError(URIRef("urn:sparql-target"), "PREFIX lines in a SPARQL target")
    return body


def _curie(iri: Any) -> str:
    return "sh:" + str(iri).rsplit("#", 1)[-1] if str(iri).startswith(str(SH)) else str(iri)
