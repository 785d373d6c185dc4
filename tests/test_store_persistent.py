"""The persistent on-disk Oxigraph store (kg/store/): built by Oxigraph alone with the
same quads as the N-Quads snapshot, opened later without parsing anything, built once
by processes starting together, and never read when damaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import integrity
from kg.cache import engine_from_snapshot
from kg.graph import load
from kg.integrity import DamagedArtefactError
from kg.query import run
from kg.store import artefact_path, disk, uses_disk
from kg.store.build import build
from kg.store.engine import snapshot_quads

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "data" / "minimal"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: Answers on tests/data/minimal that must not change across a rebuild.
CHECKS = {
    "count": COUNT,
    "named": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "inferred": "SELECT ?s ?p ?o WHERE { GRAPH graph:inferred { ?s ?p ?o } } ORDER BY ?s ?p ?o",
}


def canonical(quads: object) -> set[str]:
    """The quads with blank nodes named by their place in the graph, as comparable text."""
    dataset = ox.Dataset(quads)  # type: ignore[arg-type]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def kg(cache: Path, *args: str, data: Path = MINIMAL) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    env.pop("KG_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(data), *args],
        capture_output=True, text=True, env=env, timeout=300,
    )


def query_csv(cache: Path, query: str) -> subprocess.CompletedProcess[str]:
    return kg(cache, "query", query, "-f", "csv", "--store", "oxigraph-disk")


def store_in(cache: Path) -> Path:
    (folder,) = cache.glob(f"graph-*{disk.SUFFIX}")
    return folder


# ---------------------------------------------------------------- the same quads

@pytest.mark.parametrize("data", [None, MINIMAL], ids=["graph_data", "minimal"])
@pytest.mark.parametrize("infer", [True, False], ids=["inferred", "no-infer"])
def test_oxigraph_build_holds_the_quads_of_the_rdflib_snapshot(
    data: Path | None, infer: bool
) -> None:
    """Parsed by Oxigraph, union and inference by SPARQL Update: the very quads that
    kg.graph.load + kg.inference + the snapshot writer give, blank nodes aside."""
    old = canonical(snapshot_quads(load(data, store="oxigraph", infer=infer)))
    new = canonical(list(build(data, infer=infer)))
    assert new == old
    inferred = {q for q in new if q.endswith("<https://w3id.org/thb-kg/graph/inferred>")}
    assert bool(inferred) == infer


def test_the_store_on_disk_holds_the_same_quads(kg_cache_dir: Path) -> None:
    path = artefact_path(store="oxigraph-disk")
    engine = engine_from_snapshot(path, "oxigraph-disk")
    old = canonical(snapshot_quads(load(store="oxigraph")))
    assert canonical(list(engine.store)) == old  # type: ignore[attr-defined]
    meta = disk.meta(path)
    assert meta["quads"] == len(old) == integrity.read_manifest(path).count
    assert meta["inferred"] == load().inferred


def test_the_default_graph_is_the_union_as_a_set(kg_cache_dir: Path) -> None:
    """A triple two sources state is counted once without GRAPH, twice with it."""
    engine = engine_from_snapshot(artefact_path(store="oxigraph-disk"), "oxigraph-disk")
    reference = load(store="memory")
    for text in (
        COUNT,
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 5",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ):
        assert run(engine, text).rows == run(reference, text).rows


# ---------------------------------------------------------------- opening

def test_a_later_process_opens_the_store_without_parsing(tmp_path: Path) -> None:
    """The second process neither parses a file nor writes the store: it opens it."""
    cache = tmp_path / "cache"
    first = query_csv(cache, COUNT)
    assert first.returncode == 0, first.stderr
    folder = store_in(cache)
    listing = integrity.folder_listing(folder)
    stamp = integrity.manifest_path(folder).stat().st_mtime_ns
    probe = f"""
import time, pyoxigraph, rdflib
import kg.graph, kg.store.build
def refuse(*a, **k):
    raise AssertionError("parsed")
kg.store.build.load_into = kg.graph.load = refuse
pyoxigraph.parse = rdflib.Graph.parse = rdflib.Dataset.parse = refuse
from kg.store import open_engine
from kg.query import run
started = time.perf_counter()
engine = open_engine({str(MINIMAL)!r}, store="oxigraph-disk")
opened = time.perf_counter() - started
print(run(engine, {COUNT!r}).rows[0][0], opened)
"""
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    count, opened = done.stdout.split()
    assert first.stdout.split() == ["n", count]
    assert float(opened) < 0.25  # about 20 ms: a manifest, a listing, a read-only open
    assert integrity.folder_listing(folder) == listing
    assert integrity.manifest_path(folder).stat().st_mtime_ns == stamp


def test_big_data_goes_to_the_disk_store_by_default(
    kg_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.store

    assert not uses_disk("pyoxigraph", MINIMAL)
    assert uses_disk("oxigraph-disk", MINIMAL)
    monkeypatch.setattr(kg.store, "LARGE_DATA", 0)
    assert uses_disk("pyoxigraph", MINIMAL)
    assert not uses_disk("memory", MINIMAL)
    assert artefact_path(MINIMAL).name.endswith(disk.SUFFIX)


def test_workers_forked_from_the_zygote_query_the_open_store(kg_cache_dir: Path) -> None:
    """kg serve's zygote opens the store read-only, then forks its workers: each answers."""
    from kg.worker import WorkerPool

    path = artefact_path(MINIMAL, store="oxigraph-disk")
    reference = run(engine_from_snapshot(path, "oxigraph-disk"), CHECKS["named"]).rows
    pool = WorkerPool(path, "oxigraph-disk", timeout=10.0, size=2, max_size=3)
    try:
        pool.wait_ready()
        for _ in range(6):
            assert run(pool, CHECKS["named"]).rows == reference
    finally:
        pool.close()


# ---------------------------------------------------------------- processes at once

def test_four_processes_starting_together_build_one_store(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    env.pop("KG_STORE", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kg", "--data", str(MINIMAL), "query", CHECKS[name], "-f",
             "csv", "--store", "oxigraph-disk"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for name in ("count", "named", "inferred", "count")
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert err == ""  # nothing damaged, nothing rebuilt
    assert results[0][0] == results[3][0]
    engine = disk.open_store(store_in(cache))
    assert results[0][0].split() == ["n", str(run(engine, COUNT).rows[0][0])]
    folder = store_in(cache)
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        ["build.lock", folder.name, integrity.manifest_path(folder).name]
    )
    integrity.verify(folder)


# ---------------------------------------------------------------- damage

def _sst(folder: Path) -> Path:
    return max(folder.glob("*.sst"), key=lambda p: p.stat().st_size)


def _cut_sst(folder: Path) -> None:
    sst = _sst(folder)
    os.truncate(sst, sst.stat().st_size // 2)


def _garble_tail(folder: Path) -> None:
    sst = _sst(folder)
    data = bytearray(sst.read_bytes())
    data[-40:-8] = b"\xff" * 32
    sst.write_bytes(bytes(data))


def _edit_manifest(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = integrity.manifest_path(folder)
        doc = json.loads(path.read_text())
        change(doc)
        path.write_text(json.dumps(doc))

    return damage


DAMAGE: dict[str, Callable[[Path], None]] = {
    "manifest missing": lambda f: integrity.manifest_path(f).unlink(),
    "manifest not JSON": lambda f: integrity.manifest_path(f).write_text("{"),
    "manifest listing a file that is not there": _edit_manifest(
        lambda d: d["files"].update({"000999.sst": [10, "0" * 64]})),
    "a data file deleted": lambda f: _sst(f).unlink(),
    "a data file cut": _cut_sst,
    "a data file garbled at its end": _garble_tail,
    "CURRENT emptied": lambda f: (f / "CURRENT").write_bytes(b""),
    "a file added": lambda f: (f / "000999.sst").write_bytes(b"junk"),
    "the store folder emptied": lambda f: [p.unlink() for p in f.iterdir()],
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    cache = tmp_path_factory.mktemp("pristine") / "cache"
    answers = {}
    for name, text in CHECKS.items():
        done = query_csv(cache, text)
        assert done.returncode == 0, done.stderr
        answers[name] = done.stdout
    return cache, answers


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_store_is_rebuilt_never_read(
    pristine: tuple[Path, dict[str, str]], tmp_path: Path, damage: str
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(pristine[0], cache)
    DAMAGE[damage](store_in(cache))
    for name, text in CHECKS.items():
        done = query_csv(cache, text)
        assert done.returncode == 0, done.stderr
        assert done.stdout == pristine[1][name]
        assert "Traceback" not in done.stderr
        if name == "count":  # the first run finds the damage and rebuilds, once
            assert "was damaged" in done.stderr and "has been rebuilt" in done.stderr
        else:
            assert done.stderr == ""
    integrity.verify(store_in(cache))
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]


def test_a_half_built_store_is_never_read(
    pristine: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """A build killed before its rename leaves a temporary folder and no store."""
    cache = tmp_path / "cache"
    shutil.copytree(pristine[0], cache)
    folder = store_in(cache)
    leftover = cache / f".{folder.name}.killed.tmp"
    folder.rename(leftover)
    _cut_sst(leftover)
    integrity.manifest_path(folder).unlink()
    done = query_csv(cache, COUNT)
    assert (done.returncode, done.stdout, done.stderr) == (0, pristine[1]["count"], "")
    assert not leftover.exists()
    integrity.verify(store_in(cache))


def test_a_damaged_store_without_inputs_is_refused(
    pristine: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """A store whose manifest cannot say how to rebuild it: a clear error, not an answer."""
    copy = tmp_path / f"copy{disk.SUFFIX}"  # not its cache name: nothing to rebuild from
    shutil.copytree(store_in(pristine[0]), copy)
    shutil.copy(integrity.manifest_path(store_in(pristine[0])), integrity.manifest_path(copy))
    _cut_sst(copy)
    with pytest.raises(DamagedArtefactError, match="is damaged .* run the command again"):
        engine_from_snapshot(copy, "oxigraph-disk")


def test_opening_is_cheap(pristine: tuple[Path, dict[str, str]]) -> None:
    folder = store_in(pristine[0])
    started = time.perf_counter()
    for _ in range(10):
        disk.open_store(folder)
    assert (time.perf_counter() - started) / 10 < 0.1


def test_a_checksum_error_while_reading_marks_the_store_damaged(
    pristine: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """Damage the open check cannot see (inside a data file, size and end intact) stops a
    read with RocksDB's "Corruption" error: one sentence, and the manifest goes, so the
    next command rebuilds the store instead of reading it again."""
    from kg.store import Snapshot

    cache = tmp_path / "cache"
    shutil.copytree(pristine[0], cache)
    folder = store_in(cache)

    class Damaged:
        def query(self, *_args: object, **_kwargs: object) -> object:
            raise RuntimeError("Corruption: block checksum mismatch in 000010.sst")

    with pytest.raises(DamagedArtefactError, match="is damaged .*run the command again"):
        Snapshot(Damaged(), folder).execute(COUNT)
    assert not integrity.manifest_path(folder).exists()
    again = query_csv(cache, COUNT)
    assert (again.returncode, again.stdout) == (0, pristine[1]["count"])
    assert "has been rebuilt" in again.stderr
