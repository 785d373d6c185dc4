"""docs/register.md, the register of what is modelled and from which source, is what
scripts/build_register.py writes from the shipped graph, on every store: it cannot
drift from graph_data/ (issue 11, item 9)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import kg as kg_api

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_register", ROOT / "scripts" / "build_register.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_register", module)
    spec.loader.exec_module(module)
    return module


def test_the_register_is_what_the_graph_says(kg: kg_api.KnowledgeGraph) -> None:
    written = (ROOT / "docs" / "register.md").read_text(encoding="utf-8")
    assert _script().render(kg) == written, "run: python scripts/build_register.py"


def test_every_source_graph_is_in_the_register(kg: kg_api.KnowledgeGraph) -> None:
    written = (ROOT / "docs" / "register.md").read_text(encoding="utf-8")
    for graph in kg.source_graphs():
        slug = str(graph).rsplit("/", 1)[-1]
        assert f"\n| {slug} |" in written, slug


def test_every_conflict_names_graphs_that_exist(kg: kg_api.KnowledgeGraph) -> None:
    slugs = {str(g).rsplit("/", 1)[-1] for g in kg.source_graphs()}
    for number, _text, graphs in _script().CONFLICTS:
        assert len(graphs) >= 2 and set(graphs) <= slugs, (number, set(graphs) - slugs)


def _cited_conflicts() -> dict[int, set[str]]:
    """Conflict number -> the graphs whose data files cite it in a comment ("conflict 6").

    A file ``<slug>.<topic>.trig`` holds claims of graph ``<slug>`` (graph_data/README.md)."""
    cited: dict[int, set[str]] = {}
    for path in sorted((ROOT / "graph_data").glob("*.trig")):
        for line in path.read_text(encoding="utf-8").splitlines():
            comment = line.partition("#")[2]
            for number in re.findall(r"\bconflict (\d+)", comment, flags=re.IGNORECASE):
                cited.setdefault(int(number), set()).add(path.name.split(".", 1)[0])
    return cited


def test_every_conflict_the_data_cites_is_in_the_register() -> None:
    """The register's numbered conflicts are the ones the data files' comments cite, and
    each names every graph whose file cites it (conflicts 6 and 7 were once left out)."""
    listed = {number: set(graphs) for number, _text, graphs in _script().CONFLICTS}
    cited = _cited_conflicts()
    assert sorted(listed) == sorted(cited)
    for number, graphs in cited.items():
        assert graphs <= listed[number], (number, graphs - listed[number])
    written = (ROOT / "docs" / "register.md").read_text(encoding="utf-8")
    for number in cited:
        assert f"\n{number}. " in written, number
