"""kg.view and `kg viz`: one offline page, escaped data, a stable layout."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import networkx as nx
import pytest

import kg as kg_api
from kg.cli import main
from kg.network import KINDS, to_networkx
from kg.view import PHYSICS_LIMIT, View, json_for_script, layout, render, view_data, viz

DATA = Path(__file__).parent / "data"
INJECTION = DATA / "injection"
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>window.__pwned='tooltip'</script>",
    "</script><script>window.__pwned='json'</script><!--",
    "<script>window.__pwned='source-title'</script>",
)


@pytest.fixture(scope="module")
def sample(store: str) -> kg_api.KnowledgeGraph:
    return kg_api.load(INJECTION, store=store)


@pytest.fixture(scope="module")
def page(sample: kg_api.KnowledgeGraph) -> View:
    return render(to_networkx(sample), title="Sample")


def data_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="thb-data">(.*?)</script>', html, re.S)
    assert m, "no data element"
    return json.loads(m.group(1))


def synthetic(n: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """n nodes, about 2 edges per node, attributes as kg.network writes them."""
    import random

    rnd = random.Random(seed)
    G = nx.MultiDiGraph()
    G.graph["sources"] = {"urn:s": {"title": "s", "document": None, "unconfirmed": False}}
    kinds = [k.key for k in KINDS]
    for i in range(n):
        G.add_node(
            f"urn:n{i}", iri=f"urn:n{i}", label=f"node {i}", alt=[], kind=kinds[i % len(kinds)],
            types=[], facts=[], notes=[], links=[], sources=["urn:s"], unconfirmed=False,
        )
    for i in range(1, n):
        for j in {rnd.randrange(i), rnd.randrange(i)}:
            G.add_edge(f"urn:n{i}", f"urn:n{j}", key="p", predicate="urn:p", label="links",
                       sources=["urn:s"], qualified=None, facts=[], unconfirmed=False)
    return G


# ---------------------------------------------------------------- offline, escaped


def test_page_is_self_contained(page: View) -> None:
    html = page.html
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", html, re.I), (
        "the page loads a file"
    )
    assert "vis-network" in html and "thbView" in html
    assert not re.search(r"https?://[^\"'\s]*(cdn|bootstrap|unpkg|jsdelivr)", html, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?://", html)
    csp = html_lib.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    )
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "'unsafe-eval'" not in csp
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", csp)) == 2  # vis-network and our script


def test_every_payload_is_escaped(page: View) -> None:
    for payload in PAYLOADS:
        assert payload not in page.html, payload
    data = data_of(page.html)
    labels = {n["label"] for n in data["nodes"]}
    assert "<img src=x onerror=alert(1)>" in labels  # intact as data, shown as text
    assert any(s["title"].startswith("<script>") for s in data["sources"])
    # the javascript: links are gone
    assert "javascript:" not in json.dumps([d["links"] for d in data["details"]])
    assert all(s["href"] is None or s["href"].startswith("http") for s in data["sources"])


def test_the_title_is_escaped(sample: kg_api.KnowledgeGraph) -> None:
    html = render(to_networkx(sample), title="<b>bold</b> & co").html
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html


def test_json_for_script_escapes_html_specials() -> None:
    text = str(json_for_script({"x": "</script>&<!--\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"x": "</script>&<!--\u2028"}


def test_same_graph_same_page(sample: kg_api.KnowledgeGraph, page: View) -> None:
    assert render(to_networkx(sample), title="Sample").html == page.html


def test_view_data_describes_every_node(sample: kg_api.KnowledgeGraph, page: View) -> None:
    G = to_networkx(sample)
    data = data_of(page.html)
    assert len(data["nodes"]) == G.number_of_nodes() == page.nodes
    assert {d["iri"] for d in data["details"]} == set(G)
    europol = next(i for i, d in enumerate(data["details"]) if d["iri"].endswith("/body/europol"))
    assert data["nodes"][europol]["label"] == "Europol"
    kinds = {k["key"] for k in data["kinds"]}
    assert {"body", "instrument", "campaign", "person", "report"} <= kinds
    monitors = [e for e in data["edges"] if data["relations"][e["rel"]] == "monitors"]
    assert monitors and all(e.get("u") == 1 for e in monitors)  # unconfirmed: dashed
    unconfirmed = [s for s in data["sources"] if s["u"]]
    assert [s["title"] for s in unconfirmed] == ["Unconfirmed claims kept for users"]
    assert data["physics"] is True and "x" not in data["nodes"][0]


def test_focus_selects_its_node(sample: kg_api.KnowledgeGraph) -> None:
    view = viz(sample, focus="id:body/europol", depth=1)
    data = data_of(view.html)
    assert data["details"][data["focus"]]["iri"].endswith("/body/europol")
    assert view.nodes < len(to_networkx(sample))


def test_as_of_is_said_on_the_page(sample: kg_api.KnowledgeGraph) -> None:
    view = viz(sample, as_of="2005-01-01")
    assert "in force or true on 2005-01-01" in view.html


# ---------------------------------------------------------------- layout


def test_layout_is_deterministic_and_spread() -> None:
    G = synthetic(400)
    first, second = layout(G), layout(G)
    assert first == second
    assert len(set(first.values())) == len(first)  # no two nodes on one spot


def test_big_graphs_get_positions_and_no_physics() -> None:
    G = synthetic(PHYSICS_LIMIT + 1)
    data = view_data(G)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    small = view_data(synthetic(50))
    assert small["physics"] is True and small["options"]["layout"]["randomSeed"] == 7


def test_ten_thousand_nodes_render_laid_out_without_physics() -> None:
    """Every node drawn, placed on the server; how long it takes is
    benchmarks/bench_views.py's job (a clock in a test fails on a busy machine)."""
    view = render(synthetic(10_000))
    assert view.nodes == 10_000 and not view.physics
    assert view.html.count('"x":') >= 10_000  # each node placed


def test_empty_graph_renders(sample: kg_api.KnowledgeGraph) -> None:
    view = render(nx.MultiDiGraph())
    assert view.nodes == 0 and "thb-data" in view.html


# ---------------------------------------------------------------- kg viz


def test_kg_viz_writes_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "view.html"
    assert main(["--data", str(INJECTION), "viz", "--out", str(out), "--focus", "Europol", "--depth", "2"]) == 0
    assert "wrote" in capsys.readouterr().err
    data = data_of(out.read_text())
    assert data["details"][data["focus"]]["iri"].endswith("/body/europol")


def test_kg_viz_query_source_as_of(tmp_path: Path) -> None:
    rq = tmp_path / "amends.rq"
    rq.write_text("CONSTRUCT { ?a eli:amends ?b } WHERE { ?a eli:amends ?b }")
    out = tmp_path / "q.html"
    assert main(["--data", str(INJECTION), "viz", "--out", str(out), "--query", str(rq)]) == 0
    assert len(data_of(out.read_text())["nodes"]) == 2
    assert main(["--data", str(INJECTION), "viz", "-o", str(out), "--source", "sample-europol"]) == 0
    titles = {s["title"] for s in data_of(out.read_text())["sources"]}
    assert titles == {"About Europol"}
    assert main(["--data", str(INJECTION), "viz", "-o", str(out), "--as-of", "2005-01-01",
                 "--keep-qualified"]) == 0


def test_kg_viz_overview(tmp_path: Path) -> None:
    """--overview opens on instruments, bodies and campaigns; without it, nothing is held back."""
    out = tmp_path / "o.html"
    assert main(["viz", "--out", str(out), "--overview"]) == 0
    data = data_of(out.read_text())
    kinds = {data["kinds"][n["kind"]]["key"] for n in data["nodes"]}
    placed = {p[0] for p in data["overview"]["pos"]}
    assert data["overview"]["kinds"] == ["instrument", "body", "campaign"]
    assert placed == {
        i for i, n in enumerate(data["nodes"]) if data["kinds"][n["kind"]]["key"] in data["overview"]["kinds"]
    }
    assert len(kinds) > 3 and placed
    assert main(["viz", "--out", str(out)]) == 0
    assert data_of(out.read_text())["overview"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "Atlantis"], "No entity called 'Atlantis'"),
        (["--as-of", "yesterday"], "not a date"),
        (["--source", "nope"], "No source graph 'nope'"),
        (["--query", "/nonexistent/q.rq"], "Cannot read the query file"),
        (["--focus", "Europol", "--depth", "-1"], "--depth must be 0 or more"),
    ],
)
def test_kg_viz_errors_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "v.html"
    assert main(["--data", str(INJECTION), "viz", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_shipped_graph_view(kg: kg_api.KnowledgeGraph) -> None:
    view = viz(kg)
    G = to_networkx(kg)
    assert view.nodes == G.number_of_nodes()
    data = data_of(view.html)
    assert "Europol" in {n["label"] for n in data["nodes"]}
