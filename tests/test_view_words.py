"""Words a student knows in the network view (issue 12, item 6).

Each relation once, read from the node in front of the reader; kinds in
words ("EU body"), never CURIEs; roles, occupations, indicators and claim
types are what an edge says, not relation filters; "only this source" in
one click. Checked on the data the page gets and in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_view_browser import node_index, shared_browser, visit

import kg as kg_api
from kg.namespaces import PREFIXES
from kg.network import Qualified, select, to_networkx
from kg.view import render, view_data
from kg.view_words import NAMED_RELATIONS, ROLE_RELATIONS

ID = "https://w3id.org/thb-kg/id/"
CURIE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in PREFIXES if p) + r"):[A-Za-z_]")


@pytest.fixture(scope="module")
def shipped() -> Any:
    return kg_api.load()


@pytest.fixture(scope="module", params=["collapse", "keep"])
def graph(request: pytest.FixtureRequest, shipped: Any) -> Any:
    return select(shipped, qualified=Qualified(request.param))


def test_no_relation_is_drawn_twice(graph: Any) -> None:
    """No edge has its inverse between the same two nodes ("has guardian" and "guardian of")."""
    data = view_data(graph)
    inverse = graph.graph["inverse_labels"]
    seen = {
        (e["from"], e["to"], data["relations"][e["rel"]], e.get("role") or e.get("say", ""))
        for e in data["edges"]
    }
    assert len(seen) == len(data["edges"])
    twice = [
        (a, b, rel)
        for a, b, rel, role in seen
        if (b, a, inverse.get(rel), role) in seen and (a, b) != (b, a)
    ]
    assert twice == []
    # collapsed, a custodianship meets thb:hasGuardian: both directions were there to fold
    labels = {(u, v, d["label"]) for u, v, d in graph.edges(data=True)}
    pairs = any((v, u, inverse.get(rel)) in labels for u, v, rel in labels)
    assert pairs == (graph.graph["qualified"] == "collapse")
    assert data["inverse"] == [inverse.get(r) for r in data["relations"]]


def test_folded_edges_keep_every_source(shipped: Any) -> None:
    G = to_networkx(shipped)
    data = view_data(G)
    protocol = data["details"].index(
        next(d for d in data["details"] if d["iri"] == ID + "instrument/un-trafficking-protocol")
    )
    unodc = [d["iri"] for d in data["details"]].index(ID + "body/unodc")
    edges = [e for e in data["edges"] if {e["from"], e["to"]} == {protocol, unodc}]
    assert len(edges) == 1
    stated = {
        g
        for u, v, d in G.edges(data=True)
        if {u, v} == {ID + "instrument/un-trafficking-protocol", ID + "body/unodc"}
        for g in d["sources"]
    }
    assert {data["sources"][s]["iri"] for s in edges[0]["src"]} == stated


def test_roles_and_indicators_are_not_relation_filters(graph: Any) -> None:
    data = view_data(graph)
    named = {
        d["label"]
        for _u, _v, d in graph.edges(data=True)
        if d.get("predicate") in NAMED_RELATIONS and d["label"] != NAMED_RELATIONS[d["predicate"]]
    }
    if graph.graph["qualified"] == "collapse":
        assert {"actress", "journalist", "Executive Director"} <= named
    assert named.isdisjoint(data["relations"])
    roles = {e["role"] for e in data["edges"] if "role" in e}
    said = {e["say"] for e in data["edges"] if "say" in e}
    assert roles | said == named
    role_labels = {
        d["label"] for _u, _v, d in graph.edges(data=True) if d.get("predicate") in ROLE_RELATIONS
    }
    assert roles == role_labels - {NAMED_RELATIONS[p] for p in ROLE_RELATIONS}


def test_classes_in_words_never_curies(graph: Any) -> None:
    data = view_data(graph)
    words = {t for d in data["details"] for t in d["types"]}
    assert "public organisation" in words or graph.graph["qualified"] == "keep"
    assert [t for t in words if CURIE.search(t) or "://" in t] == []


# ---------------------------------------------------------------- in the browser


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@pytest.fixture(scope="module")
def page(shipped: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("words") / "graph.html"
    render(to_networkx(shipped), title="thb-kg").write(path)
    return path


def details(v: Any, iri: str) -> tuple[str, list[str]]:
    v.js(f"thbView.select({node_index(v, iri)}, true)")
    rows = v.js("[...document.querySelectorAll('.thb-relations-list li')].map(li => li.innerText)")
    return v.page.inner_text("#thb-details .thb-kind"), rows


@pytest.mark.browser
@pytest.mark.parametrize(
    ("iri", "kind", "row", "absent"),
    [
        (
            ID + "instrument/un-trafficking-protocol",
            "UN legal instrument",
            "has guardian United Nations Office on Drugs and Crime",
            "guardian of",
        ),
        (
            ID + "body/unodc",
            "UN body",
            "guardian of UN Trafficking in Persons Protocol",
            "has guardian",
        ),
        (ID + "body/europol", "EU body", "established by Europol Convention", "establishes"),
        (
            ID + "body/greta",
            "Council of Europe body",
            "monitors Council of Europe Convention",
            "monitored by",
        ),
        (ID + "person/belen-rueda", "person", "as actress", "associated with Belen Rueda"),
    ],
)
def test_details_read_each_relation_once_in_words(
    browser: Any, page: Path, iri: str, kind: str, row: str, absent: str
) -> None:
    v = visit(browser, page)
    shown_kind, rows = details(v, iri)
    assert shown_kind == kind
    assert [r for r in rows if row in r], rows
    assert not [r for r in rows if r.startswith(absent)], rows
    lines = [r.split(" \u2014 ")[0] for r in rows]
    assert len(lines) == len(set(lines)), "a relation is listed twice"
    assert not CURIE.search(
        v.page.inner_text("#thb-details").replace(
            v.js(f"thbView.data.details[{node_index(v, iri)}].iri"), ""
        )
    )
    assert v.console_errors == []


@pytest.mark.browser
def test_relation_filter_lists_relations_not_roles(browser: Any, page: Path) -> None:
    v = visit(browser, page)
    listed = v.js("[...document.querySelectorAll('#thb-relations label')].map(l => l.textContent)")
    names = [re.sub(r" \(\d+\)$", "", x) for x in listed]
    assert "member of" in names and "associated with" in names
    assert not {"actress", "journalist", "Executive Director"} & set(names)


@pytest.mark.browser
def test_only_this_source_in_one_click(browser: Any, page: Path) -> None:
    v = visit(browser, page)
    data = v.js("thbView.data")
    i = max(range(len(data["sources"])), key=lambda s: sum(s in e["src"] for e in data["edges"]))
    v.page.click("#thb-view summary:has-text('Sources')")
    v.page.locator("#thb-sources li").nth(i + 1).locator("button.thb-only").click()
    drawn = v.js(
        "thbView.edges.get().filter(e => !e.hidden && !thbView.network.body.nodes[e.from].options.hidden"
        " && !thbView.network.body.nodes[e.to].options.hidden).map(e => e.id)"
    )
    expected = [k for k, e in enumerate(data["edges"]) if i in e["src"]]
    assert sorted(drawn) == expected and expected
    checked = v.js("[...document.querySelectorAll('#thb-sources input')].map(b => b.checked)")
    assert checked == [k == i for k in range(len(data["sources"]))]
    v.page.click("#thb-sources button.thb-all")
    assert v.js("thbView.drawnEdgeCount()") == len(data["edges"])
