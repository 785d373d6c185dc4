"""Run SPARQL on the graph: prologue, typed parameters, results as values.

Every query gets the predeclared prefixes (:data:`kg.namespaces.PREFIXES`)
it does not declare itself. Parameters are bound with a ``VALUES`` clause
built from RDF terms (never by pasting user text into the query), placed at
the start of the query's outermost ``WHERE`` group so that filters see them.
Results come back as a frozen :class:`QueryResult` whatever the engine:
rdflib's memory store, Oxigraph through oxrdflib, or Oxigraph directly
(:class:`kg.cache.Snapshot`). Literals typed ``xsd:string`` are normalised
to plain literals, so every engine gives the same answer.

>>> import kg
>>> graph = kg.load("tests/data/minimal")
>>> result = run(graph, "SELECT ?celex WHERE { ?act eli:id_local ?celex } ORDER BY ?celex")
>>> [str(row[0]) for row in result.rows]
['32011L0036', '32024L1712']
>>> run(graph, "ASK { ?act eli:amends ?old }").boolean
True
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..errors import QueryError, UnsafeQueryError
from ..namespaces import PREFIXES

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..safety import Policy

__all__ = [
    "Engine",
    "QueryKind",
    "QueryResult",
    "parse_param",
    "parse_params",
    "prepare",
    "run",
]

class QueryKind(enum.Enum):
    """The four query forms; SELECT and ASK give rows, the others give triples."""

    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def gives_graph(self) -> bool:
        return self in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE)


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: variables and rows, a boolean, or triples.

    ``rows`` hold rdflib terms (``None`` where a variable is unbound);
    ``truncated`` is true when a row cap cut the answer short.
    """

    kind: QueryKind
    vars: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.triples) if self.kind.gives_graph else len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def as_dicts(self) -> list[dict[str, Node]]:
        """Each row as ``{variable: term}``, unbound variables left out."""
        return [
            {v: t for v, t in zip(self.vars, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def column(self, name: str) -> list[Node | None]:
        """The values of one variable, in row order."""
        try:
            i = self.vars.index(name)
        except ValueError:
            raise KeyError(f"no variable ?{name}; variables: {', '.join(self.vars)}") from None
        return [row[i] for row in self.rows]

    def graph(self) -> Any:
        """The triples of a CONSTRUCT or DESCRIBE as an rdflib ``Graph``."""
        from rdflib import Graph

        g = Graph()
        for prefix, iri in PREFIXES.items():
            g.bind(prefix, iri, override=True, replace=True)
        for t in self.triples:
            g.add(t)
        return g


class Engine(Protocol):
    """Something that runs prepared SPARQL text and returns a :class:`QueryResult`."""

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult: ...


# ---------------------------------------------------------------- the lexer

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
    """The lexer's pattern, compiled on first use (it costs ~50 ms at import)."""
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


def dataset_clause(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The IRIs a query names in ``FROM`` and in ``FROM NAMED``, prefixes expanded.

    The Oxigraph engine needs them: it reads several ``FROM`` graphs as a bag
    (a triple in two of them matches twice), where SPARQL asks for their
    merge, so :class:`kg.cache.Snapshot` merges them itself.

    >>> dataset_clause("PREFIX g: <urn:g:> SELECT * FROM g:a FROM NAMED <urn:b> WHERE { }")
    (('urn:g:a',), ('urn:b',))
    """
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


# ---------------------------------------------------------------- parameters

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
            lit = Literal(text, datatype=XSD.date)
            if lit.value is None or isinstance(lit.value, str):
                raise QueryError(f"{value!r} is not a valid date (YYYY-MM-DD).")
            return lit
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


# ---------------------------------------------------------------- preparing

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


def prepare(sparql: str, params: Mapping[str, Node] | None = None) -> Prepared:
    """Add the missing PREFIX lines and bind ``params`` with a VALUES clause.

    >>> p = prepare("SELECT ?x WHERE { ?x a ?t FILTER(?t = ?type) }",
    ...             {"type": URIRef("http://example.org/T")})
    >>> p.text.splitlines()[-1]
    'SELECT ?x WHERE { VALUES (?type) { (<http://example.org/T>) } ?x a ?t FILTER(?t = ?type) }'
    """
    shape = _shape(sparql)
    if shape.undeclared:
        prefix, offset = shape.undeclared[0]
        line, col = _line_col(sparql, offset)
        raise QueryError(
            f"Unknown prefix {prefix + ':'!r}; declare it with PREFIX {prefix}: <...> "
            f"or use a predeclared one (kg prefixes)",
            query=sparql, line=line, column=col,
        )
    if shape.form is None:
        raise QueryError("No query found: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE.")
    if shape.form in _UPDATE_WORDS:
        line, col = _line_col(sparql, shape.form_offset)
        raise UnsafeQueryError(
            f"{shape.form} is an update; thb-kg queries are read-only "
            "(edit graph_data/ to change the data)",
            query=sparql, line=line, column=col,
        )
    kind = QueryKind(shape.form)
    prologue = "".join(
        f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in shape.declared
    )
    n_prologue = prologue.count("\n")
    bindings = dict(params or {})
    if not bindings:
        return Prepared(prologue + sparql, sparql, kind, n_prologue)
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
        return Prepared(prologue + body, sparql, kind, n_prologue, bindings=bindings)
    at = shape.where_brace + 1
    insert = " " + values.rstrip()
    text = sparql
    if shape.subselect and shape.where_close is not None:
        text = text[: shape.where_close] + "} " + text[shape.where_close :]
        insert += " {"
    text = text[:at] + insert + text[at:]
    line, col = _line_col(sparql, at)
    return Prepared(
        prologue + text, sparql, kind, n_prologue,
        insert_line=line, insert_col=col, insert_len=len(insert), bindings=bindings,
    )


def bind_text(sparql: str, params: Mapping[str, Node] | None = None) -> str:
    """``sparql`` with ``params`` bound by a VALUES clause, without the added PREFIX lines.

    For showing or sharing a query with its parameters filled in (the HTML
    page's examples, the static site).

    >>> bind_text("SELECT ?x WHERE { ?x eli:date_document ?d FILTER(?d < ?asOf) }",
    ...           {"asOf": parse_param("2011-01-01")})  # doctest: +NORMALIZE_WHITESPACE
    'SELECT ?x WHERE { VALUES (?asOf) { ("2011-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }
      ?x eli:date_document ?d FILTER(?d < ?asOf) }'
    """
    prepared = prepare(sparql, params)
    if not prepared.prologue_lines:
        return prepared.text
    return prepared.text.split("\n", prepared.prologue_lines)[-1]


# ---------------------------------------------------------------- engines

def _plain(node: Node | None) -> Node | None:
    """One form per term (plain strings, canonical decimals): both engines give equal terms."""
    from ..terms import plain

    return plain(node)


class RdflibEngine:
    """Queries an rdflib ``Dataset`` (memory store, or Oxigraph via oxrdflib)."""

    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        from itertools import islice

        result = self.dataset.query(text)
        kind = QueryKind(result.type)
        if kind is QueryKind.ASK:
            return QueryResult(kind, boolean=bool(result.askAnswer))
        if kind.gives_graph:
            limit = None if max_rows is None else max_rows + 1
            graph = result.graph if result.graph is not None else ()
            triples = tuple((s, p, _plain(o)) for s, p, o in islice(graph, limit))
            cut = max_rows is not None and len(triples) > max_rows
            if cut:
                triples = triples[:max_rows]
            return QueryResult(kind, triples=triples, truncated=cut)  # type: ignore[arg-type]
        names = tuple(str(v) for v in (result.vars or ()))
        limit = None if max_rows is None else max_rows + 1
        rows = [tuple(_plain(t) for t in row) for row in islice(result, limit)]
        truncated = max_rows is not None and len(rows) > max_rows
        if truncated:
            rows = rows[:max_rows]
        return QueryResult(kind, names, tuple(rows), truncated=truncated)


def _engine_for(target: Any) -> Engine:
    if hasattr(target, "execute"):
        return target
    dataset = getattr(target, "dataset", None)
    if dataset is None:
        raise TypeError(f"run() needs a KnowledgeGraph or an Engine, not {type(target).__name__}")
    from ..cache import engine_for_dataset

    return engine_for_dataset(dataset)


_POS = re.compile(r"(?:line:?\s*(\d+),?\s*col(?:umn)?:?\s*(\d+))|(?:error at (\d+):(\d+))", re.I)


def wrap_error(exc: BaseException, prepared: Prepared) -> QueryError:
    """One of the engines' exceptions as a :class:`QueryError` with the user's line/column."""
    if isinstance(exc, QueryError):
        return exc
    if isinstance(exc, RecursionError):
        return QueryError("The query nests too deeply to parse (too many braces or parentheses).")
    message = str(exc).strip()
    line = col = None
    lineno, colno = getattr(exc, "lineno", None), getattr(exc, "col", None)
    if isinstance(lineno, int) and isinstance(colno, int):
        line, col = lineno, colno
    else:
        m = _POS.search(message)
        if m:
            nums = [g for g in m.groups() if g is not None]
            line, col = int(nums[0]), int(nums[1])
    if line is not None and col is not None:
        line, col = prepared.locate(line, col)
    first = message.splitlines()[0] if message else type(exc).__name__
    hint = _curie_path_hint(prepared.source)
    first = re.sub(r"^error at \d+:\d+:\s*", "", first)
    first = re.sub(r"\s*\(at char \d+\),?\s*\(line:\d+, col:\d+\)", "", first)
    if len(first) > 100:  # pyoxigraph lists every token it could accept
        first = first[:100].rsplit(",", 1)[0] + ", ..."
    text = f"SPARQL syntax error: {first}" if line else f"Query failed: {first}"
    return QueryError(text + hint, query=prepared.source if line else None, line=line, column=col)


_CURIE_PATH = re.compile(r"(?<![\w<?$])([A-Za-z][\w-]*):([\w-]+(?:/[\w.-]*[\w-])+)(?![\w:(])")


def _curie_path_hint(source: str) -> str:
    """A hint when the query writes ``id:body/unodc``: SPARQL reads ``/`` as a path."""
    for m in _CURIE_PATH.finditer(source):
        prefix, local = m.groups()
        if prefix in PREFIXES and ":" not in local:
            return (f" -- note: in SPARQL {m.group()} is a property path; write "
                    f"<{PREFIXES[prefix]}{local}> for the entity")
    return ""


def run(
    target: KnowledgeGraph | Engine,
    sparql: str,
    params: Mapping[str, Node | str] | None = None,
    *,
    as_of: str | None = None,
    policy: Policy | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run ``sparql`` on a loaded graph (or an :class:`Engine`) and return the result.

    ``params`` bind variables (terms, or strings parsed by :func:`parse_param`);
    ``as_of`` binds ``?asOf`` to a date. With a ``policy``
    (:class:`kg.safety.Policy`) the query is checked first (no update, no
    SERVICE, no FROM outside our graphs) and rows are capped at
    ``policy.max_rows``; for a time limit use :func:`kg.worker.run_limited`.
    """
    bindings: dict[str, Node] = {}
    for name, value in (params or {}).items():
        bindings[name.lstrip("?$")] = value if isinstance(value, Node) else parse_param(str(value))
    if as_of is not None:
        bindings["asOf"] = parse_param(as_of, "date")
    prepared = prepare(sparql, bindings)
    if policy is not None:
        from ..safety import check

        check(prepared.text, policy, source=prepared)
        max_rows = policy.max_rows if max_rows is None else min(max_rows, policy.max_rows)
    engine = _engine_for(target)
    try:
        result = engine.execute(prepared.text, max_rows=max_rows)
    except QueryError:
        raise
    except Exception as exc:  # noqa: BLE001 - every engine error (RecursionError too) is one sentence
        raise wrap_error(exc, prepared) from exc
    if result.kind is not prepared.kind and prepared.kind.gives_graph:
        result = replace(result, kind=prepared.kind)  # engines report DESCRIBE as CONSTRUCT
    return result


# ---------------------------------------------------------------- labels

_LABEL_QUERY = """SELECT ?x ?label ?rank WHERE {
  { ?x skos:prefLabel ?label BIND(1 AS ?rank) }
  UNION { ?x rdfs:label ?label BIND(2 AS ?rank) }
  UNION { ?x foaf:name ?label BIND(3 AS ?rank) }
  UNION { ?x dct:title ?label BIND(4 AS ?rank) }
  UNION { ?x eli:title ?label BIND(5 AS ?rank) }
  FILTER(isLiteral(?label) && (lang(?label) = "" || langMatches(lang(?label), "en")))
}"""


def labels(target: KnowledgeGraph | Engine, nodes: Iterable[Node | None]) -> dict[Node, str]:
    """A readable label for each IRI that has one (English ``skos:prefLabel`` first)."""
    iris = sorted({n for n in nodes if isinstance(n, URIRef)})
    if not iris:
        return {}
    engine = _engine_for(target)
    out: dict[Node, tuple[int, str]] = {}
    for start in range(0, len(iris), 500):
        chunk = iris[start : start + 500]
        values = "VALUES ?x { " + " ".join(_sparql_term(i) for i in chunk) + " }\n"
        text = _LABEL_QUERY.replace("WHERE {", "WHERE {\n  " + values, 1)
        prepared = prepare(text)
        result = engine.execute(prepared.text)
        for x, label, rank in result.rows:
            if x is None or label is None:
                continue
            key = (int(rank.toPython()) if isinstance(rank, Literal) else 9, str(label))
            if x not in out or key < out[x]:
                out[x] = key
    return {x: label for x, (_r, label) in out.items()}


def describe_term(node: Node | None) -> str:
    """A short text form: a CURIE for IRIs in a known namespace, else the IRI."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        iri = str(node)
        best = ""
        best_prefix = ""
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(ns) > len(best):
                local = iri[len(ns) :]
                if re.fullmatch(r"[\w\-./]*", local):
                    best, best_prefix = ns, prefix
        if best:
            return f"{best_prefix}:{iri[len(best):]}"
        return iri
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)
