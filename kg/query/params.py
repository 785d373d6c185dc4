"""Typed parameters: text as RDF terms, and RDF terms as SPARQL text.

``kg query --param name=value`` and the ``params`` of :func:`kg.query.run`
give text; :func:`parse_param` decides from its shape (or a forced kind)
whether it is an IRI, a CURIE, a date, a number, a boolean or a literal.
:func:`_sparql_term` writes a term back as SPARQL on one line, so that
parameters enter a query as terms and never as pasted user text. IRIs are
checked here (:func:`valid_iri`) for the endpoint and the dataset clauses too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..errors import QueryError
from ..namespaces import PREFIXES

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?\d*\.\d+$")
_CURIE = re.compile(r"^([A-Za-z][\w\-.]*):(.*)$")
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANG = re.compile(r'^"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)$', re.S)
_TYPED = re.compile(r'^"(.*)"\^\^(.+)$', re.S)
_QUOTED = re.compile(r'^"(.*)"$', re.S)


def valid_iri(text: str) -> bool:
    """True when ``text`` can be written as ``<text>`` in SPARQL and N-Triples."""
    return bool(text) and not _BAD_IRI.search(text)


def _iri(text: str) -> URIRef:
    if not text or _BAD_IRI.search(text):
        raise QueryError(f"{text!r} is not a valid IRI (no spaces, quotes or <>{{}}|^`\\).")
    return URIRef(text)


def _expand(text: str) -> URIRef | None:
    """An IRI from ``<iri>``, an absolute ``http(s):``/``urn:`` IRI or a CURIE."""
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1])
    m = _CURIE.match(text)
    if not m:
        return None
    prefix, local = m.groups()
    if prefix in PREFIXES:
        return _iri(PREFIXES[prefix] + local)
    if prefix in ("http", "https", "urn", "file", "mailto"):
        return _iri(text)
    return None


def parse_param(value: str, kind: str | None = None) -> Node:
    """Turn a command-line value into an RDF term.

    ``kind`` (``date``, ``iri``, ``integer``, ``decimal``, ``boolean``,
    ``literal``) forces a type; without it the value's shape decides:

    >>> parse_param("2011-04-15").n3()
    '"2011-04-15"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> parse_param("id:body/unodc")
    rdflib.term.URIRef('https://w3id.org/thb-kg/id/body/unodc')
    >>> parse_param('"Europol"@en').n3()
    '"Europol"@en'
    >>> parse_param("42").n3()
    '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    text = value.strip()
    if kind in (None, "iri"):
        iri = _expand(text)
        if iri is not None:
            return iri
        if kind == "iri":
            known = ", ".join(sorted(PREFIXES))
            raise QueryError(
                f"{value!r} is not an IRI: write <http://...>, http://..., or a CURIE "
                f"with one of the prefixes {known}."
            )
    if kind in (None, "date"):
        if _DATE.match(text):
            # Checked here, not by rdflib: it would log a traceback for 2011-13-45.
            try:
                date.fromisoformat(text)
            except ValueError as exc:
                raise QueryError(f"{value!r} is not a valid date (YYYY-MM-DD): {exc}.") from None
            return Literal(text, datatype=XSD.date)
        if kind == "date":
            raise QueryError(f"{value!r} is not a date; write YYYY-MM-DD.")
    if kind in (None, "integer") and _INT.match(text):
        return Literal(text, datatype=XSD.integer)
    if kind == "integer":
        raise QueryError(f"{value!r} is not an integer.")
    if kind in (None, "decimal") and (_DEC.match(text) or (kind and _INT.match(text))):
        return Literal(text, datatype=XSD.decimal)
    if kind == "decimal":
        raise QueryError(f"{value!r} is not a decimal number.")
    if kind in (None, "boolean") and text in ("true", "false"):
        return Literal(text, datatype=XSD.boolean)
    if kind == "boolean":
        raise QueryError(f"{value!r} is not a boolean (true or false).")
    m = _LANG.match(text)
    if m:
        return Literal(_unescape(m.group(1)), lang=m.group(2))
    m = _TYPED.match(text)
    if m:
        dt = _expand(m.group(2))
        if dt is None:
            raise QueryError(f"Unknown datatype {m.group(2)!r} in {value!r}.")
        return Literal(_unescape(m.group(1)), datatype=dt)
    m = _QUOTED.match(text)
    if m:
        return Literal(_unescape(m.group(1)))
    return Literal(value)


def _unescape(text: str) -> str:
    escapes = {"n": "\n", "r": "\r", "t": "\t"}
    return re.sub(r'\\(["\\nrt])', lambda m: escapes.get(m.group(1), m.group(1)), text)


def parse_params(items: Iterable[str]) -> dict[str, Node]:
    """``["name=value", ...]`` (the ``--param`` options) as ``{name: term}``."""
    out: dict[str, Node] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"--param {item!r}: write name=value, e.g. --param date=2011-04-15.")
        out[name] = parse_param(value)
    return out


def _sparql_term(node: Node) -> str:
    """A term as SPARQL text on one line (so error positions stay put)."""
    if isinstance(node, URIRef):
        return f"<{_iri(str(node))}>"
    if isinstance(node, Literal):
        body = (
            str(node)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if node.language:
            return f'"{body}"@{node.language}'
        if node.datatype and node.datatype != XSD.string:
            return f'"{body}"^^<{_iri(str(node.datatype))}>'
        return f'"{body}"'
    raise QueryError(f"Cannot bind {node!r}: parameters are IRIs or literals.")
