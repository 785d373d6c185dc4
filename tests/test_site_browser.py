"""The static site in a real browser: every kind of page loads offline and clean.

Set ``THB_KG_SCREENSHOT=1`` to also write the overview's screenshot to
``docs/overview.png`` (the README's picture).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from test_view_browser import (
    HOSTILE_LABEL,
    click_node,
    hostile_checks,
    node_index,
    search,
    shared_browser,
    visit,
)

import kg as kg_api
from kg.network import to_networkx
from kg.site import build_site

pytestmark = pytest.mark.browser

INJECTION = Path(__file__).parent / "data" / "injection"
DOCS = Path(__file__).parent.parent / "docs"


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    graph = kg_api.load()
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(graph, out)
    return out, to_networkx(graph)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    build_site(kg_api.load(INJECTION), out)
    return out


PAGES_WITH_VIEWS = ["network.html", "e/body/europol.html", "e/eli/dir-2011-36-oj.html",
                    "e/campaign/blue-heart.html", "e/person/myria-vassiliadou.html"]
PLAIN_PAGES = ["index.html", "entities.html", "timeline.html", "questions.html", "ontology.html",
               "sources.html", "downloads.html", "q/instruments.html"]


@pytest.mark.parametrize("page", PAGES_WITH_VIEWS + PLAIN_PAGES)
def test_page_loads_offline_without_errors(browser: Any, shipped_site: tuple, page: str) -> None:
    out, _G = shipped_site
    if not (out / page).exists():
        pytest.skip(f"{page} is not in this build (its data or query is not there yet)")
    v = visit(browser, out / page, wait=page in PAGES_WITH_VIEWS)
    assert v.console_errors == []
    assert v.outside(out) == [], "a request left the site's folder"
    assert all(u.startswith("file://") for u in v.requests)
    hostile_checks(v)


def test_overview_draws_the_whole_graph(browser: Any, shipped_site: tuple) -> None:
    """It opens on instruments, bodies and campaigns; the whole graph is one click away."""
    out, G = shipped_site
    v = visit(browser, out / "network.html")
    core = sum(1 for _n, d in G.nodes(data=True) if d["kind"] in ("instrument", "body", "campaign"))
    assert v.js("thbView.drawnNodeCount()") == core
    v.page.click("#thb-whole")
    assert v.js("thbView.drawnNodeCount()") == G.number_of_nodes()
    assert v.js("thbView.network.body.nodeIndices.length") == G.number_of_nodes()
    if os.environ.get("THB_KG_SCREENSHOT"):  # the README's picture: Europol selected
        shot = visit(browser, out / "network.html", viewport={"width": 1400, "height": 1100})
        search(shot, "Europol")
        shot.page.locator("section.view-box").screenshot(path=str(DOCS / "overview.png"))


def test_overview_search_filter_and_details(browser: Any, shipped_site: tuple) -> None:
    out, G = shipped_site
    v = visit(browser, out / "network.html")
    assert search(v, "Europol") == ["Europol"]
    europol = node_index(v, "https://w3id.org/thb-kg/id/body/europol")
    v.page.uncheck('#thb-legend label[data-kind="body"] input')
    assert v.js(f"thbView.network.body.nodes[{europol}].options.hidden") is True
    bodies = sum(1 for _n, d in G.nodes(data=True) if d["kind"] == "body")
    assert v.js("thbView.drawnNodeCount()") <= G.number_of_nodes() - bodies
    v.page.check('#thb-legend label[data-kind="body"] input')
    click_node(v, europol)
    assert v.page.inner_text("#thb-details h2") == "Europol"
    sources = v.js("[...document.querySelectorAll('#thb-details a.thb-source')].map(a => a.href)")
    assert sources and all(h.startswith("http") for h in sources)
    pages = v.js("[...document.querySelectorAll('#thb-details a.thb-source-page')].map(a => a.href)")
    assert pages and all(h.startswith(out.resolve().as_uri()) for h in pages)
    # the details link to the entity's own page, and it opens
    v.page.click("#thb-details .thb-page a")
    v.page.wait_for_selector("#thb-network[data-ready=true]", state="attached", timeout=60_000)
    assert v.page.url.endswith("/e/body/europol.html")
    assert v.page.inner_text("h1") == "Europol"
    assert v.console_errors == [] and v.outside(out) == []


def test_entity_page_neighbourhood(browser: Any, shipped_site: tuple) -> None:
    out, G = shipped_site
    v = visit(browser, out / "e/body/europol.html")
    europol = "https://w3id.org/thb-kg/id/body/europol"
    expected = 1 + len(set(G.successors(europol)) | set(G.predecessors(europol)))
    assert v.js("thbView.drawnNodeCount()") == expected
    assert v.js("thbView.network.getSelectedNodes()") == [node_index(v, europol)]
    # facts carry their sources as links
    assert v.page.locator("table.facts .srcs a").count() > 0


def test_hostile_site_is_inert(browser: Any, hostile_site: Path) -> None:
    for page in ["index.html", "network.html", "e/body/hostile-img.html", "e/body/hostile-script.html",
                 "e/body/europol.html", "sources.html", "entities.html", "ontology.html",
                 "timeline.html"]:
        v = visit(browser, hostile_site / page, wait=page.startswith(("network", "e/")))
        hostile_checks(v)
        assert v.outside(hostile_site) == []
    v = visit(browser, hostile_site / "e/body/hostile-img.html")
    assert v.page.inner_text("h1") == HOSTILE_LABEL
    hostile_checks(v)
    sources = [p.name for p in (hostile_site / "s").iterdir() if p.name.startswith("hostile")]
    v = visit(browser, hostile_site / "s" / sources[0], wait=False)
    assert v.page.inner_text("h1") == "<script>window.__pwned='source-title'</script> Hostile source"
    hostile_checks(v)
