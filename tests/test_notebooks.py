"""The notebooks in notebooks/: committed clean, executed top to bottom.

Every notebook runs in a fresh ``python3`` kernel (the one of this
interpreter's environment) with nbclient, from the ``notebooks/`` folder, with
a time limit per cell; any error fails the test. The committed files carry no
outputs and no execution counts, so their diffs stay readable; they are
written by ``scripts/build_notebooks.py`` and must match what it writes.

Run only these with ``pytest -m notebook``; each test prints how long its
notebook took.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import re
import runpy
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED = [
    "01-explore-the-framework.ipynb",
    "02-sparql-for-researchers.ipynb",
    "03-extend-the-graph.ipynb",
]
#: Seconds one cell may run before the test fails.
CELL_TIMEOUT = 300
#: What each notebook must show when it runs: charts (PNG images), inline
#: views (iframes), and texts its lesson depends on.
LESSONS: dict[str, dict[str, Any]] = {
    "01-explore-the-framework.ipynb": {"images": 2, "frames": 2, "texts": ["in force"]},
    "02-sparql-for-researchers.ipynb": {"images": 0, "frames": 2, "texts": ["started: "]},
    "03-extend-the-graph.ipynb": {
        "images": 0,
        "frames": 1,
        "texts": [
            "CETS 197 in the graph: False",
            "eli:first_date_entry_in_force must be a single xsd:date.",
            "Entry into force must not be after the end of force.",
            "conforms\n",
            "in force on 2010-01-01: True",
        ],
    },
}


def _ids(path: Path) -> str:
    return path.stem


def _cells(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict[str, Any]) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def test_the_three_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has outputs: strip them before committing"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"
        assert "execution" not in cell.get("metadata", {}), f"cell {i} has execution timestamps"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_explains_in_words(path: Path) -> None:
    cells = _cells(path)
    assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).startswith("# ")
    markdown = sum(1 for c in cells if c["cell_type"] == "markdown")
    code = sum(1 for c in cells if c["cell_type"] == "code")
    assert markdown >= code, "every step is explained: at least one markdown cell per code cell"


_KG_ATTR = re.compile(r"\bkg\.([A-Za-z_][A-Za-z0-9_]*)")
_FROM_KG = re.compile(r"^\s*from\s+kg(\.[\w.]+)?\s+import\s+(.+)$", re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_uses_the_public_api_only(path: Path) -> None:
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        src = _source(cell)
        for name in _KG_ATTR.findall(src):
            assert not name.startswith("_"), f"cell {i}: kg.{name} is private"
            known = hasattr(kg, name) or importlib.util.find_spec(f"kg.{name}") is not None
            assert known, f"cell {i}: kg.{name} is not part of the kg package"
        for module, names in _FROM_KG.findall(src):
            assert not module.startswith("._") and "._" not in module, f"cell {i}: private module"
            for name in re.split(r"[,\s()]+", names):
                assert not name.startswith("_"), f"cell {i}: {name} is private"


def test_notebooks_match_their_generator() -> None:
    """The .ipynb files are what scripts/build_notebooks.py writes (edit the script)."""
    pytest.importorskip("nbformat")
    build = runpy.run_path(str(ROOT / "scripts" / "build_notebooks.py"))
    for name, nb in build["notebooks"]().items():
        committed = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
        assert committed == json.loads(build["dumps"](nb)), (
            f"notebooks/{name} differs from scripts/build_notebooks.py: "
            "run `python scripts/build_notebooks.py` and commit both"
        )


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _offline_problems(markup: str) -> list[str]:
    """External scripts or stylesheets in an embedded page (a view must work offline)."""
    return re.findall(
        r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+",
        markup,
        flags=re.I,
    )


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_runs_top_to_bottom(
    path: Path, record_property: Callable[[str, object], None]
) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")

    shipped = kg.paths.data_dir()
    before = _digest(shipped)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    print(f"\n{path.name}: executed in {seconds:.1f} s")
    record_property("seconds", round(seconds, 1))

    assert _digest(shipped) == before, (
        "graph_data/ changed while the notebook ran: a notebook must never write there "
        "(or the data was edited during the test)"
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    frames = [
        o["data"]["text/html"]
        for o in outputs
        if "text/html" in o.get("data", {}) and "<iframe" in o["data"]["text/html"]
    ]
    for frame in frames:
        page = html.unescape(frame.split('srcdoc="', 1)[1].split('"', 1)[0])
        assert not _offline_problems(page), "an inline view loads something from the network"

    lesson = LESSONS[path.name]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= lesson["images"], "a chart is missing"
    assert len(frames) >= lesson["frames"], "an inline view is missing"
    text = "".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs
    )
    for expected in lesson["texts"]:
        assert expected in text, f"the notebook no longer shows {expected!r}"
