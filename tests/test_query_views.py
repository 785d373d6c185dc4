"""Our view of a query equals the engine's: SERVICE present or not, FROM present or not.

The check (:mod:`kg.safety`) judges the text an engine runs by our lexer's
tokens. If the lexer and an engine's parser ever disagree about a text (where
a comment ends, what an escape spells, whether ``SERVICE:x`` is a keyword),
a SERVICE or FROM can pass the check unseen: issue 14's critical defect.
Hypothesis builds queries from comments, strings, CR, CRLF, codepoint escapes
and IRIs, hides SERVICE and FROM clauses in them, and compares:

* our view: the lexer sees a SERVICE keyword; :func:`kg.query.dataset_clause`
  finds a FROM;
* the engine's view, on the exact text we would hand it
  (:func:`kg.query.prepare`): a real HTTP server on 127.0.0.1 counts the
  SERVICE requests it receives, and a marker triple that only a named graph
  holds shows whether FROM made that graph the default graph.

Where the engine parses the text, the two views must be equal; where it
cannot, it must have made no request.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import QueryError
from kg.query import dataset_clause, prepare
from kg.query.lexer import _tokens


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815 - http.server's names

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Recorder", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()


MARKER = "only-in-the-named-graph"

SERVICES = [
    "SERVICE <{base}s> {{ ?x ?y ?z }}",
    "SERVICE:s {{ ?x ?y ?z }}",
    "SERVICE SILENT <{base}s> {{ ?x ?y ?z }}",
    "service\t<{base}s>{{ ?x ?y ?z }}",
    "\\u0053ERVICE <{base}s> {{ ?x ?y ?z }}",
    "SERV\\u0049CE <{base}s> {{ ?x ?y ?z }}",
    "SERVICE <{base}\\u0073> {{ ?x ?y ?z }}",
]
FROMS = ["FROM <{base}g>", "FROM:g", "from <{base}g>", "\\u0046ROM <{base}g>", "FROM <{base}\\u0067>"]
ENDS = ["\n", "\r", "\r\n", "\r\r", "\x0b\n", "\u2028\n", "\x85\n"]
JUNK = st.text(alphabet="ab #\"'\\<>{}:;u0\r\n", max_size=8)


@st.composite
def hidden(draw: st.DrawFn, clause: str) -> str:
    """``clause`` as code, or tucked into a comment, a string, or quotes made by escapes."""
    how = draw(st.sampled_from(["code", "comment", "string", "escaped-quotes", "junk"]))
    junk = draw(JUNK)
    end = draw(st.sampled_from(ENDS))
    if how == "code":
        return f" {clause} "
    if how == "comment":
        return f" #{junk.replace(chr(10), '').replace(chr(13), '')} {clause}{end}"
    if how == "string":
        return f' FILTER(STR(?o) != "{clause}") '
    if how == "escaped-quotes":  # \u0022 spells a quote for every parser, after expansion
        return f' FILTER(STR(?o) != "\\u0022 {clause} \\u0022") '
    return f" #{junk}\n {clause} "


@st.composite
def queries(draw: st.DrawFn, base: str) -> str:
    service = draw(st.sampled_from(SERVICES)).format(base=base)
    source = draw(st.sampled_from(FROMS)).format(base=base)
    with_service = draw(st.booleans())
    with_from = draw(st.booleans())
    dataset = draw(hidden(source)) if with_from else ""
    body = draw(hidden(service)) if with_service else ""
    tail = draw(st.sampled_from(["\n", " # trailing comment\n", "\r\n"]))
    return (
        f"PREFIX : <{base}>\nSELECT ?o{dataset}\n"
        f"WHERE {{ ?s <urn:p> ?o OPTIONAL {{ {body} }} }}{tail}"
    )


def _our_view(text: str) -> tuple[bool, bool]:
    service = any(t.kind == "word" and t.text.upper() == "SERVICE" for t in _tokens(text))
    defaults, named = dataset_clause(text)
    return service, bool(defaults or named)


def _oxigraph_view(text: str, base: str, hits: list[str]) -> tuple[bool, bool] | None:
    import pyoxigraph as ox

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("default"),
                      ox.DefaultGraph()))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(MARKER),
                      ox.NamedNode(base + "g")))
    before = len(hits)
    try:
        rows = [str(r[0].value) for r in store.query(text)]
    except (SyntaxError, OSError, ValueError):
        assert len(hits) == before, "the engine made a request for a text it refused"
        return None
    return len(hits) > before, MARKER in rows


def _rdflib_view(text: str, base: str, hits: list[str]) -> tuple[bool, bool] | None:
    """rdflib's own parse tree: does it hold a SERVICE, a dataset clause?

    rdflib calls a SERVICE only when its IRI is written in angle brackets, so
    the requests it makes tell less than its parse; they are checked against
    it. The FROM graph is checked by the marker, as on Oxigraph.
    """
    from rdflib import Dataset, Literal, URIRef
    from rdflib.plugins.sparql.parser import parseQuery

    import kg.query  # noqa: F401 - switches off rdflib's loading of FROM graphs
    from kg.safety import _name, _walk

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - rdflib raises many kinds for a text it refuses
        return None
    names = {_name(node) for node in _walk(tree)}
    service, dataset = "ServiceGraphPattern" in names, "DatasetClause" in names
    ds = Dataset()
    ds.add((URIRef("urn:s"), URIRef("urn:p"), Literal("default")))
    ds.graph(URIRef(base + "g")).add((URIRef("urn:s"), URIRef("urn:p"), Literal(MARKER)))
    before = len(hits)
    try:
        rows = [str(r[0]) for r in ds.query(text)]
    except Exception:  # noqa: BLE001
        rows = []
    assert service or len(hits) == before, "rdflib made a request its parse does not hold"
    assert dataset or MARKER not in rows
    return service, dataset


ENGINES = {"oxigraph": _oxigraph_view, "rdflib": _rdflib_view}


@pytest.mark.parametrize("engine", sorted(ENGINES))
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_our_view_of_service_and_from_equals_the_engines(recorder, engine: str, data) -> None:
    base, hits = recorder
    text = data.draw(queries(base))
    try:
        prepared = prepare(text).text  # canonical: what an engine would be handed
    except QueryError:
        return  # refused before any engine sees it: nothing can leak
    ours = _our_view(prepared)
    theirs = ENGINES[engine](prepared, base, hits)
    if theirs is None:
        return  # the engine cannot parse it; it made no request (asserted above)
    assert ours == theirs, f"our view {ours} != {engine}'s {theirs} for {text!r}"


@pytest.mark.parametrize(
    "text",
    [
        # the reported case: a comment ended by CR
        "PREFIX : <{base}>\nSELECT ?o WHERE {{ ?s <urn:p> ?o # x\r OPTIONAL {{ SERVICE <{base}s> "
        "{{ ?x ?y ?z }} }} \n}}",
        "PREFIX : <{base}>\nSELECT ?o FROM:g WHERE {{ ?s <urn:p> ?o }}",
        "PREFIX : <{base}>\nSELECT ?o WHERE {{ ?s <urn:p> ?o OPTIONAL {{ SERVICE:s {{ ?x ?y ?z }} }} }}",
    ],
)
@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_known_disagreements_are_seen(recorder, engine: str, text: str) -> None:
    """The cases that fooled the old check, pinned: we see what the engine runs."""
    base, hits = recorder
    prepared = prepare(text.format(base=base)).text
    theirs = ENGINES[engine](prepared, base, hits)
    ours = _our_view(prepared)
    assert theirs is None or ours == theirs
    assert any(ours)
