"""The dataset on a SPARQL server counted there (``kg stats``) or fetched into rdflib
(``kg validate``, ``kg viz``, ``kg site``, ``kg export`` on ``--endpoint``).

:func:`counts` asks the server for what ``kg stats`` shows, so nothing is fetched.
:func:`fetch` reads each graph by its name with SELECT, page by page, up to
:func:`fetch_limit` quads, into a :class:`kg.graph.KnowledgeGraph` on rdflib's
memory store, every named graph kept; past the limit it refuses in one sentence.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import KgError
from ..namespaces import GRAPH
from .remote import _DCT_TITLE, _RDF_TYPE, DEFAULT_GRAPH, RemoteDataset, RemoteEngine, _nt

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

#: Quads fetched at most into memory for kg validate, viz and site (also $KG_FETCH_LIMIT).
FETCH_LIMIT = 2_000_000
FETCH_LIMIT_ENV = "KG_FETCH_LIMIT"
#: Rows asked per page when fetching a graph.
PAGE = 100_000


def counts(engine: RemoteEngine) -> dict[str, Any]:
    """What ``kg stats`` shows, counted by the server (:func:`kg.stats.from_counts`):
    triples per named graph with titles, in the default graph, inferred, and entities
    per class as the sources state them."""
    ds = engine.dataset
    own_default = DEFAULT_GRAPH if ds.published else None
    per_graph = {
        str(r["g"]): int(r["n"])
        for r in ds.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                           "GROUP BY ?g", default=own_default)
        if r.get("g") is not None
    }
    titles = {
        str(r["g"]): str(r["t"])
        for r in ds.select(f"SELECT ?g (MIN(STR(?title)) AS ?t) WHERE {{ ?g <{_DCT_TITLE}> "
                           "?title } GROUP BY ?g", default=own_default)
    }
    (row,) = ds.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default=own_default) or [{}]
    system = ", ".join(_nt(str(GRAPH[n])) for n in ("ontology", "inferred"))
    classes = {
        str(r["c"]): int(r["n"])
        for r in ds.select(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ "
            f"{{ GRAPH ?g {{ ?s <{_RDF_TYPE}> ?c }} FILTER(?g NOT IN ({system})) }} "
            f"UNION {{ ?s <{_RDF_TYPE}> ?c }} FILTER(isIRI(?c)) }} GROUP BY ?c",
            default=own_default,
        )
    }
    graphs = {g: [n, titles.get(g, "")] for g, n in per_graph.items()}
    return {
        "inferred": per_graph.get(str(GRAPH["inferred"]), 0),
        "default": int(row.get("n", 0)),
        "graphs": graphs,
        "classes": classes,
    }


def fetch_limit() -> int:
    raw = os.environ.get(FETCH_LIMIT_ENV)
    try:
        return int(raw) if raw else FETCH_LIMIT
    except ValueError:
        raise KgError(f"${FETCH_LIMIT_ENV} must be a number of quads, not {raw!r}.") from None


def _graph_triples(ds: RemoteDataset, graph: str | None, size: int) -> Iterator[tuple]:
    """The triples of ``graph`` (None: the dataset's default graph), page by page. Each
    is read by its name, with no dataset in the request: the same on every server."""
    if graph is None and not ds.published:
        where = "{ ?s ?p ?o }"  # the server's own default graph
    else:
        where = f"{{ GRAPH {_nt(graph or DEFAULT_GRAPH)} {{ ?s ?p ?o }} }}"
    if size <= PAGE:  # one page: no order needed
        pages = [f"SELECT ?s ?p ?o WHERE {where}"]
    else:
        pages = [f"SELECT ?s ?p ?o WHERE {where} ORDER BY ?s ?p ?o LIMIT {PAGE} OFFSET {k}"
                 for k in range(0, size, PAGE)]
    for text in pages:
        for row in ds.select(text, dataset=False):
            yield row["s"], row["p"], row["o"]


def fetch(engine: RemoteEngine, *, ontology: Path | str | None = None) -> KnowledgeGraph:
    """The dataset on the server as a loaded graph (rdflib's memory store), every named
    graph kept, for the commands that work on rdflib objects (validate, viz, site).

    The shapes come from the local ``ontology`` folder. More quads than
    :func:`fetch_limit` are refused before anything is fetched.
    """
    from rdflib import Dataset, URIRef

    from .. import paths
    from ..graph import INFERRED_GRAPH, KnowledgeGraph
    from ..namespaces import PREFIXES
    from ..stores import resolve_store

    ds = engine.dataset
    numbers = counts(engine)
    sizes = {g: n for g, (n, _t) in numbers["graphs"].items()}
    total = sum(sizes.values()) + numbers["default"]
    limit = fetch_limit()
    if total > limit:
        raise KgError(
            f"The dataset at {engine.url} holds {total:,} quads, more than the {limit:,} "
            "that kg validate, viz and site read into memory; run them on the data files "
            f"(--data) instead, or raise the limit with ${FETCH_LIMIT_ENV}."
        )
    dataset = Dataset(default_union=True)
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True, replace=True)
    default = dataset.default_graph
    for triple in _graph_triples(ds, None, numbers["default"]):
        default.add(triple)
    for name in ds.named:
        target = dataset.graph(URIRef(name))
        for triple in _graph_triples(ds, name, sizes.get(name, 0)):
            target.add(triple)
    return KnowledgeGraph(
        dataset=dataset,
        store=resolve_store("memory"),
        data_dir=paths.data_dir(),
        ontology_dir=Path(ontology) if ontology is not None else paths.ontology_dir(),
        files=(),
        inferred=len(dataset.graph(INFERRED_GRAPH)),
    )
