"""Read a query's form, prefixes, variables and groups without parsing it.

Preparing a query (:mod:`kg.query.prepared`) must know a few things before
any engine sees the text: which query form it is, which prefixes it declares
or only uses, its variables, where its outermost ``WHERE`` group opens and
closes, and how deeply it nests (the engines' parsers recurse, and fail or
crash on deep nesting). A small lexer that knows strings, IRIs, comments and
brackets answers all of that without a full SPARQL parse, the same way for
every engine. :mod:`kg.safety` looks for ``SERVICE`` in its tokens and
:mod:`kg.query.dataset` reads ``FROM`` clauses with them.

The lexer follows SPARQL 1.1's lexical rules where the parsers behind our
engines disagree with each other: a ``#`` comment ends at a line feed *or* a
carriage return (Oxigraph's reading, and the grammar's; rdflib ends it only at
a line feed), white space is only space, tab, CR and LF, and a short string
holds no raw line break. :func:`canonical` then gives the one text that every
parser reads alike (comments blanked out, ``\\u`` escapes expanded as the
grammar says), and that text is what the safety check judges and what the
engine runs.

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
    (?P<ws>[\ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\[^\r\n])*'|"(?:[^"\\\r\n]|\\[^\r\n])*")
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


#: Deepest nesting of braces, parentheses or blank-node brackets a query may
#: have. rdflib's parser recurses (RecursionError near 40 braces); pyoxigraph's
#: crashes the whole process (SIGSEGV) somewhere below 10,000, also on
#: ``[ ?p [ ?p [ ...`` nested blank nodes.
MAX_NESTING = 100
#: Most operators (``+ - * / < > = ! & |`` and their pairs) a query may hold.
#: Oxigraph's parser recurses along an operator chain: ``1+1+...`` with 10,000
#: terms crashes the process (SIGSEGV); 3,000 pass. No real question needs 1,000.
MAX_OPERATORS = 1_000
_OPERATORS = frozenset("+-*/<>=!&|^")
_OPENERS = frozenset("{([")
_CLOSERS = frozenset("})]")


def _max_nesting(tokens: list[_Token]) -> tuple[int, int]:
    """The deepest nesting of ``{``, ``(`` or ``[`` and the offset where it is reached."""
    depth = deepest = 0
    where = 0
    for t in tokens:
        if t.text in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest, where = depth, t.start
        elif t.text in _CLOSERS:
            depth = max(depth - 1, 0)
    return deepest, where


def _operator_count(tokens: list[_Token]) -> tuple[int, int]:
    """How many operator tokens the query holds, and the offset of the one past the limit."""
    count = 0
    where = 0
    for t in tokens:
        if t.kind == "punct" and t.text in _OPERATORS:
            count += 1
            if count == MAX_OPERATORS + 1:
                where = t.start
    return count, where


#: A codepoint escape (SPARQL 1.1, section 19.2): read before any other rule.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _expand_codepoints(text: str) -> str:
    r"""``text`` with ``\uXXXX`` and ``\UXXXXXXXX`` replaced by their characters.

    The grammar reads these escapes before anything else, anywhere in the
    query; rdflib does so, Oxigraph only inside strings and IRIs. Expanding
    them first gives both the same text. An escape that makes another escape
    (``\u005Cu0053``) would be read twice by one parser and once by the
    other, and a surrogate is no character: both are refused.

    >>> _expand_codepoints(r"SELECT \u003Fs WHERE { }")
    'SELECT ?s WHERE { }'
    """

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            line, col = _line_col(text, m.start())
            raise QueryError(
                f"{m.group()} is not a Unicode character; write the character itself",
                query=text if len(text) < 10_000 else None, line=line, column=col,
            )
        return chr(code)

    out = _CODEPOINT.sub(one, text)
    again = _CODEPOINT.search(out)
    if again is not None:
        raise QueryError(
            f"An escape in the query spells another escape ({again.group()}); SPARQL "
            "parsers disagree on reading it twice, so write the character itself"
        )
    return out


def canonical(text: str) -> str:
    r"""The query as every parser reads it alike: codepoint escapes expanded, comments blanked.

    Comments are replaced by spaces of the same length, so positions in the
    text stay where they were; after this, no parser can find in a comment
    something another parser reads as part of the query.

    >>> canonical("ASK { # hidden\r ?s ?p ?o }")
    'ASK {         \r ?s ?p ?o }'
    """
    if "\\u" in text or "\\U" in text:
        text = _expand_codepoints(text)
    if "#" not in text:
        return text
    token_re = _token_re()
    parts: list[str] = []
    pos = last = 0
    while pos < len(text):
        m = token_re.match(text, pos)
        if m is None:
            pos += 1
            continue
        if m.lastgroup == "comment":
            parts.append(text[last : m.start()])
            parts.append(" " * (m.end() - m.start()))
            last = m.end()
        pos = m.end()
    parts.append(text[last:])
    return "".join(parts)


#: Keywords that Oxigraph reads as such when a prefixed name follows with no space.
_KEYWORDS_BEFORE_IRI = frozenset({"SERVICE", "SILENT", "FROM", "NAMED"})


def _keyword_pname(text: str, before: list[_Token]) -> bool:
    """Whether a prefixed name is really a keyword glued to ``:local`` (not a declaration)."""
    prefix = text.split(":", 1)[0].upper()
    if prefix not in _KEYWORDS_BEFORE_IRI:
        return False
    return not (before and before[-1].kind == "word" and before[-1].text.upper() == "PREFIX")


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
        if kind == "pname" and _keyword_pname(m.group(), out):
            # ``SERVICE:x`` and ``FROM:g`` are a keyword and an IRI to Oxigraph
            word = m.group().split(":", 1)[0]
            out.append(_Token("word", word, pos, depth))
            out.append(_Token("pname", m.group()[len(word):], pos + len(word), depth))
        elif kind not in ("ws", "comment"):
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
            f"The query nests {deepest} levels of braces, parentheses or brackets; at most "
            f"{MAX_NESTING} are allowed",
            query=text if len(text) < 10_000 else None, line=line, column=col,
        )
    operators, where = _operator_count(toks)
    if operators > MAX_OPERATORS:
        line, col = _line_col(text, where)
        raise QueryError(
            f"The query holds {operators} operators; at most {MAX_OPERATORS} are allowed "
            "(split a long expression, or use VALUES for long lists)",
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


def star_order(text: str) -> tuple[str, ...] | None:
    """For a ``SELECT *`` query, its variables in the order they first appear; else None.

    SPARQL leaves the order of ``SELECT *`` columns to the engine (rdflib and
    Oxigraph differ); we give every engine the order a reader sees.

    >>> star_order("SELECT * WHERE { ?s ?p ?o . ?o ?q ?s }")
    ('s', 'p', 'o', 'q')
    >>> star_order("SELECT ?o ?s WHERE { ?s ?p ?o }") is None
    True
    """
    toks = _tokens(text)
    for i, t in enumerate(toks):
        if t.depth == 0 and t.kind == "word" and t.text.upper() == "SELECT":
            j = i + 1
            while j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() in (
                "DISTINCT", "REDUCED"
            ):
                j += 1
            if j >= len(toks) or toks[j].text != "*":
                return None
            return tuple(dict.fromkeys(u.text[1:] for u in toks[j + 1 :] if u.kind == "var"))
    return None
