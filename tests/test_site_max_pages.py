"""`kg site --max-pages`: past N entities, the pages of the N best-connected, said in one
sentence, and no link on the site leads to a page that was not written (issue 10)."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import kg as kg_api
from kg.cli import main
from kg.network import to_networkx
from kg.site import page_path

SYNTH = Path(__file__).resolve().parent.parent / "benchmarks" / "synth.py"
LINK = re.compile(r"""\b(?:href|src)="([^"]*)\"""")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated data in our model (benchmarks/synth.py): some 300 entities."""
    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("synth") / "data"
    module.generate(3000, folder, seed=3)
    return folder


def build(data: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["--data", str(data), "site", "--out", str(out), "-q", *extra]) == 0
    return capsys.readouterr().err


def local_links(site: Path) -> list[tuple[Path, str]]:
    """Every link and source on every written page that points into the site."""
    found = []
    for page in site.rglob("*.html"):
        for target in LINK.findall(page.read_text("utf-8")):
            parts = urlsplit(html.unescape(target))
            if parts.scheme or parts.netloc or not parts.path:  # the web, or a #fragment
                continue
            found.append((page, unquote(parts.path)))
    return found


@pytest.mark.parametrize("max_pages", [1, 40])
def test_past_max_pages_the_best_connected_pages_and_one_sentence(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], max_pages: int
) -> None:
    out = tmp_path / "site"
    err = build(data, out, capsys, "--max-pages", str(max_pages))
    G = to_networkx(kg_api.load(data))
    total = G.number_of_nodes()
    assert total > max_pages
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1
    assert notes[0] == (
        f"note: the graph has {total:,} entities, more than --max-pages {max_pages:,}: the "
        f"site has pages for the {max_pages:,} best-connected ones (most relations), and the "
        "others are named without a link."
    )
    written = {p.relative_to(out).as_posix() for p in (out / "e").rglob("*.html")}
    assert len(written) == max_pages
    # the best-connected: no entity left out has more relations than one that has a page
    by_path = {page_path(n): n for n in G.nodes}
    kept = {by_path[p] for p in written}
    assert min(G.degree(n) for n in kept) >= max(G.degree(n) for n in G.nodes if n not in kept)


def test_every_link_of_a_bounded_site_resolves(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    build(data, out, capsys, "--max-pages", "25")
    links = local_links(out)
    assert any("/e/" in f"/{target}" for _page, target in links)  # entity pages are linked
    missing = sorted({(p.relative_to(out).as_posix(), t) for p, t in links
                      if not (p.parent / t).resolve().exists()})
    assert missing == []
    # the search box leads only to written pages
    index = (out / "assets" / "search-index.js").read_text("utf-8")
    docs = json.loads(index.split("=", 1)[1].strip().rstrip(";"))
    assert [d["url"] for d in docs if not (out / d["url"]).is_file()] == []
    assert sum(1 for d in docs if d["url"].startswith("e/")) == 25


def test_the_entity_index_names_every_entity_and_links_only_written_pages(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    build(data, out, capsys, "--max-pages", "25")
    G = to_networkx(kg_api.load(data))
    text = (out / "entities.html").read_text("utf-8")
    items = re.findall(r"<li>(.*?)</li>", text, flags=re.S)
    assert len(items) == G.number_of_nodes()
    linked = [i for i in items if i.startswith("<a href=")]
    assert len(linked) == 25
    assert all("<a" not in i for i in items if not i.startswith("<a href="))


def test_without_a_bound_every_entity_has_a_page(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    err = build(data, out, capsys, "--max-pages", "0")
    assert "note: the graph has" not in err
    G = to_networkx(kg_api.load(data))
    assert len(list((out / "e").rglob("*.html"))) == G.number_of_nodes()


def test_a_negative_max_pages_is_one_sentence_and_exit_2(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(data), "site", "--out", str(tmp_path / "s"), "--max-pages",
                 "-1"]) == 2
    err = capsys.readouterr().err
    assert "--max-pages must be 0 (no limit) or more." in err
    assert "Traceback" not in err
    assert not (tmp_path / "s").exists()


def test_the_shipped_graph_is_under_the_default_bound(kg: kg_api.KnowledgeGraph) -> None:
    from kg.site.build import DEFAULT_MAX_PAGES

    assert to_networkx(kg).number_of_nodes() < DEFAULT_MAX_PAGES  # its site is whole


def test_past_max_quads_one_sentence_and_nothing_written(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A graph larger than --max-quads is refused before it is loaded: the count is the
    total `kg stats` prints, and the output folder is not created."""
    assert main(["--data", str(data), "stats"]) == 0
    total = int(next(line.split()[-1] for line in capsys.readouterr().out.splitlines()
                     if line.split()[:1] == ["total"]))
    out = tmp_path / "site"
    assert main(["--data", str(data), "site", "--out", str(out), "-q",
                 "--max-quads", str(total - 1)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and not out.exists()
    assert f"this graph has {total:,} quads, more than --max-quads {total - 1:,}" in err
    assert "--max-quads 0" in err and "kg viz --focus" in err


def test_max_quads_below_zero_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(data), "site", "--out", str(tmp_path / "s"), "-q",
                 "--max-quads", "-1"]) == 2
    assert "--max-quads must be 0 (no limit) or more." in capsys.readouterr().err


def test_the_shipped_graph_is_within_the_default_max_quads() -> None:
    from kg.commands.views import DEFAULT_MAX_QUADS
    from kg.stats import stats

    assert stats(kg_api.load()).total_triples < DEFAULT_MAX_QUADS // 10
