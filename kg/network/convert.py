"""A knowledge graph, or a query result, as a network: the public entry points.

:func:`to_networkx` draws the whole graph (or one source's claims),
:func:`from_query` a CONSTRUCT or a ``?source ?relation ?target`` SELECT,
and :func:`select` what ``kg viz`` draws. They pick the quads (never the
default or ontology graph; the inferred one on request), hand them to the
builder of :mod:`kg.network.build` with the dataset's context, and add the
links that identifiers give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import networkx as nx
from rdflib import Literal, URIRef

from ..errors import KgError
from ..gc_pause import gc_paused
from ..namespaces import GRAPH
from .build import _Builder
from .context import _context, _one_node_per_fact, _quads
from .focus import EntityNotFoundError, neighbourhood
from .kinds import Qualified
from .links import _add_identifier_links
from .names import _expand_curie, _term_id, curie
from .validity import in_force_on
from .vocabulary import _DEFAULT, _INFERRED, _ONTOLOGY, _SYSTEM, QUERY_GRAPH

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..query import QueryResult


def _content_quads(
    quads: list[tuple[Any, Any, Any, Any]], *, source: str | None, include_inferred: bool
) -> Iterator[tuple[Any, Any, Any, str]]:
    for s, p, o, g in quads:
        if g == _DEFAULT or g == _ONTOLOGY:
            continue
        if g == _INFERRED and not include_inferred:
            continue
        if source is not None and g != source:
            continue
        yield s, p, o, g


def _source_iri(kg_quads: list[tuple[Any, Any, Any, Any]], source: str) -> str:
    names = sorted({g for *_x, g in kg_quads if g != _DEFAULT})
    for candidate in (source, str(GRAPH[source]), _expand_curie(source) or ""):
        if candidate in names:
            return candidate
    raise EntityNotFoundError(
        f"No source graph {source!r}; known graphs: "
        + ", ".join(curie(n) for n in names if n not in _SYSTEM)
        + "."
    )


def to_networkx(
    kg: KnowledgeGraph | Any,
    *,
    predicates: Iterable[URIRef | str] | None = None,
    literals: bool = True,
    qualified: Qualified | str = Qualified.COLLAPSE,
    source: str | None = None,
    as_of: str | date | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph:
    """The graph as a ``networkx.MultiDiGraph``.

    ``predicates``: the object properties that become edges (default: all
    but a few attribute-like ones such as ``rdf:type`` and
    ``eli:type_document``); the others become facts. ``literals``: keep
    literal values as node facts. ``qualified``: collapse qualified-fact
    nodes into labelled edges (default) or keep them as nodes. ``source``:
    only the claims of one source graph (IRI, CURIE or slug). ``as_of``: only
    what was in force or true on that date (see :func:`in_force_on`).
    ``include_inferred``: also draw the inferred inverses.

    Node ids are IRIs; node attributes: ``label``, ``alt``, ``kind``,
    ``types``, ``facts`` (predicate, label, value, sources), ``notes``,
    ``links``, ``sources``, ``unconfirmed``, ``valid_from``,
    ``valid_until``. Edge keys are the predicate IRI (or the qualified
    node's IRI); edge attributes: ``predicate``, ``label``, ``sources``,
    ``qualified``, ``facts``, ``unconfirmed``.
    """
    mode = Qualified(qualified) if isinstance(qualified, str) else qualified
    with gc_paused():
        G = _to_networkx(kg, predicates, literals, mode, source, include_inferred)
    if as_of is not None:
        G = in_force_on(G, as_of)
    return G


def _to_networkx(
    kg: Any,
    predicates: Iterable[URIRef | str] | None,
    literals: bool,
    mode: Qualified,
    source: str | None,
    include_inferred: bool,
) -> nx.MultiDiGraph:
    quads = _one_node_per_fact(list(_quads(kg)))
    ctx = _context(quads)
    src = _source_iri(quads, source) if source is not None else None
    preds = (
        frozenset(_expand_curie(str(p)) or str(p) for p in predicates)
        if predicates is not None
        else None
    )
    builder = _Builder(ctx, predicates=preds, literals=literals, qualified=mode)
    G = builder.build(_content_quads(quads, source=src, include_inferred=include_inferred))
    _add_identifier_links(G)
    G.graph["title"] = (
        f"Source {ctx.sources.get(src or '', {}).get('title', src)}" if src else "thb-kg"
    )
    return G


def from_query(kg: KnowledgeGraph | Any, result: QueryResult, **options: Any) -> nx.MultiDiGraph:
    """The network of a query result: the triples of a CONSTRUCT/DESCRIBE, or the
    rows of a SELECT with ``?source ?relation ?target`` columns.

    Labels, classes and the sources of each triple come from ``kg``; a triple
    that no source asserts is attributed to the query itself.
    """
    if getattr(result, "kind", None) is not None and result.kind.gives_graph:
        triples = list(result.triples)
    else:
        missing = [v for v in ("source", "relation", "target") if v not in result.vars]
        if missing:
            raise KgError(
                "A SELECT drawn as a network needs the columns ?source ?relation ?target; "
                f"this one lacks ?{', ?'.join(missing)} (it has ?{', ?'.join(result.vars)})."
            )
        triples = []
        for row in result.as_dicts():
            s, p, o = row.get("source"), row.get("relation"), row.get("target")
            if s is None or o is None or p is None:
                continue
            if isinstance(p, Literal):  # a relation given as text: keep its words
                p = URIRef("urn:thb-kg:relation:" + quote(str(p)))
            triples.append((s, p, o))
    plain: list[tuple[Any, str, Any]] = [(_term_id(s), str(p), _term_id(o)) for s, p, o in triples]
    quads = list(_quads(kg))
    ctx = _context(quads)
    where: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
    wanted = set(plain)
    for s, p, o, g in _content_quads(quads, source=None, include_inferred=True):
        if (s, p, o) in wanted:
            where[(s, p, o)].add(g)
    for t in plain:
        if t[1].startswith("urn:thb-kg:relation:"):
            ctx.labels[t[1]] = (0, 0, _unquote_relation(t[1]))

    def content() -> Iterator[tuple[Any, Any, Any, str]]:
        for s, p, o in plain:
            for g in sorted(where.get((s, p, o)) or {QUERY_GRAPH}):
                yield s, p, o, g

    options.setdefault("qualified", Qualified.COLLAPSE)
    mode = (
        Qualified(options["qualified"])
        if isinstance(options["qualified"], str)
        else options["qualified"]
    )
    builder = _Builder(ctx, predicates=None, literals=options.get("literals", True), qualified=mode)
    with gc_paused():
        G = builder.build(content())
    _add_identifier_links(G)
    G.graph["title"] = "Query result"
    return G


def select(
    kg: KnowledgeGraph | Any,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | None = None,
    params: Mapping[str, Any] | Iterable[str] | None = None,
    as_of: str | date | None = None,
    source: str | None = None,
    qualified: Qualified | str = Qualified.COLLAPSE,
    predicates: Iterable[URIRef | str] | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph:
    """The network ``kg viz`` draws: the whole graph, one source's claims or a query's
    result; then only what held on ``as_of``; then the ``focus`` entity's neighbourhood.

    A ``query`` runs under the safety policy of :mod:`kg.safety` (no SERVICE,
    no LOAD, no FROM outside our graphs): a view never reaches the network.
    """
    if query is not None:
        if source is not None:
            raise KgError("--source and --query cannot be combined; add GRAPH to the query.")
        from ..query import QueryKind, parse_params, run
        from ..safety import Policy

        bound = (
            parse_params(params)
            if params is not None and not isinstance(params, Mapping)
            else params
        )
        result = run(kg, query, bound, policy=Policy())
        if result.kind is QueryKind.ASK:
            raise KgError(
                "An ASK query answers yes or no; draw a CONSTRUCT or a SELECT "
                "with ?source ?relation ?target."
            )
        G = from_query(kg, result, qualified=qualified)
    else:
        G = to_networkx(
            kg,
            predicates=predicates,
            qualified=qualified,
            source=source,
            include_inferred=include_inferred,
        )
    if as_of is not None:
        G = in_force_on(G, as_of)
    if focus is not None:
        G = neighbourhood(G, focus, depth)
    return G


def _unquote_relation(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text.removeprefix("urn:thb-kg:relation:"))
