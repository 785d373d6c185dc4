"""The same answers on a SPARQL server as embedded: kg publish, then kg --endpoint.

For each server of the environment (:mod:`servers`; Oxigraph server and
Virtuoso in CI), the shipped dataset is published and every library query
(with its defaults, and with other parameters) runs on ``--endpoint`` and on
the embedded engine ``kg query`` uses: the same rows, compared as RDF terms,
in the same order where the query orders them. ``kg stats``, ``kg validate``
and ``kg check-staleness`` agree too, the fetched dataset keeps every named
graph, and publishing twice leaves one copy.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from conftest import DATA

import kg as kg_api
from kg import library
from kg.cli import main
from kg.query import QueryResult, run
from kg.stats import from_counts, stats
from kg.store import fetch_graph, open_engine
from kg.store.fetch import counts
from kg.store.publish import publish
from kg.store.remote import RemoteEngine
from kg.validate import validate

EUROPOL = "<https://w3id.org/thb-kg/id/body/europol>"
IP_10_1715 = "<https://w3id.org/thb-kg/graph/ip-10-1715>"

#: Parameters besides each query's defaults: other days, other entities.
OTHER_PARAMS: dict[str, list[dict[str, str]]] = {
    "in-force": [{"asOf": "2005-01-01"}, {"asOf": "2011-04-15"}],
    "describe-entity": [{"entity": "id:body/europol"}, {"entity": "id:person/mira-sorvino"}],
    "connections": [{"a": "id:instrument/un-trafficking-protocol", "b": "id:body/unodc"}],
    "timeline": [{"from": "2000-01-01", "to": "2010-12-31"}],
    "changes": [{"from": "2000-01-01", "to": "2024-12-31"}],
}
#: Queries beyond the library: duplicates across sources, FROM, blank nodes across graphs.
EXTRA = {
    "duplicates": f"SELECT ?label WHERE {{ {EUROPOL} skos:prefLabel ?label }}",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "per-graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "from": f"SELECT (COUNT(*) AS ?n) FROM {IP_10_1715} WHERE {{ ?s ?p ?o }}",
    "from-named": (
        f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED {IP_10_1715} "
        "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ),
    "construct": f"CONSTRUCT {{ {EUROPOL} ?p ?o }} WHERE {{ {EUROPOL} ?p ?o }}",
    "ask": f"ASK {{ GRAPH {IP_10_1715} {{ ?s ?p ?o }} }}",
    # a blank node in a source graph is the one the union (and graph/inferred) holds
    "blank-across-graphs": (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { ?b prov:agent ?agent . "
        "GRAPH ?g { ?b prov:agent ?agent } FILTER(isBlank(?b)) } GROUP BY ?g"
    ),
    "blank-types": (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?b a ?type } "
        "?x prov:qualifiedAssociation ?b FILTER(isBlank(?b)) } GROUP BY ?g"
    ),
}
_ORDER = re.compile(r"ORDER\s+BY\s+(.+?)\s*(?:LIMIT|OFFSET|$)", re.I | re.S)


def _cases() -> list[tuple[str, dict[str, str]]]:
    cases = []
    for q in library.list_queries():
        cases.append((q.name, {}))
        cases += [(q.name, p) for p in OTHER_PARAMS.get(q.name, [])]
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("remote-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module", params=(*servers.NAMES, servers.OWN))
def server(request: pytest.FixtureRequest, cache_dir: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Server]:
    """A server holding the shipped dataset, published with the Graph Store Protocol."""
    if request.param == servers.OWN:
        with servers.own_oxigraph(tmp_path_factory.mktemp("oxigraph")) as found:
            publish(found.query, update_url=found.update, store_url=found.store)
            yield found
        return
    found = servers.server(request.param)
    publish(found.query, update_url=found.update, store_url=found.store)
    yield found


def test_each_server_is_queried_the_way_it_needs(server: servers.Server) -> None:
    """Oxigraph's own default graph holds the union; a server whose default graph is all
    its graphs (Virtuoso, Oxigraph with --union-default-graph) is sent the dataset."""
    dataset = RemoteEngine(server.query).dataset
    assert dataset.published
    assert dataset.native is (server.name == "oxigraph")


@pytest.fixture(scope="module")
def embedded(cache_dir: Path) -> object:
    """The engine kg query uses on the shipped data (the cached Oxigraph snapshot)."""
    return open_engine()


def _blank(term: object) -> object:
    """Blank nodes compare as blank nodes: their labels are each store's own."""
    from rdflib import BNode

    return "_:" if isinstance(term, BNode) else term


def _rows(result: QueryResult) -> list[tuple[object, ...]]:
    if result.kind.gives_graph:
        return [tuple(map(_blank, t)) for t in result.triples]
    if result.boolean is not None:
        return [(result.boolean,)]
    return [tuple(map(_blank, row)) for row in result.rows]


def _order_key(sparql: str, names: tuple[str, ...]) -> list[int] | None:
    """The columns the outermost ORDER BY sorts on (plain variables, ASC/DESC of one)."""
    found = _ORDER.findall(sparql)
    if not found:
        return None
    keys = re.findall(r"\?(\w+)", found[-1])
    return [names.index(k) for k in keys if k in names]


def _agree(remote: QueryResult, local: QueryResult, sparql: str) -> None:
    assert remote.kind == local.kind
    assert remote.vars == local.vars
    a, b = _rows(remote), _rows(local)
    assert sorted(a, key=repr) == sorted(b, key=repr)
    key = _order_key(sparql, local.vars)
    if key:
        assert [tuple(r[i] for i in key) for r in a] == [tuple(r[i] for i in key) for r in b]


@pytest.mark.parametrize(("name", "params"), CASES,
                         ids=[f"{n}-{i}" for i, (n, _p) in enumerate(CASES)])
def test_every_library_query_agrees(server: servers.Server, embedded: object, name: str,
                                    params: dict[str, str]) -> None:
    remote = library.run(RemoteEngine(server.query), name, params)
    local = library.run(embedded, name, params)  # type: ignore[arg-type]
    _agree(remote, local, library.get(name).sparql)
    assert _rows(local), f"{name}: no rows to compare"


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_named_graphs_duplicates_and_blank_nodes_agree(server: servers.Server, embedded: object,
                                                        name: str) -> None:
    remote = run(RemoteEngine(server.query), EXTRA[name])
    local = run(embedded, EXTRA[name])  # type: ignore[arg-type]
    _agree(remote, local, EXTRA[name])
    assert _rows(local)


def test_stats_agree(server: servers.Server, cache_dir: Path) -> None:
    assert from_counts(counts(RemoteEngine(server.query))) == stats(kg_api.load())


def test_kg_stats_and_check_staleness_print_the_same(
    server: servers.Server, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["stats"], ["check-staleness", "--before", "2026-01-01", "-f", "csv"]):
        assert main(command) == 0
        local = capsys.readouterr().out
        assert main(["--endpoint", server.query, *command]) == 0
        remote = capsys.readouterr().out
        assert local and _unordered_concat(remote) == _unordered_concat(local)


def _unordered_concat(csv_text: str) -> list[list[str]]:
    """CSV rows with each "a; b" cell as its sorted parts: SPARQL leaves the order of
    GROUP_CONCAT (check-staleness's wording column) to the engine."""
    import csv
    import io

    return [[";".join(sorted(c.split("; "))) for c in row]
            for row in csv.reader(io.StringIO(csv_text))]


def _quads(graph: kg_api.KnowledgeGraph) -> dict[str, set[tuple[object, ...]]]:
    out: dict[str, set[tuple[object, ...]]] = {}
    for s, p, o, g in graph.dataset.quads((None, None, None, None)):
        out.setdefault(str(getattr(g, "identifier", g)), set()).add(
            (_blank(s), p, _blank(o)))
    return out


def test_the_fetched_dataset_keeps_every_named_graph(server: servers.Server,
                                                     cache_dir: Path) -> None:
    fetched, local = fetch_graph(server.query), kg_api.load()
    assert fetched.graph_names() == local.graph_names()
    assert len(fetched.dataset) == len(local.dataset)
    assert _quads(fetched) == _quads(local)
    assert fetched.inferred == len(local.dataset.graph(kg_api.graph.INFERRED_GRAPH))


def test_validate_agrees_on_the_shipped_data(server: servers.Server, cache_dir: Path) -> None:
    assert validate(fetch_graph(server.query)) == validate(kg_api.load())


def _server_quads(server: servers.Server) -> int:
    """Every quad in the server's named graphs of the dataset and ours (not the server's
    own: Virtuoso keeps its settings in graphs too)."""
    engine = RemoteEngine(server.query)
    text = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            'FILTER(STRSTARTS(STR(?g), "https://w3id.org/thb-kg/")) }')
    (row,) = engine.dataset.select(text, dataset=False)
    return int(row["n"])


def test_publishing_twice_leaves_one_copy(server: servers.Server, cache_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = _server_quads(server)
    report = publish(server.query, update_url=server.update, store_url=server.store)
    assert _server_quads(server) == before
    # the other way, SPARQL Update in small batches, through the command
    code = main(["publish", "--endpoint", server.query, "--update-endpoint", server.update,
                 "--batch", "500", "-q"])
    assert code == 0
    assert "published" in capsys.readouterr().out
    assert _server_quads(server) == before
    local = kg_api.load()
    # each graph once, the default graph beside them, the description, and the union
    # (in the server's own default graph when that is a graph of its own)
    quads = list(local.dataset.quads((None, None, None, None)))
    union = len({(s, p, o) for s, p, o, _g in quads})
    dataset = RemoteEngine(server.query).dataset
    description = 1 + 2 * report.graphs + (0 if dataset.native else 1)
    assert before == len(quads) + description + (0 if dataset.native else union)
    if dataset.native:
        (row,) = dataset.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", dataset=False)
        assert int(row["n"]) == union
    assert report.quads == len(quads)
    assert report.graphs == len(local.graph_names())


def test_validate_reports_the_same_violations(server: servers.Server, cache_dir: Path,
                                              tmp_path: Path) -> None:
    """A dataset that breaks the shapes: the same report on the server and embedded."""
    folder = tmp_path / "broken"
    shutil.copytree(DATA / "minimal", folder)
    from test_shapes import CASES as SHAPE_CASES
    from test_shapes import HEAD

    bodies = "\n".join(body for _name, body, _focus, _path in SHAPE_CASES[:4])
    (folder / "broken.trig").write_text(HEAD + f"\nsrc:broken {{\n{bodies}\n}}\n",
                                        encoding="utf-8")
    try:
        publish(server.query, update_url=server.update, data=folder)
        remote, local = validate(fetch_graph(server.query)), validate(kg_api.load(folder))
        assert not local.conforms
        assert remote == local
    finally:
        publish(server.query, update_url=server.update, store_url=server.store)


def test_a_graph_larger_than_a_page_is_fetched_in_pages(
    server: servers.Server, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.store import fetch

    monkeypatch.setattr(fetch, "PAGE", 97)  # most graphs take several pages
    fetched = fetch_graph(server.query)
    assert _quads(fetched) == _quads(kg_api.load())
    # blank nodes keep their identity across pages and graphs: as many as embedded
    assert _blank_nodes(fetched) == _blank_nodes(kg_api.load()) > 0


def _blank_nodes(graph: kg_api.KnowledgeGraph) -> int:
    from rdflib import BNode

    return len({t for q in graph.dataset.quads((None, None, None, None)) for t in q[:3]
                if isinstance(t, BNode)})


def test_too_much_to_fetch_is_one_sentence(server: servers.Server, cache_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KG_FETCH_LIMIT", "1000")
    assert main(["--endpoint", server.query, "validate"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert server.query in line and "more than the 1,000" in line and "KG_FETCH_LIMIT" in line


def _summary(text: str) -> list[str]:
    """The counts a command reports, without sizes, times and paths."""
    return re.findall(r"(\d[\d,]*) (nodes|relations|pages|entities|questions|downloads)", text)


def test_viz_and_site_draw_the_same(server: servers.Server, cache_dir: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    for i, command in enumerate((["viz", "--focus", "id:body/europol", "--depth", "2", "--out"],
                                 ["viz", "--source", "graph:ip-10-1715", "--out"],
                                 ["site", "-q", "--out"])):
        here, there = tmp_path / f"local-{i}", tmp_path / f"remote-{i}"
        assert main([*command, str(here)]) == 0
        local = capsys.readouterr()
        assert main(["--endpoint", server.query, *command, str(there)]) == 0
        remote = capsys.readouterr()
        assert _summary(remote.out + remote.err) == _summary(local.out + local.err)
        assert _summary(local.out + local.err)
        if command[0] == "site":
            assert ({p.relative_to(here) for p in here.rglob("*")}
                    == {p.relative_to(there) for p in there.rglob("*")})
