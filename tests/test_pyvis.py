"""``kg.to_pyvis``: a view handed to pyvis users (issue 12, item 9).

The network has the view's nodes (IRIs), edges, colours, shapes and labels;
its HTML, however pyvis is asked for it (``generate_html``, ``write_html``,
in a notebook), loads nothing from anywhere (no http(s) ``src``/``href``
outside the data), and data that carries markup or script stays text in the
browser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from test_view_browser import HOSTILE_LABEL, INJECTION, hostile_checks, shared_browser, visit

import kg as kg_api
from kg.network import KIND_BY_KEY, neighbourhood, select, to_networkx
from kg.view import view_data

pytest.importorskip("pyvis")

READY = "#mynetwork[data-ready=true]"


class _Links(HTMLParser):
    """Every URL the page would fetch or follow: src, href, and url() in style."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        self.urls.extend(v or "" for k, v in attrs if k in ("src", "href", "srcset", "poster"))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and "url(" in data:
            self.urls.append(data[data.index("url(") :])


def links(page: str) -> _Links:
    parser = _Links()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def shipped() -> Any:
    return kg_api.load()


@pytest.fixture(
    scope="module",
    params=["whole", "europol", "as-of-2010", "source"],
)
def view(request: pytest.FixtureRequest, shipped: Any) -> Any:
    if request.param == "whole":
        return to_networkx(shipped)
    if request.param == "europol":
        return neighbourhood(to_networkx(shipped), "https://w3id.org/thb-kg/id/body/europol", 2)
    if request.param == "as-of-2010":
        return select(shipped, as_of="2010-12-31")
    return select(shipped, source="ip-10-1715")


def test_same_nodes_edges_colours_and_labels(view: Any) -> None:
    net = kg_api.to_pyvis(view)
    data = view_data(view)
    assert [n["id"] for n in net.nodes] == [d["iri"] for d in data["details"]]
    assert sorted(net.nodes[i]["id"] for i in range(len(net.nodes))) == sorted(view.nodes)
    for node, ours in zip(net.nodes, data["nodes"], strict=True):
        kind = KIND_BY_KEY[data["kinds"][ours["kind"]]["key"]]
        assert node["label"] == ours["label"] == view.nodes[node["id"]]["label"]
        assert (node["color"], node["shape"], node["size"]) == (kind.color, kind.shape, kind.size)
    assert len(net.edges) == len(data["edges"])
    ids = [d["iri"] for d in data["details"]]
    drawn = sorted((e["from"], e["to"], e["label"]) for e in net.edges)
    ours_edges = sorted(
        (ids[e["from"]], ids[e["to"]], e.get("role") or e.get("say") or data["relations"][e["rel"]])
        for e in data["edges"]
    )
    assert drawn == ours_edges
    assert all(e["arrows"] == "to" for e in net.edges)


@pytest.mark.parametrize("how", ["generate_html", "write_html", "notebook"])
def test_html_is_offline(shipped: Any, tmp_path: Path, how: str) -> None:
    net = kg_api.to_pyvis(to_networkx(shipped), notebook=how == "notebook", title="thb-kg")
    net.show_buttons(filter_=["physics"])  # pyvis's own API still works on it
    net.toggle_physics(True)
    if how == "write_html":
        target = tmp_path / "net.html"
        net.write_html(str(target))
        page = target.read_text(encoding="utf-8")
    else:
        page = net.generate_html(notebook=how == "notebook")
    found = links(page)
    assert [u for u in found.urls if u.lower().startswith(("http:", "https:", "//"))] == []
    assert "script" in found.tags and "<script src" not in page
    assert "Content-Security-Policy" in page and "default-src &#39;none&#39;" in page
    assert "cdn" not in page.lower()  # neither pyvis's CDN nor Bootstrap's
    assert net.cdn_resources == "in_line"


def test_heading_and_sizes_cannot_inject(shipped: Any) -> None:
    net = kg_api.to_pyvis(kg_api.load(INJECTION), title="<script>window.__pwned='heading'</script>")
    net.height = "1px; } body { background: url(https://example.org/x)"
    page = net.generate_html()
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned=&#39;heading&#39;&lt;/script&gt;" in page
    assert "example.org" not in page


# ---------------------------------------------------------------- in the browser


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@pytest.mark.browser
def test_shipped_graph_draws_offline(browser: Any, shipped: Any, tmp_path: Path) -> None:
    G = to_networkx(shipped)
    net = kg_api.to_pyvis(G, title="thb-kg")
    path = tmp_path / "pyvis.html"
    net.write_html(str(path))
    v = visit(browser, path, wait=False)
    v.page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert v.js("network.body.nodeIndices.length") == G.number_of_nodes()
    assert v.js("edges.length") == len(net.edges)
    assert v.requests == [path.resolve().as_uri()]
    assert v.console_errors == []


@pytest.mark.browser
def test_hostile_data_stays_inert(browser: Any, tmp_path: Path) -> None:
    net = kg_api.to_pyvis(
        kg_api.load(INJECTION), title="<img src=x onerror=\"window.__pwned='h1'\">"
    )
    path = tmp_path / "hostile.html"
    net.write_html(str(path))
    v = visit(browser, path, wait=False)
    v.page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert v.page.inner_text("h1") == "<img src=x onerror=\"window.__pwned='h1'\">"
    hostile = "https://w3id.org/thb-kg/id/body/hostile-img"
    assert v.js(f"nodes.get({hostile!r}).label") == HOSTILE_LABEL
    # hover the hostile node: its tooltip is text
    v.js(f"network.focus({hostile!r}, {{scale: 1.5, animation: false}})")
    x, y = v.js(
        f"""(() => {{
        const d = network.canvasToDOM(network.getPositions([{hostile!r}])[{hostile!r}]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y];
    }})()"""
    )
    v.page.mouse.move(x - 40, y - 40)
    v.page.mouse.move(x, y, steps=4)
    v.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert HOSTILE_LABEL in v.page.locator("div.vis-tooltip").inner_text()
    tags = v.js("[...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)")
    assert set(tags) <= {"BR"}
    hostile_checks(v)
    assert v.requests == [path.resolve().as_uri()]
