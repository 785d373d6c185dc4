"""A query's dataset: the graphs it names with ``FROM`` and ``FROM NAMED``.

Two callers need the dataset clause apart from the rest of the query: the
Oxigraph engine (:class:`kg.cache.Snapshot`), which merges several ``FROM``
graphs itself, and the SPARQL endpoint (:mod:`kg.serve`), whose
``default-graph-uri`` and ``named-graph-uri`` parameters replace the query's
own clauses. Both read the lexer's tokens, so a ``FROM`` inside a string,
a comment or a group is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..namespaces import PREFIXES
from .lexer import _shape, _tokens
from .params import _iri

#: A cheap test that a query may have a dataset clause at all.
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


def dataset_clause(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The IRIs a query names in ``FROM`` and in ``FROM NAMED``, prefixes expanded.

    The Oxigraph engine needs them: it reads several ``FROM`` graphs as a bag
    (a triple in two of them matches twice), where SPARQL asks for their
    merge, so :class:`kg.cache.Snapshot` merges them itself.

    >>> dataset_clause("PREFIX g: <urn:g:> SELECT * FROM g:a FROM NAMED <urn:b> WHERE { }")
    (('urn:g:a',), ('urn:b',))
    """
    if not _FROM.search(text):  # most queries: no need to lex them a second time
        return (), ()
    toks = _tokens(text)
    prefixes = dict(PREFIXES)
    defaults: list[str] = []
    named: list[str] = []
    for i, t in enumerate(toks):
        if t.depth != 0 or t.kind != "word":
            continue
        word = t.text.upper()
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text.split(":", 1)[0]] = toks[i + 2].text[1:-1]
        elif word == "FROM" and i + 1 < len(toks):
            is_named = toks[i + 1].kind == "word" and toks[i + 1].text.upper() == "NAMED"
            ref = toks[i + 2] if is_named and i + 2 < len(toks) else toks[i + 1]
            if ref.kind == "iri":
                iri = ref.text[1:-1]
            elif ref.kind == "pname" and ref.text.split(":", 1)[0] in prefixes:
                prefix, local = ref.text.split(":", 1)
                iri = prefixes[prefix] + local
            else:
                continue  # not a dataset clause the engines would accept: they report it
            (named if is_named else defaults).append(iri)
    return tuple(defaults), tuple(named)


def with_dataset(text: str, defaults: Iterable[str], named: Iterable[str]) -> str:
    """``text`` with its dataset given by ``FROM``/``FROM NAMED`` clauses for these IRIs.

    The SPARQL 1.1 Protocol's ``default-graph-uri`` and ``named-graph-uri``
    parameters: they replace any dataset clause of the query itself. The
    clauses go before the outer ``WHERE`` (or its ``{``), where the grammar
    puts them, so every engine reads them as it reads a query's own.

    >>> with_dataset("SELECT * FROM <urn:x> WHERE { ?s ?p ?o }", ["urn:a"], ["urn:b"])
    'SELECT *  FROM <urn:a> FROM NAMED <urn:b> WHERE { ?s ?p ?o }'
    """
    clauses = [f"FROM <{_iri(i)}>" for i in defaults] + [f"FROM NAMED <{_iri(i)}>" for i in named]
    toks = _tokens(text)
    shape = _shape(text)
    if shape.form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        return text
    cut: list[tuple[int, int]] = []  # spans of the query's own dataset clauses
    at: int | None = None
    for i, tok in enumerate(toks):
        if tok.start < shape.form_offset or tok.depth != 0 or tok.kind != "word":
            continue
        word = tok.text.upper()
        if word == "FROM" and i + 1 < len(toks):
            last = toks[i + 2] if toks[i + 1].text.upper() == "NAMED" and i + 2 < len(toks) \
                else toks[i + 1]
            cut.append((tok.start, last.start + len(last.text)))
        elif word == "WHERE":
            at = tok.start
            break
    if at is None:
        at = shape.where_brace if shape.where_brace is not None else len(text.rstrip())
    out = text[:at] + " ".join(clauses) + " " + text[at:]
    for start, end in reversed(cut):  # all before ``at``: offsets still hold
        out = out[:start] + out[end:]
    return out
