"""The network view's time slider and overview, in Chromium (issue 12, item 2).

The slider must apply the same rule as ``kg viz --as-of`` (kg.network's
``in_force_on``): for each year, what the browser draws is what the Python
rule keeps on 31 December of that year. The overview opens on instruments,
bodies and campaigns, one column per legal order, and shows the whole graph
in one click.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_view_browser import shared_browser, visit

import kg as kg_api
from kg.network import to_networkx
from kg.network.orders import legal_orders
from kg.network.validity import in_force_on
from kg.view import render, view_data

pytestmark = pytest.mark.browser

DIRECTIVE_2011 = "http://data.europa.eu/eli/dir/2011/36/oj"
FRAMEWORK_2002 = "http://data.europa.eu/eli/dec_framw/2002/629/oj"
VISIBLE_IRIS = (
    "thbView.data.details.filter((d, i) => !thbView.network.body.nodes[i].options.hidden)"
    ".map(d => d.iri)"
)


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Any:
    return shared_browser(request)


@pytest.fixture(scope="module")
def graph() -> Any:
    return to_networkx(kg_api.load())


@pytest.fixture(scope="module")
def pages(graph: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("slider")
    out = {"whole": folder / "whole.html", "overview": folder / "overview.html"}
    render(graph, title="thb-kg").write(out["whole"])
    render(graph, title="thb-kg overview", overview=True).write(out["overview"])
    return out


def slide(v: Any, year: int | None) -> None:
    """Move the slider as a user does (the input event); None is its last stop, all years."""
    value = v.js("document.getElementById('thb-year').max") if year is None else str(year)
    v.page.fill("#thb-year", value)


def shown(v: Any, iri: str) -> bool:
    return not v.js(f"thbView.network.body.nodes[thbView.nodeIdOf({iri!r})].options.hidden")


@pytest.mark.parametrize("page", ["whole", "overview"])
def test_2010_hides_the_2011_directive_and_shows_the_framework_decision(
    browser: Any, pages: dict[str, Path], page: str
) -> None:
    v = visit(browser, pages[page])
    assert v.page.is_visible("#thb-year")
    assert shown(v, DIRECTIVE_2011) and shown(v, FRAMEWORK_2002)  # all years
    slide(v, 2010)
    assert v.page.inner_text("#thb-year-out") == "31 December 2010"
    assert not shown(v, DIRECTIVE_2011)
    assert shown(v, FRAMEWORK_2002)
    slide(v, 2012)
    assert shown(v, DIRECTIVE_2011) and not shown(v, FRAMEWORK_2002)
    slide(v, None)
    assert v.page.inner_text("#thb-year-out") == "all years"
    assert shown(v, DIRECTIVE_2011) and shown(v, FRAMEWORK_2002)
    assert v.console_errors == []


@pytest.mark.parametrize("year", [1935, 1990, 2003, 2009, 2010, 2011, 2016, 2020, 2024])
def test_slider_draws_what_as_of_keeps(
    browser: Any, pages: dict[str, Path], graph: Any, year: int
) -> None:
    """Same nodes and as many edges as ``in_force_on(G, 'YEAR-12-31')`` draws."""
    v = visit(browser, pages["whole"])
    slide(v, year)
    H = in_force_on(graph, f"{year}-12-31")
    assert sorted(v.js(VISIBLE_IRIS)) == sorted(H.nodes)
    assert v.js("thbView.drawnEdgeCount()") == len(view_data(H)["edges"])


def test_overview_opens_on_instruments_bodies_and_campaigns_by_legal_order(
    browser: Any, pages: dict[str, Path], graph: Any
) -> None:
    v = visit(browser, pages["overview"])
    core = {n for n, d in graph.nodes(data=True) if d["kind"] in ("instrument", "body", "campaign")}
    assert set(v.js(VISIBLE_IRIS)) == core
    # each legal order in a column of its own: no two orders share an x position
    orders = legal_orders(graph)
    xs: dict[str, set[float]] = {}
    positions = v.js("thbView.network.getPositions()")
    for n in core:
        xs.setdefault(orders.get(n, "other"), set()).add(
            positions[str(v.js(f"thbView.nodeIdOf({n!r})"))]["x"]
        )
    columns = list(xs.values())
    assert len(columns) == 5  # UN, Council of Europe, EU, ILO and those with none
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            assert max(a) < min(b) or max(b) < min(a)
    # labelled: the canvas draws labels at this scale (vis-network skips labels under 4 px)
    assert v.js("thbView.network.getScale()") * 15 >= 4
    v.page.click("#thb-whole")
    assert set(v.js(VISIBLE_IRIS)) == set(graph.nodes)
    assert v.page.inner_text("#thb-whole") == "Back to the overview"
    v.page.click("#thb-whole")
    assert set(v.js(VISIBLE_IRIS)) == core
    assert v.console_errors == []


def test_no_slider_on_a_page_already_cut_to_one_day(
    browser: Any, graph: Any, tmp_path: Path
) -> None:
    """``kg viz --as-of`` draws one day: a slider there would offer years it does not hold."""
    path = tmp_path / "as-of.html"
    render(in_force_on(graph, "2010-12-31")).write(path)
    v = visit(browser, path)
    assert v.page.is_hidden("#thb-time")
    assert v.js(f"thbView.nodeIdOf({DIRECTIVE_2011!r})") is None
    assert shown(v, FRAMEWORK_2002)
    assert v.console_errors == []
