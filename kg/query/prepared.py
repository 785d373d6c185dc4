"""Query text ready for an engine: the prologue, and parameters bound by VALUES.

Every query gets the predeclared prefixes (:data:`kg.namespaces.PREFIXES`)
it does not declare itself. Parameters are bound with a ``VALUES`` clause
built from RDF terms (never by pasting user text into the query), placed at
the start of the query's outermost ``WHERE`` group so that filters see them.
Updates are refused here, before any engine sees them. A :class:`Prepared`
remembers what was added, so that an engine's error position can be mapped
back to the query as the user wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib.term import Node

from ..errors import QueryError, UnsafeQueryError
from ..namespaces import PREFIXES
from .lexer import _UPDATE_WORDS, _line_col, _shape, canonical
from .params import _sparql_term
from .result import QueryKind


@dataclass(frozen=True)
class Prepared:
    """Query text ready for an engine, and how to map positions back."""

    text: str
    source: str
    kind: QueryKind
    prologue_lines: int
    insert_line: int = 0  # line (in ``source``) where VALUES was inserted
    insert_col: int = 0
    insert_len: int = 0
    bindings: Mapping[str, Node] = field(default_factory=dict)

    def locate(self, line: int, column: int) -> tuple[int, int]:
        """A position in ``text`` as a position in the user's ``source``."""
        line -= self.prologue_lines
        if line == self.insert_line and column > self.insert_col:
            column = max(self.insert_col, column - self.insert_len)
        return max(line, 1), max(column, 1)


def prepare(
    sparql: str, params: Mapping[str, Node] | None = None, *, for_display: bool = False
) -> Prepared:
    """Add the missing PREFIX lines and bind ``params`` with a VALUES clause.

    >>> from rdflib import URIRef
    >>> p = prepare("SELECT ?x WHERE { ?x a ?t FILTER(?t = ?type) }",
    ...             {"type": URIRef("http://example.org/T")})
    >>> p.text.splitlines()[-1]
    'SELECT ?x WHERE { VALUES (?type) { (<http://example.org/T>) } ?x a ?t FILTER(?t = ?type) }'
    """
    source = sparql
    if not for_display:  # what every parser reads alike; same offsets but for escapes
        sparql = canonical(sparql)
    shape = _shape(sparql)
    if shape.undeclared:
        prefix, offset = shape.undeclared[0]
        line, col = _line_col(sparql, offset)
        raise QueryError(
            f"Unknown prefix {prefix + ':'!r}; declare it with PREFIX {prefix}: <...> "
            f"or use a predeclared one (kg prefixes)",
            query=source, line=line, column=col,
        )
    if shape.form is None:
        raise QueryError("No query found: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE.")
    if shape.form in _UPDATE_WORDS:
        line, col = _line_col(sparql, shape.form_offset)
        raise UnsafeQueryError(
            f"{shape.form} is an update; thb-kg queries are read-only "
            "(edit graph_data/ to change the data)",
            query=source, line=line, column=col,
        )
    kind = QueryKind(shape.form)
    prologue = "".join(
        f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in shape.declared
    )
    n_prologue = prologue.count("\n")
    bindings = dict(params or {})
    if not bindings:
        return Prepared(prologue + sparql, source, kind, n_prologue)
    missing = sorted(n for n in bindings if n not in shape.variables)
    if missing:
        used = ", ".join(f"?{v}" for v in sorted(shape.variables)) or "none"
        raise QueryError(
            f"Parameter ?{missing[0]} does not occur in the query (its variables: {used})."
        )
    names = sorted(bindings)
    values = (
        "VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
        + " ".join(_sparql_term(bindings[n]) for n in names) + ") } "
    )
    if shape.where_brace is None:
        if kind is not QueryKind.DESCRIBE:
            raise QueryError("Cannot bind parameters: the query has no WHERE group.")
        body = sparql.rstrip() + " WHERE { " + values + "}"
        return Prepared(prologue + body, source, kind, n_prologue, bindings=bindings)
    at = shape.where_brace + 1
    insert = " " + values.rstrip()
    text = sparql
    if shape.subselect and shape.where_close is not None:
        text = text[: shape.where_close] + "} " + text[shape.where_close :]
        insert += " {"
    text = text[:at] + insert + text[at:]
    line, col = _line_col(sparql, at)
    return Prepared(
        prologue + text, source, kind, n_prologue,
        insert_line=line, insert_col=col, insert_len=len(insert), bindings=bindings,
    )


def bind_text(sparql: str, params: Mapping[str, Node] | None = None) -> str:
    """``sparql`` with ``params`` bound by a VALUES clause, without the added PREFIX lines.

    For showing or sharing a query with its parameters filled in (the HTML
    page's examples, the static site).

    >>> from kg.query import parse_param
    >>> bind_text("SELECT ?x WHERE { ?x eli:date_document ?d FILTER(?d < ?asOf) }",
    ...           {"asOf": parse_param("2011-01-01")})  # doctest: +NORMALIZE_WHITESPACE
    'SELECT ?x WHERE { VALUES (?asOf) { ("2011-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }
      ?x eli:date_document ?d FILTER(?d < ?asOf) }'
    """
    prepared = prepare(sparql, params, for_display=True)
    if not prepared.prologue_lines:
        return prepared.text
    return prepared.text.split("\n", prepared.prologue_lines)[-1]
