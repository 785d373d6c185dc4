"""The site's visual timeline (issue 12, item 3), in Chromium.

In-force periods are bars and other dated facts marks, one row per legal
order; the page zooms, filters by legal order and by kind, works offline
from ``file://`` with vis-timeline shipped in ``assets/``, shows hostile
labels as text, and axe-core finds no violation on it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_view_browser import INJECTION, hostile_checks, shared_browser, visit

import kg as kg_api
from kg.network import to_networkx
from kg.network.orders import LEGAL_ORDERS
from kg.site import build_site
from kg.site.timeline import BAR_KINDS
from kg.view_words import ROLE_RELATIONS

pytestmark = pytest.mark.browser

READY = "#thb-timeline[data-ready=true]"
EU = [o.key for o in LEGAL_ORDERS].index("eu")


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    graph = kg_api.load()
    out = tmp_path_factory.mktemp("tl") / "site"
    build_site(graph, out)
    return out, to_networkx(graph)


def open_timeline(browser: Any, out: Path, viewport: dict | None = None) -> Any:
    v = visit(browser, out / "timeline.html", wait=False, viewport=viewport)
    v.page.wait_for_selector(READY, state="attached", timeout=60_000)
    return v


def test_bars_and_marks_offline(browser: Any, site: tuple[Path, Any]) -> None:
    out, G = site
    v = open_timeline(browser, out)
    items = v.js("thbTimeline.data.items")
    bars = [it for it in items if "end" in it]
    expected_bars = sum(
        1 for _n, d in G.nodes(data=True) if d["kind"] in BAR_KINDS and d.get("valid_from")
    ) + sum(
        1
        for _u, _v, e in G.edges(data=True)
        if e.get("predicate") in ROLE_RELATIONS and e.get("valid_from")
    )
    assert len(bars) == expected_bars and len(items) > len(bars) > 20
    assert v.page.locator(".vis-item.vis-range").count() > 0
    assert v.page.locator(".vis-item.vis-point").count() > 0
    assert v.js("thbTimeline.shownCount()") == len(items)
    # the in-force rule: one act ends the day before the next enters into force
    by_label = {it["label"]: it for it in bars}
    assert by_label["Framework Decision 2002/629/JHA"]["end"] == "2011-04-14"
    assert by_label["Directive 2011/36/EU"]["start"] == "2011-04-15"
    assert by_label["Directive 2011/36/EU"]["open"] is True
    assert by_label["Directive 2011/36/EU"]["row"] == EU
    assert v.console_errors == []
    assert v.outside(out) == []


def test_filters_by_legal_order_and_kind(browser: Any, site: tuple[Path, Any]) -> None:
    out, _G = site
    v = open_timeline(browser, out)
    items = v.js("thbTimeline.data.items")
    v.page.uncheck(f'#thb-tl-controls input[data-row="{EU}"]')
    assert v.js("thbTimeline.shownCount()") == sum(1 for it in items if it["row"] != EU)
    assert v.page.locator(".vis-label:has-text('European Union')").count() == 0
    instrument = next(
        k["index"] for k in v.js("thbTimeline.data.kinds") if k["key"] == "instrument"
    )
    v.page.uncheck(f'#thb-tl-controls input[data-kind="{instrument}"]')
    assert v.js("thbTimeline.shownCount()") == sum(
        1 for it in items if it["row"] != EU and it["kind"] != instrument
    )
    v.page.check(f'#thb-tl-controls input[data-row="{EU}"]')
    v.page.check(f'#thb-tl-controls input[data-kind="{instrument}"]')
    assert v.js("thbTimeline.shownCount()") == len(items)
    assert v.console_errors == []


def test_zoom_and_details(browser: Any, site: tuple[Path, Any]) -> None:
    out, _G = site
    v = open_timeline(browser, out)
    span = "(() => { const w = thbTimeline.timeline.getWindow(); return w.end - w.start; })()"
    wide = v.js(span)
    v.page.click("#thb-tl-in")
    assert v.js(span) < wide * 0.75
    v.page.click("#thb-tl-fit")
    assert v.js(span) > wide * 0.9
    # a bar, clicked: its entity page and its sources, as links
    k = v.js(
        "thbTimeline.data.items.findIndex(it => it.label === 'Directive 2011/36/EU' && it.end)"
    )
    v.js(f"thbTimeline.timeline.setSelection([{k}], {{focus: true, animation: false}})")
    v.page.wait_for_timeout(200)
    bar = v.page.locator(".vis-item.vis-range.vis-selected")
    box = bar.bounding_box()
    # Playwright's own click: scrolled into view, and retried until the bar
    # (not a tooltip drawn over it on a slow machine) is what receives it
    bar.click(position={"x": min(20, box["width"] / 2), "y": box["height"] / 2})
    details = v.page.locator("#thb-tl-details")
    details.locator(".tl-head").wait_for(timeout=10_000)
    assert "Directive 2011/36/EU" in details.inner_text()
    assert details.locator("a").first.get_attribute("href") == "e/eli/dir-2011-36-oj.html"
    assert details.locator(".tl-src a").count() > 0
    assert v.console_errors == []


@pytest.mark.parametrize(
    "viewport", [{"width": 1400, "height": 900}, {"width": 390, "height": 844}]
)
def test_axe_finds_no_violation(browser: Any, site: tuple[Path, Any], viewport: dict) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    out, _G = site
    v = open_timeline(browser, out, viewport)
    v.page.wait_for_timeout(1500)  # vis-timeline redraws (and adds scroll panels) after "ready"
    results = [axe.Axe().run(v.page)]
    v.page.click("details.tl-list summary")
    results.append(axe.Axe().run(v.page))
    for result in results:
        assert result.violations_count == 0, result.generate_report()
    assert v.js("document.documentElement.scrollWidth") <= viewport["width"]


HOSTILE_DATES = """
@prefix thb: <https://w3id.org/thb-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/thb-kg/graph/hostile-dates> a thb:Source ;
    dct:title "<img src=x onerror=\\"window.__pwned='tl-source'\\"> dated"@en ;
    prov:wasDerivedFrom <javascript:window.__pwned='tl-link'> ;
    thb:confidence thb:Confirmed .
<https://w3id.org/thb-kg/graph/hostile-dates> {
    <https://w3id.org/thb-kg/id/instrument/hostile-act> a eli:LegalResource ;
        skos:prefLabel "<img src=x onerror=\\"window.__pwned='tl-bar'\\">"@en ;
        eli:date_document "2001-05-01"^^xsd:date ;
        eli:first_date_entry_in_force "2002-01-01"^^xsd:date .
}
"""


def test_hostile_timeline_is_text(browser: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(INJECTION, data)
    (data / "hostile-dates.trig").write_text(HOSTILE_DATES, encoding="utf-8")
    out = tmp_path / "site"
    build_site(kg_api.load(data), out)
    v = open_timeline(browser, out)
    labels = v.js("thbTimeline.data.items.map(it => it.label)")
    assert "<img src=x onerror=\"window.__pwned='tl-bar'\">" in labels
    texts = v.js("[...document.querySelectorAll('.vis-item-content')].map(e => e.textContent)")
    assert "<img src=x onerror=\"window.__pwned='tl-bar'\">" in texts
    assert set(texts) - {""} <= set(labels)
    for k in range(len(labels)):
        v.js(f"thbTimeline.show({k})")
        hostile_checks(v)
    v.page.hover(".vis-item.vis-range")
    v.page.wait_for_timeout(400)
    hostile_checks(v)
    assert v.outside(out) == []
