"""`kg serve`: a real server on 127.0.0.1, real clients (SPARQLWrapper, rdflib SPARQLStore)."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from conftest import DATA
from live_server import kg_serve
from rdflib import Graph, URIRef
from rdflib.query import Result
from test_view_browser import shared_browser

from kg.library import list_queries

pytestmark = pytest.mark.server

MINIMAL = str(DATA / "minimal")
SELECT = "SELECT ?act ?celex WHERE { ?act eli:id_local ?celex } ORDER BY ?celex"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
D2011 = "http://data.europa.eu/eli/dir/2011/36/oj"
D2024 = "http://data.europa.eu/eli/dir/2024/1712/oj"
MAX_ROWS = 20
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """`kg serve` on the minimal data in a subprocess on a free port; stopped after the module."""
    with kg_serve(tmp_path_factory.mktemp("cache"), "--timeout", str(TIMEOUT),
                  "--max-rows", str(MAX_ROWS), "--workers", "2", data=MINIMAL) as base:
        yield base


def _request(url: str, *, data: bytes | None = None, headers: dict | None = None,
             method: str | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def _get(base: str, query: str | None = None, accept: str | None = None, **extra: str):
    params = {**({"query": query} if query is not None else {}), **extra}
    url = base + "/sparql" + ("?" + urllib.parse.urlencode(params) if params else "")
    return _request(url, headers={"Accept": accept} if accept else {})


def _cli_json(query: str) -> list[list[str]]:
    r = subprocess.run([sys.executable, "-m", "kg", "--data", MINIMAL, "query", query, "-f", "json"],
                       capture_output=True, text=True, timeout=120, check=True)
    doc = json.loads(r.stdout)
    return [[b[v]["value"] for v in doc["head"]["vars"]] for b in doc["results"]["bindings"]]


def test_sparqlwrapper_gets_what_kg_query_gets(server: str) -> None:
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    expected = _cli_json(SELECT)
    assert expected == [[D2011, "32011L0036"], [D2024, "32024L1712"]]
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    doc = client.query().convert()
    assert [[b[v]["value"] for v in doc["head"]["vars"]] for b in doc["results"]["bindings"]] == expected
    for fmt, name in ((XML, "xml"), (CSV, "csv"), (TSV, "tsv")):
        client.setReturnFormat(fmt)
        raw = client.query().response.read()
        parsed = Result.parse(io.BytesIO(raw), format=name)
        assert [[str(t) for t in row] for row in parsed] == expected, name


def test_sparqlwrapper_post_and_construct(server: str) -> None:
    from SPARQLWrapper import POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setMethod(POST)
    client.setQuery("CONSTRUCT { ?b eli:amended_by ?a } WHERE { ?a eli:amends ?b }")
    client.setReturnFormat(TURTLE)
    g = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(D2011), URIRef("http://data.europa.eu/eli/ontology#amended_by"),
            URIRef(D2024)) in g


@pytest.mark.parametrize("query", ["CONSTRUCT { ?b eli:amended_by ?a } WHERE { ?a eli:amends ?b }",
                                   f"DESCRIBE <{D2024}>"])
def test_sparqlwrapper_defaults_for_construct_and_describe(server: str, query: str) -> None:
    """SPARQLWrapper's default for a graph is RDF/XML (it failed: Unknown format 'xml')."""
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    g = client.query().convert()
    assert isinstance(g, Graph) and len(g) >= 1


def test_sparqlwrapper_defaults_for_select_and_ask(server: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(SELECT)
    doc = client.query().convert()  # an xml.dom Document: SPARQL results XML by default
    assert len(doc.getElementsByTagName("result")) == 2
    client.setQuery("ASK { ?a eli:amends ?b }")
    assert b"true" in client.query().response.read()


def test_406_names_what_we_give(server: str) -> None:
    status, _, body = _get(server, SELECT, "image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body and b"text/csv" in body
    status, _, body = _get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")
    assert status == 406 and b"text/turtle" in body
    assert _get(server, SELECT, "image/png, */*;q=0.1")[0] == 200


def test_head_answers_like_get_without_a_body(server: str) -> None:
    url = server + "/sparql?" + urllib.parse.urlencode({"query": SELECT})
    status, headers, body = _request(url, headers={"Accept": "text/csv"}, method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-type"].startswith("text/csv")


def test_gzip_when_asked(server: str) -> None:
    import gzip

    q = "SELECT * WHERE { ?s ?p ?o }"
    status, headers, body = _get(server, q, "text/csv")
    url = server + "/sparql?" + urllib.parse.urlencode({"query": q})
    status_gz, headers_gz, body_gz = _request(
        url, headers={"Accept": "text/csv", "Accept-Encoding": "gzip"})
    assert status == status_gz == 200
    assert headers_gz.get("content-encoding") == "gzip" and "content-encoding" not in headers
    assert gzip.decompress(body_gz) == body


def test_select_star_columns_in_the_order_they_appear(server: str) -> None:
    status, _, body = _get(server, "SELECT * WHERE { ?s ?p ?o . ?o ?q ?s2 } LIMIT 1", "text/csv")
    assert status == 200
    assert body.decode().splitlines()[0] == "s,p,o,q,s2"


def test_rdflib_sparqlstore_gets_what_kg_query_gets(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(query_endpoint=server + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = [[str(t) for t in row] for row in graph.query(SELECT)]
    assert rows == _cli_json(SELECT)
    store_xml = SPARQLStore(query_endpoint=server + "/sparql", returnFormat="xml")
    assert bool(Graph(store=store_xml).query("ASK { ?a eli:amends ?b }").askAnswer) is True


def test_library_query_over_http_matches_the_cli(server: str) -> None:
    from kg.library import get
    from kg.query import bind_text

    q = get("in-force")
    text = bind_text(q.sparql, q.bindings(as_of="2011-04-15"))
    status, _, body = _get(server, text, "application/sparql-results+json")
    assert status == 200
    doc = json.loads(body)
    got = [[b[v]["value"] for v in doc["head"]["vars"] if v in b] for b in doc["results"]["bindings"]]
    assert got == [[D2011, "2011-04-15"]]


def test_slow_query_times_out_while_another_is_answered(server: str) -> None:
    outcome: dict = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["slow"] = _request(server + "/sparql", data=SLOW.encode(),
                                   headers={"Content-Type": "application/sparql-query"})
        outcome["slow_seconds"] = time.monotonic() - started

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    started = time.monotonic()
    status, _, body = _get(server, "ASK { ?a eli:amends ?b }", "application/sparql-results+json")
    fast_seconds = time.monotonic() - started
    still_running = t.is_alive()
    t.join(30)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert still_running, "the second request was answered only after the slow one ended"
    assert fast_seconds < TIMEOUT
    status, _, body = outcome["slow"]
    assert status == 503
    assert b"stopped after 2 s" in body
    assert outcome["slow_seconds"] < TIMEOUT + 3
    # and the server keeps answering afterwards
    assert _get(server, "ASK { ?s ?p ?o }")[0] == 200


@pytest.mark.parametrize(
    ("how", "kwargs"),
    [
        ("direct", {"data": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                    "headers": {"Content-Type": "application/sparql-update"}}),
        ("form", {"data": urllib.parse.urlencode(
            {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode(),
            "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("as query", {"data": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                      "headers": {"Content-Type": "application/sparql-query"}}),
        ("drop", {"data": urllib.parse.urlencode({"query": "DROP ALL"}).encode(),
                  "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ],
)
def test_updates_are_refused(server: str, how: str, kwargs: dict) -> None:
    status, _, body = _request(server + "/sparql", method="POST", **kwargs)
    assert status == 403, how
    assert b"read-only" in body
    assert _get(server, "ASK { <urn:a> <urn:b> <urn:c> }", "application/sparql-results+json")[2] \
        == b'{"head": {}, "boolean": false}\n'


def test_sparqlwrapper_update_is_refused(server: str) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(server + "/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()


def test_service_to_localhost_is_refused_without_a_network_call(server: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        for query in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {{ ?s ?p ?o }} UNION "
            f"{{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }} }}",
        ):
            status, _, body = _get(server, query)
            assert status == 403
            assert b"SERVICE" in body
        with pytest.raises(socket.timeout):
            listener.accept()


def test_from_a_local_file_is_refused(server: str) -> None:
    status, _, body = _get(server, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert status == 403
    assert b"root:" not in body


EXAMPLE = "https://w3id.org/thb-kg/graph/example-source"
INFERRED = "https://w3id.org/thb-kg/graph/inferred"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def test_default_and_named_graph_uri_set_the_dataset(server: str) -> None:
    """SPARQL 1.1 Protocol: default-graph-uri and named-graph-uri give the query's dataset."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    def rows(query: str, defaults: list[str] = (), named: list[str] = ()) -> list[list[str]]:
        client = SPARQLWrapper(server + "/sparql")
        client.setQuery(query)
        client.setReturnFormat(JSON)
        for g in defaults:
            client.addDefaultGraph(g)
        for g in named:
            client.addNamedGraph(g)
        doc = client.query().convert()
        return [[b[v]["value"] for v in doc["head"]["vars"]] for b in doc["results"]["bindings"]]

    expected = _cli_json(f"SELECT (COUNT(*) AS ?n) FROM <{EXAMPLE}> WHERE {{ ?s ?p ?o }}")
    assert rows(COUNT, [EXAMPLE]) == expected
    assert int(expected[0][0]) < int(rows(COUNT)[0][0])  # less than the union
    both = _cli_json(f"SELECT (COUNT(*) AS ?n) FROM <{EXAMPLE}> FROM <{INFERRED}> "
                     "WHERE { ?s ?p ?o }")
    assert rows(COUNT, [EXAMPLE, INFERRED]) == both
    assert rows(PER_GRAPH, named=[EXAMPLE]) == [[EXAMPLE, expected[0][0]]]
    # the protocol's dataset replaces the query's own
    assert rows(f"SELECT (COUNT(*) AS ?n) FROM <{INFERRED}> WHERE {{ ?s ?p ?o }}",
                [EXAMPLE]) == expected


def test_graph_uri_outside_our_graphs_is_refused(server: str) -> None:
    status, _, body = _get(server, COUNT, **{"default-graph-uri": "file:///etc/passwd"})
    assert status == 403 and b"root:" not in body
    status, _, body = _get(server, COUNT, **{"named-graph-uri": "urn:x y"})
    assert status == 400 and b"not a valid IRI" in body


@pytest.mark.parametrize(
    ("accept", "media", "name"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("application/json", "application/sparql-results+json", "json"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml",
         "xml"),
        ("*/*", "application/sparql-results+json", "json"),
    ],
)
def test_content_negotiation_for_rows(server: str, accept: str, media: str, name: str) -> None:
    status, headers, body = _get(server, SELECT, accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == media
    parsed = Result.parse(io.BytesIO(body), format=name)
    assert [str(r[0]) for r in parsed] == [D2011, D2024]


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_content_negotiation_for_triples(server: str, accept: str, media: str, fmt: str) -> None:
    q = "CONSTRUCT { ?a eli:amends ?b } WHERE { ?a eli:amends ?b }"
    status, headers, body = _get(server, q, accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == media
    g = Graph().parse(data=body.decode(), format=fmt)
    assert len(g) == 1


def test_format_parameter_overrides_accept(server: str) -> None:
    status, headers, _ = _get(server, SELECT, "application/sparql-results+json", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")


def test_service_description_without_a_query(server: str) -> None:
    status, headers, body = _get(server, None, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=body.decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    services = list(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                               URIRef(sd + "Service")))
    assert len(services) == 1
    assert (services[0], URIRef(sd + "endpoint"), URIRef(server + "/sparql")) in g
    names = {str(o) for o in g.objects(None, URIRef(sd + "name"))}
    assert "https://w3id.org/thb-kg/graph/example-source" in names
    status, headers, body = _get(server, None, "application/ld+json")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    json.loads(body)


def test_cors_for_any_origin_without_credentials(server: str) -> None:
    status, headers, _ = _request(server + "/sparql?" + urllib.parse.urlencode({"query": SELECT}),
                                  headers={"Origin": "https://elsewhere.example"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers
    status, headers, _ = _request(
        server + "/sparql", method="OPTIONS",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers


def test_row_cap(server: str) -> None:
    status, headers, body = _get(server, "SELECT * WHERE { ?s ?p ?o }",
                                 "application/sparql-results+json")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert "x-result-truncated" in headers


def test_errors_say_what_is_wrong_and_never_leak_paths(server: str) -> None:
    status, headers, body = _get(server, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }")
    assert status == 400
    text = body.decode()
    assert "line 3" in text and "^" in text
    for leak in ("Traceback", "/work", "site-packages", ".nq", "kg-cache", os.getcwd()):
        assert leak not in text
    status, _, body = _get(server, "SELECT * WHERE { ?s nope:x ?o }")
    assert status == 400 and b"'nope:'" in body


def test_query_page_works_offline_and_escapes(server: str) -> None:
    status, headers, body = _request(server + "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    html = body.decode()
    for q in list_queries():
        assert q.title.replace("'", "&#39;") in html or q.title in html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?https?:", html), "no CDN"
    data = re.search(r'<script id="examples-data" type="application/json">(.*?)</script>', html,
                     re.S)
    assert data is not None
    assert "<" not in data.group(1)  # IRIs in the SPARQL are \u003c-escaped
    examples = json.loads(data.group(1))
    assert len(examples) == 22
    assert all(e["sparql"] for e in examples)


def test_labels_endpoint(server: str) -> None:
    status, headers, body = _request(
        server + "/labels", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"iris": [D2011, "urn:none", "bad iri>", 7]}).encode())
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert json.loads(body) == {D2011: "Directive 2011/36/EU"}
    status, _, _ = _request(server + "/labels", method="POST", data=b"[1, 2]")
    assert status == 400


def test_default_bind_address_is_loopback() -> None:
    from kg.commands import serve as serve_command
    from kg.serve import DEFAULT_HOST, DEFAULT_PORT

    assert DEFAULT_HOST == serve_command.DEFAULT_HOST == "127.0.0.1"
    assert DEFAULT_PORT == serve_command.DEFAULT_PORT


def test_negotiate_unit() -> None:
    from kg.serve import negotiate

    assert negotiate(None, graph=False).name == "json"
    assert negotiate("text/plain", graph=False).name == "table"
    assert negotiate("text/plain", graph=True).name == "nt"
    assert negotiate("application/xml", graph=False).name == "xml"
    from kg.negotiation import NotAcceptableError

    with pytest.raises(NotAcceptableError, match="text/turtle"):  # 406, with what we give
        negotiate("image/png", graph=True)
    assert negotiate("application/json", graph=True).name == "jsonld"
    assert negotiate("application/rdf+xml", graph=True).name == "xml"
    assert negotiate("text/csv;q=0, */*;q=0.1", graph=False).name == "json"


@pytest.mark.browser
def test_query_page_runs_an_example_in_a_browser(
    server: str, request: pytest.FixtureRequest
) -> None:
    """Headless Chromium, no network but the server: pick a question, run it, read the table."""
    from pathlib import Path

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium is not installed")
    # the session's one Chromium: Playwright's sync API cannot start twice at once
    context = shared_browser(request).new_context()
    try:
        page = context.new_page()
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(server) else None)
        page.goto(server + "/")
        page.select_option("#examples", label="1. Instruments, their kind, adopting body and dates")
        assert "eli:LegalResource" in page.evaluate("thbQuery.editor.state.doc.toString()")

        def type_query(text: str) -> None:  # the editor (CodeMirror), as a person types
            page.click(".cm-content")
            page.keyboard.press("Control+a")
            page.keyboard.press("Delete")
            page.keyboard.insert_text(text)
        page.click("#run")
        page.wait_for_selector("#results table tbody tr", timeout=20_000)
        headers = page.locator("#results th").all_inner_texts()
        assert headers[:2] == ["instrument", "kind"]
        page.wait_for_function(
            "document.querySelector('#results').innerText.includes('Directive 2011/36/EU')")
        type_query("SELECT ?s WHERE { ?s ?p }")
        page.click("#run")
        page.wait_for_selector("#error", state="visible")
        assert "syntax error" in page.inner_text("#error")
        type_query('SELECT ?x WHERE { BIND("<img src=x onerror=alert(1)>" AS ?x) }')
        page.click("#run")
        page.wait_for_selector("#results td")
        assert page.locator("#results img").count() == 0
        assert outside == []
    finally:
        context.close()
