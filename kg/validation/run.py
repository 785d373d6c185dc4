"""Run the compiled shapes on a pyoxigraph ``Store`` and build the report.

The store is the one kg builds (:mod:`kg.store`): its default graph is the
union of all graphs, each triple once, and each source is a named graph. No
triple is parsed by rdflib or copied into Python; only the violations are.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import SH
from .compile import Check, Compiler, term
from .messages import generic, substitute
from .report import ValidationReport, Violation, path_text, report_namespaces, sort_key
from .shapes import Shape, UnsupportedShapeError, targeted_shapes

#: How rdflib names the default graph: a focus described there names it as its source,
#: as :func:`kg.validate.validate` reports it with pySHACL.
DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")
#: Queries run at once (threads): Oxigraph releases the GIL while it evaluates one.
WORKERS = min(2, os.cpu_count() or 1)


def rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as rdflib builds it when it parses the same text (a literal's
    lexical form normalised by rdflib's ``Literal``, not made canonical): the value
    pySHACL reports."""
    import pyoxigraph as ox
    from rdflib import BNode

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def named_graphs(store: Any) -> list[URIRef]:
    """The store's non-empty named graphs."""
    found = []
    for g in store.named_graphs():
        if bool(store.query(f"ASK {{ GRAPH {g} {{ ?s ?p ?o }} }}")):
            found.append(URIRef(g.value))
    return sorted(found)


def validate_store(
    store: Any, shapes: Graph, *, markers: Iterable[tuple[Node, Node]] = (),
    skip_graphs: Iterable[URIRef] = (), data_namespaces: Callable[[], Graph] | None = None,
) -> ValidationReport:
    """Validate the default graph of ``store`` (plus the typing triples ``markers``,
    ``(node, class)``) against ``shapes``.

    ``skip_graphs`` are named graphs never given as a violation's source;
    ``data_namespaces`` gives the data's prefixes, read only if a message needs them.
    """
    marker_list = list(markers)
    supers: dict[Node, set[Node]] = {}  # marker class -> itself and its super-classes
    for cls in {c for _n, c in marker_list}:
        supers[cls] = {cls} | {rdflib_term(row[0]) for row in store.query(
            f"SELECT DISTINCT ?super WHERE {{ {term(cls)} "
            f"<http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?super }}")}

    def extra(cls: Node) -> list[Node]:
        return [n for n, c in marker_list if cls in supers[c]]

    compiler = Compiler(shapes, extra, marker_list)
    paths = report_namespaces(shapes)
    data: list[Graph] = []

    def data_graph() -> Graph:
        if not data:
            data.append(data_namespaces() if data_namespaces else Graph())
        return data[0]

    checks = [check for shape in targeted_shapes(shapes) for check in compiler.checks(shape)]
    found: list[tuple[Node, Check, Node | None, Node | None, list[str]]] = []
    # Oxigraph evaluates a query without the GIL: two at a time use both cores
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for rows in pool.map(lambda check: _violations(store, check, rdflib_term), checks):
            found.extend(rows)
    owners = _sources(store, {f for f, *_ in found}, set(skip_graphs))
    violations = []
    for focus, check, path, value, messages in found:
        shape = check.shape
        if not messages:
            parameter = shape.value(check.component) if check.component != SH.sparql else None
            messages = [generic(shapes, data_graph(), shape, check.component, parameter,  # type: ignore[arg-type]
                                focus, value)] if parameter is not None else []
        parent = shape.parent
        violations.append(Violation(
            focus=focus,
            path=path_text(paths, path if path is not None else shape.path),
            message="; ".join(sorted(messages)) or "constraint failed",
            severity=str(shape.severity).rsplit("#", 1)[-1],
            shape=str(parent if isinstance(parent, URIRef) else shape.node),
            value=value,
            source_graphs=owners.get(focus, ()),
        ))
    violations.sort(key=sort_key)
    return ValidationReport(conforms=not violations, violations=tuple(violations))


def _violations(store: Any, check: Check, convert: Callable[[Any], Any]) -> list[
        tuple[Node, Check, Node | None, Node | None, list[str]]]:
    shape = check.shape
    own = [str(m) for m in shape.messages]
    result = store.query(check.query)
    out: list[tuple[Node, Check, Node | None, Node | None, list[str]]] = []
    if check.rows == "sparql":
        assert check.sparql is not None
        names = [v.value for v in result.variables]
        seen = set()
        for solution in result:
            row = {n: convert(solution[n]) for n in names if solution[n] is not None}
            focus = row.pop("this")
            path, value = row.pop("path", None), row.pop("value", None)
            if "failure" in row:
                raise UnsupportedShapeError(shape.node, "?failure in a SPARQL constraint")
            key = (focus, path, value, tuple(sorted(row.items())))
            if key in seen:
                continue
            seen.add(key)
            if value is None and shape.path is None:
                value = focus
            bound = {**row, "this": focus}
            if path is not None:
                bound["path"] = path
            if value is not None:
                bound["value"] = value
            extra = [str(m) for m in check.sparql.messages]
            messages = [substitute(m, bound) for m in extra if m not in own]
            messages += [substitute(m, bound) for m in own]
            out.append((focus, check, path, value, messages))
        return out
    pairs = set()
    for solution in result:
        focus = convert(solution[0])
        value = convert(solution[1]) if check.rows != "focus" else None
        if check.rows == "value":
            if (focus, value) in pairs:
                continue
            pairs.add((focus, value))
        out.append((focus, check, None, value, list(own)))
    return out


def _sources(store: Any, foci: set[Node], skip: set[URIRef]) -> dict[Node, tuple[URIRef, ...]]:
    """The graphs in which each focus node is a subject (its source graphs): the named
    graphs but ``skip``, and the default graph where a triple of it is in no named graph
    (the default graph of the store is the union, so a triple only there came from it)."""
    import pyoxigraph as ox

    from ..store.engine import _to_ox

    found: dict[Node, tuple[URIRef, ...]] = {}
    for focus in foci:
        if isinstance(focus, Literal):
            continue
        graphs: set[URIRef] = set()
        for quad in store.quads_for_pattern(_to_ox(focus), None, None, None):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                if not any(not isinstance(q.graph_name, ox.DefaultGraph) for q in
                           store.quads_for_pattern(quad.subject, quad.predicate, quad.object,
                                                   None)):
                    graphs.add(DEFAULT_GRAPH)
            else:
                graphs.add(URIRef(quad.graph_name.value))
        found[focus] = tuple(sorted(graphs - skip))
    return found


__all__ = ["Shape", "named_graphs", "validate_store"]
