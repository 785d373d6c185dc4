"""The static site's machine-readable files: .ttl/.jsonld beside each entity page, VoID in data/.

One site is built from the shipped graph; every file is parsed back and
compared with the graph it came from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lod_support import graph_sizes, norm
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF

import kg as kg_api
from kg.lod.void import VOID
from kg.site import build_site

#: format name -> (suffix, rdflib parser, media type)
FILES = {"turtle": (".ttl", "turtle", "text/turtle"),
         "jsonld": (".jsonld", "json-ld", "application/ld+json")}







@pytest.fixture(scope="module")
def graph() -> kg_api.KnowledgeGraph:
    return kg_api.load(store="oxigraph")


@pytest.fixture(scope="module")
def site(graph: kg_api.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lod") / "site"
    build_site(graph, out)
    return out


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "e").rglob("*.html"))


@pytest.mark.parametrize("fmt", list(FILES))
def test_each_entity_page_has_its_data_beside_it(
    site: Path, graph: kg_api.KnowledgeGraph, fmt: str
) -> None:
    suffix, parser, media = FILES[fmt]
    pages = _pages(site)
    assert len(pages) > 100
    default = graph.dataset.default_graph.identifier
    for page in pages:
        data = page.with_suffix(suffix)
        assert data.is_file(), data
        html = page.read_text(encoding="utf-8")
        assert f'<link rel="alternate" type="{media}" href="{data.name}">' in html
        ds = Dataset()
        ds.parse(data, format=parser, publicID=data.as_uri())
        meta = {(s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))}
        topics = [o for s, p, o in meta if s == URIRef(data.as_uri()) and p == FOAF.primaryTopic]
        assert len(topics) == 1, data
        iri = topics[0]
        quads = [q for pattern in ((iri, None, None, None), (None, None, iri, None))
                 for q in graph.dataset.quads(pattern)]
        quads += [q for s, _p, o, _g in list(quads) if s == iri and isinstance(o, BNode)
                  for q in graph.dataset.quads((o, None, None, None))]
        want = {(norm(s), p, norm(o), getattr(g, "identifier", g)) for s, p, o, g in quads
                if getattr(g, "identifier", g) != default}
        assert want, iri
        if fmt == "jsonld":  # quads: each statement in its source graph
            got = {(norm(s), p, norm(o), getattr(g, "identifier", g))
                   for s, p, o, g in ds.quads((None, None, None, None))}
            assert want <= got, (iri, sorted(want - got)[:3])
        else:  # triples, and the sources as a provenance section
            got3 = {(norm(s), p, norm(o)) for s, p, o in meta}
            assert {q[:3] for q in want} <= got3, (iri, sorted({q[:3] for q in want} - got3)[:3])
            sources = {o for s, p, o in meta if s == URIRef(data.as_uri()) and p == DCTERMS.source}
            assert sources == {q[3] for q in want}


def test_site_void_counts_each_source_graph(site: Path, graph: kg_api.KnowledgeGraph) -> None:
    for suffix, parser in ((".ttl", "turtle"), (".jsonld", "json-ld")):
        g = Graph().parse(site / "data" / f"void{suffix}", format=parser)
        dataset = URIRef("https://w3id.org/thb-kg/.well-known/void#thb-kg")
        subsets = set(g.objects(dataset, VOID.subset))
        sizes = graph_sizes(graph)
        named = set(sizes)
        assert subsets == named
        for n in named:
            assert int(g.value(n, VOID.triples)) == sizes[n]
        default = graph.dataset.default_graph.identifier
        distinct = {(s, p, o) for s, p, o, c in graph.dataset.quads((None, None, None, None))
                    if getattr(c, "identifier", c) != default}
        assert int(g.value(dataset, VOID.triples)) == len(distinct)


def test_downloads_page_lists_the_void_files(site: Path) -> None:
    text = (site / "downloads.html").read_text(encoding="utf-8")
    for name in ("data/void.ttl", "data/void.jsonld"):
        assert re.search(rf'href="[^"]*{re.escape(name)}"', text), name


# ------------------------------------------------------- kg serve --site, and its row cap


@pytest.fixture(scope="module")
def served_site(site: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """`kg serve --site SITE --max-rows 20` on the shipped graph."""
    from lod_support import kg_serve

    with kg_serve(tmp_path_factory.mktemp("cache"), "--site", str(site), "--max-rows", "20") as b:
        yield b


@pytest.mark.parametrize("path", ["body/unodc", "campaign/blue-heart"])
def test_html_for_an_entity_is_the_sites_page(served_site: str, site: Path, path: str) -> None:
    from lod_support import request

    from kg.site import page_path

    iri = "https://w3id.org/thb-kg/id/" + path
    status, headers, _ = request(served_site + "/doc/" + path, accept="text/html", follow=False)
    assert status == 303
    assert headers["location"] == served_site + "/site/" + page_path(iri)
    status, headers, body = request(served_site + "/id/" + path, accept="text/html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert body == (site / page_path(iri)).read_bytes()
    status, headers, _ = request(served_site + "/id/" + path, accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")


def test_site_mount_stays_inside_the_folder(served_site: str) -> None:
    from lod_support import request

    for path in ("/site/../pyproject.toml", "/site/%2e%2e/%2e%2e/etc/passwd"):
        status, _h, body = request(served_site + path)
        assert status == 404 and b"[project]" not in body and b"root:" not in body


def test_a_document_is_capped_at_the_row_limit(served_site: str) -> None:
    from lod_support import request

    status, headers, body = request(served_site + "/graph/seed-article", accept="application/n-quads")
    assert status == 200
    assert "x-result-truncated" in headers
    ds = Dataset()
    ds.parse(data=body, format="nquads")
    graph = URIRef("https://w3id.org/thb-kg/graph/seed-article")
    assert sum(1 for _ in ds.quads((None, None, None, graph))) == 20


def test_serve_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "kg", "serve", "--site", str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "kg site --out" in r.stderr and "Traceback" not in r.stderr


def test_site_ontology_page_has_an_anchor_per_term(site: Path, graph: kg_api.KnowledgeGraph) -> None:
    """``ontology#Campaign`` lands on its term in the site's page too."""
    from rdflib.namespace import RDFS

    ns = "https://w3id.org/thb-kg/ontology#"
    terms = {str(s)[len(ns):] for s, _p, _o, g in graph.dataset.quads((None, RDFS.label, None, None))
             if str(s).startswith(ns) and str(getattr(g, "identifier", g)).endswith("/ontology")}
    assert len(terms) > 40
    text = (site / "ontology.html").read_text(encoding="utf-8")
    missing = [t for t in sorted(terms) if f'id="{t}"' not in text]
    assert not missing


def test_html_for_the_ontology_is_the_sites_page(served_site: str) -> None:
    from lod_support import request

    status, headers, _ = request(served_site + "/ontology", accept="text/html", follow=False)
    assert status == 303 and headers["location"] == served_site + "/site/ontology.html"
    status, headers, _ = request(served_site + "/ontology", accept="application/rdf+xml")
    assert status == 200 and headers["content-type"].startswith("application/rdf+xml")
