"""The message of a violation whose shape has no ``sh:message``: pySHACL's wording.

pySHACL writes a generic sentence per constraint component (``Value is not of
Node Kind sh:IRI``); the SPARQL engine writes the same sentence, with pySHACL's
own :func:`pyshacl.rdfutil.stringify_node` for the terms in it (imported only
when such a message is needed), so that the reports are the same text.
``data`` is a graph with the data's prefixes (terms of the data are written with
them), ``shapes`` the shapes graph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import SH
from .shapes import Shape


def generic(shapes: Graph, data: Graph, shape: Shape, component: URIRef, parameter: Node,
            focus: Node, value: Node | None) -> str:
    """pySHACL's message for ``component`` failing on ``focus`` (and ``value``)."""
    from pyshacl.rdfutil import stringify_node

    def s(node: Node) -> str:
        return stringify_node(shapes, node)

    def d(node: Node) -> str:
        try:
            return stringify_node(data, node)
        except (LookupError, ValueError):
            return str(node)

    path = s(shape.path) if shape.path is not None else None
    on = f"{d(focus)}->{path}" if path else d(focus)
    if component == SH.minCount:
        return f"Less than {parameter} values on {on}"
    if component == SH.maxCount:
        return f"More than {parameter} values on {on}"
    if component == SH.datatype:
        return f"Value is not Literal with datatype {s(parameter)}"
    if component == SH.nodeKind:
        return f"Value is not of Node Kind {s(parameter)}"
    if component == SH["class"]:
        return f"Value does not have class {s(parameter)}"
    if component == SH.minInclusive:
        return f"Value is not >= {s(parameter)}"
    if component == SH.maxInclusive:
        return f"Value is not <= {s(parameter)}"
    if component == SH.pattern:
        return f"Value does not match pattern '{parameter}'"
    if component == SH.uniqueLang:
        return "More than one String shares the same Language"
    if component == SH["in"]:
        items = [s(i) for i in shapes.items(parameter)]
        return f"Value {d(value) if value is not None else None} not in list {items}"
    if component == SH.hasValue:
        if path:
            return f"Node {on} does not contain a value in the set: {[s(parameter)]}"
        return f"Node {d(focus)} value is not a in the set of values: {[s(parameter)]}"
    if component == SH.lessThanOrEquals:
        return f"Value of {d(focus)}->{s(parameter)} <= {d(value) if value is not None else None}"
    if component in (SH["or"], SH.xone):
        members = " , ".join(s(m) for m in shapes.items(parameter))
        verb = "one or more shapes" if component == SH["or"] else "exactly one shape"
        return f"Node {d(value) if value is not None else None} must conform to {verb} in {members}"
    raise AssertionError(f"no generic message for {component}")


def substitute(message: str, bound: Mapping[str, Node]) -> str:
    """``{?var}`` and ``{$var}`` in a SPARQL constraint's message replaced by the
    solution's values, as pySHACL does it (``re.sub`` with the value's text)."""
    for var, val in bound.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


def text(messages: list[Literal] | tuple[Literal, ...]) -> list[str]:
    return [str(m) for m in messages]
