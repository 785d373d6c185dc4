"""Every IRI resolves on `kg serve`: 303 for things, content negotiation for documents.

A real server on the shipped graph, real clients: rdflib's own URL parser
and curl. Expected statements come from the graph loaded here, not from
hard-coded lists.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from lod_support import graph_sizes, kg_serve, norm, request, triples
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

import kg as kg_api
from kg.lod import PUBLIC_BASE
from kg.lod.conneg import FORMATS

pytestmark = pytest.mark.server

ENTITIES = ("body/unodc", "campaign/blue-heart", "instrument/un-trafficking-protocol",
            "person/myria-vassiliadou", "post/eu-anti-trafficking-coordinator",
            "event/blue-heart-spain-launch-2010")
THB = "https://w3id.org/thb-kg/ontology#"
#: (IRI kind, path asked, the IRI the answer must be about)
KINDS = (
    ("entity", "/id/body/unodc", PUBLIC_BASE + "id/body/unodc"),
    ("graph", "/graph/seed-article", PUBLIC_BASE + "graph/seed-article"),
    ("ontology", "/ontology", PUBLIC_BASE + "ontology"),
    ("term", "/ontology#Campaign", THB + "Campaign"),
)
#: Accept header -> (status, media type, rdflib parser or "html")
ACCEPTS = {
    "text/html": (200, "text/html", "html"),
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": (200, "text/html", "html"),
    "text/turtle": (200, "text/turtle", "turtle"),
    "application/ld+json": (200, "application/ld+json", "json-ld"),
    "application/n-triples": (200, "application/n-triples", "nt"),
    "application/rdf+xml": (200, "application/rdf+xml", "xml"),
    "application/trig": (200, "application/trig", "trig"),
    "application/n-quads": (200, "application/n-quads", "nquads"),
    "*/*": (200, "text/turtle", "turtle"),
    "image/png": (406, "text/plain", None),
    "application/sparql-results+json, text/csv": (406, "text/plain", None),
}





@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with kg_serve(tmp_path_factory.mktemp("cache")) as base:
        yield base


@pytest.fixture(scope="module")
def graph() -> kg_api.KnowledgeGraph:
    return kg_api.load(store="oxigraph")







def _about(g: kg_api.KnowledgeGraph, iri: str) -> set[tuple]:
    return triples(g.dataset.quads((URIRef(iri), None, None, None)))


def _curl(url: str, accept: str | None) -> tuple[int, str, bytes]:
    """curl -L: the final status, Content-Type and body."""
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    cmd = ["curl", "-s", "-L", "-o", "-", "-w", "\n%{http_code} %{content_type}"]
    if accept is not None:
        cmd += ["-H", f"Accept: {accept}"]
    out = subprocess.run(cmd + [url], capture_output=True, timeout=60, check=True).stdout
    body, _, tail = out.rpartition(b"\n")
    status, _, ctype = tail.decode().partition(" ")
    return int(status), ctype, body


# ------------------------------------------------------------ rdflib as a client


@pytest.mark.parametrize("path", ENTITIES)
def test_rdflib_parses_an_entity_iri(server: str, graph: kg_api.KnowledgeGraph, path: str) -> None:
    """rdflib's own URL loader (its Accept header, the 303, its format guess) gets every
    statement the graph makes about the entity."""
    expected = _about(graph, PUBLIC_BASE + "id/" + path)
    assert len(expected) > 3
    node = URIRef(PUBLIC_BASE + "id/" + path)
    blanks = [o for _s, _p, o, _g in graph.dataset.quads((node, None, None, None))
              if isinstance(o, BNode)]
    expected |= {t for b in blanks for t in triples(graph.dataset.quads((b, None, None, None)))}
    got = Graph().parse(server + "/id/" + path)
    missing = expected - triples(got)
    assert not missing, sorted(missing)[:5]
    assert sum(isinstance(o, BNode) for o in got.objects(node, None)) == len(set(blanks))
    doc = URIRef(server + "/doc/" + path)
    assert (doc, FOAF.primaryTopic, URIRef(PUBLIC_BASE + "id/" + path)) in got


@pytest.mark.parametrize("path", ENTITIES[:2])
def test_trig_keeps_each_statement_in_its_source_graph(
    server: str, graph: kg_api.KnowledgeGraph, path: str
) -> None:
    iri = URIRef(PUBLIC_BASE + "id/" + path)
    expected = {(norm(s), p, norm(o), getattr(g, "identifier", g))
                for s, p, o, g in graph.dataset.quads((iri, None, None, None))}
    ds = Dataset()
    ds.parse(server + "/id/" + path, format="trig")
    got = {(s, p, norm(o), getattr(g, "identifier", g))
           for s, p, o, g in ds.quads((iri, None, None, None))}
    assert expected <= got
    sources = {q[3] for q in expected}
    doc = URIRef(server + "/doc/" + path)
    assert {o for o in ds.default_graph.objects(doc, DCTERMS.source)} >= sources
    for g in sources:  # the provenance section: where each source came from
        assert (g, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None) in ds.default_graph


# ------------------------------------------------------------ the curl matrix


@pytest.mark.parametrize("accept", list(ACCEPTS))
@pytest.mark.parametrize(("kind", "path", "iri"), KINDS, ids=[k[0] for k in KINDS])
def test_content_negotiation_matrix(server: str, graph: kg_api.KnowledgeGraph, kind: str,
                                    path: str, iri: str, accept: str) -> None:
    status, ctype, body = _curl(server + path, accept)
    want_status, want_type, parser = ACCEPTS[accept]
    assert status == want_status
    assert ctype.split(";")[0] == want_type
    if parser is None:  # 406 lists what we give
        for f in FORMATS.values():
            assert f.media_type in body.decode()
        return
    if parser == "html":
        text = body.decode()
        assert "<script" not in text
        if kind == "term":
            assert f'id="{iri.rsplit("#", 1)[1]}"' in text
        else:
            assert iri in text
        for f in FORMATS.values():
            if f.name != "html":
                assert f'type="{f.media_type}"' in text  # <link rel="alternate">
        return
    ds = Dataset()
    ds.parse(data=body, format=parser, publicID=server + path)
    subjects = {s for s, _p, _o, _g in ds.quads((None, None, None, None))}
    objects = {o for _s, _p, o, _g in ds.quads((None, None, None, None))}
    assert URIRef(iri) in subjects | objects
    if kind in ("entity", "term"):
        assert _about(graph, iri) <= triples(ds.quads((None, None, None, None)))


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize(("kind", "path", "iri"), KINDS[:3], ids=[k[0] for k in KINDS[:3]])
def test_format_override_and_suffix(server: str, kind: str, path: str, iri: str, fmt: str) -> None:
    """``?format=`` beats the Accept header; the suffix URL gives the same bytes."""
    status, headers, body = request(server + path + f"?format={fmt}", accept="image/png")
    assert status == 200
    assert headers["content-type"].split(";")[0] == FORMATS[fmt].media_type
    final = headers["content-location"]
    assert final.endswith(FORMATS[fmt].suffix)
    status2, headers2, body2 = request(final, accept="image/png")
    assert status2 == 200 and headers2["content-type"] == headers["content-type"]
    if fmt not in ("jsonld", "html"):  # JSON-LD and HTML key order may vary
        assert body2 == body


def test_id_answers_303_to_a_document_that_says_what_it_describes(server: str) -> None:
    status, headers, _ = request(server + "/id/body/unodc?format=turtle", follow=False)
    assert status == 303
    assert headers["location"] == server + "/doc/body/unodc?format=turtle"
    status, headers, body = request(server + "/doc/body/unodc", accept="text/turtle")
    assert status == 200 and "accept" in headers["vary"].lower()
    g = Graph().parse(data=body, format="turtle")
    doc = URIRef(server + "/doc/body/unodc")
    assert (doc, RDF.type, FOAF.Document) in g
    assert (doc, FOAF.primaryTopic, URIRef(PUBLIC_BASE + "id/body/unodc")) in g
    formats = {str(o) for o in g.objects(doc, DCTERMS.hasFormat)}
    assert formats == {str(doc) + f.suffix for f in FORMATS.values()}
    links = headers["link"]
    for f in FORMATS.values():
        if f.name != "turtle":
            assert f'type="{f.media_type}"' in links


def test_head_unknown_and_bad_format(server: str) -> None:
    status, headers, body = request(server + "/doc/body/unodc", method="HEAD", accept="text/turtle")
    assert status == 200 and body == b"" and headers["content-type"].startswith("text/turtle")
    assert request(server + "/id/body/no-such-body")[0] == 404
    assert request(server + "/graph/no-such-graph")[0] == 404
    status, _, body = request(server + "/doc/body/unodc?format=pdf")
    assert status == 400 and b"turtle" in body
    assert request(server + "/doc/body/unodc", method="POST", data=b"x")[0] == 405


def test_html_escapes_what_the_data_holds(server: str, graph: kg_api.KnowledgeGraph) -> None:
    """Every literal is escaped: none of the page's markup comes from the data."""
    from markupsafe import escape

    _status, _h, body = request(server + "/graph/seed-article", accept="text/html")
    text = body.decode()
    literals = [str(o) for _s, _p, o, g in graph.dataset.quads((None, None, None, None))
                if str(getattr(g, "identifier", g)).endswith("/seed-article")
                and any(c in str(o) for c in "<>&\"'")]
    assert literals
    for lit in literals:
        assert str(escape(lit)) in text
        if "<" in lit:
            assert lit not in text


def test_void_is_served_and_counts_come_from_the_graph(
    server: str, graph: kg_api.KnowledgeGraph
) -> None:
    from kg.lod.void import VOID

    status, headers, body = request(server + "/.well-known/void", accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    dataset = URIRef(PUBLIC_BASE + ".well-known/void#thb-kg")
    subsets = set(g.objects(dataset, VOID.subset))
    sizes = graph_sizes(graph)
    assert subsets == set(sizes)
    for n, size in sizes.items():
        assert int(g.value(n, VOID.triples)) == size
    status, headers, body = request(server + "/.well-known/void", accept="application/ld+json")
    assert status == 200 and json.loads(body)
    status, headers, body = request(server + "/.well-known/void", accept="image/png")
    assert status == 406


def test_dump_named_in_void_answers(server: str) -> None:
    status, headers, body = request(server + "/data/thb-kg.nq")
    assert status == 200 and headers["content-type"].startswith("application/n-quads")
    ds = Dataset()
    ds.parse(data=body, format="nquads")
    assert len(ds) > 0 or sum(1 for _ in ds.quads((None, None, None, None))) > 1000
