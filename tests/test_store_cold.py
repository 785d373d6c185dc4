"""What makes a cold ``kg query`` fast must not change its answers (issue 10).

* ``import kg`` loads its public names on first use: a new process that only
  queries never imports rdflib's SPARQL parser or pyshacl, and ``kg.stats`` and
  ``kg.validate`` stay the functions even after their modules are imported;
* the forked child of ``kg query`` (:mod:`kg.isolate`) sends its result back
  with each term's own fields, so the parent does not parse every literal
  again: every library query on the shipped graph gives, through the child,
  exactly the terms (value, language, datatype, Python value) it gives in
  this process.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Literal

from kg import library
from kg.answer import Job
from kg.cache import Snapshot, snapshot_path
from kg.isolate import run_isolated
from kg.query import run
from kg.safety import Policy


@pytest.fixture()
def snapshot(kg_cache_dir) -> Snapshot:  # noqa: ANN001 - the conftest fixture
    return Snapshot.from_file(snapshot_path())


def _fields(term: object) -> tuple[object, ...]:
    """Everything a term carries, so that equal-but-different terms cannot pass."""
    if isinstance(term, Literal):
        return (type(term), str(term), term.language, term.datatype, term.value,
                term.ill_typed, hash(term))
    return (type(term), str(term), hash(term))


@pytest.mark.parametrize("name", library.names())
def test_library_query_through_the_child_gives_the_same_terms(snapshot: Snapshot, name: str
                                                              ) -> None:
    entry = library.get(name)
    params = entry.bindings()
    here = run(snapshot, entry.sparql, params, policy=Policy.local())
    there = run_isolated(snapshot, Job(entry.sparql, params or None, policy=Policy.local()))
    assert there.kind == here.kind and there.vars == here.vars
    assert [[_fields(t) for t in row] for row in there.rows] == [
        [_fields(t) for t in row] for row in here.rows
    ]


def test_a_typed_literal_crosses_the_pipe_with_its_value(snapshot: Snapshot) -> None:
    """Dates, decimals, language tags and an ill-typed literal keep their fields."""
    text = """SELECT ?x WHERE { VALUES ?x {
        "2011-04-05"^^xsd:date "1.50"^^xsd:decimal "Richtlinie"@de "plain" 42
        "not a date"^^xsd:date } }"""
    here = run(snapshot, text, policy=Policy.local())
    there = run_isolated(snapshot, Job(text, policy=Policy.local()))
    assert len(there.rows) == 6
    assert [_fields(row[0]) for row in there.rows] == [_fields(row[0]) for row in here.rows]


_IMPORTS = """
import sys
import kg
print(sorted(m for m in ("rdflib.plugins.sparql", "pyshacl", "kg.dump", "kg.validate")
             if m in sys.modules))
from kg.stats import from_counts
import kg.validate
print(callable(kg.stats), callable(kg.validate), kg.load.__module__, kg.query.run.__module__)
print(kg.paths.data_dir().name, kg.network.__name__)  # sub-modules as attributes, as before
"""


def test_import_kg_loads_the_public_names_on_first_use() -> None:
    out = subprocess.run([sys.executable, "-c", _IMPORTS], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["[]", "True True kg.graph kg.query.execute", "graph_data kg.network"]


class _TermsOnly:
    """The same engine seen only through ``execute`` (rdflib terms): the labels' old path."""

    def __init__(self, engine: Snapshot) -> None:
        self.engine = engine

    def execute(self, text: str, *, max_rows: int | None = None) -> object:
        return self.engine.execute(text, max_rows=max_rows)


def test_labels_from_oxigraph_text_equal_labels_from_rdflib_terms(snapshot: Snapshot) -> None:
    """:func:`kg.query.labels` reads Oxigraph's text directly (no rdflib terms) on a
    snapshot: the same label for every IRI of the shipped graph."""
    from kg.query import labels

    iris = [row[0] for row in run(snapshot, "SELECT DISTINCT ?x WHERE { "
                                  "{ ?x ?p ?o } UNION { ?s ?p ?x } FILTER(isIRI(?x)) }").rows]
    fast = labels(snapshot, iris)
    assert len(iris) > 1000 and len(fast) > 500
    assert fast == labels(_TermsOnly(snapshot), iris)  # type: ignore[arg-type]
