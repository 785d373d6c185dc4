"""Fixtures: the shipped graph on each store, loaded once per session.

Every test that takes ``kg`` runs twice, on rdflib's memory store and on
Oxigraph, so both stay first-class.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/factcheck.py and friends

import kg as kg_api  # noqa: E402

STORES = ("memory", "oxigraph")
TESTS = Path(__file__).parent
DATA = TESTS / "data"


@pytest.fixture(scope="session", params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def kg(store: str) -> kg_api.KnowledgeGraph:
    """The shipped ontology and graph_data/, with inference, on one store."""
    return kg_api.load(store=store)


@pytest.fixture(scope="session")
def minimal_kg(store: str) -> kg_api.KnowledgeGraph:
    """A tiny valid data folder (tests/data/minimal), on one store."""
    return kg_api.load(DATA / "minimal", store=store)


#: (subject, property, source1, source2): one row of the library's conflicts query.
ConflictRow = tuple[str, str, str, str]


@pytest.fixture(scope="session")
def conflict_rows(kg: kg_api.KnowledgeGraph) -> tuple[dict, ...]:
    """The rows of the library's ``conflicts`` query on the shipped graph, run once per store.

    Why once: rdflib's memory store takes most of a minute over it on a slow machine, and
    some twenty fact tests read it; nothing changes the graph between them.
    """
    from kg import library

    return tuple(library.run(kg, "conflicts").as_dicts())


@pytest.fixture(scope="session")
def conflicts(conflict_rows: tuple[dict, ...]) -> frozenset[ConflictRow]:
    """(subject, property, source1, source2) of every row of the conflicts query."""
    return frozenset(
        (str(r["subject"]), str(r["property"]), str(r["source1"]), str(r["source2"]))
        for r in conflict_rows
    )


@pytest.fixture()
def kg_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A snapshot cache (``$KG_CACHE_DIR``) shared by the session's tests, not the user's."""
    folder = tmp_path_factory.getbasetemp() / "kg-cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder
