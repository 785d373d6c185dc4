"""The engine over Oxigraph directly, and the engine for an rdflib ``Dataset``.

:class:`Snapshot` answers SPARQL from a pyoxigraph ``Store`` (in memory, or
the persistent on-disk store of :mod:`kg.store.disk`) whose default graph
holds the union of all named graphs as a *set*: each triple once, however
many sources state it. :func:`engine_for_dataset` picks the engine for a
loaded rdflib ``Dataset``. Terms cross between rdflib and Oxigraph here
(:func:`_to_ox`, :func:`_from_ox`), nowhere else.

This module imports only the leaf modules of :mod:`kg.query` (results, the
``FROM`` clause), and :mod:`kg.query` never imports it: a loaded graph
hands its engine to :func:`kg.query.run` (:meth:`kg.graph.KnowledgeGraph.engine`).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef

from .. import integrity
from ..gc_pause import gc_paused
from ..query.dataset import dataset_clause
from ..query.result import QueryKind, QueryResult
from ..terms import canonical

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..query.engines import Engine

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def count_nquads(data: bytes) -> int:
    """The quads in N-Quads bytes as written by :func:`kg.cache.write_nquads`: one per line."""
    return data.count(b"\n")


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


#: pyoxigraph, imported on the first term converted (not when this module is imported).
_OX: Any = None
#: The datatype IRIs met so far, each one ``URIRef`` (a result repeats a handful).
_DATATYPES: dict[str, URIRef] = {}


def _from_ox(term: Any) -> Any:
    """An Oxigraph term as rdflib's: called for every cell of every result, so it
    dispatches on the exact class and makes each datatype IRI once. Oxigraph's IRIs are
    already checked, so a ``URIRef`` is made without checking it again."""
    global _OX
    if term is None:
        return None
    if _OX is None:
        import pyoxigraph

        _OX = pyoxigraph
    cls = type(term)
    if cls is _OX.NamedNode:
        return str.__new__(URIRef, term.value)
    if cls is _OX.Literal:
        language = term.language
        if language:
            return Literal(term.value, lang=language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        datatype = _DATATYPES.get(dt)
        if datatype is None:
            datatype = _DATATYPES.setdefault(dt, URIRef(dt))
        literal = Literal(term.value, datatype=datatype)
        return canonical(literal) if dt == _XSD_DECIMAL else literal
    if cls is _OX.BlankNode:
        return BNode(term.value)
    raise TypeError(f"unexpected term {term!r}")


def _from_ox_memo() -> Callable[[Any], Any]:
    """:func:`_from_ox` for the terms of one result, each term made once.

    A result repeats its terms (the 505k cells of ``timeline`` at 1M quads
    hold 100k distinct terms), and making an rdflib ``Literal`` parses its
    value: made once and shared, the rows of ``timeline`` take 0.33 s instead
    of 1.14 s, and less memory.
    """
    memo: dict[Any, Any] = {}
    known = memo.get

    def convert(term: Any) -> Any:
        if term is None:
            return None
        made = known(term)
        if made is None:
            made = memo[term] = _from_ox(term)
        return made

    return convert


def snapshot_quads(kg: KnowledgeGraph | Any) -> list[Any]:
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

    def __init__(self, store: Any, path: Path | None = None, *, on_disk: bool = False) -> None:
        self.store = store
        self.path = path
        #: the store is kg's on-disk store: a final ORDER BY is sorted in Python
        #: (:mod:`kg.store.ordering`), where Oxigraph's sort reads RocksDB at each comparison
        self.on_disk = on_disk

    @classmethod
    def from_file(cls, path: Path | str) -> Snapshot:
        """Load a snapshot file written by :func:`kg.cache.write_nquads`, checked against its
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
        return cls(_new_store(snapshot_quads(kg)))

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        try:
            return self._execute(text, max_rows=max_rows)
        except (RuntimeError, OSError) as exc:
            if self.path is None or "Corruption" not in str(exc):
                raise
            raise self._damaged(exc) from None

    def _damaged(self, exc: Exception) -> integrity.DamagedArtefactError:
        """A store whose data RocksDB found damaged while reading (a block checksum): its
        manifest is removed, so the next command rebuilds it, and this query fails."""
        assert self.path is not None
        try:
            integrity.manifest_path(self.path).unlink(missing_ok=True)
        except OSError:  # a read-only cache folder, a confined worker: the error still says
            pass
        reason = " ".join(str(exc).split())[:200]
        return integrity.DamagedArtefactError(
            self.path, reason,
            message=f"The cached graph {self.path} is damaged ({reason}); run the command "
                    "again to rebuild it.",
        )

    def _execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        import pyoxigraph as ox

        defaults, named = dataset_clause(text)
        if self.on_disk and len(defaults) <= 1:
            with gc_paused():
                done = self._sorted_here(text, max_rows)
            if done is not None:
                return done
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
            term = _from_ox_memo()
            with gc_paused():
                triples = tuple(dict.fromkeys(
                    (term(t.subject), term(t.predicate), term(t.object))
                    for t in islice(result, limit)
                ))
            cut = max_rows is not None and len(triples) > max_rows
            return QueryResult(QueryKind.CONSTRUCT, triples=triples[:max_rows] if cut else triples,
                               truncated=cut)
        names = tuple(v.value for v in result.variables)
        limit = None if max_rows is None else max_rows + 1
        term = _from_ox_memo()
        with gc_paused():
            rows = [tuple(term(sol[i]) for i in range(len(names)))
                    for sol in islice(result, limit)]
        truncated = max_rows is not None and len(rows) > max_rows
        if truncated:
            rows = rows[:max_rows]
        return QueryResult(QueryKind.SELECT, names, tuple(rows), truncated=truncated)

    def _sorted_here(self, text: str, max_rows: int | None) -> QueryResult | None:
        """A SELECT that ends in ORDER BY of plain variables, run without it and sorted
        by :func:`kg.store.ordering.sort_rows`; None (the caller runs ``text`` as it is)
        when it does not end so, has more than :data:`~kg.store.ordering.MAX_ROWS` rows,
        or sorts literals whose order only Oxigraph knows."""
        import pyoxigraph as ox

        from .ordering import MAX_ROWS, final_order, sort_rows

        plan = final_order(text)
        if plan is None:
            return None
        try:
            result = self.store.query(plan.text)
        except Exception:  # noqa: BLE001 - the text as written fails again, at its own position
            return None
        if not isinstance(result, ox.QuerySolutions):
            return None
        width = range(len(result.variables))
        rows = [tuple(sol[i] for i in width) for sol in islice(result, MAX_ROWS + 1)]
        if len(rows) > MAX_ROWS:
            return None
        done = sort_rows(tuple(v.value for v in result.variables), rows, plan)
        if done is None:
            return None
        names, ordered = done
        term = _from_ox_memo()
        truncated = max_rows is not None and len(ordered) > max_rows
        if truncated:
            ordered = ordered[:max_rows]
        return QueryResult(
            QueryKind.SELECT, names,
            tuple(tuple(term(cell) for cell in row) for row in ordered),
            truncated=truncated,
        )

    def lexical_rows(self, text: str) -> list[tuple[str | None, ...]]:
        """The rows of the SELECT ``text`` as each term's lexical value (``None`` where a
        variable is unbound), without making rdflib terms: what a caller that only reads
        text needs (:func:`kg.query.labelling.labels` labels 30k IRIs of a result at 1M
        quads, where building 90k rdflib terms costs more than the query)."""
        try:
            result = self.store.query(text)
            width = len(result.variables)
            return [tuple(None if (t := sol[i]) is None else t.value for i in range(width))
                    for sol in result]
        except (RuntimeError, OSError) as exc:
            if self.path is None or "Corruption" not in str(exc):
                raise
            raise self._damaged(exc) from None

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
    from ..query.engines import RdflibEngine

    inner = getattr(dataset.store, "_inner", None)  # oxrdflib's pyoxigraph Store
    if type(dataset.store).__name__ != "OxigraphStore" or inner is None:
        return RdflibEngine(dataset)
    if not getattr(dataset, "default_union", False):
        return Snapshot(inner)
    size = len(inner)
    cached = getattr(dataset, _UNION_SNAPSHOT, None)
    if cached is None or cached[0] != size:
        store = _new_store(snapshot_quads(dataset))
        cached = (size, Snapshot(store))
        setattr(dataset, _UNION_SNAPSHOT, cached)
    return cached[1]


def _new_store(quads: list[Any]) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(quads)
    return store


