"""A final ORDER BY sorted in Python on the disk store gives Oxigraph's own order.

:mod:`kg.store.ordering` sorts the rows of a query that ends in ``ORDER BY``
of plain variables, on kg's on-disk store, because pyoxigraph 0.5.13's sort
reads RocksDB at every comparison. Each test runs the same text on the same
store twice: through the on-disk engine (sorted here) and through an engine
over that store that leaves the sort to Oxigraph, and compares the rows.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import DATA

from kg import library
from kg.query.prepared import prepare
from kg.store.disk import open_store, store_path
from kg.store.engine import Snapshot
from kg.store.ordering import final_order, sort_rows

ROOT = Path(__file__).resolve().parent.parent
NAMES = library.names()


def _engines(path: Path) -> tuple[Snapshot, Snapshot]:
    """The disk store's engine (sorts here) and one over the same store (Oxigraph sorts)."""
    mine = open_store(path)
    assert mine.on_disk
    return mine, Snapshot(mine.store, mine.path)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory,
            monkeypatch_module: pytest.MonkeyPatch) -> tuple[Snapshot, Snapshot]:
    monkeypatch_module.setenv("KG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return _engines(store_path())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory,
              monkeypatch_module: pytest.MonkeyPatch) -> tuple[Snapshot, Snapshot]:
    folder = tmp_path_factory.mktemp("synth") / "synth-10k"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--quads", "10000",
                    "--out", str(folder)], check=True, capture_output=True)
    monkeypatch_module.setenv("KG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return _engines(store_path(folder))


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _same_order(mine: Snapshot, theirs: Snapshot, text: str) -> None:
    """The same rows; in the same order, but for rows that tie on every projected key
    (SPARQL leaves their order open, and Oxigraph's sort is unstable)."""
    a, b = mine.execute(text), theirs.execute(text)
    assert a.vars == b.vars
    if a.rows == b.rows:
        return
    assert Counter(a.rows) == Counter(b.rows)
    plan = final_order(text)
    assert plan is not None
    keys = [a.vars.index(k) for k, _ in plan.keys if k in a.vars]
    assert [[r[i] for i in keys] for r in a.rows] == [[r[i] for i in keys] for r in b.rows]


@pytest.mark.parametrize("name", NAMES)
def test_every_library_query_on_the_shipped_graph(shipped: tuple[Snapshot, Snapshot],
                                                  name: str) -> None:
    q = library.get(name)
    text = prepare(q.sparql, q.bindings()).text
    mine, theirs = shipped
    assert mine.execute(text).rows == theirs.execute(text).rows


@pytest.mark.parametrize("name", NAMES)
def test_every_library_query_on_generated_data(generated: tuple[Snapshot, Snapshot],
                                               name: str) -> None:
    q = library.get(name)
    _same_order(*generated, prepare(q.sparql, q.bindings()).text)


def test_the_library_queries_that_sort_plain_variables_are_sorted_here() -> None:
    """So the tests above exercise the Python sort, not only the fallback."""
    planned = {n for n in NAMES
               if final_order(prepare(library.get(n).sparql, library.get(n).bindings()).text)}
    assert {"statistics", "external-ids", "timeline", "in-force", "topics"} <= planned


# ------------------------------------------------------------- terms of every kind

_XSD = "http://www.w3.org/2001/XMLSchema#"
P = ox.NamedNode("http://example.org/p")


def _lit(text: str, dt: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(text, language=lang)
    return ox.Literal(text, datatype=ox.NamedNode(dt)) if dt else ox.Literal(text)


Term = ox.NamedNode | ox.BlankNode | ox.Literal

#: Columns Oxigraph's order is a simple key for: sorted here.
SIMPLE: dict[str, list[Term]] = {
    "iris, blank nodes, strings": [
        ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/a"),
        ox.BlankNode("z1"), _lit("Zebra"), _lit("apple"), _lit("Äpfel"), _lit(""),
        _lit("apple", lang="en"), _lit("apple", lang="fr"), _lit("pear", lang="en"),
        _lit("apple", _XSD + "string"),
    ],
    "dates of three precisions and other text": [
        _lit("2011-04-05", _XSD + "date"), _lit("2004-04-29", _XSD + "date"),
        _lit("2011", _XSD + "gYear"), _lit("2011-04", _XSD + "gYearMonth"),
        _lit("1999", _XSD + "gYear"), _lit("2011-04-05"), _lit("true", _XSD + "boolean"),
        _lit("false", _XSD + "boolean"), _lit("0", _XSD + "boolean"),  # stored as false
        _lit("x", "http://example.org/custom"),
        _lit("2011-13-45", _XSD + "date"),  # ill-typed: Oxigraph compares its text
        ox.NamedNode("http://example.org/a"),
    ],
    "integers and decimals": [
        _lit("10", _XSD + "integer"), _lit("9", _XSD + "integer"), _lit("-3", _XSD + "integer"),
        _lit("2.5", _XSD + "decimal"), _lit("2.50", _XSD + "decimal"),
        _lit("1", _XSD + "integer"), _lit("1.0", _XSD + "decimal"),
        _lit("7", _XSD + "int"), _lit("08", _XSD + "integer"),  # stored as xsd:integer 7, 8
        _lit("1234567890123456789", _XSD + "integer"), ox.NamedNode("http://example.org/a"),
    ],
}
#: Columns whose order only Oxigraph knows: it sorts them.
OXIGRAPH: dict[str, list[Term]] = {
    "doubles": [_lit("1E3", _XSD + "double"), _lit("2", _XSD + "integer")],
    "date-times": [_lit("2011-04-05T10:00:00Z", _XSD + "dateTime"),
                   _lit("2011-04-05T09:00:00-02:00", _XSD + "dateTime")],
    "a date with a time zone": [_lit("2011-04-05Z", _XSD + "date"),
                                _lit("2011-04-04", _XSD + "date")],
    "numbers and text": [_lit("10", _XSD + "integer"), _lit("9")],
    "an integer past 64 bits": [_lit("99999999999999999999", _XSD + "integer"),
                                _lit("9", _XSD + "integer")],
    "a decimal in exponent form": [_lit("1e3", _XSD + "decimal"), _lit("9", _XSD + "integer")],
    "durations": [_lit("P1D", _XSD + "dayTimeDuration"), _lit("PT1H", _XSD + "dayTimeDuration")],
    "times": [_lit("10:00:00", _XSD + "time"), _lit("9:00:00", _XSD + "time")],
}
ORDERS = ["?v ?x", "DESC(?v) ?x", "?v DESC(?x)", "DESC(?v) DESC(?x)"]


def _store(tmp_path: Path, values: Sequence[Term]) -> tuple[Snapshot, Snapshot]:
    """Row x<i> has value ``values[i]``; x<n> has none (unbound under OPTIONAL)."""
    store = ox.Store(str(tmp_path / "store"))
    rows = [ox.NamedNode(f"http://example.org/x{i:02d}") for i in range(len(values) + 1)]
    store.extend(ox.Quad(x, ox.NamedNode("http://example.org/row"), _lit("y"), ox.DefaultGraph())
                 for x in rows)
    store.extend(ox.Quad(x, P, v, ox.DefaultGraph()) for x, v in zip(rows[:-1], values, strict=True))
    return (Snapshot(store, tmp_path / "store", on_disk=True),
            Snapshot(store, tmp_path / "store"))


def _query(order: str, head: str = "SELECT ?x ?v") -> str:
    return (f"{head} WHERE {{ ?x <http://example.org/row> ?y "
            f"OPTIONAL {{ ?x <{P.value}> ?v }} }} ORDER BY {order}")


def _sorts_here(snapshot: Snapshot, text: str) -> bool:
    """Whether kg sorts the rows of ``text`` itself, rather than leaving it to Oxigraph."""
    plan = final_order(text)
    assert plan is not None
    result = snapshot.store.query(plan.text)
    names = tuple(v.value for v in result.variables)
    return sort_rows(names, [tuple(s) for s in result], plan) is not None


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("column", list(SIMPLE))
def test_simple_columns_are_sorted_here_as_oxigraph_sorts(tmp_path: Path, column: str,
                                                          order: str) -> None:
    mine, theirs = _store(tmp_path, SIMPLE[column])
    text = _query(order)
    assert _sorts_here(theirs, text)
    assert mine.execute(text).rows == theirs.execute(text).rows


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("column", list(OXIGRAPH))
def test_other_columns_are_left_to_oxigraph(tmp_path: Path, column: str, order: str) -> None:
    mine, theirs = _store(tmp_path, OXIGRAPH[column])
    text = _query(order)
    assert not _sorts_here(theirs, text)  # Oxigraph sorts
    assert mine.execute(text).rows == theirs.execute(text).rows


@pytest.mark.parametrize("column", list(SIMPLE))
@pytest.mark.parametrize("head", ["SELECT ?x", "SELECT DISTINCT ?x", "SELECT DISTINCT ?y"])
def test_a_key_not_projected_is_projected_to_sort_then_dropped(tmp_path: Path, column: str,
                                                              head: str) -> None:
    """Oxigraph sorts, then projects, then drops duplicates: the first row in order stays."""
    mine, theirs = _store(tmp_path, SIMPLE[column])
    text = _query("DESC(?v) ?x", head=head)
    plan = final_order(text)
    assert plan is not None and "v" in plan.added
    assert mine.execute(text).rows == theirs.execute(text).rows


@pytest.mark.parametrize("max_rows", [0, 1, 5, 100])
def test_max_rows_cuts_the_sorted_rows(tmp_path: Path, max_rows: int) -> None:
    mine, theirs = _store(tmp_path, SIMPLE["iris, blank nodes, strings"])
    text = _query("?v ?x")
    a = mine.execute(text, max_rows=max_rows)
    b = theirs.execute(text, max_rows=max_rows)
    assert (a.rows, a.truncated) == (b.rows, b.truncated)


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 1",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY STR(?s)",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s VALUES ?s { <u:a> }",
    "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s } }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ?s ORDER BY ?s",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s",
])
def test_queries_oxigraph_sorts_itself(text: str) -> None:
    assert final_order(text) is None


@pytest.mark.parametrize(("text", "keys", "added"), [
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?o", (("o", False),), ()),
    ("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p",
     (("n", True), ("p", False)), ()),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY asc(?o) # a comment\n",
     (("o", False),), ("o",)),
    ("SELECT ?s FROM <u:g> WHERE { ?s ?p ?o } ORDER BY ?o ?s", (("o", False), ("s", False)),
     ("o",)),
])
def test_the_plan_of_a_final_order_by(text: str, keys: tuple, added: tuple) -> None:
    plan = final_order(text)
    assert plan is not None
    assert (plan.keys, plan.added) == (keys, added)
    assert "ORDER" not in plan.text.upper().split("#")[0]
    assert ox.Store().query(plan.text) is not None  # still a query Oxigraph reads


def test_the_minimal_data_sorts_alike(tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    mine, theirs = _engines(store_path(DATA / "minimal"))
    for name in NAMES:
        q = library.get(name)
        text = prepare(q.sparql, q.bindings()).text
        assert mine.execute(text).rows == theirs.execute(text).rows, name


def test_past_max_rows_oxigraph_sorts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More rows than kg.store.ordering.MAX_ROWS: the query runs again as written."""
    import kg.store.ordering as ordering

    monkeypatch.setattr(ordering, "MAX_ROWS", 3)
    mine, theirs = _store(tmp_path, SIMPLE["iris, blank nodes, strings"])
    text = _query("DESC(?v) ?x")
    assert mine._sorted_here(text, None) is None
    assert mine.execute(text).rows == theirs.execute(text).rows


@pytest.mark.parametrize("text", [
    "SELECT ?x WHERE { ?x <http://example.org/row> ?y . ?x ?? ?v } ORDER BY ?v",
    "SELECT ?x WHERE { ?x <http://example.org/row> ?y FILTER(?y = ) } ORDER BY DESC(?v) ?x",
])
def test_an_error_names_the_place_in_the_text_as_written(tmp_path: Path, text: str) -> None:
    """The text without ORDER BY (and with ?v projected) is another text: its error is
    not reported; the query as written runs again and reports its own."""
    mine, theirs = _store(tmp_path, SIMPLE["iris, blank nodes, strings"])
    with pytest.raises(Exception) as expected:
        theirs.execute(text)
    with pytest.raises(Exception) as got:
        mine.execute(text)
    assert (type(got.value), str(got.value)) == (type(expected.value), str(expected.value))
