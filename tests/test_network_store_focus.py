"""kg/network/store_focus.py: a focused view fetched from Oxigraph is the whole graph's.

The old path (the whole graph into networkx, then :func:`kg.network.neighbourhood`)
is the oracle: for the same focus, depth and options the network built from the
statements fetched by SPARQL must have the same nodes, edges and attributes, and
the page the same data. On the memory store the fetch reads an Oxigraph snapshot
of the loaded graph (:meth:`kg.store.Snapshot.from_graph`); on the oxigraph store
it reads oxrdflib's own pyoxigraph store.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

import kg as kg_api
from kg.cli import main
from kg.graph import ONTOLOGY_GRAPH
from kg.network import select
from kg.network.focus import EntityNotFoundError
from kg.network.store_focus import focus_dataset, focused_network, oxigraph_store
from kg.store import Snapshot
from kg.view import view_data

ID = "https://w3id.org/thb-kg/id/"
FOCI = {
    "body": ID + "body/europol",
    "instrument": "http://data.europa.eu/eli/dir/2011/36/oj",
    "person": ID + "person/antonio-maria-costa",
    "state": ID + "place/spain",
    "event with blank nodes": ID + "event/blue-heart-spain-launch-2010",
}
OPTIONS = {
    "plain": {},
    "as of 2015": {"as_of": "2015-01-01"},
    "qualified kept": {"qualified": "keep"},
    "inferred": {"include_inferred": True},
}
DEFAULT = str(DATASET_DEFAULT_GRAPH_ID)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@pytest.fixture(scope="module")
def oxigraph_of(kg: kg_api.KnowledgeGraph) -> Any:
    """What the fast path reads: oxrdflib's store, or a snapshot of the memory store."""
    return kg if oxigraph_store(kg) is not None else Snapshot.from_graph(kg)


def _page(G: nx.MultiDiGraph) -> str:
    return json.dumps(view_data(G), sort_keys=True, default=str)


def _plain(value: Any) -> Any:
    """Attributes with a plain string's datatype dropped: oxrdflib keeps ``xsd:string`` on a
    literal rdflib's memory store (and the snapshot) leave untyped; nothing drawn shows it."""
    if isinstance(value, dict):
        return {k: None if k == "datatype" and v == XSD_STRING else _plain(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _same(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> None:
    assert dict(new.nodes(data=True)).keys() == dict(old.nodes(data=True)).keys()
    for n, d in old.nodes(data=True):
        assert _plain(new.nodes[n]) == _plain(d), n
    old_edges = {(u, v, k): _plain(d) for u, v, k, d in old.edges(keys=True, data=True)}
    new_edges = {(u, v, k): _plain(d) for u, v, k, d in new.edges(keys=True, data=True)}
    assert new_edges == old_edges
    assert new.graph["focus"] == old.graph["focus"]
    assert new.graph["title"] == old.graph["title"]
    assert _page(new) == _page(old)


@pytest.mark.parametrize("option", OPTIONS, ids=list(OPTIONS))
@pytest.mark.parametrize("depth", [0, 1, 2])
@pytest.mark.parametrize("what", FOCI, ids=list(FOCI))
def test_focused_network_is_the_whole_graphs_neighbourhood(kg, oxigraph_of, what, depth, option):
    old = select(kg, focus=FOCI[what], depth=depth, **OPTIONS[option])
    new = focused_network(oxigraph_of, FOCI[what], depth, **OPTIONS[option])
    assert new is not None
    assert old.number_of_nodes() >= 1
    _same(old, new)


@pytest.mark.parametrize("focus", ["id:body/europol", "<" + ID + "body/europol>"])
def test_a_curie_or_bracketed_iri_names_the_same_focus(kg, oxigraph_of, focus):
    old = select(kg, focus=focus, depth=1)
    new = focused_network(oxigraph_of, focus, 1)
    assert new is not None
    _same(old, new)


@pytest.mark.parametrize("focus", ["Europol", "europol", "EUROPEAN COMMISSION"])
def test_a_label_names_the_same_focus(kg, oxigraph_of, focus):
    old = select(kg, focus=focus, depth=1)
    new = focused_network(oxigraph_of, focus, 1)
    assert new is not None
    _same(old, new)


@pytest.mark.parametrize("focus", [ID + "body/no-such-body", "id:body/no-such-body"])
def test_an_iri_nothing_uses_is_left_to_the_whole_graph(oxigraph_of, focus):
    """The whole graph words the error (a node without a label is named by its CURIE)."""
    assert focused_network(oxigraph_of, focus, 1) is None


@pytest.mark.parametrize("name", ["Europl", "uropol", "Trafficking Protocl", "zzz", "Blue Hart"])
def test_a_name_nothing_has_is_an_error_at_once_as_in_the_whole_graph(kg, oxigraph_of, name):
    """No statement has the name: the store says so, with the labels that contain it,
    instead of loading the whole graph to say the same."""
    with pytest.raises(EntityNotFoundError) as whole:
        select(kg, focus=name, depth=1)
    with pytest.raises(EntityNotFoundError) as here:
        focused_network(oxigraph_of, name, 1)
    assert str(here.value) == str(whole.value)


@pytest.mark.parametrize("name", ["pain", "Directive 20", "coordinator", "a"])
def test_the_hint_lists_labels_that_contain_the_name(oxigraph_of, name):
    with pytest.raises(EntityNotFoundError) as here:
        focused_network(oxigraph_of, name, 1)
    message = str(here.value)
    assert message.startswith(f"No entity called {name!r} in the graph. Did you mean: ")
    shown = message.split("Did you mean: ", 1)[1].rstrip("?")
    labels = [label.strip("'") for label in shown.split("', '")]
    assert 1 <= len(labels) <= 5
    assert all(name.casefold() in label.casefold() for label in labels)


def test_every_name_resolves_in_the_store_as_in_the_whole_network(kg, oxigraph_of):
    """Each label and alternative label the network shows names, in the store, the node
    :func:`kg.network.resolve` finds, or nothing (then the whole graph decides); never
    another node, nor a node where the whole network finds none or several."""
    from kg.network import to_networkx
    from kg.network.focus import EntityNotFoundError, resolve
    from kg.network.store_focus import _centre

    G = to_networkx(kg)
    names = {d["label"] for _n, d in G.nodes(data=True)}
    names |= {a for _n, d in G.nodes(data=True) for a in d.get("alt", ())}
    names |= {name.upper() for name in names}
    found = 0
    for name in sorted(names):
        try:
            expected: str | None = resolve(G, name)
        except EntityNotFoundError:
            expected = None
        got = _centre(oxigraph_store(oxigraph_of), name, False)
        assert got in (None, expected), name
        found += got is not None
    assert found >= 0.8 * len(names)  # most are found in the store, not in the whole graph


def _content(quads: Any) -> int:
    """The statements of the source graphs and graph/inferred: not the ontology graph nor
    the sources' descriptions, which a focused view reads whole."""
    names = (str(getattr(g, "identifier", getattr(g, "value", g))) for *_spo, g in quads)
    return sum(1 for name in names if name not in (str(ONTOLOGY_GRAPH), DEFAULT))


def _synth() -> Any:
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "synth.py"
    spec = importlib.util.spec_from_file_location("synth", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synth_kg(tmp_path_factory: pytest.TempPathFactory) -> kg_api.KnowledgeGraph:
    folder = tmp_path_factory.mktemp("synth") / "synth-10k"
    _synth().generate(10000, folder, seed=1)
    return kg_api.load(folder, store="memory")


@pytest.mark.parametrize("option", OPTIONS, ids=list(OPTIONS))
@pytest.mark.parametrize("depth", [1, 2])
@pytest.mark.parametrize("state", ["germany", "france"])
def test_generated_data_a_well_connected_state(synth_kg, state, depth, option):
    focus = ID + "place/" + state
    snapshot = Snapshot.from_graph(synth_kg)
    old = select(synth_kg, focus=focus, depth=depth, **OPTIONS[option])
    new = focused_network(snapshot, focus, depth, **OPTIONS[option])
    assert new is not None
    assert old.number_of_nodes() > 10
    _same(old, new)
    fetched = _content(focus_dataset(snapshot.store, focus, depth).quads())
    assert 0 < fetched < _content(synth_kg.dataset.quads()) / 2


@pytest.mark.parametrize(
    ("focus", "store"),
    [("id:place/spain", "pyoxigraph"), ("id:body/europol", "oxigraph"), ("Europol", "pyoxigraph")],
)
def test_kg_viz_focus_on_oxigraph_writes_the_memory_stores_page(
    tmp_path, kg_cache_dir, focus, store
):
    pages = {}
    for name in ("memory", store):
        out = tmp_path / f"{name}.html"
        argv = ["--store", name, "viz", "--focus", focus, "--depth", "2", "--out", str(out)]
        assert main(argv) == 0
        pages[name] = out.read_bytes()
    assert pages[store] == pages["memory"]


EDGE_CLAIM = """\
@prefix thb: <https://w3id.org/thb-kg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<https://w3id.org/thb-kg/graph/test-claim-at-the-edge> {
    <https://w3id.org/thb-kg/id/claim/test-claim-at-the-edge> a thb:Claim ;
        rdf:value "A claim about a figure beyond the neighbourhood"@en ;
        thb:about <%s> .
}
"""


def test_a_claim_about_a_figure_beyond_the_last_step_is_still_noted(tmp_path):
    """The last step leaves out a figure whose other end lies beyond the depth, unless
    something points at it: a claim about a figure is noted on both of its ends, and one
    of them (the data set) is in the view."""
    folder = tmp_path / "synth-10k"
    _synth().generate(10000, folder, seed=1)
    focus = ID + "place/germany"
    plain = kg_api.load(folder, store="memory")
    near = set(select(plain, focus=focus, depth=1).nodes)
    figures = plain.dataset.query(
        "SELECT ?figure ?area WHERE { ?mine qb:dataSet ?set ; sdmx-dimension:refArea ?focus . "
        "?figure qb:dataSet ?set ; sdmx-dimension:refArea ?area } ORDER BY ?figure",
        initBindings={"focus": URIRef(focus)},
        initNs={"qb": "http://purl.org/linked-data/cube#",
                "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#"},
    )
    figure = next(str(f) for f, area in figures if str(area) not in near)
    (folder / "zz-test-claim.trig").write_text(EDGE_CLAIM % figure, encoding="utf-8")
    claimed = kg_api.load(folder, store="memory")
    old = select(claimed, focus=focus, depth=1)
    noted = [n for n, d in old.nodes(data=True)
             if any("beyond the neighbourhood" in note["text"] for note in d["notes"])]
    assert noted  # the data set, which is in the view, carries the note
    new = focused_network(Snapshot.from_graph(claimed), focus, 1)
    assert new is not None
    _same(old, new)


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_the_last_step_fetches_no_figure_of_a_state_beyond_it(synth_kg, depth):
    """A data set at the edge of the view has figures for every state; the figures of
    states beyond the depth are not fetched (their edges would be cut), those of the
    focus are, unless the depth is 0 (the view is the focus alone)."""
    focus = ID + "place/germany"
    snapshot = Snapshot.from_graph(synth_kg)
    near = set(select(synth_kg, focus=focus, depth=depth).nodes)
    fetched = focus_dataset(snapshot.store, focus, depth)
    areas = {str(o) for _s, _p, o, _g in fetched.quads(
        (None, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea"), None, None))}
    assert (focus in areas) == (depth > 0)
    assert areas <= near


NAMES = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix body: <https://w3id.org/thb-kg/id/body/> .
<https://w3id.org/thb-kg/graph/test-names> {
    body:alpha a org:Organization ; skos:prefLabel "Alpha"@en ; rdfs:label "Beta"@de ;
        org:linkedTo body:gamma .
    body:gamma a org:Organization ; skos:prefLabel "Gamma"@en ; skos:altLabel "Delta" .
    body:delta a org:Organization ; rdfs:label "Delta" ; org:linkedTo body:alpha .
}
"""


@pytest.mark.parametrize(
    ("name", "expected"),
    [("alpha", ID + "body/alpha"), ("Beta", None), ("DELTA", ID + "body/delta"),
     ("gamma", ID + "body/gamma")],
)
def test_a_name_is_an_entitys_first_label_else_an_alternative_one(tmp_path, name, expected):
    """As the network picks them: "Beta" is only alpha's second label (no entity is
    called so), and "Delta" is delta's label before it is gamma's alternative one."""
    (tmp_path / "names.trig").write_text(NAMES, encoding="utf-8")
    graph = kg_api.load(tmp_path, store="memory")
    snapshot = Snapshot.from_graph(graph)
    new = focused_network(snapshot, name, 1)
    if expected is None:
        assert new is None
        with pytest.raises(kg_api.KgError, match="No entity called 'Beta'"):
            select(graph, focus=name, depth=1)
        return
    assert new is not None and new.graph["focus"] == expected
    _same(select(graph, focus=name, depth=1), new)
