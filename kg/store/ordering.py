"""A query's final ``ORDER BY``, sorted here instead of by Oxigraph, on the disk store.

Why: pyoxigraph 0.5.13 (the newest on PyPI) turns each sort key from its
store form into a term at *every comparison* of its sort, and on the
on-disk store that is a RocksDB lookup per IRI or long literal, millions
for a sort of 45,000 rows. At 1M quads the sort is most of the query:
``statistics`` takes 5.2 s of Oxigraph's CPU with its ``ORDER BY`` and 2.0 s
without, ``external-ids`` 1.1 s and 0.15 s (``benchmarks/bench_scale.py``
measures both). Oxigraph's own repository fixed it in August 2026 (commit
5507799d, "spareval: compute ordering vector only once"), after the
release we can install. Until a release carries it, :class:`kg.store.engine.Snapshot`
runs a query that ends in ``ORDER BY`` of plain variables on the disk store
without it, and sorts the rows here, each key read once.

The order is Oxigraph's own (its ``cmp_terms``, which follows SPARQL 1.1
section 15.1 and settles what SPARQL leaves open): unbound, then blank
nodes, then IRIs, then literals; IRIs by their text. Literals are where
engines choose, so a column is sorted here only when it holds literals for
which Oxigraph's order is known to be a simple key:

* *numbers*: every literal of the column ``xsd:integer`` or ``xsd:decimal``
  that Oxigraph holds as a number (a 64-bit integer; a decimal of at most 18
  fraction digits, below 10**20), compared by value (``1`` and ``1.0`` tie);
* *text*: every literal a string (with or without a language), a
  ``xsd:boolean`` written ``true`` or ``false``, a ``xsd:date``, ``xsd:gYear``
  or ``xsd:gYearMonth`` written with a four-digit year and no time zone, or
  of a datatype outside XSD. Oxigraph compares two of those by value where
  it can (strings of one language, two dates) and otherwise by (text,
  datatype, language); for these literals both give the order of that
  triple, so it is the key.

Anything else (a ``xsd:double``, a ``xsd:dateTime``, numbers mixed with
text, a time zone) makes :func:`sort_rows` answer ``None``, and the caller
runs the query as written, Oxigraph sorting. Rows that tie on every key may
come in another order than Oxigraph's (its sort is unstable; here they keep
the order the query produced them in): SPARQL leaves that order open.

What it gains at 1M quads (CPU of the whole ``kg.library.run``, rows made):
``statistics`` 6.0 -> 3.4 s, ``external-ids`` 1.45 -> 0.47 s, ``topics``
0.79 -> 0.19 s; ``timeline``, whose first key is a date that Oxigraph keeps
inline, sorts 126,231 rows here in about 0.65 s where Oxigraph takes about
as long (4.2 -> 4.5 s). ``tests/test_store_ordering.py`` runs both paths on
the same store and compares the rows. Once a pyoxigraph release carries the
upstream fix, this module can go.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

from ..query.lexer import _tokens

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {_XSD + "integer", _XSD + "decimal"}
_STRINGS = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
#: Datatypes whose canonical text, as matched, orders like the value (and is the text
#: Oxigraph compares when it falls back to text).
_LEXICAL = {
    _XSD + "boolean": re.compile(r"true|false"),
    _XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    _XSD + "gYear": re.compile(r"[0-9]{4}"),
    _XSD + "gYearMonth": re.compile(r"[0-9]{4}-[0-9]{2}"),
}
#: Rows past which they are not sorted here (the query runs again as written, Oxigraph
#: sorting): here the rows are Python objects, 2 to 3 times the memory of Oxigraph's
#: compact ids, and an endpoint's worker has a memory cap. The library's longest list at
#: 1M quads, timeline, has 126,231 rows.
MAX_ROWS = 200_000


@dataclass(frozen=True)
class OrderPlan:
    """How to run a query that ends in ORDER BY without it, and sort its rows here."""

    text: str  # the query without its final ORDER BY, projecting every key
    keys: tuple[tuple[str, bool], ...]  # (variable, descending), first key first
    added: tuple[str, ...]  # key variables projected only to sort: dropped after
    distinct: bool  # SELECT DISTINCT: rows equal once ``added`` is dropped are one


def final_order(text: str) -> OrderPlan | None:
    """The plan for a SELECT ``text`` that ends in ``ORDER BY`` of plain variables
    (``?v``, ``ASC(?v)``, ``DESC(?v)``) with no LIMIT, OFFSET or VALUES after it;
    None for any other query.

    A key the query does not project is projected too, and dropped after the
    sort; Oxigraph sorts before it projects and drops duplicates, so of rows
    that become equal the first in that order stays (:func:`sort_rows`).

    >>> plan = final_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a DESC(?b)")
    >>> plan.text, plan.keys, plan.added
    ('SELECT ?a ?b WHERE { ?a ?p ?b } ', (('a', False), ('b', True)), ('b',))
    >>> final_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)") is None
    True
    """
    toks = _tokens(text)
    order_at = None
    for i in range(len(toks) - 1):
        t, u = toks[i], toks[i + 1]
        if (t.depth == 0 and t.kind == "word" and t.text.upper() == "ORDER"
                and u.kind == "word" and u.text.upper() == "BY"):
            order_at = i
    if order_at is None:
        return None
    keys: list[tuple[str, bool]] = []
    rest = toks[order_at + 2:]
    i = 0
    while i < len(rest):
        t = rest[i]
        if t.kind == "var":
            keys.append((t.text[1:], False))
            i += 1
        elif (t.kind == "word" and t.text.upper() in ("ASC", "DESC") and i + 3 < len(rest)
              and rest[i + 1].text == "(" and rest[i + 2].kind == "var"
              and rest[i + 3].text == ")"):
            keys.append((rest[i + 2].text[1:], t.text.upper() == "DESC"))
            i += 4
        else:
            return None  # an expression, LIMIT, OFFSET, VALUES: Oxigraph sorts
    head = _projection(toks)
    if not keys or head is None:
        return None
    projected, end, distinct = head
    added = tuple(dict.fromkeys(k for k, _ in keys if k not in projected))
    grouped = any(t.depth == 0 and t.kind == "word" and t.text.upper() == "GROUP"
                  for t in toks[:order_at])
    if added and grouped:  # projecting a variable changes what a grouped query may say
        return None
    body = text[:toks[order_at].start]
    if added:
        body = body[:end] + "".join(f"?{v} " for v in added) + body[end:]
    return OrderPlan(body, tuple(keys), added, distinct)


def _projection(toks: Sequence[Any]) -> tuple[set[str], int, bool] | None:
    """The variables the outer SELECT projects (every variable for ``*``), the offset
    where its projection ends, and whether it is DISTINCT; None if it is no SELECT."""
    start = next((i for i, t in enumerate(toks)
                  if t.depth == 0 and t.kind == "word" and t.text.upper() == "SELECT"), None)
    if start is None:
        return None
    out: set[str] = set()
    parens = 0
    distinct = False
    star = False
    for i in range(start + 1, len(toks)):
        t = toks[i]
        if t.text == "{" or (t.kind == "word" and t.text.upper() in ("WHERE", "FROM")):
            if star:
                out = {u.text[1:] for u in toks if u.kind == "var"}
            return out, t.start, distinct
        if t.kind == "word" and t.text.upper() in ("DISTINCT", "REDUCED") and i == start + 1:
            distinct = t.text.upper() == "DISTINCT"
        elif t.text == "*" and parens == 0:
            star = True
        elif t.text == "(":
            parens += 1
        elif t.text == ")":
            parens -= 1
        elif t.kind == "var" and (parens == 0 or (
                parens == 1 and toks[i - 1].kind == "word" and toks[i - 1].text.upper() == "AS")):
            out.add(t.text[1:])
    return None


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _in_range(datatype: str, text: str) -> bool:
    """Whether Oxigraph holds this number as a number: a 64-bit integer, or a decimal of
    at most 18 digits after the point and below 10**20. Past that (or written otherwise)
    it keeps the text, and compares it as text."""
    if datatype == _XSD + "integer":
        return bool(_INTEGER.fullmatch(text)) and -(2**63) <= int(text) < 2**63
    if not _DECIMAL.fullmatch(text):
        return False
    value = Decimal(text)
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -18 and abs(value) < Decimal(10) ** 20


def _column_key(values: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]] | None:
    """The sort key of one column's Oxigraph terms, or None if Oxigraph's order of its
    literals is not a simple key (see the module's docstring)."""
    import pyoxigraph as ox

    literal = ox.Literal
    typed = [(v.datatype.value, v.value) for v in values if type(v) is literal]
    datatypes = {dt for dt, _ in typed}
    numbers = bool(datatypes & _NUMBERS)
    if numbers:
        if not datatypes <= _NUMBERS:
            return None
        if not all(_in_range(dt, text) for dt, text in typed):
            return None
    else:
        if any(dt.startswith(_XSD) and dt not in _STRINGS and dt not in _LEXICAL
               for dt in datatypes):
            return None
        checked = datatypes & _LEXICAL.keys()
        if checked and not all(_LEXICAL[dt].fullmatch(text)
                               for dt, text in typed if dt in checked):
            return None

    def key(term: Any) -> tuple[Any, ...]:
        if term is None:
            return (0,)
        cls = type(term)
        if cls is ox.BlankNode:
            return (1, term.value)
        if cls is ox.NamedNode:
            return (2, term.value)
        if numbers:
            return (3, Decimal(term.value))
        return (3, term.value, term.datatype.value, term.language or "")

    return key


def sort_rows(names: Sequence[str], rows: list[tuple[Any, ...]],
              plan: OrderPlan) -> tuple[tuple[str, ...], list[tuple[Any, ...]]] | None:
    """The columns and ``rows`` (Oxigraph terms, columns ``names``) of the query
    ``plan`` was made from, in the order its ``ORDER BY`` gives; None when a key
    column holds literals whose order is not a simple key here."""
    index = {name: i for i, name in enumerate(names)}
    steps = []
    for name, descending in plan.keys:
        if name not in index:  # not in scope: unbound in every row, sorts nothing
            continue
        column = index[name]
        key = _column_key([row[column] for row in rows])
        if key is None:
            return None
        steps.append((column, key, descending))
    # each key computed once per row; then one sort of row numbers if every key goes
    # one way, else one stable sort per key, the last key first
    columns = [([key(row[column]) for row in rows], descending)
               for column, key, descending in steps]
    order = list(range(len(rows)))
    if columns and len({descending for _, descending in columns}) == 1:
        keyed = list(zip(*(values for values, _ in columns), strict=True))
        order.sort(key=keyed.__getitem__, reverse=columns[0][1])
    else:
        for values, descending in reversed(columns):
            order.sort(key=values.__getitem__, reverse=descending)
    out = [rows[i] for i in order]
    if not plan.added:
        return tuple(names), out
    keep = [i for i, name in enumerate(names) if name not in plan.added]
    if not keep:
        return (), [() for _ in out]
    pick = itemgetter(*keep)
    kept = [pick(row) for row in out] if len(keep) > 1 else [(pick(row),) for row in out]
    if plan.distinct:  # the first of rows made equal stays, where Oxigraph's DISTINCT keeps it
        kept = list(dict.fromkeys(kept))
    return tuple(names[i] for i in keep), kept
