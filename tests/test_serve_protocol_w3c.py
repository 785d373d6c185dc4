"""The W3C SPARQL 1.1 Protocol test cases against a live `kg serve`, with a real HTTP client.

The cases are read from the W3C manifest itself (``tests/data/w3c-sparql-protocol/``,
vendored unchanged with its licence): each ``mf:ProtocolTest`` is one parameter,
its requests sent in order with httpx, each response checked against
``mf:expectedStatus``, ``mf:expectedFormat`` and ``mf:expectedBoolean``.

The server runs on a data folder holding the graphs the cases name:
``data1.nt``-``data3.nt`` under the IRIs of their ``ut:graphData`` labels, as
the suite says to load them, and ``data0.rdf``, which several cases name in
``default-graph-uri`` but the suite does not ship. Those cases' queries (``ASK {}``,
``SELECT (1 AS ?value) {}``, ``CONSTRUCT { <s> <p> 1 } WHERE {}``, ``DESCRIBE
<http://example.org/>``) answer the same whatever the graph holds, so it holds
one triple of the same shape as the others. Loading it here stands in for
fetching it from the web, which this endpoint never does: a graph IRI it does
not hold is refused (see ``test_graph_uri_outside_our_graphs_is_refused``).

Cases that do not apply to a read-only endpoint, each with its reason, are in
:data:`NOT_APPLICABLE`; :func:`test_update_cases_are_refused` checks that each
of them is refused as the endpoint documents (403 with a sentence).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import kg_serve
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.query import Result

pytestmark = pytest.mark.server

SUITE = Path(__file__).parent / "data" / "w3c-sparql-protocol"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"

_UPDATE = ("an update: this endpoint is read-only and refuses every update with 403 "
           "(test_update_cases_are_refused), so the update's effect cannot be checked")
#: The manifest's cases that do not apply to a read-only endpoint, and why.
NOT_APPLICABLE = {
    "update_dataset_default_graph": _UPDATE,
    "update_dataset_default_graphs": _UPDATE,
    "update_dataset_named_graphs": _UPDATE,
    "update_dataset_full": _UPDATE,
    "update_post_form": _UPDATE,
    "update_post_direct": _UPDATE,
    "update_base_uri": _UPDATE + "; its expectation is prose (mf:expectation), not a status",
}

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle",
             "application/n-triples": "nt"}


def _manifest() -> Graph:
    return Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=BASE)


def _cases() -> list[tuple[str, URIRef]]:
    g = _manifest()
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    entries = Collection(g, g.value(manifest, MF.entries))
    return [(str(e).removeprefix(BASE), e) for e in entries]


CASES = _cases()


def _requests(g: Graph, case: URIRef) -> list[dict[str, Any]]:
    action = g.value(case, MF.action)
    out = []
    for req in Collection(g, g.value(action, HT.requests)):
        headers = {}
        if g.value(req, HT.headers) is not None:
            for h in Collection(g, g.value(req, HT.headers)):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = None
        node = g.value(req, HT.body)
        if node is not None:
            encoding = str(g.value(node, CNT.characterEncoding) or "UTF-8")
            body = str(g.value(node, CNT.chars)).encode(encoding.lower())
        resp = g.value(req, HT.resp)
        out.append({
            "method": str(g.value(req, HT.methodName)),
            "path": str(g.value(req, HT.absolutePath)),
            "headers": headers,
            "body": body,
            "status": {str(s).removeprefix(str(HTS)) for s in g.objects(resp, MF.expectedStatus)},
            "format": g.value(resp, MF.expectedFormat),
            "boolean": g.value(resp, MF.expectedBoolean),
        })
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve` on the graphs the cases name (see the module's docstring)."""
    g = _manifest()
    folder = tmp_path_factory.mktemp("protocol-data")
    graphs = {DATA0: (f"<{DATA0}> <{RDF.type}> <http://xmlns.com/foaf/0.1/Document> .\n")}
    for spec in g.objects(None, UT.graphData):
        name = str(g.value(spec, RDFS.label))
        graphs[name] = (SUITE / Path(str(g.value(spec, UT.graph))).name).read_text()
    trig = "".join(f"<{name}> {{\n{triples}}}\n" for name, triples in sorted(graphs.items()))
    (folder / "protocol.trig").write_text(trig, encoding="utf-8")
    with kg_serve(tmp_path_factory.mktemp("cache"), "--workers", "2",
                  data=str(folder)) as base:
        yield base


def _check_format(expected: str, response: httpx.Response) -> Any:
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if expected in ("boolean", "tabular"):
        allowed = ({"application/sparql-results+json", "application/sparql-results+xml"}
                   if expected == "boolean" else set(RESULT_TYPES))
        assert media in allowed, f"{media} for {expected} results"
        if media.endswith("+json"):
            doc = json.loads(response.content)
            return doc.get("boolean") if expected == "boolean" else doc["results"]["bindings"]
        result = Result.parse(io.BytesIO(response.content), format=RESULT_TYPES[media])
        return result.askAnswer if expected == "boolean" else list(result)
    assert expected == "RDF"
    assert media in RDF_TYPES, f"{media} for an RDF result"
    return Graph().parse(data=response.content, format=RDF_TYPES[media])


@pytest.mark.parametrize(("name", "case"), [
    pytest.param(name, case, id=name,
                 marks=[pytest.mark.skip(reason=NOT_APPLICABLE[name])]
                 if name in NOT_APPLICABLE else [])
    for name, case in CASES
])
def test_w3c_protocol_case(server: str, name: str, case: URIRef) -> None:
    g = _manifest()
    requests = _requests(g, case)
    assert requests, name
    with httpx.Client(base_url=server, timeout=60, follow_redirects=False) as client:
        for req in requests:
            assert req["path"].startswith("/sparql/")
            path = "/sparql" + req["path"].removeprefix("/sparql/")
            response = client.request(req["method"], path, headers=req["headers"],
                                      content=req["body"])
            klass = f"StatusCode{response.status_code // 100}xx"
            assert klass in req["status"], (name, response.status_code, response.text[:300])
            if klass == "StatusCode4xx":
                assert response.text.strip(), "a refusal says why"
                assert "Traceback" not in response.text
            if req["format"] is not None:
                answer = _check_format(str(req["format"]), response)
                if req["boolean"] is not None:
                    assert answer is req["boolean"].toPython(), (name, response.text)


def test_every_case_is_run_or_listed_with_a_reason() -> None:
    names = [name for name, _ in CASES]
    assert len(names) == 34 and len(set(names)) == 34
    assert set(NOT_APPLICABLE) <= set(names)
    assert all(n.startswith("update_") for n in NOT_APPLICABLE)
    run = [n for n in names if n not in NOT_APPLICABLE]
    assert len(run) == 27


@pytest.mark.parametrize("name", sorted(NOT_APPLICABLE))
def test_update_cases_are_refused(server: str, name: str) -> None:
    """The update cases' first request (the update itself) gets 403 and a sentence."""
    g = _manifest()
    case = dict(CASES)[name]
    first = _requests(g, case)[0]
    path = "/sparql" + first["path"].removeprefix("/sparql/")
    response = httpx.request(first["method"], server + path, headers=first["headers"],
                             content=first["body"], timeout=60)
    assert response.status_code == 403
    assert "read-only" in response.text


@pytest.mark.parametrize(("headers", "body", "says"), [
    ({}, b"query=ASK%20%7B%7D", "needs a Content-Type"),
    ({"Content-Type": "application/sparql-query; charset=UTF-16"}, "ASK {}".encode("utf-16"),
     "UTF-8"),
])
def test_refusals_say_what_to_send(server: str, headers: dict[str, str], body: bytes,
                                   says: str) -> None:
    """bad_query_missing_form_type and bad_query_non_utf8: a 400 that names the fix."""
    response = httpx.post(server + "/sparql", headers=headers, content=body, timeout=60)
    assert response.status_code == 400 and says in response.text


def test_relative_iris_resolve_against_the_endpoint(server: str) -> None:
    """query_content_type_construct's ``<s>``: the base IRI is the endpoint's address."""
    response = httpx.post(server + "/sparql", content=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "application/n-triples"}, timeout=60)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="nt")
    assert {(str(s), str(p)) for s, p, _ in graph} == {(server + "/s", server + "/p")}
