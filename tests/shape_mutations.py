"""Copies of real data mutated to break each constraint of ontology/shapes.ttl.

Generated from the shapes themselves (:mod:`kg.validation.shapes`), so a new
shape or constraint gets a mutation without a new line here, or fails
:func:`mutate` loudly when its kind has no rule yet. The data is loaded into a
pyoxigraph ``Store`` as its files say (named graphs, default graph, the
ontology for ``rdfs:subClassOf``); for each constraint one focus node of the
shape, found in the data, is changed (a value removed, replaced, added), and
the result written as one TriG file that ``kg --data`` reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.graph import ONTOLOGY_FILE, data_files
from kg.namespaces import GRAPH, PREFIXES, SH
from kg.store.engine import _from_ox, _to_ox
from kg.validate import SHAPE
from kg.validation.compile import Compiler
from kg.validation.shapes import Shape, list_items, member_shapes, targeted_shapes

EX = "https://example.org/mutation/"
ONTOLOGY = ox.NamedNode(str(GRAPH["ontology"]))


@dataclass(frozen=True)
class Constraint:
    """One constraint of a targeted shape: the shape that owns it and its parameter."""

    top: Shape
    owner: Shape
    parameter: URIRef
    value: Any  # the parameter's value, or the SparqlConstraint

    @property
    def name(self) -> str:
        local = str(self.top.node).rsplit("#", 1)[-1]
        path = str(self.owner.path).rsplit("/", 1)[-1].rsplit("#", 1)[-1] if self.owner.path else ""
        return f"{local}:{path}:{str(self.parameter).rsplit('#', 1)[-1]}"


def constraints(shapes: Graph) -> Iterator[Constraint]:
    for top in targeted_shapes(shapes):
        for owner in (top, *top.properties):
            for parameter, value in owner.constraints:
                if parameter != SH.flags and not (parameter == SH.uniqueLang and not value):
                    yield Constraint(top, owner, parameter, value)
            for sparql in owner.sparql:
                yield Constraint(top, owner, SH.sparql, sparql)


class Data:
    """The data folder in a store, and the edits made to it."""

    def __init__(self, folder: Path, ontology: Path) -> None:
        self.store = ox.Store()
        for path in data_files(folder):
            fmt = {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
                   ".nq": ox.RdfFormat.N_QUADS}[path.suffix]
            graph = ox.NamedNode(str(GRAPH[path.stem])) if path.suffix == ".ttl" else None
            self.store.bulk_load(path=str(path), format=fmt, to_graph=graph)
        self.store.bulk_load(path=str(ontology / ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE,
                             to_graph=ONTOLOGY)

    def query(self, text: str) -> Any:
        return self.store.query(text, use_default_graph_as_union=True)

    def graph_of(self, node: Any) -> Any:
        for q in self.store.quads_for_pattern(_to_ox(node), None, None, None):
            return q.graph_name
        return ox.DefaultGraph()

    def objects(self, s: Any, p: Any) -> list[Any]:
        return [_from_ox(q.object) for q in
                self.store.quads_for_pattern(_to_ox(s), _to_ox(p), None, None)]

    def remove(self, s: Any, p: Any, o: Any = None) -> None:
        for q in list(self.store.quads_for_pattern(_to_ox(s), _to_ox(p),
                                                   None if o is None else _to_ox(o), None)):
            self.store.remove(q)

    def add(self, s: Any, p: Any, o: Any) -> None:
        self.store.add(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), self.graph_of(s)))

    def replace(self, s: Any, p: Any, o: Any) -> None:
        graph = next((q.graph_name for q in self.store.quads_for_pattern(
            _to_ox(s), _to_ox(p), None, None)), self.graph_of(s))
        self.remove(s, p)
        self.store.add(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph))

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        quads = [q for q in self.store if q.graph_name != ONTOLOGY]
        out = folder / "mutated.trig"
        out.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG,
                                     prefixes=dict(PREFIXES)) or b"")
        return out


def foci(data: Data, shapes: Graph, shape: Shape) -> list[Any]:
    markers = [(URIRef(g.value), SHAPE.LoadedGraph) for g in data.store.named_graphs()
               if g != ONTOLOGY]
    compiler = Compiler(shapes, lambda c: [n for n, k in markers if k == c], markers)
    rows = data.query(f"SELECT ?this WHERE {{ {compiler.focus(shape)} }} ORDER BY STR(?this)")
    return [_from_ox(r[0]) for r in rows if isinstance(r[0], ox.NamedNode)]


def _other_literal(datatypes: set[Any]) -> Literal:
    for candidate in (Literal("not the datatype"), Literal(5), Literal("x", lang="en")):
        dt = candidate.datatype or (RDF.langString if candidate.language else XSD.string)
        if dt not in datatypes:
            return candidate
    raise AssertionError("no literal outside the datatypes")


def mutate(data: Data, shapes: Graph, c: Constraint, focus: Any) -> bool:
    """Break constraint ``c`` at ``focus``; False if this focus cannot break it."""
    p, v, path = c.parameter, c.value, c.owner.path
    values = data.objects(focus, path) if path is not None else []
    if p == SH.minCount:
        if not values:
            return False
        data.remove(focus, path)
    elif p == SH.maxCount:
        pool = [o for o in (_from_ox(r[0]) for r in data.query(
            f"SELECT DISTINCT ?o WHERE {{ ?s <{path}> ?o }} LIMIT 50")) if o not in values]
        pool += [Literal(f"extra value {n}") for n in range(int(v) + 1)]
        for o in pool[: int(v) + 1]:
            data.add(focus, path, o)
    elif p == SH.datatype:
        if path is None:
            return False
        data.replace(focus, path, _other_literal({v}))
    elif p == SH["class"]:
        if path is not None:
            data.add(focus, path, URIRef(EX + "not-an-instance"))
            return True
        # the focus itself: a new node reached by the shape's targetObjectsOf, untyped
        pred = next((t.value for t in c.top.targets if t.kind == "targetObjectsOf"), None)
        if pred is None:
            return False
        data.add(focus, pred, URIRef(EX + "untyped-node"))
    elif p == SH.nodeKind:
        if path is not None:
            data.add(focus, path, Literal("a literal, not an IRI"))
        else:
            cls = next((t.value for t in c.top.targets if t.kind == "targetClass"), None)
            if cls is None:
                return False
            data.store.add(ox.Quad(ox.BlankNode(), _to_ox(RDF.type), _to_ox(cls),
                                   data.graph_of(focus)))
    elif p == SH["or"]:
        members = member_shapes(shapes, c.owner, v, "sh:or")
        if path is None or not values:
            return False
        data.replace(focus, path, _other_literal({m.value(SH.datatype) for m in members}))
    elif p == SH.xone:
        members = member_shapes(shapes, c.owner, v, "sh:xone")
        for m in members:
            data.remove(focus, m.path)
    elif p == SH.uniqueLang:
        data.add(focus, path, Literal("one duplicate", lang="en"))
        data.add(focus, path, Literal("another duplicate", lang="en"))
    elif p == SH.pattern:
        if not values:
            return False
        data.replace(focus, path, Literal("does-not-match"))
    elif p in (SH.minInclusive, SH.maxInclusive):
        if not values:
            return False
        bound = Decimal(str(v))
        data.replace(focus, path, Literal(bound - 1 if p == SH.minInclusive else bound + 1,
                                          datatype=XSD.decimal))
    elif p == SH.lessThanOrEquals:
        data.replace(focus, path, Literal("2999-01-01", datatype=XSD.date))
        data.replace(focus, v, Literal("1900-01-01", datatype=XSD.date))
    elif p == SH["in"]:
        if not values:
            return False
        assert list_items(shapes, c.owner, v, "sh:in")
        data.replace(focus, path, URIRef(EX + "not-in-the-list"))
    elif p == SH.hasValue:
        if v not in values and not (path == RDF.type):
            return False
        data.remove(focus, path, v)
    elif p == SH.sparql:
        return _swap_for_sparql(data, c, focus)
    else:
        raise AssertionError(f"no mutation for {p} ({c.name}): add one to tests/shape_mutations.py")
    return True


def _swap_for_sparql(data: Data, c: Constraint, focus: Any) -> bool:
    """Give the focus another node's value of the constraint's ``?path``, until the
    constraint's own query finds it (tried on a copy of the store's state)."""
    match = re.search(r"\(<([^>]+)>\s+AS\s+\?path\)", c.value.select)
    assert match, f"{c.name}: a SPARQL constraint without a constant ?path"
    pred = URIRef(match.group(1))
    mine = data.objects(focus, pred)
    if not mine:
        return False
    others = [_from_ox(r[0]) for r in data.query(
        f"SELECT DISTINCT ?o WHERE {{ ?s <{pred}> ?o }} ORDER BY STR(?o) LIMIT 40")]
    query = c.value.select.replace("$this", "?this")
    for other in others:
        if other in mine:
            continue
        data.replace(focus, pred, other)
        hits = data.query(query)
        if any(_from_ox(row["this"]) == focus for row in hits):
            return True
        data.replace(focus, pred, mine[0])
        for extra in mine[1:]:
            data.add(focus, pred, extra)
    return False


def break_shape(data: Data, shapes: Graph, top: Shape) -> list[str]:
    """Break every constraint of ``top`` at a distinct focus; the names of those that
    could not be broken (a test fails on them)."""
    missing = []
    used: set[Any] = set()
    found = foci(data, shapes, top)
    for c in (c for c in constraints(shapes) if c.top.node == top.node):
        # unused foci first; a small class (11 instants) then takes a second mutation
        for focus in [f for f in found if f not in used] + [f for f in found if f in used]:
            if isinstance(focus, BNode):
                continue
            if mutate(data, shapes, c, focus):
                used.add(focus)
                break
        else:
            missing.append(c.name)
    return missing
