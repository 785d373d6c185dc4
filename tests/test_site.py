"""kg.site and `kg site`: the static site's pages, links, downloads and safe replacement."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

import kg as kg_api
from kg.cli import main
from kg.errors import WriteError
from kg.site import MARKER, SiteReport, build_site, page_path

INJECTION = Path(__file__).parent / "data" / "injection"
DIR_2011_36 = "http://data.europa.eu/eli/dir/2011/36/oj"


@pytest.fixture(scope="module")
def sample_site(store: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteReport]:
    out = tmp_path_factory.mktemp(f"site-{store}") / "site"
    report = build_site(kg_api.load(INJECTION, store=store), out)
    return out, report


@pytest.fixture(scope="module")
def shipped_site(kg: kg_api.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shipped") / "site"
    build_site(kg, out)
    return out


def test_site_has_every_section(sample_site: tuple[Path, SiteReport]) -> None:
    out, report = sample_site
    for name in ("index.html", "network.html", "entities.html", "timeline.html", "dated.html", "questions.html",
                 "ontology.html", "sources.html", "downloads.html", MARKER):
        assert (out / name).is_file(), name
    for asset in ("vis-network.min.js", "view.js", "view.css", "site.css", "LICENSE-vis-network.txt"):
        assert (out / "assets" / asset).is_file(), asset
    assert report.entities == len(list((out / "e").rglob("*.html")))
    assert report.pages == len(list(out.rglob("*.html")))


def test_a_page_per_entity_kind(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    for path in ("e/body/europol.html", "e/eli/dir-2011-36-oj.html", "e/person/myria-vassiliadou.html",
                 "e/campaign/blue-heart.html", "e/report/unodc-2010-trafficking-to-europe.html",
                 "e/instrument/un-trafficking-protocol.html", "e/case/rantsev-v-cyprus-and-russia.html"):
        assert (out / path).is_file(), path


def test_instrument_page_links_out_and_cites_sources(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    html = (out / "e/eli/dir-2011-36-oj.html").read_text()
    assert 'href="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0036"' in html
    assert f'href="{DIR_2011_36}"' in html  # the ELI
    assert "entry into force" in html and "2011-04-15" in html
    assert re.search(r'href="\.\./\.\./s/sample-eurlex-[0-9a-f]+\.html"', html)  # the source's page
    assert 'href="https://eur-lex.europa.eu/eli/dir/2011/36/oj"' in html  # the source document
    assert 'href="../../e/eli/dec_framw-2002-629-oj.html"' in html  # replaces: a link


def test_entity_page_has_its_neighbourhood_view(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    html = (out / "e/body/europol.html").read_text()
    data = json.loads(re.search(r'id="thb-data">(.*?)</script>', html, re.S).group(1))
    assert data["details"][data["focus"]]["iri"].endswith("/body/europol")
    pages = {d["page"] for d in data["details"]}
    assert "../../e/place/the-hague.html" in pages
    assert '<script src="../../assets/vis-network.min.js"></script>' in html
    assert "script-src &#39;self&#39;" in html


def test_disagreeing_sources_are_shown(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    html = (out / "e/person/myria-vassiliadou.html").read_text()
    assert "2010-12-14" in html and "2011-12" in html
    assert "Commission appoints EU Anti-Trafficking Coordinator" in html
    assert "Sources disagree on appointment date (Anti-Trafficking Coordinator)" in html
    assert '<tr class="disputed"><th>Anti-Trafficking Coordinator</th>' in html
    # titles in several forms are not a disagreement: only thb:ComparableProperty values are
    assert "Sources disagree" not in (out / "e/eli/dir-2011-36-oj.html").read_text()


def test_unconfirmed_is_said(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    assert "Unconfirmed" in (out / "e/event/rumoured-meeting.html").read_text()
    assert "(unconfirmed)" in (out / "e/body/europol.html").read_text()


def test_timeline_is_in_order(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    html = (out / "timeline.html").read_text()
    dates = re.findall(r'<time datetime="([0-9-]+)">', html)
    assert dates == sorted(dates) and len(dates) > 10
    assert html.index("1998") < html.index("2011-04-15") < html.index("2024-07-14")


def test_questions_show_sparql_and_results(sample_site: tuple[Path, SiteReport]) -> None:
    out, report = sample_site
    from kg import library

    queries = library.list_queries()
    assert report.queries == len(queries) > 0
    index = (out / "questions.html").read_text()
    for q in queries:
        page = out / "q" / f"{q.name}.html"
        assert page.is_file(), q.name
        assert f'href="q/{q.name}.html"' in index
        text = page.read_text()
        assert "<pre class=\"sparql\"><code>" in text


def test_ontology_lists_classes_properties_and_instances(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    html = (out / "ontology.html").read_text()
    assert "thb:Campaign" in html and "campaign" in html
    assert 'href="e/campaign/blue-heart.html"' in html  # an instance
    assert "eli:passed_by" in html and "adopted by" in html


def test_downloads_read_back(sample_site: tuple[Path, SiteReport]) -> None:
    out, report = sample_site
    assert {"data/thb-kg.trig", "data/thb-kg.jsonld", "data/thb-kg.graphml"} <= set(report.downloads)
    ds = Dataset()
    ds.parse(out / "data/thb-kg.trig", format="trig")
    assert len(ds) > 100
    G = nx.read_graphml(out / "data/thb-kg.graphml")
    assert G.nodes["https://w3id.org/thb-kg/id/body/europol"]["label"] == "Europol"
    assert "data/thb-kg.graphml" in (out / "downloads.html").read_text()


def test_hostile_strings_are_escaped_on_every_page(sample_site: tuple[Path, SiteReport]) -> None:
    out, _ = sample_site
    for page in out.rglob("*.html"):
        text = page.read_text()
        for payload in ("<img src=x", "<script>window.__pwned", "</script><script>"):
            assert payload not in text, f"{page.relative_to(out)} holds {payload!r} unescaped"
        assert 'href="javascript' not in text


def test_page_paths_are_safe() -> None:
    assert page_path("https://w3id.org/thb-kg/id/body/../../etc/passwd") == "e/body/etc-passwd.html"
    assert page_path("http://example.org/x").startswith("e/other/")
    assert page_path("https://w3id.org/thb-kg/id/body/<script>") == "e/body/script.html"


def test_rebuild_replaces_only_a_site(sample_site: tuple[Path, SiteReport], tmp_path: Path, minimal_kg: kg_api.KnowledgeGraph) -> None:
    out = tmp_path / "site"
    build_site(minimal_kg, out)
    (out / "stale.html").write_text("old")
    build_site(minimal_kg, out)
    assert not (out / "stale.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "temporary folders left behind"

    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    with pytest.raises(WriteError, match="not a thb-kg site"):
        build_site(minimal_kg, precious)
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_failed_build_keeps_the_old_site(tmp_path: Path, minimal_kg: kg_api.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build_site(minimal_kg, out)
    before = (out / "index.html").read_text()
    import kg.site.timeline

    def boom(site: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(kg.site.timeline, "build", boom)
    with pytest.raises(RuntimeError):
        build_site(minimal_kg, out)
    assert (out / "index.html").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_kg_site_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["--data", str(INJECTION), "site", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "pages" in printed and str(out / "index.html") in printed
    assert (out / "index.html").is_file()
    assert main(["--data", str(INJECTION), "site", "--out", str(tmp_path / "nope" / "site")]) == 2


def test_shipped_site(shipped_site: Path, kg: kg_api.KnowledgeGraph) -> None:
    for path in ("e/body/europol.html", "e/eli/dir-2011-36-oj.html", "e/campaign/blue-heart.html",
                 "e/person/myria-vassiliadou.html", "e/body/unodc.html"):
        assert (shipped_site / path).is_file(), path
    html = (shipped_site / "e/eli/dir-2011-36-oj.html").read_text()
    assert "CELEX:32011L0036" in html


def test_dated_page_shows_counts_as_at_their_date(shipped_site: Path) -> None:
    html = (shipped_site / "dated.html").read_text()
    rows = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", html, flags=re.S)
    parties = next(r for r in rows if "2024-04-20" in r and ">182 " in r)
    assert 'href="e/instrument/un-trafficking-protocol.html"' in parties
    assert "countries" in parties and "United Nations Treaty Collection" in parties
    dates = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', "".join(rows))
    assert dates == sorted(dates) and dates[0] == "2000-12-01"
    most_recent = next(r for r in rows if "The most recent is the Directive 2011/36/EU" in r)
    assert "<em>undated</em>" in most_recent and "<q>the most recent</q>" in most_recent
    quote = next(r for r in rows if "current level of response" in r)
    assert "(unconfirmed)" in quote
    assert 'href="dated.html"' in (shipped_site / "index.html").read_text()  # in the menu


def test_dated_page_shows_hostile_words_as_text(sample_site: tuple[Path, SiteReport]) -> None:
    html = (sample_site[0] / "dated.html").read_text()
    assert "&lt;img src=x onerror=" in html  # the claim's text
    assert "&lt;script&gt;window.__pwned=" in html  # its time-relative wording
    assert "2001-01-01" in html
