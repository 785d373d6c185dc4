"""A cached snapshot of the loaded, inferred graph, for fast new processes.

Parsing TriG with rdflib and computing the inferred graph is what makes a new
process slow. The first ``kg query`` (or ``kg serve``) writes the result as
N-Quads into a cache folder, under a name that is a hash of every input
file's bytes, the inference switch, the package version and the loader's own
source; any change to those gives a new name, so a stale snapshot is never
read. Later processes load the N-Quads straight into Oxigraph
(:class:`Snapshot`, the ``pyoxigraph`` row of :data:`kg.stores.STORES`),
which takes milliseconds.

The folder is ``$KG_CACHE_DIR``, else ``.kg-cache/`` in a checkout, else
``~/.cache/thb-kg``.
"""

from __future__ import annotations

import hashlib
import os
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, paths
from .query import QueryKind, QueryResult

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .query import Engine

CACHE_ENV = "KG_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent
#: Modules whose code decides what a loaded graph holds: part of the cache key.
_LOADER_MODULES = ("graph.py", "inference.py", "namespaces.py", "cache.py")
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


def _snapshot_quads(kg: KnowledgeGraph) -> list[Any]:
    """Every named-graph quad of ``kg``, plus the union of all graphs (each triple once)
    as the default graph."""
    import pyoxigraph as ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    quads = []
    union: dict[tuple[Any, Any, Any], None] = {}
    for s, p, o, g in kg.dataset.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        triple = (_to_ox(s), _to_ox(p), _to_ox(o))
        union[triple] = None
        if gid not in (None, DATASET_DEFAULT_GRAPH_ID):
            quads.append(ox.Quad(*triple, _to_ox(gid)))
    quads.extend(ox.Quad(*t, ox.DefaultGraph()) for t in union)
    return quads


def write_nquads(kg: KnowledgeGraph, path: Path | str) -> None:
    """Write ``kg`` as a snapshot, atomically: its named graphs (inferred included) and,
    as the default graph, the union of all graphs with each triple once."""
    import pyoxigraph as ox

    from .atomic import atomic_write

    payload = ox.serialize(_snapshot_quads(kg), format=ox.RdfFormat.N_QUADS)
    atomic_write(path, payload if payload is not None else b"")


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
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store, Path(path))

    @classmethod
    def from_graph(cls, kg: KnowledgeGraph) -> Snapshot:
        """An in-memory snapshot of an already loaded graph (no file)."""
        import pyoxigraph as ox

        store = ox.Store()
        store.extend(_snapshot_quads(kg))
        return cls(store)

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        import pyoxigraph as ox

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


def snapshot_path(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Path:
    """The snapshot file for these inputs, written first if it does not exist yet."""
    key = cache_key(data, ontology, infer=infer)
    path = cache_dir() / f"graph-{key}.nq"
    if not path.is_file():
        from .graph import load

        kg = load(data, ontology=ontology, store="oxigraph", infer=infer)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_nquads(kg, path)
        _prune(path.parent, keep=path)
    return path


#: Snapshots kept in the cache folder (the newest; others are deleted).
KEEP_SNAPSHOTS = 8


def _prune(folder: Path, *, keep: Path) -> None:
    """Delete all but the newest snapshots (each data change leaves one behind)."""
    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:  # removed meanwhile by another process
            return 0.0

    snaps = sorted(folder.glob("graph-*.nq"), key=mtime, reverse=True)
    for old in snaps[KEEP_SNAPSHOTS:]:
        if old != keep:
            old.unlink(missing_ok=True)


def open_snapshot(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Snapshot:
    """The graph loaded from its cached snapshot (built on a cache miss)."""
    return Snapshot.from_file(snapshot_path(data, ontology, infer=infer))


def engine_from_snapshot(path: Path | str, store: str | None = None) -> Engine:
    """An engine over a snapshot file on the store named by ``store`` (see kg.stores)."""
    from .stores import resolve_store

    spec = resolve_store(store or "pyoxigraph")
    if spec.name == "pyoxigraph":
        return Snapshot.from_file(path)
    from rdflib import Dataset

    from .query import RdflibEngine

    # The snapshot's default graph already holds the union, each triple once.
    ds = Dataset(store=spec.plugin, default_union=False)
    ds.parse(str(path), format="nquads")
    return RdflibEngine(ds)
