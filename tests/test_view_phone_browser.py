"""The network view on a phone and for assistive technology (issue 12, item 7).

At 390×844 the network takes the screen, the filters fold away behind a
button and the details panel is a sheet over the lower part of the screen
(it was a 66 px strip, the filters 19 px). axe-core (through
axe-playwright-python) reports no violation on the view template, on a
wide screen and on a phone, with the filters and the details open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_view_browser import INJECTION, click_node, node_index, shared_browser, visit

import kg as kg_api
from kg.network import to_networkx
from kg.view import render

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1400, "height": 900}
EUROPOL = "https://w3id.org/thb-kg/id/body/europol"


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("phone")
    G = to_networkx(kg_api.load())
    out = {
        "whole": folder / "whole.html",
        "overview": folder / "overview.html",
        "hostile": folder / "hostile.html",
    }
    render(G, title="thb-kg").write(out["whole"])
    render(G, title="thb-kg overview", overview=True).write(out["overview"])
    render(to_networkx(kg_api.load(INJECTION)), title="<b>hostile</b>").write(out["hostile"])
    return out


def box(v: Any, selector: str) -> dict[str, float]:
    return v.page.locator(selector).bounding_box()


@pytest.mark.parametrize("page", ["whole", "overview"])
def test_phone_filters_fold_away_and_details_are_a_sheet(
    browser: Any, pages: dict[str, Path], page: str
) -> None:
    v = visit(browser, pages[page], viewport=PHONE)
    assert v.js("document.documentElement.scrollWidth") <= PHONE["width"], (
        "the page scrolls sideways"
    )
    canvas = box(v, "#thb-network")
    assert canvas["width"] >= PHONE["width"] - 2 and canvas["height"] >= 0.5 * PHONE["height"]
    # the filters are folded away behind a button, and open full width
    assert v.page.is_hidden("#thb-filters")
    v.page.click("#thb-filters-toggle")
    assert v.page.get_attribute("#thb-filters-toggle", "aria-expanded") == "true"
    filters = box(v, "#thb-filters")
    assert filters["width"] >= PHONE["width"] - 2
    rows = v.page.locator("#thb-legend label")
    assert rows.count() > 5
    assert min(rows.nth(i).bounding_box()["height"] for i in range(rows.count())) >= 24
    v.page.click("#thb-filters-toggle")
    assert v.page.is_hidden("#thb-filters")
    # a tap on Europol opens its details as a sheet at the bottom of the screen
    click_node(v, node_index(v, EUROPOL))
    assert v.page.inner_text("#thb-details h2") == "Europol"
    sheet = box(v, "#thb-details")
    assert sheet["width"] >= PHONE["width"] - 2
    assert abs(sheet["y"] + sheet["height"] - PHONE["height"]) <= 1
    assert 0.3 * PHONE["height"] <= sheet["height"] <= 0.6 * PHONE["height"]
    close = box(v, "#thb-details .thb-close")
    assert close["width"] >= 40 and close["height"] >= 40
    v.page.click("#thb-details .thb-close")
    assert v.page.is_hidden("#thb-details")
    assert v.console_errors == []


def test_wide_screen_keeps_filters_and_panel_beside_the_network(
    browser: Any, pages: dict[str, Path]
) -> None:
    v = visit(browser, pages["whole"], viewport=WIDE)
    assert v.page.is_hidden("#thb-filters-toggle")
    assert v.page.is_visible("#thb-filters")
    click_node(v, node_index(v, EUROPOL))
    panel, canvas = box(v, "#thb-details"), box(v, "#thb-network")
    assert panel["x"] >= canvas["x"] + canvas["width"] - 1  # beside, not over it


@pytest.mark.parametrize("page", ["whole", "overview", "hostile"])
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400x900", "390x844"])
def test_axe_finds_no_violation(
    browser: Any, pages: dict[str, Path], page: str, viewport: dict[str, int]
) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    v = visit(browser, pages[page], viewport=viewport)
    results = [axe.Axe().run(v.page)]
    if viewport is PHONE:
        v.page.click("#thb-filters-toggle")
    for box_ in v.page.locator("#thb-filters details").all():
        box_.evaluate("d => d.open = true")
    v.js("thbView.select(0, true)")
    v.page.fill("#thb-year", "2010") if v.page.is_visible("#thb-year") else None
    results.append(axe.Axe().run(v.page))
    for result in results:
        assert result.violations_count == 0, result.generate_report()
    assert v.console_errors == []
