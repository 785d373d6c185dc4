"""Read a query's form, prefixes, variables and groups without parsing it.

Preparing a query (:mod:`kg.query.prepared`) must know a few things before
any engine sees the text: which query form it is, which prefixes it declares
or only uses, its variables, where its outermost ``WHERE`` group opens and
closes, and how deeply it nests (the engines' parsers recurse, and fail or
crash on deep nesting). A small lexer that knows strings, IRIs, comments and
brackets answers all of that without a full SPARQL parse, the same way for
every engine. :mod:`kg.safety` looks for ``SERVICE`` in its tokens and
:mod:`kg.query.dataset` reads ``FROM`` clauses with them.

The token pattern is compiled on first use (:func:`_token_re`), not at
import: most ``kg`` commands never lex a query and should not pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import QueryError
from ..namespaces import PREFIXES

_TOKEN_PATTERN = (
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<bnode>_:[A-Za-z0-9_\-.\u00c0-\uffff]*)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.\u00b7\u00c0-\uffff]*)?:
              (?:[\w\-:%\u00b7\u00c0-\uffff]|\\.|\.(?=[\w\-:%]))*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>.)
    """
)


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    """The lexer's pattern, compiled on first use (tens of ms, paid only by queries)."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL)

_UPDATE_WORDS = {
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"} | _UPDATE_WORDS


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    depth: int  # brace depth before the token


#: Deepest nesting of braces or parentheses a query may have. rdflib's parser
#: recurses (RecursionError near 40 braces); pyoxigraph's crashes the whole
#: process (SIGSEGV) somewhere below 10,000.
MAX_NESTING = 100


def _max_nesting(tokens: list[_Token]) -> tuple[int, int]:
    """The deepest nesting of ``{`` or ``(`` and the offset where it is reached."""
    depth = deepest = 0
    where = 0
    for t in tokens:
        if t.text in ("{", "("):
            depth += 1
            if depth > deepest:
                deepest, where = depth, t.start
        elif t.text in ("}", ")"):
            depth = max(depth - 1, 0)
    return deepest, where


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    token_re = _token_re()
    depth = 0
    pos = 0
    while pos < len(text):
        m = token_re.match(text, pos)
        if m is None:  # an unterminated string or IRI: let the engine report it
            out.append(_Token("punct", text[pos], pos, depth))
            pos += 1
            continue
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(_Token(kind, m.group(), pos, depth))
            if m.group() == "{":
                depth += 1
            elif m.group() == "}":
                depth = max(depth - 1, 0)
        pos = m.end()
    return out


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


@dataclass(frozen=True)
class _Shape:
    """What the lexer learns about a query without a full parse."""

    form: str | None
    form_offset: int
    declared: frozenset[str]
    undeclared: tuple[tuple[str, int], ...]
    variables: frozenset[str]
    where_brace: int | None  # offset of the '{' opening the outermost WHERE group
    where_close: int | None  # offset of its matching '}'
    subselect: bool  # the WHERE group holds only a sub-SELECT


def _shape(text: str) -> _Shape:
    toks = _tokens(text)
    deepest, where = _max_nesting(toks)
    if deepest > MAX_NESTING:
        line, col = _line_col(text, where)
        raise QueryError(
            f"The query nests {deepest} levels of braces or parentheses; at most "
            f"{MAX_NESTING} are allowed",
            query=text if len(text) < 10_000 else None, line=line, column=col,
        )
    declared: set[str] = set()
    used: list[tuple[str, int]] = []
    variables: set[str] = set()
    form: str | None = None
    form_offset = 0
    for i, t in enumerate(toks):
        if t.kind == "pname":
            prefix = t.text.split(":", 1)[0]
            if i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text.upper() == "PREFIX":
                declared.add(prefix)
            else:
                used.append((prefix, t.start))
        elif t.kind == "var":
            variables.add(t.text[1:])
        elif t.kind == "word" and form is None and t.depth == 0 and t.text.upper() in _FORMS:
            form = t.text.upper()
            form_offset = t.start
    undeclared = tuple((p, off) for p, off in used if p not in declared and p not in PREFIXES)
    where_brace = where_close = None
    subselect = False
    if form in ("SELECT", "ASK", "DESCRIBE", "CONSTRUCT"):
        start_index = None
        for i, t in enumerate(toks):
            if t.start < form_offset or t.depth != 0:
                continue
            if t.kind == "word" and t.text.upper() == "WHERE":
                start_index = i + 1
                break
            if form != "CONSTRUCT" and t.text == "{":
                start_index = i
                break
        if start_index is not None and start_index < len(toks) and toks[start_index].text == "{":
            open_tok = toks[start_index]
            where_brace = open_tok.start
            for t in toks[start_index + 1 :]:
                if t.text == "}" and t.depth == 1:
                    where_close = t.start
                    break
            nxt = toks[start_index + 1] if start_index + 1 < len(toks) else None
            subselect = bool(nxt and nxt.kind == "word" and nxt.text.upper() == "SELECT")
    return _Shape(
        form=form,
        form_offset=form_offset,
        declared=frozenset(declared),
        undeclared=undeclared,
        variables=frozenset(variables),
        where_brace=where_brace,
        where_close=where_close,
        subselect=subselect,
    )
