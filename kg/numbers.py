"""How a number from the graph is written for a reader: one rule for every page.

The data stores counts as ``xsd:decimal`` ("182.0", as the shapes allow)
or ``xsd:integer``; a reader must see "182", never "182.0". The rule is
XML Schema 1.1's canonical form: an integer value, of any integer type or
a decimal whose fraction is zero, is written without a decimal point; any
other decimal is written with the digits it has ("2.5", "0.75"), never
rounded through a binary float. Where space allows the site groups
thousands ("2,700,000,000"). Non-numeric literals are left as they are.

>>> from rdflib import Literal
>>> from kg.namespaces import XSD
>>> show_number(Literal("123.0", datatype=XSD.decimal))
'123'
>>> show_number(Literal("2700000000", datatype=XSD.nonNegativeInteger))
'2,700,000,000'
>>> show_number(Literal("2.50", datatype=XSD.decimal)), show_number("0.1")
('2.5', '0.1')
>>> show_number(Literal("140000.0", datatype=XSD.decimal), grouped=False)
'140000'
>>> show_number(Literal("CETS 197"))
'CETS 197'
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal

from .namespaces import XSD

__all__ = ["NUMERIC_TYPES", "is_number", "show_number"]

#: XML Schema's numeric datatypes: decimal, its integer family, and the floats.
NUMERIC_TYPES = frozenset(
    str(XSD[t])
    for t in (
        "decimal integer nonNegativeInteger positiveInteger nonPositiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float"
    ).split()
)


def is_number(value: Any) -> bool:
    """True for a literal of a numeric XML Schema datatype."""
    return isinstance(value, Literal) and str(value.datatype) in NUMERIC_TYPES


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Literal):
        if not is_number(value):
            return None
        value = str(value)
    if isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def show_number(value: Any, *, grouped: bool = True) -> str:
    """``value`` (a literal, a number or its text) as a reader sees it; see the module."""
    d = _decimal(value)
    if d is None:
        return str(value)
    if d == d.to_integral_value():
        n = int(d)
        return f"{n:,}" if grouped else str(n)
    text = format(d.normalize(), "f")  # the digits as given, no exponent, no trailing zeros
    whole, _, fraction = text.partition(".")
    if grouped:
        whole = f"{int(whole):,}" if whole not in ("-0", "0") else whole
    return f"{whole}.{fraction}"
