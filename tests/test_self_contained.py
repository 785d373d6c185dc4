"""The repository stands on its own: no file in it points at a file outside it (the
project's working notes, a sibling checkout), so a newcomer finds every rule and
source in the repository (issue 11, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Where the repository ends; never read: the environment, caches, vendored libraries.
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".mypy_cache",
             ".ruff_cache", "static", "build", "dist"}
TEXT_SUFFIXES = {".py", ".md", ".trig", ".ttl", ".rq", ".toml", ".txt", ".ipynb", ".html",
                 ".j2", ".cfg", ".ini", ".yml", ".yaml", ".json", ".sh", ""}
#: Pointers outside the repository (spelt in pieces so that this file does not match).
OUTSIDE = ["FACTS" + ".md", "../" + "shared", "/work/" + "shared", "shared/" + "guides",
           "shared/" + "seed", "/work/" + "main"]


def _files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            found.append(path)
    return sorted(found)


FILES = _files()


def test_the_walk_finds_the_repository() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert {"README.md", "graph_data/README.md", "docs/register.md", "docs/modelling.md",
            "graph_data/seed-article.trig", "kg/inference.py"} <= names


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_no_file_points_outside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [needle for needle in OUTSIDE if needle in text]
    assert found == [], f"{path.relative_to(ROOT)} points outside the repository: {found}"
