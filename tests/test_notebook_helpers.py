"""kg.notebook: inline views (iframe srcdoc) and result tables for Jupyter."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from test_view_browser import shared_browser

import kg
from kg import notebook
from kg.notebook import InlinePage, Table, show, table, term_text, values

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")

PAGE = """<!doctype html>
<html><head><title>t</title><style>a[href="x"] { color: red }</style></head>
<body><script>const s = "a & b" + '<\\/b>'; document.title = s;</script>
<p title='quote "double" and &amp; entity'>Blue Heart</p></body></html>"""


class _Frames(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.frames: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "iframe":
            self.frames.append(dict(attrs))


def _parse(markup: str) -> _Frames:
    parser = _Frames()
    parser.feed(markup)
    parser.close()
    return parser


def test_show_embeds_the_whole_page_in_srcdoc() -> None:
    frame = show(PAGE, height=420, title='Neighbourhood of "UNODC"')
    parsed = _parse(frame._repr_html_())
    assert parsed.tags == ["iframe"], "the page must not leak out of the srcdoc attribute"
    (attrs,) = parsed.frames
    assert attrs["srcdoc"] == PAGE
    assert attrs["title"] == 'Neighbourhood of "UNODC"'
    assert "src" not in attrs, "offline: no file path or URL, only srcdoc"
    assert "420px" in (attrs["style"] or "")
    assert "allow-scripts" in (attrs["sandbox"] or "")


def test_show_accepts_a_file_and_an_object_with_html(tmp_path: Path) -> None:
    path = tmp_path / "view.html"
    path.write_text(PAGE, encoding="utf-8")
    assert show(path).page == PAGE

    class View:
        html = PAGE
        title = "Europol and its neighbourhood"

    assert show(View()).page == PAGE
    assert show(View()).title == "Europol and its neighbourhood"
    assert show(View(), title="mine").title == "mine"
    assert show(PAGE).title == "thb-kg view"


def test_show_refuses_other_things() -> None:
    with pytest.raises(TypeError, match="HTML document"):
        show(42)


def test_each_frame_has_its_own_id() -> None:
    first = _parse(show(PAGE)._repr_html_()).frames[0]["id"]
    second = _parse(show(PAGE)._repr_html_()).frames[0]["id"]
    assert first != second


def test_inline_page_repr_is_short() -> None:
    assert repr(InlinePage(PAGE)).startswith("<InlinePage 'thb-kg view': ")


def test_term_text_compacts_with_the_longest_namespace() -> None:
    assert term_text(URIRef("http://data.europa.eu/eli/ontology#amends")) == "eli:amends"
    assert term_text(URIRef("https://w3id.org/thb-kg/graph/seed-article")) == "graph:seed-article"
    assert term_text(URIRef("http://data.europa.eu/eli/dir/2011/36/oj")) == (
        "http://data.europa.eu/eli/dir/2011/36/oj"
    )
    assert term_text(Literal("Europol", lang="en")) == "Europol"


def test_table_of_a_query_result(minimal_kg: kg.KnowledgeGraph) -> None:
    from kg.query import run

    result = run(
        minimal_kg,
        "SELECT ?act ?celex ?date WHERE { ?act eli:id_local ?celex "
        "OPTIONAL { ?act eli:date_document ?date } } ORDER BY ?celex",
    )
    out = table(result, pandas=False)
    assert isinstance(out, Table)
    assert out.columns == ("act", "celex", "date")
    assert [r[1] for r in out.text_rows()] == ["32011L0036", "32024L1712"]
    assert out.text_rows()[1][2] == "", "an unbound variable is an empty cell"
    assert table(result, pandas=False, limit=1).rows == out.rows[:1]
    assert values(result, "date") == [datetime.date(2011, 4, 5), None]


def test_table_of_dicts_fills_missing_keys() -> None:
    rows = [{"a": Literal(1)}, {"b": Literal("x")}]
    out = table(rows, pandas=False)
    assert out.columns == ("a", "b")
    assert out.text_rows() == [["1", ""], ["", "x"]]


def test_table_refuses_other_things() -> None:
    with pytest.raises(TypeError, match="query result"):
        table([1, 2, 3], pandas=False)


def test_table_html_escapes_cells_and_keeps_the_full_iri_as_a_tooltip() -> None:
    iri = URIRef("https://w3id.org/thb-kg/id/body/unodc")
    out = table([{"who": iri, "said": Literal("<b>slaves</b> & more")}], pandas=False)
    markup = out._repr_html_()
    assert "&lt;b&gt;slaves&lt;/b&gt; &amp; more" in markup
    assert f'title="{iri}"' in markup
    assert "<th>who</th>" in markup and "1 row(s)" in markup


def test_table_prints_as_aligned_text() -> None:
    out = table([{"region": Literal("Balkans"), "share": Literal(Decimal("32"))}], pandas=False)
    assert str(out).splitlines() == ["region   share", "-------  -----", "Balkans  32"]


def test_values_are_native_python() -> None:
    rows = [
        {
            "d": Literal("2008-02-01", datatype=XSD_DATE),
            "n": Literal("13.5", datatype=XSD_DECIMAL),
            "i": URIRef("https://w3id.org/thb-kg/id/place/africa"),
        }
    ]
    assert values(rows, "d") == [datetime.date(2008, 2, 1)]
    assert values(rows, "n") == [Decimal("13.5")]
    assert values(rows, "i") == ["id:place/africa"]
    with pytest.raises(KeyError, match="the result has: d, n, i"):
        values(rows, "missing")
    assert values([], "anything") == []


def test_default_is_a_table_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notebook, "_has_pandas", lambda: False)
    assert isinstance(table([{"a": Literal(1)}]), Table)


def test_dataframe_when_pandas_is_installed() -> None:
    pytest.importorskip("pandas")
    frame = table([{"d": Literal("2008-02-01", datatype=XSD_DATE), "n": Literal(3)}], pandas=True)
    assert list(frame.columns) == ["d", "n"]
    assert frame.iloc[0]["d"] == datetime.date(2008, 2, 1)
    assert frame.iloc[0]["n"] == 3


def test_docstring_examples_run() -> None:
    import doctest

    failures, tried = doctest.testmod(notebook)
    assert tried >= 4 and failures == 0


def test_helpers_are_exported_from_kg() -> None:
    assert kg.show is show
    assert kg.table is table
    assert {"show", "table"} <= set(kg.__all__)


def test_table_shows_labels_from_a_mapping_or_the_graph(minimal_kg: kg.KnowledgeGraph) -> None:
    from kg.query import run

    body = URIRef("https://w3id.org/thb-kg/id/body/example-body")
    result = run(minimal_kg, "SELECT ?b WHERE { ?b a org:Organization }")
    assert table(result, labels=minimal_kg, pandas=False).text_rows() == [["Example body"]]
    assert table(result, labels={body: "EB"}, pandas=False).text_rows() == [["EB"]]
    markup = table(result, labels=minimal_kg, pandas=False)._repr_html_()
    assert f'title="{body}"' in markup, "the full IRI stays available as a tooltip"


@pytest.mark.browser
def test_an_inline_view_draws_offline_in_a_browser(
    minimal_kg: kg.KnowledgeGraph, request: pytest.FixtureRequest
) -> None:
    """The iframe a notebook shows runs the view's scripts, sandboxed, with no network."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium is not installed")
    from kg.network import to_networkx
    from kg.view import render

    frame = show(render(to_networkx(minimal_kg)), height=400)
    requests: list[str] = []
    # the session's one Chromium: Playwright's sync API cannot start twice at once
    context = shared_browser(request).new_context()
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.set_content(f"<!doctype html><html><body>{frame._repr_html_()}</body></html>")
        inner = page.frames[1]
        inner.wait_for_function(
            "document.getElementById('thb-status').textContent.includes('nodes')",
            timeout=15000,
        )
        assert inner.evaluate("document.querySelectorAll('canvas').length") == 1
        assert "3 nodes" in inner.evaluate("document.getElementById('thb-status').textContent")
    finally:
        context.close()
    assert [u for u in requests if u.startswith(("http:", "https:"))] == []
