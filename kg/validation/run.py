"""Run the compiled shapes on a pyoxigraph ``Store`` and build the report.

The store is the one kg builds (:mod:`kg.store`): its default graph is the
union of all graphs, each triple once, and each source is a named graph. No
triple is parsed by rdflib or copied into Python; only the violations are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import SH
from .compile import Check, Compiler, term
from .messages import generic, substitute
from .report import ValidationReport, Violation, path_text, report_namespaces, sort_key
from .shapes import Shape, targeted_shapes

#: How rdflib names the default graph: a focus described there names it as its source,
#: as :func:`kg.validate.validate` reports it with pySHACL.
DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")
_BATCH = 500


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
    from ..store.engine import _from_ox

    marker_list = list(markers)
    super_cache: dict[Node, list[Node]] = {}

    def extra(cls: Node) -> list[Node]:
        if cls not in super_cache:
            super_cache[cls] = [n for n, c in marker_list if c == cls or bool(store.query(
                f"ASK {{ {term(c)} <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ "
                f"{term(cls)} }}"))]
        return super_cache[cls]

    compiler = Compiler(shapes, extra, marker_list)
    paths = report_namespaces(shapes)
    data: list[Graph] = []

    def data_graph() -> Graph:
        if not data:
            data.append(data_namespaces() if data_namespaces else Graph())
        return data[0]

    found: list[tuple[Node, Check, Node | None, Node | None, list[str]]] = []
    for shape in targeted_shapes(shapes):
        for check in compiler.checks(shape):
            found.extend(_violations(store, check, _from_ox))
    owners = _sources(store, {f for f, *_ in found}, set(skip_graphs), _from_ox)
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
                raise NotImplementedError("?failure")
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


def _sources(store: Any, foci: set[Node], skip: set[URIRef],
             convert: Callable[[Any], Any]) -> dict[Node, tuple[URIRef, ...]]:
    """The graphs in which each focus node is a subject (its source graphs): the named
    graphs but ``skip``, and the default graph where a triple of it is in no named graph."""
    found: dict[Node, set[URIRef]] = {}
    ordered = sorted(foci, key=str)
    for start in range(0, len(ordered), _BATCH):
        batch = " ".join(term(f) for f in ordered[start:start + _BATCH] if not isinstance(
            f, Literal))
        if not batch:
            continue
        q = (f"SELECT DISTINCT ?f ?g WHERE {{ VALUES ?f {{ {batch} }} "
             f"{{ GRAPH ?g {{ ?f ?p ?o }} }} UNION {{ ?f ?p ?o "
             f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?f ?p ?o }} }} BIND({term(DEFAULT_GRAPH)} AS ?g) }} }}")
        for solution in store.query(q):
            g = URIRef(solution[1].value)
            if g not in skip:
                found.setdefault(convert(solution[0]), set()).add(g)
    return {f: tuple(sorted(gs)) for f, gs in found.items()}


__all__ = ["Shape", "named_graphs", "validate_store"]
