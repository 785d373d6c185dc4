"""One form per RDF term, whatever store or parser produced it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Node


def canonical(term: Node) -> Node:
    """The XSD canonical lexical form of an ``xsd:decimal`` literal (``117`` -> ``117.0``).

    Stores disagree on decimal lexical forms (Oxigraph writes ``117``, the
    files say ``117.0``) and rdflib's Turtle writers always add ``.0``; writing
    the canonical form makes every export read back as exactly what it holds.

    >>> canonical(Literal("117", datatype=XSD.decimal))
    rdflib.term.Literal('117.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if not isinstance(term, Literal) or term.datatype != XSD.decimal:
        return term
    try:
        text = format(Decimal(str(term)), "f")
    except InvalidOperation:
        return term
    if "." not in text:
        text += ".0"
    else:
        text = text.rstrip("0")
        text = text + "0" if text.endswith(".") else text
    return Literal(text, datatype=XSD.decimal)


def plain(term: Node | None) -> Node | None:
    """A term as both stores should give it.

    ``"x"^^xsd:string`` (how Oxigraph returns plain literals) becomes ``"x"``,
    and decimals take their canonical form (see :func:`canonical`).

    >>> plain(Literal("x", datatype=XSD.string))
    rdflib.term.Literal('x')
    """
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return canonical(term) if term is not None else None
