"""Parties over time (issue 12, item 4): the dated counts of parties to the UN Protocol,
UNTOC and the Council of Europe Convention, drawn on the server as SVG from the real
graph, each count with its "as of" date at its precision and its sources, undated ones
listed beside, disagreeing sources both shown; on the start page and the question pages
that answer it, readable without JavaScript, with a text alternative, escaped."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

import kg as kg_api
from kg.namespaces import SDMX_MEASURE, THB, TIME
from kg.numbers import show_number
from kg.site import build_site
from kg.site.framework_map import show_date
from kg.site.parties_chart import parties_chart
from kg.view import environment

PARTIES = URIRef("https://w3id.org/thb-kg/id/concept/indicator/parties")
SKIP_GRAPHS = ("https://w3id.org/thb-kg/graph/inferred", "https://w3id.org/thb-kg/graph/ontology")


@pytest.fixture(scope="module")
def shipped() -> kg_api.KnowledgeGraph:
    return kg_api.load()


@pytest.fixture(scope="module")
def rows(shipped: kg_api.KnowledgeGraph) -> list[dict[str, Any]]:
    """The chart's query rows, as the site reads them."""
    from importlib.resources import files

    from kg.query import run

    sparql = files("kg.site").joinpath("queries", "parties-over-time.rq").read_text("utf-8")
    result = run(shipped, sparql, policy=None)
    return [
        {str(v): str(t) for v, t in zip(result.vars, row, strict=True) if t is not None}
        for row in result.rows
    ]


def _graph_counts(shipped: kg_api.KnowledgeGraph) -> set[tuple[str, str, str, str]]:
    """Every count of parties in the source graphs, read with rdflib directly (not through
    the chart's query): (instrument, value as printed, as-of in words or "", source)."""
    ds = shipped.dataset
    out = set()
    for ctx in ds.graphs():
        g = str(ctx.identifier)
        if g in SKIP_GRAPHS:
            continue
        for obs in ds.subjects(THB.indicator, PARTIES):
            for value in ctx.objects(obs, SDMX_MEASURE.obsValue):
                instrument = ds.value(obs, THB.instrument)
                day = ctx.value(obs, THB.asOf)
                prec = ctx.value(obs, THB.datePrecision)
                words = show_date(str(day), str(prec) if prec else None) if day else ""
                out.add((str(instrument), show_number(value), words, g))
    return out


def test_every_count_of_parties_in_the_graph_is_on_the_chart(
    shipped: kg_api.KnowledgeGraph, rows: list[dict[str, Any]]
) -> None:
    chart = parties_chart(rows)
    assert chart is not None
    drawn = {
        (s.instrument, c.text, when, src)
        for s in chart.series
        for c in s.counts
        for when in c.as_of
        for src in c.sources
    } | {
        (s.instrument, c.text, "", src)
        for s in chart.series
        for c in s.undated
        for src in c.sources
    }
    expected = _graph_counts(shipped)
    # a merged point lists all its dates and sources: compare per (instrument, value, source)
    assert {(i, v, s) for i, v, _w, s in drawn} == {(i, v, s) for i, v, _w, s in expected}
    assert {(i, v, w) for i, v, w, _s in drawn} == {(i, v, w) for i, v, w, _s in expected}


def test_the_three_instruments_and_their_latest_counts(rows: list[dict[str, Any]]) -> None:
    chart = parties_chart(rows)
    assert chart is not None
    by_label = {s.label: s for s in chart.series}
    assert {
        "UN Trafficking in Persons Protocol",
        "UN Convention against Transnational Organized Crime",
    } <= set(by_label)
    protocol = by_label["UN Trafficking in Persons Protocol"]
    latest = max(protocol.counts, key=lambda c: c.dates[-1])
    assert (latest.text, latest.as_of) == ("182", ["20 April 2024"])  # UN Treaty Collection
    # a count known to the month is said at that precision, never as a day
    assert any(c.as_of == ["March 2005"] and c.text == "80" for c in protocol.counts)
    coe = next(s for s in chart.series if "Council of Europe" in s.label)
    assert coe.counts == [] and [c.text for c in coe.undated] == ["48"]


def test_agreeing_sources_for_the_same_time_are_one_point_with_both(
    rows: list[dict[str, Any]],
) -> None:
    chart = parties_chart(rows)
    assert chart is not None
    untoc = next(s for s in chart.series if s.label.startswith("UN Convention against"))
    hundred = [c for c in untoc.counts if c.text == "100"]
    assert len(hundred) == 1
    assert set(hundred[0].as_of) == {"March 2005", "4 March 2005"}
    assert len(hundred[0].sources) == 2 and not hundred[0].disputed


def test_sources_that_disagree_are_both_drawn(rows: list[dict[str, Any]]) -> None:
    """A second source giving another count for the same month: both points, both flagged."""
    real = next(r for r in rows if r.get("asOf", "").startswith("2024-04-20"))
    other = {
        **real,
        "value": "181.0",
        "source": "urn:example:another-source",
        "precision": str(TIME.unitMonth),
    }
    chart = parties_chart([*rows, other])
    assert chart is not None
    series = next(s for s in chart.series if s.instrument == real["instrument"])
    april = [c for c in series.counts if c.dates[0].startswith("2024-04")]
    assert sorted(c.text for c in april) == ["181", "182"]
    assert all(c.disputed for c in april) and chart.disputed
    assert {c.y for c in april} == {min(c.y for c in april), max(c.y for c in april)}
    assert len({c.y for c in april}) == 2


def test_chart_text_is_escaped(rows: list[dict[str, Any]]) -> None:
    hostile = [{**r, "instrumentLabel": '<script>alert(1)</script>"&'} for r in rows]
    chart = parties_chart(hostile)
    template = environment().from_string(
        '{% import "site_macros.html" as m with context %}{{ m.parties_chart(chart, "p") }}'
    )
    html = template.render(
        chart=chart,
        link=lambda iri: None,
        source=lambda g: {"title": g, "page": None, "href": None, "unconfirmed": False, "iri": g},
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.fixture(scope="module")
def site(shipped: kg_api.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parties") / "site"
    build_site(shipped, out)
    return out


@pytest.mark.parametrize("page", ["index.html", "q/dated-counts.html", "q/statistics.html"])
def test_pages_that_answer_it_draw_the_chart(
    site: Path, page: str, shipped: kg_api.KnowledgeGraph, rows: list[dict[str, Any]]
) -> None:
    html = (site / page).read_text("utf-8")
    figure = html[html.index('<figure class="parties-chart"') :]
    figure = figure[: figure.index("</figure>")]
    assert "<script" not in figure  # drawn on the server, read without JavaScript
    svg = figure[figure.index("<svg") : figure.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    table = figure[figure.index("<table") :]
    counts = _graph_counts(shipped)
    # the text alternative: one row per count (agreeing sources for the same time merged)
    chart = parties_chart(rows)
    assert chart is not None
    assert table.count("<tr") - 1 == sum(len(x.counts) + len(x.undated) for x in chart.series)
    for _instrument, value, when, _src in counts:
        assert f">{value}<" in svg or not when  # every dated count is labelled on the chart
        assert re.search(rf"<td class=\"num\">(?:[^<]* )?{re.escape(value)}\b", table)
        assert (when or "undated") in table
        visible = re.sub(r"<[^>]+>", " ", figure)  # the text, not the coordinates
        assert not re.search(rf"(?<![\d.,]){re.escape(value)}\.0\b", visible)


def test_key_figures_give_each_as_of_date_at_its_precision(
    site: Path, rows: list[dict[str, Any]]
) -> None:
    """The start page's key figures say "as of March 2005" where the source gives the month,
    never a day it does not give ("1 March 2005")."""
    html = (site / "index.html").read_text("utf-8")
    figures = html[html.index('id="figures-h"') : html.index('id="disagree-h"')]
    coarse = [r for r in rows if r.get("precision")]
    assert coarse
    for r in coarse:
        assert f"as of {show_date(r['asOf'], r['precision'])}" in figures
        assert f"as of {show_date(r['asOf'])}" not in figures
