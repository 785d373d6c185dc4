"""Question pages answer in words (issue 12, item 4): every cell of every answer table
is a label, never a raw IRI; names link to pages; numeric answers get a server-side chart;
the SPARQL is folded underneath with instructions to run it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kg as kg_api
from kg import library
from kg.site import build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("questions") / "site"
    build_site(kg_api.load(), out)
    return out


class _Cells(HTMLParser):
    """The text of each cell of table.result, and the hrefs of its links."""

    def __init__(self) -> None:
        super().__init__()
        self.in_result = False
        self.cell: list[str] | None = None
        self.cells: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and "result" in (a.get("class") or ""):
            self.in_result = True
        elif self.in_result and tag == "td":
            self.cell = []
        elif self.in_result and tag == "a" and self.cell is not None:
            self.links.append(a.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_result = False
        elif tag == "td" and self.cell is not None:
            self.cells.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _page(site: Path, name: str) -> Path:
    return site / "q" / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower()).strip('-')}.html"


@pytest.mark.parametrize("name", library.names())
def test_question_page_shows_labels_not_iris(site: Path, name: str) -> None:
    parser = _Cells()
    parser.feed(_page(site, name).read_text("utf-8"))
    raw = [c for c in parser.cells if re.match(r"(https?|urn):", c)]
    assert raw == [], f"raw IRIs in the answer of {name}"
    # links stay inside the site (relative), never to a bare IRI
    assert all(not h.startswith(("http:", "https:")) for h in parser.links)


def test_a_question_with_iris_links_them_to_entity_and_ontology_pages(site: Path) -> None:
    parser = _Cells()
    parser.feed(_page(site, "responsible-bodies").read_text("utf-8"))
    assert "United Nations Office on Drugs and Crime" in parser.cells
    assert "has guardian" in parser.cells
    assert "../e/body/unodc.html" in parser.links
    assert "../ontology.html#hasGuardian" in parser.links


@pytest.mark.parametrize("name", ["victims-origin", "statistics"])
def test_numeric_answers_get_a_chart(site: Path, name: str) -> None:
    html = _page(site, name).read_text("utf-8")
    chart = html[html.index('<figure class="chart">') : html.index("</figure>")]
    assert chart.count("<rect ") >= 2 and "<script" not in chart


def test_victims_by_region_chart_names_the_regions(site: Path) -> None:
    html = _page(site, "victims-origin").read_text("utf-8")
    chart = html[html.index('<figure class="chart">') : html.index("</figure>")]
    assert "Balkans" in chart and ">32<" in chart


@pytest.mark.parametrize("name", library.names())
def test_sparql_is_folded_under_the_answer_with_run_instructions(site: Path, name: str) -> None:
    html = _page(site, name).read_text("utf-8")
    assert html.index('id="answer"') < html.index("<details class=\"sparql-box\">")
    assert f"kg query {name}" in html and "127.0.0.1:8000/sparql" in html


def test_describe_entity_page_shows_a_year_as_a_year(site: Path) -> None:
    """The question page of describe-entity (UNODC, its default) shows the year the
    sources give for UNODC's establishment, "1997", never its stored first day (issue 11,
    the remaining item 2)."""
    parser = _Cells()
    parser.feed(_page(site, "describe-entity").read_text("utf-8"))
    assert "1997" in parser.cells
    assert not any("1997-01-01" in c for c in parser.cells)
