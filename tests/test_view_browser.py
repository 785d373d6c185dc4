"""Views in a real browser: Debian's Chromium driven by Playwright.

Every page must load from ``file://`` with no console error and no request
leaving ``file://``; draw as many nodes as the graph has; find Europol by
search; hide a class with its filter; open a node's details with links to
its sources; and show hostile labels as text without running anything.
The helpers here are also used by tests/test_site_browser.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import kg as kg_api
from kg.network import to_networkx
from kg.view import render, view_data

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INJECTION = Path(__file__).parent / "data" / "injection"
READY = "#thb-network[data-ready=true]"
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT_LABEL = "</script><script>window.__pwned='json'</script><!--"


_SHARED: dict[str, Any] = {}  # one Chromium for every module that uses this fixture


def shared_browser(request: pytest.FixtureRequest) -> Any:
    """The one headless Chromium of the test session (started on first use)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    if "browser" not in _SHARED:
        pw = sync_api.sync_playwright().start()
        _SHARED["browser"] = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

        def stop() -> None:
            _SHARED.pop("browser").close()
            pw.stop()

        request.config.add_cleanup(stop)
    return _SHARED["browser"]


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@dataclass
class Visit:
    """An opened page and everything it did: console messages, errors, requests, dialogs."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def outside(self, root: Path) -> list[str]:
        """Requests that are not for a file under ``root``."""
        prefix = root.resolve().as_uri()
        return [u for u in self.requests if not u.startswith(prefix)]


def visit(browser: Any, path: Path, *, wait: bool = True, viewport: dict | None = None) -> Visit:
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    v = Visit(page)
    page.on("console", lambda m: v.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: v.console_errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: v.requests.append(r.url))

    def on_dialog(d: Any) -> None:
        v.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.resolve().as_uri())
    if wait:
        # a selector, not a JS predicate: the pages' CSP forbids eval
        page.wait_for_selector(READY, state="attached", timeout=60_000)
    return v


def search(v: Visit, text: str) -> list[str]:
    v.page.fill("#thb-search", text)
    v.page.press("#thb-search", "Enter")
    return v.js("thbView.network.getSelectedNodes().map(i => thbView.data.nodes[i].label)")


def node_index(v: Visit, iri: str) -> int:
    return v.js(f"thbView.nodeIdOf({iri!r})")


def click_node(v: Visit, index: int) -> None:
    """A real mouse click on the node's position on the canvas."""
    v.js(f"thbView.network.focus({index}, {{scale: 1.2, animation: false}})")
    x, y = v.js(
        f"""(() => {{
        const n = thbView.network, p = n.getPositions([{index}])[{index}];
        const d = n.canvasToDOM(p), r = document.getElementById('thb-network').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y];
    }})()"""
    )
    v.page.mouse.click(x, y)


def hostile_checks(v: Visit) -> None:
    """Nothing the data carries ran, and nothing it carries became markup."""
    assert v.js("window.__pwned") is None, "a payload ran"
    assert v.dialogs == [], "a payload opened a dialog"
    assert v.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert v.js("document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0
    assert v.console_errors == []


# ---------------------------------------------------------------- the whole shipped graph


@pytest.fixture(scope="module")
def shipped_view(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, dict]:
    graph = kg_api.load()
    G = to_networkx(graph)
    path = tmp_path_factory.mktemp("view") / "graph.html"
    render(G, title="thb-kg").write(path)
    return path, G, view_data(G)


def test_view_loads_offline_without_errors(browser: Any, shipped_view: tuple) -> None:
    path, _G, _data = shipped_view
    v = visit(browser, path)
    assert v.console_errors == []
    assert v.requests == [path.resolve().as_uri()], "the page fetched something besides itself"
    assert v.js("typeof vis") == "object"


def test_drawn_nodes_equal_the_graph(browser: Any, shipped_view: tuple) -> None:
    path, G, data = shipped_view
    v = visit(browser, path)
    assert v.js("thbView.drawnNodeCount()") == G.number_of_nodes()
    assert v.js("thbView.network.body.nodeIndices.length") == G.number_of_nodes()
    assert v.js("thbView.nodes.length") == G.number_of_nodes()
    assert v.js("thbView.drawnEdgeCount()") == len(data["edges"])
    assert v.js("thbView.network.physics.physicsEnabled") is False  # stopped once stable


def test_search_selects_europol(browser: Any, shipped_view: tuple) -> None:
    path, _G, _data = shipped_view
    v = visit(browser, path)
    assert search(v, "Europol") == ["Europol"]
    assert v.page.inner_text("#thb-details h2") == "Europol"
    assert search(v, "europol") == ["Europol"]  # case does not matter
    assert v.console_errors == []


def test_class_filter_hides_its_nodes(browser: Any, shipped_view: tuple) -> None:
    path, G, _data = shipped_view
    v = visit(browser, path)
    bodies = sum(1 for _n, d in G.nodes(data=True) if d["kind"] == "body")
    europol = node_index(v, "https://w3id.org/thb-kg/id/body/europol")
    v.page.uncheck('#thb-legend label[data-kind="body"] input')
    assert v.js(f"thbView.network.body.nodes[{europol}].options.hidden") is True
    hidden_kinds = v.js(
        "thbView.data.nodes.filter((n, i) => thbView.network.body.nodes[i].options.hidden)"
        ".map(n => thbView.data.kinds[n.kind].key)"
    )
    assert hidden_kinds.count("body") == bodies  # every body; others only if left with no link
    assert v.js("thbView.drawnNodeCount()") <= G.number_of_nodes() - bodies
    assert "Europol" not in search(v, "Europol"), "a hidden node was found"
    v.page.check('#thb-legend label[data-kind="body"] input')
    assert v.js("thbView.drawnNodeCount()") == G.number_of_nodes()


def test_relation_and_source_filters(browser: Any, shipped_view: tuple) -> None:
    path, _G, data = shipped_view
    v = visit(browser, path)
    edges = len(data["edges"])
    v.page.click("#thb-view summary:has-text('Relations')")
    v.page.uncheck("#thb-relations input >> nth=0")
    first = sum(1 for e in data["edges"] if e["rel"] == 0)
    assert v.js("thbView.drawnEdgeCount()") == edges - first
    v.page.click("#thb-view summary:has-text('Sources')")
    boxes = v.page.locator("#thb-sources input")
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    assert v.js("thbView.drawnEdgeCount()") == 0
    assert v.console_errors == []


def test_click_opens_details_with_source_links(browser: Any, shipped_view: tuple) -> None:
    path, _G, _data = shipped_view
    v = visit(browser, path)
    europol = node_index(v, "https://w3id.org/thb-kg/id/body/europol")
    click_node(v, europol)
    assert v.js("thbView.network.getSelectedNodes()") == [europol]
    assert v.page.is_visible("#thb-details")
    assert v.page.inner_text("#thb-details h2") == "Europol"
    links = v.js(
        "[...document.querySelectorAll('#thb-details a.thb-source')].map(a => a.href)"
    )
    assert links and all(h.startswith(("http://", "https://")) for h in links)
    text = v.page.inner_text("#thb-details")
    assert "Relations" in text and v.js("document.querySelectorAll('.thb-relations-list li').length") > 0
    # neighbourhood highlight: nodes not next to Europol are dimmed
    groups = v.js("thbView.nodes.get().map(n => n.group)")
    assert any(g.endswith("~dim") for g in groups)
    assert not groups[europol].endswith("~dim")
    v.page.click("#thb-details .thb-close")
    assert v.page.is_hidden("#thb-details")
    assert v.console_errors == []


def test_same_input_same_picture(browser: Any, shipped_view: tuple) -> None:
    path, _G, _data = shipped_view
    first = visit(browser, path).js("thbView.network.getPositions()")
    second = visit(browser, path).js("thbView.network.getPositions()")
    assert first == second


# ---------------------------------------------------------------- hostile data


@pytest.fixture(scope="module")
def hostile_view(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.html"
    render(to_networkx(kg_api.load(INJECTION)), title="<script>window.__pwned='title'</script>").write(path)
    return path


def test_hostile_labels_show_as_text(browser: Any, hostile_view: Path) -> None:
    v = visit(browser, hostile_view)
    assert v.page.inner_text("h1") == "<script>window.__pwned='title'</script>"
    assert search(v, "img src") == [HOSTILE_LABEL]
    assert v.page.inner_text("#thb-details h2") == HOSTILE_LABEL
    details = v.page.inner_text("#thb-details")
    assert "<script>window.__pwned='source-title'</script> Hostile source" in details
    hostile_checks(v)


def test_hostile_tooltip_is_text(browser: Any, hostile_view: Path) -> None:
    v = visit(browser, hostile_view)
    index = node_index(v, "https://w3id.org/thb-kg/id/body/hostile-img")
    v.js(f"thbView.network.focus({index}, {{scale: 1.5, animation: false}})")
    x, y = v.js(
        f"""(() => {{
        const n = thbView.network, d = n.canvasToDOM(n.getPositions([{index}])[{index}]);
        const r = document.getElementById('thb-network').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y];
    }})()"""
    )
    v.page.mouse.move(x - 40, y - 40)
    v.page.mouse.move(x, y, steps=4)
    v.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    tip = v.page.locator("div.vis-tooltip")
    assert HOSTILE_LABEL in tip.inner_text()
    # innerText turns line breaks into <br>; nothing else may appear
    tags = v.js("[...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)")
    assert set(tags) <= {"BR"}
    hostile_checks(v)


def test_every_hostile_details_panel_is_inert(browser: Any, hostile_view: Path) -> None:
    v = visit(browser, hostile_view)
    count = v.js("thbView.data.nodes.length")
    for i in range(count):
        v.js(f"thbView.select({i}, true)")
    v.js("thbView.select(thbView.nodeIdOf('https://w3id.org/thb-kg/id/body/hostile-script'), true)")
    assert v.page.inner_text("#thb-details h2") == HOSTILE_SCRIPT_LABEL
    hostile_checks(v)
    assert v.requests == [hostile_view.resolve().as_uri()]


def test_unconfirmed_is_dashed_and_said(browser: Any, hostile_view: Path) -> None:
    v = visit(browser, hostile_view)
    dashed = v.js(
        "thbView.edges.get().filter(e => e.dashes).map(e => thbView.data.relations[thbView.data.edges[e.id].rel])"
    )
    assert dashed == ["monitors"]
    assert search(v, "Europol") == ["Europol"]
    text = v.page.inner_text("#thb-details")
    assert "unconfirmed" in text.lower()
    event = node_index(v, "https://w3id.org/thb-kg/id/event/rumoured-meeting")
    v.js(f"thbView.select({event}, true)")
    assert "Unconfirmed: no source confirms this entity" in v.page.inner_text("#thb-details")
    assert v.js(f"thbView.nodes.get({event}).shapeProperties.borderDashes.length") == 2


# ---------------------------------------------------------------- a big view


def test_a_thousand_nodes_draw_with_positions(browser: Any, tmp_path: Path) -> None:
    from test_view import synthetic

    G = synthetic(1_000)
    path = tmp_path / "big.html"
    view = render(G)
    view.write(path)
    assert not view.physics
    v = visit(browser, path)
    assert v.js("thbView.drawnNodeCount()") == 1_000
    assert v.console_errors == []
    assert search(v, "node 999") == ["node 999"]
