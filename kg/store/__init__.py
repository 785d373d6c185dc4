"""The store layer: the one place that builds, checks and opens the graph's stores
and picks the engine that answers SPARQL.

* :mod:`kg.store.engine`: :class:`Snapshot`, the engine over a pyoxigraph
  ``Store`` whose default graph is the union of all graphs (each triple once),
  and :func:`engine_for_dataset` for an rdflib ``Dataset``;
* :mod:`kg.store.build`: the data files and the ontology parsed by Oxigraph
  (no rdflib) into a store, the union and the inference computed inside it
  with SPARQL Update;
* :mod:`kg.store.remote`: a SPARQL 1.1 server as the engine
  (:class:`~kg.store.remote.RemoteEngine`, ``--endpoint``), and its dataset
  fetched into rdflib (:mod:`kg.store.fetch`); :mod:`kg.store.publish` writes it there
  (``kg publish``); :mod:`kg.store.http` is their one HTTP client;
* :mod:`kg.store.disk`: that store kept on disk in the cache folder
  (:func:`kg.cache.cache_dir`), keyed like the N-Quads snapshot, built once
  under the cache lock, checked against its manifest, opened read-only in
  milliseconds.

:func:`open_engine` is what the commands call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .engine import Snapshot, count_nquads, engine_for_dataset, snapshot_quads

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..query import Engine

__all__ = [
    "LARGE_DATA", "Snapshot", "artefact_path", "count_nquads", "engine_for_dataset",
    "fetch_graph", "open_engine", "snapshot_quads", "uses_disk",
]

#: Data files adding up to more bytes than this are queried from the persistent on-disk
#: store when the store asked for is ``pyoxigraph`` (the default of ``kg query``): about
#: 60k quads of TriG. Smaller data keeps its N-Quads snapshot, which loads in a few ms.
LARGE_DATA = 4 * 1024 * 1024
#: The store that is the persistent on-disk Oxigraph store.
DISK_STORE = "oxigraph-disk"


def uses_disk(store: str, data: Path | str | None = None, *, chosen: bool = True) -> bool:
    """Whether ``store`` on the data folder ``data`` means the persistent on-disk store:
    ``oxigraph-disk``, or ``pyoxigraph`` on more than :data:`LARGE_DATA` bytes of data.
    ``chosen`` is False when ``store`` is only a command's default (no ``--store``, no
    ``$KG_STORE``): large data then goes to the disk store whatever the default."""
    if store == DISK_STORE:
        return True
    if store != "pyoxigraph" and chosen:
        return False
    from .. import paths
    from ..graph import data_files

    folder = Path(data) if data is not None else paths.data_dir()
    return sum(f.stat().st_size for f in data_files(folder)) > LARGE_DATA


def artefact_path(
    data: Path | str | None = None, ontology: Path | str | None = None, *,
    infer: bool = True, store: str = "pyoxigraph",
) -> Path:
    """The cached artefact the engine for ``store`` is opened from, built if missing or
    damaged: the store folder (:func:`kg.store.disk.store_path`) or the N-Quads snapshot
    (:func:`kg.cache.snapshot_path`). Give it to :func:`kg.cache.engine_from_snapshot`,
    in this process or in a worker."""
    if uses_disk(store, data):
        from .disk import store_path

        return store_path(data, ontology, infer=infer)
    from ..cache import snapshot_path

    return snapshot_path(data, ontology, infer=infer)


def open_engine(
    data: Path | str | None = None, ontology: Path | str | None = None, *,
    infer: bool = True, store: str = "pyoxigraph", endpoint: str | None = None,
    timeout: float | None = None,
) -> Engine:
    """The engine for ``store`` over the cached graph of these inputs: what ``kg query``
    runs on. With ``endpoint``, the SPARQL 1.1 server there answers instead
    (:class:`kg.store.remote.RemoteEngine`; ``timeout`` bounds each request)."""
    if endpoint is not None:
        from .http import DEFAULT_TIMEOUT
        from .remote import RemoteEngine

        return RemoteEngine(endpoint, timeout=timeout or DEFAULT_TIMEOUT)
    from ..cache import engine_from_snapshot

    path = artefact_path(data, ontology, infer=infer, store=store)
    return engine_from_snapshot(path, store)


def fetch_graph(endpoint: str, *, ontology: Path | str | None = None) -> KnowledgeGraph:
    """The dataset on the SPARQL server at ``endpoint``, fetched into a loaded graph
    (:func:`kg.store.fetch.fetch`): what kg validate, viz and site work on there."""
    from .fetch import fetch
    from .remote import RemoteEngine

    return fetch(RemoteEngine(endpoint), ontology=ontology)
