"""A cached snapshot of the loaded, inferred graph, for fast new processes.

Parsing TriG with rdflib and computing the inferred graph is what makes a new
process slow. The first ``kg query`` (or ``kg serve``) writes the result as
N-Quads into a cache folder, under a name that is a hash of every input
file's bytes, the inference switch, the package version and the loader's own
source; any change to those gives a new name, so a stale snapshot is never
read. Later processes load the N-Quads straight into Oxigraph
(:class:`Snapshot`, the ``pyoxigraph`` row of :data:`kg.stores.STORES`),
which takes milliseconds.

A snapshot cannot lie (:mod:`kg.integrity`): beside each lies a manifest,
``graph-<key>.nq.manifest.json``, written after it, with the sha256 of its
bytes, its size, its number of quads and the inputs it was built from.
Every open checks size, checksum and lines (about a millisecond) and, after
loading, the quads; a snapshot that is cut, emptied, garbled, without a
manifest or with a wrong one is rebuilt, with a warning, never read. Builds
run under an exclusive lock on ``build.lock`` in the cache folder and write
a temporary file that ``os.replace`` puts in place, so processes starting
together build the snapshot once and never read a half-written file.

The folder is ``$KG_CACHE_DIR``, else ``.kg-cache/`` in a checkout, else
``~/.cache/thb-kg``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__, integrity, paths
from .errors import KgError
from .integrity import DamagedArtefactError
from .store.disk import SUFFIX as STORE_SUFFIX
from .store.engine import (  # noqa: F401 - importable from here, as before
    Snapshot,
    _from_ox,
    _to_ox,
    count_nquads,
    engine_for_dataset,
    snapshot_quads,
)

#: The old name of :func:`kg.store.engine.snapshot_quads`.
_snapshot_quads = snapshot_quads

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .query import Engine

T = TypeVar("T")
CACHE_ENV = "KG_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent
#: Modules whose code decides what a loaded graph holds: part of the cache key.
_LOADER_MODULES = (
    "graph.py", "inference.py", "namespaces.py", "cache.py", "integrity.py",
    "store/engine.py", "store/build.py", "store/disk.py",
)


def cache_dir() -> Path:
    """Where snapshots live (created on first use)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    checkout = _PACKAGE.parent
    if (checkout / "pyproject.toml").is_file() and os.access(checkout, os.W_OK):
        return checkout / ".kg-cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "thb-kg"


def cache_key(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> str:
    """Hash of everything a loaded graph depends on (files, options, code)."""
    from .graph import ONTOLOGY_FILE, data_files

    data_dir = Path(data) if data is not None else paths.data_dir()
    onto_dir = Path(ontology) if ontology is not None else paths.ontology_dir()
    h = hashlib.sha256()
    h.update(f"thb-kg {__version__} infer={infer}\n".encode())
    for name in _LOADER_MODULES:
        h.update((_PACKAGE / name).read_bytes())
    for path in [*data_files(data_dir), onto_dir / ONTOLOGY_FILE]:
        h.update(f"\n{path.name}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def write_nquads(
    kg: KnowledgeGraph, path: Path | str, *, inputs: dict[str, Any] | None = None
) -> None:
    """Write ``kg`` as a snapshot, atomically: its named graphs (inferred included) and,
    as the default graph, the union of all graphs with each triple once.

    Its manifest (``path`` + ``.manifest.json``: size, sha256, quad count and
    ``inputs``, what it was loaded from) is written after it; readers
    (:meth:`Snapshot.from_file`, :func:`engine_from_snapshot`) check it.
    """
    integrity.publish(path, _nquads_writer(kg), inputs=inputs)


def _nquads_writer(kg: KnowledgeGraph) -> Callable[[Path], int]:
    """A build step for :mod:`kg.integrity`: write ``kg``'s snapshot to a file, give its count."""

    def build(tmp: Path) -> int:
        import pyoxigraph as ox

        quads = snapshot_quads(kg)  # each quad once: the named graphs, then the union
        payload = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        tmp.write_bytes(payload if payload is not None else b"")
        return len(quads)

    return build


#: The lock file in the cache folder held while a snapshot is built (never deleted).
LOCK_FILE = "build.lock"


def snapshot_path(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Path:
    """The snapshot file for these inputs, checked against its manifest; built first
    if it does not exist yet, rebuilt (with a warning) if it is damaged."""
    key = cache_key(data, ontology, infer=infer)
    path = cache_dir() / f"graph-{key}.nq"
    inputs = {"data": _absolute(data), "ontology": _absolute(ontology), "infer": infer}
    _ensure(path, inputs)
    return path


def _absolute(folder: Path | str | None) -> str | None:
    return None if folder is None else str(Path(folder).resolve())


def _ensure(
    path: Path, inputs: dict[str, Any], suspect: integrity.Manifest | None = None
) -> None:
    """Check the snapshot ``path``; build it under the cache lock if missing or damaged."""

    def build(tmp: Path) -> int:
        from .graph import load

        kg = load(inputs["data"], ontology=inputs["ontology"], store="oxigraph",
                  infer=inputs["infer"])
        return _nquads_writer(kg)(tmp)

    integrity.ensure(
        path, build, lock=path.parent / LOCK_FILE, inputs=inputs, suspect=suspect,
        what="cached graph", counter=count_nquads,
        after_build=lambda: _prune(path.parent, keep=path),
    )


def rebuild_inputs(path: Path, suffix: str = ".nq") -> dict[str, Any] | None:
    """The inputs recorded in the manifest of the cached artefact ``path``
    (``graph-<key><suffix>``), if they still give its name."""
    try:
        inputs = integrity.read_manifest(path).inputs
        if inputs is None or set(inputs) != {"data", "ontology", "infer"}:
            return None
        key = cache_key(inputs["data"], inputs["ontology"], infer=bool(inputs["infer"]))
    except (KgError, OSError):
        return None
    return dict(inputs) if path.name == f"graph-{key}{suffix}" else None


def open_or_rebuild(
    path: Path,
    open_checked: Callable[[Path], T],
    ensure: Callable[..., object],
    *,
    what: str,
    suffix: str = ".nq",
) -> T:
    """``open_checked(path)``; if the artefact is damaged, rebuild it from the inputs its
    manifest records (``ensure(path, inputs, suspect=...)``) and open it again.

    With no usable inputs a :class:`DamagedArtefactError` says so: a damaged
    artefact never answers a query.
    """
    try:
        return open_checked(path)
    except DamagedArtefactError as err:
        inputs = rebuild_inputs(path, suffix)
        if inputs is None:
            raise DamagedArtefactError(
                path, err.reason,
                message=f"The {what} {path} is damaged ({err.reason}) and its manifest "
                        "names no inputs to rebuild it from; run the command again to "
                        "rebuild the cache.",
            ) from None
        ensure(path, inputs, suspect=err.manifest)
        return open_checked(path)


#: Snapshots kept in the cache folder (the newest; others are deleted).
KEEP_SNAPSHOTS = 8


def _prune(folder: Path, *, keep: Path) -> None:
    """Delete all but the newest snapshots (each data change leaves one behind), the
    manifests they leave, and temporary files of builds that were killed (call it
    under the cache lock: no build is running then)."""
    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:  # removed meanwhile by another process
            return 0.0

    snaps = sorted(folder.glob("graph-*.nq"), key=mtime, reverse=True)
    for old in snaps[KEEP_SNAPSHOTS:]:
        if old != keep:
            old.unlink(missing_ok=True)
    for manifest in folder.glob("graph-*.nq" + integrity.MANIFEST_SUFFIX):
        if not manifest.with_name(manifest.name.removesuffix(integrity.MANIFEST_SUFFIX)).exists():
            manifest.unlink(missing_ok=True)
    for leftover in folder.glob(".graph-*.nq.*.tmp"):
        integrity._remove(leftover)


def open_snapshot(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Snapshot:
    """The graph loaded from its cached snapshot (built on a cache miss)."""
    return Snapshot.from_file(snapshot_path(data, ontology, infer=infer))


def engine_from_snapshot(path: Path | str, store: str | None = None) -> Engine:
    """An engine over a snapshot file on the store named by ``store`` (see kg.stores),
    or over a persistent store folder (:func:`kg.store.disk.open_store`).

    The file is checked against its manifest (size and sha256 before loading,
    the quad count after), also in a worker process given a path its parent
    built. If it is damaged, it is rebuilt (with a warning) when its manifest
    names the inputs it was built from and they still give the same cache
    key; otherwise a :class:`DamagedArtefactError` says so: a damaged
    snapshot never answers a query.
    """
    from .stores import resolve_store

    spec = resolve_store(store or "pyoxigraph")
    path = Path(path)
    if path.name.endswith(STORE_SUFFIX):
        from .store.disk import open_store

        return open_store(path)
    return open_or_rebuild(path, lambda p: _load_engine(p, spec.name, spec.plugin), _ensure,
                           what="cached graph")


def _load_engine(path: Path, name: str, plugin: str) -> Engine:
    if name == "pyoxigraph":
        return Snapshot.from_file(path)
    from rdflib import Dataset

    data, manifest = integrity.read_verified(path, counter=count_nquads)
    # The snapshot's default graph already holds the union, each triple once.
    ds = Dataset(store=plugin, default_union=False)
    ds.parse(data=data, format="nquads")
    integrity.check_count(path, manifest, sum(1 for _ in ds.quads((None, None, None, None))))
    return engine_for_dataset(ds)
