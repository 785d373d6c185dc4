"""The graph as a persistent on-disk Oxigraph store: built once, opened in milliseconds.

``graph-<key>.oxigraph/`` in the cache folder (:func:`kg.cache.cache_dir`),
named by the same hash of data, ontology, options and loader code as the
N-Quads snapshot (:func:`kg.cache.cache_key`), holds the loaded, inferred
graph: the same quads as that snapshot (:mod:`kg.store.build`). A later
process opens it read-only (``pyoxigraph.Store.read_only``) and parses
nothing: about 20 ms however large the graph.

It is built like every cached artefact (:mod:`kg.integrity`): under the
exclusive lock on ``build.lock``, into a temporary folder beside it that is
renamed into place once the store is complete and closed, then its manifest
is written, listing every file of the store with its size and a fingerprint.
The folder is never opened for writing again, so readers (a ``kg query``, the
workers of ``kg serve``, forked after the store is open) can share it without
locking. A store without a manifest (a build that died), or whose files do not
match it (cut, missing, added, garbled at the end), is rebuilt with a warning,
never read. Damage deep inside a data file that leaves size and end intact is
caught by RocksDB's block checksums when the block is read: the query fails,
it never gives a wrong answer.

The build itself fills an in-memory store (:func:`kg.store.build.load_into`),
dumps it as N-Quads into the temporary folder and bulk-loads that once into
the on-disk store: one bulk load, where loading file by file on disk writes
many small files and costs twice as long. (Filling the disk store straight
from the memory store, ``bulk_extend``, costs the same CPU and keeps both in
memory: 2.9 GB peak at 1M quads instead of 2.5 GB.) The store is then
compacted once (``optimize``), so that every later query reads fewer files.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

from .. import integrity
from ..integrity import DamagedArtefactError
from .engine import Snapshot

#: Suffix of a store folder in the cache folder.
SUFFIX = ".oxigraph"
#: A small file in the store folder with what the build counted (kg stats reads it).
META_FILE = "thb-kg.json"
#: Stores kept in the cache folder (the newest; older ones are deleted).
KEEP_STORES = 4


def store_path(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Path:
    """The store folder for these inputs, checked against its manifest; built first if it
    does not exist yet, rebuilt (with a warning) if it is damaged."""
    from ..cache import _absolute, cache_dir, cache_key

    key = cache_key(data, ontology, infer=infer)
    path = cache_dir() / f"graph-{key}{SUFFIX}"
    inputs = {"data": _absolute(data), "ontology": _absolute(ontology), "infer": infer}
    ensure(path, inputs)
    return path


def ensure(
    path: Path, inputs: dict[str, Any], suspect: integrity.Manifest | None = None
) -> integrity.Manifest:
    """Check the store ``path``; build it under the cache lock if missing or damaged."""
    from ..cache import LOCK_FILE

    return integrity.ensure(
        path, _builder(inputs), lock=path.parent / LOCK_FILE, inputs=inputs, folder=True,
        suspect=suspect, what="cached store", after_build=lambda: _prune(path.parent, keep=path),
    )


def _builder(inputs: dict[str, Any]) -> Any:
    def build(tmp: Path) -> int:
        import pyoxigraph as ox

        from .. import paths
        from ..graph import ONTOLOGY_FILE, data_files
        from .build import load_into

        data = Path(inputs["data"]) if inputs["data"] is not None else paths.data_dir()
        onto = (Path(inputs["ontology"]) if inputs["ontology"] is not None
                else paths.ontology_dir())
        memory = ox.Store()
        info = load_into(memory, data_files(data), onto / ONTOLOGY_FILE,
                         infer=bool(inputs["infer"]))
        count = len(memory)
        dump = tmp.with_name(tmp.name + ".nq")  # beside, under the temporary's own name
        try:
            memory.dump(str(dump), format=ox.RdfFormat.N_QUADS)
            del memory  # freed before the disk load: the build's peak memory stays lower
            store = ox.Store(str(tmp))
            # lenient: these are Oxigraph's own N-Quads of terms it has already checked
            store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=True)
            store.flush()
            # One compaction: the bulk load leaves overlapping files that every read must
            # look into; compacted, the library queries take 40-60% less CPU at 1M quads
            # (instruments 4.3 -> 2.6 s, conflicts 11.6 -> 4.8 s) for 3 s more of build.
            store.optimize()
            del store
            gc.collect()  # closes the store before its folder is renamed into place
        finally:
            dump.unlink(missing_ok=True)
        meta = {"quads": count, **info}
        (tmp / META_FILE).write_text(json.dumps(meta, sort_keys=True) + "\n")
        return count

    return build


def _prune(folder: Path, *, keep: Path) -> None:
    """Delete all but the newest stores and the manifests they leave (under the lock)."""
    def mtime(p: Path) -> float:
        try:
            return integrity.manifest_path(p).stat().st_mtime
        except OSError:
            return 0.0

    stores = sorted(folder.glob(f"graph-*{SUFFIX}"), key=mtime, reverse=True)
    for old in stores[KEEP_STORES:]:
        if old != keep:
            integrity.manifest_path(old).unlink(missing_ok=True)  # first: never half-read
            integrity._remove(old)
    for manifest in folder.glob(f"graph-*{SUFFIX}{integrity.MANIFEST_SUFFIX}"):
        if not manifest.with_name(manifest.name.removesuffix(integrity.MANIFEST_SUFFIX)).exists():
            manifest.unlink(missing_ok=True)
    for leftover in folder.glob(f".graph-*{SUFFIX}.*.tmp*"):
        integrity._remove(leftover)


def _open_checked(path: Path) -> Snapshot:
    import pyoxigraph as ox

    manifest = integrity.verify(path)
    try:
        store = ox.Store.read_only(str(path))
    except OSError as exc:
        reason = " ".join(f"Oxigraph cannot open it: {exc}".split())
        raise DamagedArtefactError(path, reason, manifest=manifest) from None
    return Snapshot(store, path, on_disk=True)


def open_store(path: Path | str) -> Snapshot:
    """The engine over the store folder ``path``, opened read-only once it is checked.

    Damaged: rebuilt (with a warning) when its manifest names the inputs it was
    built from and they still give its name; otherwise a
    :class:`DamagedArtefactError` says so. A damaged store never answers.
    """
    from ..cache import open_or_rebuild

    return open_or_rebuild(Path(path), _open_checked, ensure, what="cached store",
                           suffix=SUFFIX)


def meta(path: Path | str) -> dict[str, Any]:
    """What the build of the store ``path`` counted: ``quads``, ``inferred``, ``default``."""
    try:
        doc = json.loads((Path(path) / META_FILE).read_text())
    except (OSError, ValueError):
        raise DamagedArtefactError(path, f"its {META_FILE} cannot be read") from None
    if not isinstance(doc, dict):
        raise DamagedArtefactError(path, f"its {META_FILE} is not valid")
    return doc
