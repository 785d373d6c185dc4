"""The query page of `kg serve` in headless Chromium: the editor, permalinks, downloads,
the network view, errors with their place, and not one request outside 127.0.0.1.

A real `kg serve` on the shipped graph; a real browser (Debian's chromium); the
answers compared with what `kg query` and `kg.network` give for the same query.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import kg_serve
from rdflib import Graph
from test_view_browser import shared_browser

import kg as kg_api
from kg.library import list_queries
from kg.namespaces import PREFIXES

pytestmark = pytest.mark.server

CHROMIUM = Path("/usr/bin/chromium")
BODIES = "SELECT ?b ?o WHERE { ?b org:subOrganizationOf ?o } ORDER BY ?b ?o"
CONSTRUCT = "CONSTRUCT { ?b org:subOrganizationOf ?o } WHERE { ?b org:subOrganizationOf ?o }"
TRIPLES_AS_ROWS = ("SELECT ?source ?relation ?target WHERE { VALUES ?relation { eli:amends "
                   "eli:repeals } ?source ?relation ?target }")
CURIE_SLIP = "SELECT ?claim WHERE {\n  ?claim thb:about id:body/unodc .\n}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with kg_serve(tmp_path_factory.mktemp("cache"), "--workers", "2") as base:
        yield base


@pytest.fixture(scope="module")
def shipped() -> kg_api.KnowledgeGraph:
    return kg_api.load(store="oxigraph")


def _http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None
          ) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def _cli(query: str, fmt: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kg", "query", query, "-f", fmt],
                          capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


# ---------------------------------------------------------------- without a browser


def test_page_csp_allows_exactly_its_inline_scripts(server: str) -> None:
    status, headers, body = _http(server + "/")
    assert status == 200
    csp = headers["content-security-policy"]
    html = body.decode()
    scripts = re.findall(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert len(scripts) == 4  # the editor, the page's script, vis-network, view.js
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert set(directives["script-src"].split()) == {sha(s) for s in scripts}
    # styles: the page's one <style> and CodeMirror's by a nonce, never 'unsafe-inline'
    nonces = re.findall(r'<style nonce="([^"]+)">', html)
    assert len(nonces) == 1 and directives["style-src"] == f"'nonce-{nonces[0]}'"
    assert json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>',
                                html, re.S).group(1))["styleNonce"] == nonces[0]
    _, _, again = _http(server + "/")
    assert re.search(r'<style nonce="([^"]+)">', again.decode()).group(1) != nonces[0]
    for directive in ("default-src 'none'", "connect-src 'self'", "font-src 'none'",
                      "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-eval" not in csp and "http" not in csp
    assert not re.search(r"(src|href)=\"?(https?:)?//", html), "nothing loads from elsewhere"
    assert "@import" not in html and "url(http" not in html


def test_the_editor_bundle_is_vendored_with_its_licence() -> None:
    static = Path(kg_api.__file__).parent / "static"
    bundle = (static / "sparql-editor.min.js").read_text()
    licence = (static / "LICENSE-sparql-editor.txt").read_text()
    pins = json.loads((Path(__file__).parent.parent / "scripts" / "editor" / "package.json")
                      .read_text())["dependencies"]
    header = bundle.splitlines()[1]
    for name, version in pins.items():  # built from exactly the pinned versions
        if name != "esbuild":
            assert f"{name} {version}" in header and f"{name} {version}" in licence
    assert licence.count("Permission is hereby granted") == 2  # CodeMirror's and the grammar's
    assert "prefix.cc" not in bundle and "fonts.googleapis" not in bundle


@pytest.mark.parametrize("query", [CONSTRUCT, TRIPLES_AS_ROWS])
def test_network_endpoint_draws_what_kg_network_draws(server: str, shipped: Any,
                                                      query: str) -> None:
    from kg.network import from_query
    from kg.query import run

    status, headers, body = _http(server + "/network", query.encode(),
                                  {"Content-Type": "application/sparql-query"})
    assert status == 200, body
    assert headers["content-type"].startswith("application/json")
    data = json.loads(body)
    G = from_query(shipped, run(shipped, query))
    assert len(data["nodes"]) == G.number_of_nodes() > 1
    assert sorted(n["label"] for n in data["nodes"]) == sorted(
        d["label"] for _, d in G.nodes(data=True))
    assert {d["iri"] for d in data["details"]} == set(G.nodes)


@pytest.mark.parametrize(("query", "says"), [
    ("ASK { ?s ?p ?o }", "ASK query answers yes or no"),
    (BODIES, "needs the columns ?source ?relation ?target"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
])
def test_network_endpoint_refuses_with_a_sentence(server: str, query: str, says: str) -> None:
    status, _, body = _http(server + "/network", query.encode(),
                            {"Content-Type": "application/sparql-query"})
    assert status in (400, 403) and says in body.decode()


@pytest.mark.parametrize("query", [CURIE_SLIP, "SELECT * WHERE { ?s nope:x ?o }"])
def test_the_endpoint_gives_the_cli_hint(server: str, query: str) -> None:
    cli = _cli(query, "json")
    hint = re.search(r"(-- note: .*?|declare it with .*?) \(line", cli)
    assert hint is not None, cli
    status, _, body = _http(server + "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 400
    assert hint.group(1) in body.decode()
    assert re.search(r"\(line \d+, column \d+\)", body.decode())


# ---------------------------------------------------------------- in the browser


@pytest.fixture()
def page(server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page; every request that does not go to the server is blocked and recorded."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # the session's one Chromium (test_view_browser.shared_browser): Playwright's sync
    # API cannot start a second time while it runs
    context = shared_browser(request).new_context(accept_downloads=True)
    outside: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.outside = outside
    pg.errors = errors
    try:
        yield pg
    finally:
        context.close()
    assert outside == [], "the page asked for something outside 127.0.0.1"


def _editor_text(page: Any) -> str:
    return str(page.evaluate("thbQuery.editor.state.doc.toString()"))


def _type_query(page: Any, text: str) -> None:
    """Type into the editor as a person would (one line: Enter would pick a completion)."""
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.keyboard.press("Escape")  # close a completion list, if one is open


def _accept(page: Any) -> None:
    """Pick the selected completion; CodeMirror ignores keys for 75 ms after the list opens
    (its interactionDelay), so that a fast typist's Enter is not taken for a choice."""
    page.wait_for_selector(".cm-tooltip-autocomplete li[aria-selected]")
    page.wait_for_timeout(150)
    page.keyboard.press("Enter")


def _wait_drawn(page: Any) -> None:
    """Wait until view.js has drawn the network, or fail with the page's error message."""
    page.wait_for_selector("#thb-network[data-ready=true], #error:not([hidden])", timeout=60_000)
    assert page.is_hidden("#error"), page.inner_text("#error")
    page.wait_for_selector("#thb-network[data-ready=true]")


def _wait_rows(page: Any) -> list[list[str]]:
    # the rows once their IRIs show labels (fetched after the table is drawn)
    page.wait_for_selector("#results table[data-labelled] tbody tr", timeout=30_000)
    rows = page.locator("#results table tbody tr")
    return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]


def test_type_run_and_reload_the_permalink(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.wait_for_selector(".cm-editor")
    _type_query(page, BODIES)
    assert _editor_text(page) == BODIES  # brackets closed by the editor are typed over
    page.keyboard.press("Control+Enter")
    rows = _wait_rows(page)
    expected = list(csv.reader(io.StringIO(_cli(BODIES, "csv"))))[1:]
    assert len(rows) == len(expected) > 3
    assert page.locator("#results th").all_inner_texts() == ["b", "o"]
    url = urllib.parse.urlsplit(page.url)
    params = urllib.parse.parse_qs(url.query)
    assert params["query"] == [BODIES] and params["run"] == ["1"]
    assert page.get_attribute("#permalink", "href") == "?" + url.query
    page.reload()
    assert _wait_rows(page) == rows  # the same query, run again: the same table
    assert _editor_text(page) == BODIES
    # the link alone, in a fresh page, reproduces it too
    page.goto("about:blank")
    page.goto(server + "/?" + url.query)
    assert _wait_rows(page) == rows
    # without run=1 the link restores the query and does not run it
    page.goto(server + "/?" + urllib.parse.urlencode({"query": CONSTRUCT}))
    page.wait_for_selector(".cm-editor")
    assert _editor_text(page) == CONSTRUCT
    assert page.locator("#results *").count() == 0
    assert page.errors == []


def test_editor_highlights_and_completes_our_prefixes(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.wait_for_selector(".cm-editor")
    _type_query(page, "SELECT ?x WHERE { ?x a thb:Campaign }")
    colours = page.evaluate("""() => {
        const line = document.querySelector('.cm-line');
        const colour = (text) => {
            for (const span of line.querySelectorAll('span')) {
                if (span.textContent === text) return getComputedStyle(span).color;
            }
            return null;
        };
        return {plain: getComputedStyle(line).color, select: colour('SELECT'),
                where: colour('WHERE'), variable: colour('?x')};
    }""")
    assert colours["select"] and colours["select"] != colours["plain"], colours
    assert colours["where"] == colours["select"]  # keywords alike
    # PREFIX declarations: the whole line from the prefix's name
    _type_query(page, "PREFIX el")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    offered = page.locator(".cm-tooltip-autocomplete li").all_inner_texts()
    assert any(o.startswith("eli:") for o in offered), offered
    _accept(page)
    assert _editor_text(page) == f"PREFIX eli: <{PREFIXES['eli']}>"
    # a prefix's terms after the colon
    _type_query(page, "SELECT * WHERE { ?c a thb:Campa")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    offered = page.locator(".cm-tooltip-autocomplete li").all_inner_texts()
    assert any(o.startswith("Campaign") for o in offered), offered
    _accept(page)
    assert _editor_text(page).startswith("SELECT * WHERE { ?c a thb:Campaign")
    assert page.errors == []


@pytest.mark.parametrize(("query", "fmt", "suffix"), [
    (BODIES, "csv", "csv"), (BODIES, "tsv", "tsv"), (BODIES, "json", "srj"),
    (CONSTRUCT, "turtle", "ttl"),
])
def test_download_the_result(server: str, page: Any, tmp_path: Path, query: str, fmt: str,
                             suffix: str) -> None:
    page.goto(server + "/?" + urllib.parse.urlencode({"query": query, "run": "1"}))
    page.wait_for_selector(f"#download-{fmt}", timeout=30_000)
    with page.expect_download() as info:
        page.click(f"#download-{fmt}")
    download = info.value
    assert download.suggested_filename == f"query-result.{suffix}"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    got = path.read_text(encoding="utf-8")
    if fmt == "turtle":
        cli = Graph().parse(data=_cli(query, "turtle"), format="turtle")
        assert set(Graph().parse(data=got, format="turtle")) == set(cli) and len(cli) > 3
    elif fmt == "json":
        doc = json.loads(got)
        assert doc["head"]["vars"] == ["b", "o"]
        assert doc == json.loads(_cli(query, "json"))
    else:
        delimiter = "," if fmt == "csv" else "\t"
        rows = list(csv.reader(io.StringIO(got), delimiter=delimiter))
        cli_rows = list(csv.reader(io.StringIO(_cli(query, fmt)), delimiter=delimiter))
        assert rows == cli_rows and len(rows) > 4
        if fmt == "csv":
            assert rows[0] == ["b", "o"]
            assert ["https://w3id.org/thb-kg/id/body/eurojust-thb-team",
                    "https://w3id.org/thb-kg/id/body/eurojust"] in rows


def test_an_error_shows_its_hint_and_place(server: str, page: Any) -> None:
    page.goto(server + "/?" + urllib.parse.urlencode({"query": CURIE_SLIP, "run": "1"}))
    page.wait_for_selector("#error:not([hidden])", timeout=30_000)
    message = page.inner_text("#error-text")
    assert "SPARQL syntax error" in message
    assert "id:body/unodc is a property path" in message
    assert "<https://w3id.org/thb-kg/id/body/unodc>" in message
    line, column = map(int, re.search(r"\(line (\d+), column (\d+)\)", message).groups())
    assert line == 2
    # the editor marks the place the message names
    page.wait_for_selector(".cm-lintRange-error")
    marked = page.inner_text(".cm-lintRange-error")
    source_line = CURIE_SLIP.splitlines()[line - 1]
    assert source_line[column - 1:].startswith(marked) and marked
    assert page.inner_text("#error-where") == f"Go to line {line}, column {column}"
    page.click("#error-where")
    head = page.evaluate("thbQuery.editor.state.selection.main.from")
    assert head == len(CURIE_SLIP.splitlines()[0]) + 1 + column - 1
    # fixing the query clears the error and its mark
    _type_query(page, "SELECT ?claim WHERE { ?claim thb:about <https://w3id.org/thb-kg/id/body/unodc> }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error", state="hidden")
    assert page.locator(".cm-lintRange-error").count() == 0


@pytest.mark.parametrize("query", [CONSTRUCT, TRIPLES_AS_ROWS])
def test_network_view_of_a_result(server: str, page: Any, shipped: Any, query: str) -> None:
    from kg.network import from_query
    from kg.query import run

    G = from_query(shipped, run(shipped, query))
    page.goto(server + "/?" + urllib.parse.urlencode({"query": query, "run": "1"}))
    page.wait_for_selector("#show-network:not([hidden])", timeout=30_000)
    assert page.evaluate("typeof vis") == "undefined"  # vis-network runs only when drawing
    page.click("#show-network")
    _wait_drawn(page)
    assert page.evaluate("thbView.drawnNodeCount()") == G.number_of_nodes()
    labels = page.evaluate("thbView.data.nodes.map(n => n.label)")
    assert sorted(labels) == sorted(d["label"] for _, d in G.nodes(data=True))
    # the view's own controls work as in kg viz: find a node, open its details
    first = sorted(labels)[0]
    page.fill("#thb-search", first)
    page.click("#thb-search-form button[type=submit]")
    page.wait_for_selector("#thb-details:not([hidden]) h2")
    assert page.inner_text("#thb-details h2") == first
    # back to the table, and a second drawing replaces the first
    page.click("#show-table")
    assert page.is_visible("#results") and not page.is_visible("#network-box")
    page.click("#show-network")
    _wait_drawn(page)
    assert page.evaluate("thbQuery.networkDrawn") == 2
    assert page.locator("#thb-network canvas").count() == 1
    assert page.errors == []


def test_every_library_question_runs_from_the_page(server: str, page: Any) -> None:
    queries = list_queries()
    assert len(queries) == 22
    page.goto(server + "/")
    page.wait_for_selector(".cm-editor")
    for runs, q in enumerate(queries, start=1):
        page.select_option("#examples", q.name)
        assert page.text_content("#question") == q.question
        assert page.text_content("#description") == q.description
        text = _editor_text(page)
        assert text.split("WHERE")[0] in q.sparql  # the library's text, parameters bound
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["query"] == [text]
        page.click("#run")
        page.wait_for_selector(f"#status[data-runs='{runs}']", timeout=30_000)
        status = page.inner_text("#status")
        assert "Error" not in status, (q.name, status, page.inner_text("#error-text"))
    assert page.errors == []


def test_a_whole_session_stays_on_127_0_0_1(server: str, page: Any) -> None:
    """Load, complete, run, draw, download and fail: the route guard blocks and records any
    request that does not go to the server (the fixture fails the test if there is one)."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/")
    page.wait_for_selector(".cm-editor")
    _type_query(page, "SELECT * WHERE { ?s a sk")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    page.keyboard.press("Escape")
    _type_query(page, CONSTRUCT)
    page.keyboard.press("Control+Enter")
    page.click("#show-network", timeout=30_000)
    _wait_drawn(page)
    with page.expect_download():
        page.click("#download-turtle")
    _type_query(page, "SELECT * WHERE { ?s nope:x ?o }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error:not([hidden])")
    assert requests and all(u.startswith(server + "/") for u in requests), requests
    assert {urllib.parse.urlsplit(u).path for u in requests} >= {"/", "/sparql", "/network"}


# ---------------------------------------------------------------- hostile data and links


INJECTION = str(Path(__file__).parent / "data" / "injection")
HOSTILE_QUERY = "SELECT ?x WHERE { BIND(\"</textarea><script>window.__pwned='url'</script>\" AS ?x) }"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with kg_serve(tmp_path_factory.mktemp("cache"), "--workers", "2", data=INJECTION) as base:
        yield base


def _nothing_ran(page: Any, dialogs: list[str]) -> None:
    assert page.evaluate("window.__pwned") is None, "a payload ran"
    assert dialogs == [], "a payload opened a dialog"
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0


def test_hostile_data_and_links_stay_text(hostile_server: str, page: Any) -> None:
    """Labels, tooltips and details from tests/data/injection, and a query in the link that
    tries to close the form's textarea: shown as typed, never run."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_server + "/?" + urllib.parse.urlencode({"query": HOSTILE_QUERY, "run": "1"}))
    _wait_rows(page)
    assert _editor_text(page) == HOSTILE_QUERY
    assert "</textarea><script>" in page.inner_text("#results td")
    _nothing_ran(page, dialogs)
    _type_query(page, "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?label")
    page.keyboard.press("Control+Enter")
    _wait_rows(page)
    page.wait_for_selector("#results td:has-text('<img src=x onerror=alert(1)>')")
    _type_query(page, CONSTRUCT)
    page.keyboard.press("Control+Enter")
    page.click("#show-network", timeout=30_000)
    _wait_drawn(page)
    labels = page.evaluate("thbView.data.nodes.map(n => n.label)")
    assert "<img src=x onerror=alert(1)>" in labels
    page.fill("#thb-search", "<img src=x onerror=alert(1)>")
    page.click("#thb-search-form button[type=submit]")
    page.wait_for_selector("#thb-details:not([hidden]) h2")
    assert page.inner_text("#thb-details h2") == "<img src=x onerror=alert(1)>"
    _nothing_ran(page, dialogs)
    assert page.errors == []
