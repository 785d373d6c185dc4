"""docs/register.md, the register of what is modelled and from which source, is what
scripts/build_register.py writes from the shipped graph, on every store: it cannot
drift from graph_data/ (issue 11, item 9)."""

from __future__ import annotations

import importlib.util
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
