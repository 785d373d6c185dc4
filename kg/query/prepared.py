"""Query text ready for an engine: the prologue, and parameters bound in scope.

Every query gets the predeclared prefixes (:data:`kg.namespaces.PREFIXES`)
it does not declare itself. Parameters are RDF terms, never user text pasted
into the query. Each is bound twice over: a ``VALUES`` clause at the start of
the outermost ``WHERE`` group (so the projection and a CONSTRUCT template
see it), and its term written in place of the variable wherever the ``WHERE``
group uses it (:func:`_substitute`). The second is what keeps it in scope: in
``GRAPH ?g { ... FILTER(?d <= ?asOf) }`` the filter runs inside the inner
group, before any join with the outer ``VALUES``, and saw an unbound variable;
the query answered nothing, silently. A query that binds the variable itself
(``AS ?asOf``, its own ``VALUES``) cannot take it as a parameter and is
refused, with the place. Updates are refused here, before any engine sees
them. A :class:`Prepared` remembers what was added, so that an engine's error
position can be mapped back to the query as the user wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Node

from ..errors import QueryError, UnsafeQueryError
from ..namespaces import PREFIXES
from .lexer import _UPDATE_WORDS, _line_col, _Shape, _shape, _tokens, canonical
from .params import _sparql_term
from .result import QueryKind

#: An absolute IRI that can stand in ``BASE <...>`` as it is.
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
#: An edit of the user's query: replace ``source[start:end]`` with ``text``.
Edit = tuple[int, int, str]


@dataclass(frozen=True)
class Prepared:
    """Query text ready for an engine, and how to map positions back."""

    text: str
    source: str
    kind: QueryKind
    prologue_lines: int
    bindings: Mapping[str, Node] = field(default_factory=dict)
    #: the edits that made the body of ``text`` from ``source``, in source order
    edits: tuple[Edit, ...] = ()

    def locate(self, line: int, column: int) -> tuple[int, int]:
        """A position in ``text`` as a position in the user's ``source``.

        A position inside text we added (a VALUES clause, a substituted term)
        maps to where that text went in.
        """
        body = self.text.split("\n", self.prologue_lines)[-1] if self.prologue_lines else self.text
        line = max(line - self.prologue_lines, 1)
        lines = body.split("\n")
        offset = sum(len(x) + 1 for x in lines[: line - 1]) + max(column - 1, 0)
        shift = 0
        for start, end, added in self.edits:
            new_start = start + shift
            if offset < new_start:
                break
            if offset < new_start + len(added):
                offset = new_start  # inside our own text: point at where it went in
                break
            shift += len(added) - (end - start)
        src_line, src_col = _line_col(self.source, max(offset - shift, 0))
        return src_line, src_col


def _apply(sparql: str, edits: list[Edit]) -> str:
    out, last = [], 0
    for start, end, added in edits:
        out += [sparql[last:start], added]
        last = end
    out.append(sparql[last:])
    return "".join(out)


def prepare(
    sparql: str, params: Mapping[str, Node] | None = None, *, for_display: bool = False,
    base: str | None = None,
) -> Prepared:
    """Add the missing PREFIX lines and bind ``params`` in scope (see the module).

    With ``for_display`` the text is kept as written (no canonical escapes), for
    :func:`bind_text`.
    ``base`` (an absolute IRI) is the base against which relative IRIs resolve
    unless the query says ``BASE`` itself: the endpoint's own address, as the
    SPARQL Protocol has it (Oxigraph refuses relative IRIs without one).

    >>> from rdflib import URIRef
    >>> p = prepare("SELECT ?x WHERE { GRAPH ?g { ?x a ?t FILTER(?t = ?type) } }",
    ...             {"type": URIRef("http://example.org/T")})
    >>> print(p.text.splitlines()[-1])  # doctest: +NORMALIZE_WHITESPACE
    SELECT ?x WHERE { VALUES (?type) { (<http://example.org/T>) }
      GRAPH ?g { ?x a ?t FILTER(?t = <http://example.org/T>) } }
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
    if base is not None and _ABSOLUTE_IRI.fullmatch(base):  # the query's own BASE comes later
        prologue = f"BASE <{base}>\n" + prologue
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
    edits: list[Edit] = []
    insert = " " + values.rstrip()
    if shape.subselect and shape.where_close is not None:
        insert += " {"
        edits.append((shape.where_close, shape.where_close, "} "))
    edits.append((at, at, insert))
    # also for display: a query shown or shared must answer what kg answers, and a
    # VALUES clause alone does not reach a sub-select that uses the parameter
    edits += _substitutions(sparql, bindings, shape)
    edits.sort(key=lambda e: (e[0], e[1]))
    return Prepared(prologue + _apply(sparql, edits), source, kind, n_prologue,
                    bindings=bindings, edits=tuple(edits))


def _substitutions(sparql: str, bindings: Mapping[str, Node], shape: _Shape) -> list[Edit]:
    """Edits that write each bound variable's term where the WHERE group uses it.

    Left as a variable: a projection list (``SELECT ?v`` of a sub-query),
    ``GROUP BY``/``ORDER BY`` and ``BOUND(?v)``, where the grammar wants a
    variable (the outer VALUES binds it there). Refused: ``AS ?v`` and a
    ``VALUES`` of the query's own, which bind the variable themselves.
    """
    if shape.where_brace is None or shape.where_close is None:
        return []
    toks = _tokens(sparql)
    edits: list[Edit] = []
    for i, tok in enumerate(toks):
        name = tok.text[1:]
        if tok.kind != "var" or name not in bindings:
            continue
        if not shape.where_brace < tok.start < shape.where_close:
            continue
        before = [t.text.upper() for t in toks[max(i - 2, 0) : i]]
        if before[-1:] == ["AS"] or _in_values(toks, i):
            line, col = _line_col(sparql, tok.start)
            raise QueryError(
                f"The query binds ?{name} itself, so ?{name} cannot be a parameter; drop the "
                "parameter or rename the variable",
                query=sparql, line=line, column=col,
            )
        if before[-1:] == ["BY"] or before == ["BOUND", "("] or _in_projection(toks, i):
            continue
        edits.append((tok.start, tok.start + len(tok.text), _sparql_term(bindings[name])))
    return edits


def _in_values(toks: list[Any], i: int) -> bool:
    """Whether the variable at ``i`` is in the variable list of a VALUES clause."""
    j = i - 1
    while j >= 0 and (toks[j].kind == "var" or toks[j].text == "("):
        j -= 1
    return j >= 0 and toks[j].kind == "word" and toks[j].text.upper() == "VALUES"


def _in_projection(toks: list[Any], i: int) -> bool:
    """Whether the variable at ``i`` is in a SELECT list (not in an expression of it)."""
    j = i - 1
    while j >= 0 and (toks[j].kind == "var" or toks[j].text.upper() in ("DISTINCT", "REDUCED")):
        j -= 1
    return j >= 0 and toks[j].kind == "word" and toks[j].text.upper() == "SELECT"


def bind_text(sparql: str, params: Mapping[str, Node] | None = None) -> str:
    """``sparql`` with ``params`` bound in scope as :func:`prepare` binds them (a VALUES
    clause and each term in place), without the added PREFIX lines.

    For showing or sharing a query with its parameters filled in (the HTML
    page's examples, the static site).

    >>> from kg.query import parse_param
    >>> bind_text("SELECT ?x WHERE { ?x eli:date_document ?d FILTER(?d < ?asOf) }",
    ...           {"asOf": parse_param("2011-01-01")})  # doctest: +NORMALIZE_WHITESPACE
    'SELECT ?x WHERE { VALUES (?asOf) { ("2011-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }
      ?x eli:date_document ?d FILTER(?d < "2011-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }'
    """
    prepared = prepare(sparql, params, for_display=True)
    if not prepared.prologue_lines:
        return prepared.text
    return prepared.text.split("\n", prepared.prologue_lines)[-1]
