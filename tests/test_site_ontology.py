"""The ontology page a researcher can cite (issue 12, item 8): an anchor per term by
name, domain, range, super-properties, inverse and label, counts from the whole graph
(not the network's nodes), and a class diagram drawn as SVG on the server."""

from __future__ import annotations

import re

import pytest

import kg as kg_api
from kg.query import run
from kg.site import build_site


@pytest.fixture(scope="module")
def graph() -> kg_api.KnowledgeGraph:
    return kg_api.load()


@pytest.fixture(scope="module")
def page(graph: kg_api.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("ontology") / "site"
    build_site(graph, out)
    return (out / "ontology.html").read_text("utf-8")


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section class="term" id="{anchor}">')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (
            "hasGuardian",
            [
                "has guardian",
                "domain",
                "#eli-LegalResource",
                "inverse",
                "#guardianOf",
                "sub-property of",
                "#eli-responsibility_of_agent",
            ],
        ),
        ("supplements", ["domain", "range", "#supplementedBy"]),
        ("replaces", ["#eli-repeals", "#replacedBy"]),
        ("Claim", ["claim", "sub-class of"]),
    ],
)
def test_each_term_has_a_named_anchor_and_its_definition(
    page: str, anchor: str, expected: list[str]
) -> None:
    section = _section(page, anchor)
    for text in expected:
        assert text in section, (anchor, text)


@pytest.mark.parametrize(
    "curie", ["thb:Claim", "thb:Campaign", "eli:LegalResource", "thb:Report", "thb:Event"]
)
def test_class_counts_come_from_the_whole_graph(
    graph: kg_api.KnowledgeGraph, page: str, curie: str
) -> None:
    n = run(
        graph,
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a {curie} }} "
        "FILTER(?g != graph:ontology) }",
    ).rows[0][0]
    local = curie.split(":")[1]
    anchor = local if curie.startswith("thb:") else f"eli-{local}"
    section = _section(page, anchor)
    assert re.search(rf"<dt>instances in the graph</dt><dd>{int(n)}</dd>", section)
    assert int(n) > 0


def test_no_used_term_is_called_unused(page: str) -> None:
    assert "No instances" not in page and "Not used" not in page
    counts = re.findall(r"<dt>(?:instances|statements) in the graph</dt><dd>(\d+)", page)
    assert len(counts) > 80


def test_property_counts_are_statements_in_the_sources(
    graph: kg_api.KnowledgeGraph, page: str
) -> None:
    n = run(
        graph,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s thb:hasGuardian ?o } "
        "FILTER(?g NOT IN (graph:ontology, graph:inferred)) }",
    ).rows[0][0]
    assert f"<dd>{int(n)}" in _section(page, "hasGuardian")


def test_the_class_diagram_links_every_box_to_its_term(page: str) -> None:
    svg = page[
        page.index('<svg class="diagram"') : page.index(
            "</svg>", page.index('<svg class="diagram"')
        )
    ]
    anchors = re.findall(r'<a href="#([^"]+)">', svg)
    assert {"Claim", "Campaign", "Report"} <= set(anchors)
    for a in anchors:
        assert f'id="{a}"' in page, a
    assert "has guardian" in svg and "<script" not in svg
