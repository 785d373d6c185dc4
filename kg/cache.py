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
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, integrity, paths
from .errors import KgError
from .integrity import DamagedArtefactError
from .query import QueryKind, QueryResult

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .query import Engine

CACHE_ENV = "KG_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent
#: Modules whose code decides what a loaded graph holds: part of the cache key.
_LOADER_MODULES = ("graph.py", "inference.py", "namespaces.py", "cache.py", "integrity.py")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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


# ---------------------------------------------------------------- terms

def _to_ox(term: Any) -> Any:
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


def _from_ox(term: Any) -> Any:
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        from .terms import canonical

        return canonical(Literal(term.value, datatype=URIRef(dt)))
    raise TypeError(f"unexpected term {term!r}")


def _snapshot_quads(kg: KnowledgeGraph | Any) -> list[Any]:
    """Every named-graph quad of ``kg`` (or of an rdflib ``Dataset``), plus the union
    of all graphs (each triple once) as the default graph."""
    import pyoxigraph as ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    quads = []
    union: dict[tuple[Any, Any, Any], None] = {}
    dataset: Any = getattr(kg, "dataset", kg)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        triple = (_to_ox(s), _to_ox(p), _to_ox(o))
        union[triple] = None
        if gid not in (None, DATASET_DEFAULT_GRAPH_ID):
            quads.append(ox.Quad(*triple, _to_ox(gid)))
    quads.extend(ox.Quad(*t, ox.DefaultGraph()) for t in union)
    return quads


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


def count_nquads(data: bytes) -> int:
    """The quads in N-Quads bytes as written by :func:`write_nquads`: one per line."""
    return data.count(b"\n")


def _nquads_writer(kg: KnowledgeGraph) -> Callable[[Path], int]:
    """A build step for :mod:`kg.integrity`: write ``kg``'s snapshot to a file, give its count."""

    def build(tmp: Path) -> int:
        import pyoxigraph as ox

        quads = _snapshot_quads(kg)  # each quad once: the named graphs, then the union
        payload = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        tmp.write_bytes(payload if payload is not None else b"")
        return len(quads)

    return build


# ---------------------------------------------------------------- the engine

class Snapshot:
    """The graph in a pyoxigraph ``Store``; an :class:`kg.query.Engine`.

    Queries see the union of all graphs as their default graph, as a *set*
    of triples, the way rdflib's ``Dataset(default_union=True)`` does:
    Oxigraph's own union default graph is a bag (a triple stated by three
    sources would match three times), so the snapshot keeps the union, each
    triple once, in the store's default graph (:func:`write_nquads` writes
    it into the file).
    """

    def __init__(self, store: Any, path: Path | None = None) -> None:
        self.store = store
        self.path = path

    @classmethod
    def from_file(cls, path: Path | str) -> Snapshot:
        """Load a snapshot file written by :func:`write_nquads`, checked against its
        manifest (size, sha256, then the quad count); :class:`DamagedArtefactError`
        if anything does not match."""
        import pyoxigraph as ox

        data, manifest = integrity.read_verified(path, counter=count_nquads)
        store = ox.Store()
        store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
        integrity.check_count(path, manifest, len(store))
        return cls(store, Path(path))

    @classmethod
    def from_graph(cls, kg: KnowledgeGraph) -> Snapshot:
        """An in-memory snapshot of an already loaded graph (no file)."""
        return cls(_new_store(_snapshot_quads(kg)))

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        import pyoxigraph as ox

        from .query import dataset_clause

        defaults, named = dataset_clause(text)
        if len(defaults) > 1:  # Oxigraph would read the FROM graphs as a bag: merge them
            result = self._merged(defaults, named).query(
                text,
                default_graph=ox.DefaultGraph(),
                named_graphs=[ox.NamedNode(n) for n in named],
            )
        else:
            result = self.store.query(text)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(QueryKind.ASK, boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            limit = None if max_rows is None else max_rows + 1
            triples = tuple(dict.fromkeys(
                (_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                for t in islice(result, limit)
            ))
            cut = max_rows is not None and len(triples) > max_rows
            return QueryResult(QueryKind.CONSTRUCT, triples=triples[:max_rows] if cut else triples,
                               truncated=cut)
        names = tuple(v.value for v in result.variables)
        limit = None if max_rows is None else max_rows + 1
        rows = [
            tuple(_from_ox(sol[i]) for i in range(len(names))) for sol in islice(result, limit)
        ]
        truncated = max_rows is not None and len(rows) > max_rows
        if truncated:
            rows = rows[:max_rows]
        return QueryResult(QueryKind.SELECT, names, tuple(rows), truncated=truncated)

    def _merged(self, defaults: tuple[str, ...], named: tuple[str, ...]) -> Any:
        """A store whose default graph is the RDF merge (a set) of ``defaults``,
        with the graphs of ``named``: the dataset SPARQL asks for."""
        import pyoxigraph as ox

        def quads(graph: str) -> Any:
            return self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

        merged = dict.fromkeys(
            (q.subject, q.predicate, q.object) for g in defaults for q in quads(g)
        )
        store = ox.Store()
        store.extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in merged)
        store.extend(q for g in named for q in quads(g))
        return store


#: Attribute of an Oxigraph-backed Dataset holding (quad count, union Snapshot).
_UNION_SNAPSHOT = "_thb_kg_union_snapshot"


def engine_for_dataset(dataset: Any) -> Engine:
    """The engine that answers queries on an rdflib ``Dataset`` as SPARQL says.

    On rdflib's own stores that is rdflib. On the Oxigraph store, oxrdflib's
    query path reads the union default graph as a bag (a triple three sources
    state matches three times) and replaces a query's ``FROM`` with the
    store's default graph, so the answers would differ from the memory
    store's. There the query goes to Oxigraph directly, through a
    :class:`Snapshot`: over the store itself when its default graph is the
    query default graph, or over a copy whose default graph is the union of
    all graphs, each triple once, kept on the dataset and renewed when the
    number of quads changes.
    """
    from .query import RdflibEngine

    inner = getattr(dataset.store, "_inner", None)  # oxrdflib's pyoxigraph Store
    if type(dataset.store).__name__ != "OxigraphStore" or inner is None:
        return RdflibEngine(dataset)
    if not getattr(dataset, "default_union", False):
        return Snapshot(inner)
    size = len(inner)
    cached = getattr(dataset, _UNION_SNAPSHOT, None)
    if cached is None or cached[0] != size:
        store = _new_store(_snapshot_quads(dataset))
        cached = (size, Snapshot(store))
        setattr(dataset, _UNION_SNAPSHOT, cached)
    return cached[1]


def _new_store(quads: list[Any]) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(quads)
    return store


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


def _rebuild_inputs(path: Path) -> dict[str, Any] | None:
    """The inputs recorded in the manifest of ``path``, if they still give its name."""
    try:
        inputs = integrity.read_manifest(path).inputs
        if inputs is None or set(inputs) != {"data", "ontology", "infer"}:
            return None
        key = cache_key(inputs["data"], inputs["ontology"], infer=bool(inputs["infer"]))
    except (KgError, OSError):
        return None
    return dict(inputs) if path.name == f"graph-{key}.nq" else None


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
    for leftover in folder.glob(".graph-*.tmp"):
        leftover.unlink(missing_ok=True)


def open_snapshot(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Snapshot:
    """The graph loaded from its cached snapshot (built on a cache miss)."""
    return Snapshot.from_file(snapshot_path(data, ontology, infer=infer))


def engine_from_snapshot(path: Path | str, store: str | None = None) -> Engine:
    """An engine over a snapshot file on the store named by ``store`` (see kg.stores).

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
    try:
        return _load_engine(path, spec.name, spec.plugin)
    except DamagedArtefactError as err:
        inputs = _rebuild_inputs(path)
        if inputs is None:
            raise DamagedArtefactError(
                path, err.reason,
                message=f"The cached graph {path} is damaged ({err.reason}) and its manifest "
                        "names no inputs to rebuild it from; run the command again to "
                        "rebuild the cache.",
            ) from None
        _ensure(path, inputs, suspect=err.manifest)
        return _load_engine(path, spec.name, spec.plugin)


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
