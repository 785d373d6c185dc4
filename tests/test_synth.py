"""benchmarks/synth.py: the same seed gives the same files, and they pass our shapes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "synth.py"


@pytest.fixture(scope="module")
def synth():
    spec = importlib.util.spec_from_file_location("synth", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_files_other_seed_other_files(synth, tmp_path):
    first = synth.generate(5000, tmp_path / "a", seed=7)
    synth.generate(5000, tmp_path / "b", seed=7)
    synth.generate(5000, tmp_path / "c", seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert first["graphs"] == 100
    # one file per source graph, plus the sources file and the manifest
    assert len(list((tmp_path / "a").glob("*.trig"))) == 101


def test_size_is_about_what_was_asked(synth, tmp_path):
    manifest = synth.generate(20000, tmp_path / "d", seed=1)
    assert 19000 <= manifest["quads"] <= 21500


def test_10k_output_passes_kg_validate(synth, tmp_path):
    folder = tmp_path / "synth-10k"
    synth.main(["--quads", "10000", "--out", str(folder), "--seed", "3"])
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(folder), "validate"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conforms" in done.stdout
