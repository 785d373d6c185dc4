"""Counts print as integers on every page of the site (issue 12, item 4): the graph
stores "182.0"^^xsd:decimal, a reader sees "182" (key figures, charts, question tables,
entity and dated pages); integer types print as integers, other decimals with the digits
they have, thousands grouped (kg.numbers)."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, Literal, URIRef

import kg as kg_api
from kg.namespaces import QB, SDMX_MEASURE, THB, XSD
from kg.numbers import show_number
from kg.site import build_site

SHIPPED = kg_api.load()
#: Every value an observation has in the shipped graph.
VALUES = sorted({o for o in SHIPPED.dataset.objects(None, SDMX_MEASURE.obsValue)}, key=str)


class _Text(HTMLParser):
    """A page's visible text: no scripts, no styles, no attributes (SVG coordinates)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _text(path: Path) -> str:
    p = _Text()
    p.feed(path.read_text("utf-8"))
    return " ".join(p.parts)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("numbers") / "site"
    build_site(SHIPPED, out)
    return out


def test_the_graph_stores_integral_counts_as_decimals() -> None:
    """What the rule is for: if this fails, the data changed and the test below proves less."""
    raw = [v for v in VALUES if str(v).endswith(".0")]
    assert raw and all(v.datatype == XSD.decimal for v in raw)


#: Pages that show counts: key figures, dated figures, the questions about statistics,
#: and the entity pages of every data set and place that holds observations.
COUNT_PAGES = [
    "index.html",
    "dated.html",
    "q/statistics.html",
    "q/dated-counts.html",
    "q/victims-origin.html",
    "q/conflicts.html",
    "e/place/world.html",
    "e/place/europe.html",
]


def test_every_page_prints_integral_values_without_a_decimal_point(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    pattern = re.compile(r"(?<![\d.,])\d[\d,]*\.0(?![\d.])")  # not 127.0.0.1
    offending = {
        str(p.relative_to(site)): sorted(set(pattern.findall(_text(p))))[:5]
        for p in pages
        if pattern.search(_text(p))
    }
    assert offending == {}
    assert len(pages) > 300  # the whole site was looked at


@pytest.mark.parametrize("page", COUNT_PAGES)
def test_count_pages_show_counts_as_integers(site: Path, page: str) -> None:
    text = _text(site / page)
    shown = [
        v for v in VALUES if re.search(rf"(?<![\d.,]){re.escape(show_number(v))}(?![\d,])", text)
    ]
    assert shown, f"{page} shows no count"
    raw = [str(v) for v in VALUES if str(v).endswith(".0")]
    assert [r for r in raw if re.search(rf"(?<![\d.,]){re.escape(r)}(?!\d)", text)] == []


def _shared(node: object) -> str:
    """A source's own node of a fact (thb:accountOf) as the fact the site draws."""
    return str(SHIPPED.dataset.value(node, THB.accountOf) or node)


#: The data sets the site draws (one per fact, not one per source's account of it).
DATASETS = sorted(
    {_shared(d) for d in SHIPPED.dataset.subjects(RDF.type, QB.DataSet) if isinstance(d, URIRef)}
)


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_data_set_page_shows_its_values_as_written(site: Path, dataset: str) -> None:
    page = (site / "e" / dataset.split("/id/", 1)[1]).with_suffix(".html")
    text = _text(page)
    values = {
        show_number(v)
        for obs, ds in SHIPPED.dataset.subject_objects(QB.dataSet)
        if _shared(ds) == dataset
        for v in SHIPPED.dataset.objects(obs, SDMX_MEASURE.obsValue)
    }
    assert values and {v for v in values if v not in text} == set()


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        (Literal("123.0", datatype=XSD.decimal), "123"),
        (Literal("2700000000.0", datatype=XSD.decimal), "2,700,000,000"),
        (Literal("182", datatype=XSD.integer), "182"),
        (Literal("14000", datatype=XSD.nonNegativeInteger), "14,000"),
        (Literal("2.5", datatype=XSD.decimal), "2.5"),
        (Literal("0.125", datatype=XSD.decimal), "0.125"),
        (Literal("1234.50", datatype=XSD.decimal), "1,234.5"),
        (Literal("CETS 197"), "CETS 197"),
        (Literal("2011", datatype=XSD.gYear), "2011"),
    ],
)
def test_show_number(literal: Literal, shown: str) -> None:
    assert show_number(literal) == shown


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12
    )
)
def test_show_number_keeps_the_value(d: Decimal) -> None:
    """Whatever the digits, the printed number reads back as the same value."""
    text = show_number(Literal(str(d), datatype=XSD.decimal))
    assert Decimal(text.replace(",", "")) == d
    assert not text.endswith(".0") and "E" not in text
