"""``kg publish``: write the loaded, inferred dataset to a SPARQL 1.1 server.

What goes up is what the embedded engines query: every named graph (the
sources, the ontology, ``graph/inferred``), the dataset's default graph, and
the union of all of them, laid out as :mod:`kg.store.remote` reads it
(``published/default``, ``published/dataset``, and the union in the server's
own default graph or in ``published/union``: :meth:`_Client.probe_native`
asks the server which).

Two ways, both replacing what an earlier publish wrote, so publishing twice
leaves one copy:

* with a Graph Store Protocol endpoint (``store_url``; Oxigraph's ``/store``,
  Virtuoso's ``/sparql-graph-crud``): each graph is sent with ``PUT`` (its
  first batch, which replaces the graph) and ``POST`` (the others), as
  N-Triples;
* with only an update endpoint (``update_url``): ``DROP SILENT GRAPH`` for
  each graph, then ``INSERT DATA`` in batches.

Blank nodes are scoped to one request on every server. So the triples that
hold one (a few: qualified associations, OWL restrictions) all go up in one
last ``INSERT { ... } WHERE {}`` (Virtuoso takes no blank node in ``INSERT
DATA``), where a blank node shared by a source graph, the inferred graph and
the union stays one node. Without an update endpoint
they go with their graph, and a note says a node shared by two graphs
became two.

Graphs listed by the earlier publish that the dataset no longer has are
dropped. ``published/dataset`` is written last.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import KgError
from . import http
from .remote import (
    DATASET_GRAPH,
    DEFAULT_GRAPH,
    PUBLISHED,
    SD,
    UNION_GRAPH,
    RemoteDataset,
    _parse,
)

#: Triples per request by default.
DEFAULT_BATCH = 10_000
#: Seconds allowed for one request while publishing.
PUBLISH_TIMEOUT = 300.0

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PublishReport:
    """What :func:`publish` sent: graphs, quads, requests, seconds, and notes."""

    endpoint: str
    graphs: int
    quads: int
    requests: int
    seconds: float
    method: str
    dropped: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def _line(s: Any, p: Any, o: Any) -> str:
    return f"{s} {p} {o} .\n"


def _has_bnode(quad: Any) -> bool:
    import pyoxigraph as ox

    return any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object, quad.graph_name))


def _default_quads(data: Path | str | None, ontology: Path | str | None) -> list[Any]:
    """The dataset's own default graph: what the data files put there (the source
    descriptions) and the descriptions of the ontology and inferred graphs."""
    import pyoxigraph as ox

    from .. import paths
    from ..graph import data_files
    from .build import _describe_system_graphs, _formats

    folder = Path(data) if data is not None else paths.data_dir()
    quads = list(_describe_system_graphs())
    for path in data_files(folder):
        if path.suffix == ".ttl":  # a Turtle file is its own source graph
            continue
        for quad in ox.parse(path=str(path), format=_formats()[path.suffix],
                             base_iri=path.resolve().as_uri()):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                quads.append(quad)
    return list(dict.fromkeys(quads))


@dataclass
class Graphs:
    """The graphs to publish, read lazily from the store kg query uses.

    ``names`` lists every graph by IRI (ours under :data:`kg.store.remote.PUBLISHED`
    included); :meth:`quads` gives one graph's quads (pyoxigraph ``Quad``), streamed
    from the store so that a large dataset is never all in memory twice.
    """

    store: Any
    default: list[Any]
    names: tuple[str, ...]
    sizes: dict[str, int]

    def quads(self, name: str) -> Iterator[Any]:
        import pyoxigraph as ox

        if name == DEFAULT_GRAPH:
            return iter(self.default)
        graph = ox.DefaultGraph() if name == UNION_GRAPH else ox.NamedNode(name)
        return iter(self.store.quads_for_pattern(None, None, None, graph))

    @property
    def ours(self) -> list[str]:
        """The dataset's own named graphs (not the three of ours)."""
        return [g for g in self.names if not g.startswith(PUBLISHED)]


def dataset_graphs(
    data: Path | str | None = None, ontology: Path | str | None = None, *, infer: bool = True
) -> Graphs:
    """Every graph to publish: the cached store of these inputs, opened as kg query opens
    it (built first if needed), and the default graph read from the data files."""
    import pyoxigraph as ox

    from . import open_engine
    from .engine import Snapshot

    engine = open_engine(data, ontology, infer=infer, store="pyoxigraph")
    assert isinstance(engine, Snapshot)
    store = engine.store
    sizes = {
        str(row[0].value): int(row[1].value)
        for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                               "GROUP BY ?g")
        if isinstance(row[0], ox.NamedNode)
    }
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    sizes[UNION_GRAPH] = int(row[0].value)
    default = _default_quads(data, ontology)
    sizes[DEFAULT_GRAPH] = len(default)
    names = (*sorted(n for n in sizes if n not in (UNION_GRAPH, DEFAULT_GRAPH)),
             DEFAULT_GRAPH, UNION_GRAPH)
    return Graphs(store, default, names, sizes)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Client:
    """The requests of one publish, counted. With ``native``, the union goes into the
    server's own default graph (see :func:`probe_native`)."""

    def __init__(self, query_url: str, update_url: str | None, store_url: str | None,
                 timeout: float | None) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self.requests = 0
        self.native = False

    def _target(self, graph: str) -> str | None:
        """Where ``graph`` goes on the server: None for the server's default graph."""
        return None if self.native and graph == UNION_GRAPH else graph

    def update(self, text: str) -> None:
        assert self.update_url is not None
        self.requests += 1
        http.request(
            self.update_url, method="POST", data=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            timeout=self.timeout, what="SPARQL update endpoint",
            hint="check that the server is running and accepts updates at this URL "
                 "(Oxigraph: /update, Virtuoso: /sparql with write access)",
        )

    def wrap(self, graph: str, ntriples: str) -> str:
        """``ntriples`` as the body of ``INSERT DATA`` into ``graph``."""
        target = self._target(graph)
        return ntriples if target is None else f"GRAPH <{target}> {{\n{ntriples}}}"

    def insert(self, graph: str, ntriples: str) -> None:
        self.update(f"INSERT DATA {{ {self.wrap(graph, ntriples)} }}")

    def drop(self, graphs: list[str], *, as_named: bool = False) -> None:
        """Remove ``graphs`` from the server (those it does not have are no error);
        ``as_named``: each as the named graph of that name, whatever :meth:`_target` says."""
        targets = [g if as_named else self._target(g) for g in graphs]
        if self.update_url is None:
            for target in targets:
                try:
                    self.graph_store("DELETE", target, None)
                except http.EndpointError as exc:
                    if exc.status != 404:
                        raise
            return
        for names in _batches(targets, 200):
            self.update(";\n".join("DROP SILENT DEFAULT" if g is None
                                    else f"DROP SILENT GRAPH <{g}>" for g in names))

    def put_graph(self, graph: str, ntriples: str) -> None:
        """Replace ``graph`` with these N-Triples."""
        if self.store_url is not None:
            self.graph_store("PUT", self._target(graph), ntriples.encode("utf-8"))
        else:
            self.drop([graph])
            self.insert(graph, ntriples)

    def graph_store(self, method: str, graph: str | None, body: bytes | None) -> None:
        """One Graph Store Protocol request on ``graph`` (None: the default graph)."""
        assert self.store_url is not None
        self.requests += 1
        sep = "&" if "?" in self.store_url else "?"
        which = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
        http.request(
            f"{self.store_url}{sep}{which}", method=method, data=body,
            headers={"Content-Type": "application/n-triples"},
            timeout=self.timeout, what="Graph Store endpoint",
            hint="check that the server is running and accepts writes at this URL "
                 "(Oxigraph: /store, Virtuoso: /sparql-graph-crud with write access)",
        )

    def shares_blank_nodes(self) -> bool:
        """Whether one update can put one blank node into two graphs: Oxigraph can;
        Virtuoso 7 fails (SR002) after writing part of it. Tried on two graphs of ours,
        removed afterwards."""
        a, b, p = (PUBLISHED + name for name in ("probe-a", "probe-b", "probe"))
        try:
            self.update(f'INSERT {{ GRAPH <{a}> {{ _:b <{p}> "1" }} GRAPH <{b}> '
                        f'{{ _:b <{p}> "1" }} }} WHERE {{}}')
            answer = RemoteDataset(self.query_url, self.timeout).send(
                f'ASK {{ GRAPH <{a}> {{ ?b <{p}> "1" }} GRAPH <{b}> {{ ?b <{p}> "1" }} }}',
                dataset=False)
            self.requests += 1
            return _parse(answer, self.query_url).boolean is True
        except http.EndpointError as exc:
            if exc.status is None or exc.status < 500:
                raise
            return False
        finally:
            self.drop([a, b])

    def probe_native(self) -> bool:
        """Whether the server's default graph is a graph of its own, without the named
        graphs: a triple put into a named graph is not seen by a query without ``GRAPH``
        that names no dataset. True on Oxigraph (unless started with
        ``--union-default-graph``) and Fuseki; false on Virtuoso."""
        probe = PUBLISHED + "probe"
        self.put_graph(probe, f"<{probe}> <{probe}> <{probe}> .\n")
        try:
            answer = RemoteDataset(self.query_url, self.timeout).send(
                f"ASK {{ <{probe}> <{probe}> <{probe}> }}", dataset=False)
            self.requests += 1
            seen = _parse(answer, self.query_url).boolean
        finally:
            self.drop([probe])
        return seen is False


def publish(
    endpoint: str,
    *,
    update_url: str | None = None,
    store_url: str | None = None,
    data: Path | str | None = None,
    ontology: Path | str | None = None,
    infer: bool = True,
    batch: int = DEFAULT_BATCH,
    timeout: float | None = PUBLISH_TIMEOUT,
    progress: Progress | None = None,
) -> PublishReport:
    """Write the dataset of ``data`` to the server whose query endpoint is ``endpoint``.

    ``store_url`` is its Graph Store Protocol endpoint, used when given;
    ``update_url`` its SPARQL Update endpoint (default: ``endpoint`` itself, as
    Virtuoso and Fuseki have it, unless ``store_url`` is given). ``progress(step,
    done, total)`` is told the quads sent so far.
    """
    http.check_url(endpoint)
    if update_url:
        http.check_url(update_url, "--update-endpoint")
    elif not store_url:
        update_url = endpoint
    if store_url:
        http.check_url(store_url, "--store-endpoint")
    if batch < 1:
        raise KgError("--batch must be 1 or more.")
    started = time.monotonic()
    tell = progress or (lambda step, done, total: None)
    tell("loading the graph", 0, 0)
    graphs = dataset_graphs(data, ontology, infer=infer)
    client = _Client(endpoint, update_url, store_url, timeout)
    tell("reading what the server holds", 0, 0)
    previous = RemoteDataset(endpoint, timeout)
    stale = tuple(g for g in (previous.named if previous.published else ())
                  if g not in graphs.sizes)
    total = sum(graphs.sizes.values())
    # the description goes first: a query during the publish sees the server as it is
    client.drop([DATASET_GRAPH, *stale])
    try:
        client.native = client.probe_native()
        if client.native:  # the union goes into the default graph: no named copy
            client.drop([UNION_GRAPH], as_named=True)
        method, notes = _send(graphs, client, batch=batch, separate=bool(update_url),
                              tell=tell, total=total)
    except http.EndpointError as exc:
        raise http.EndpointError(
            f"{str(exc).rstrip('.')}; the server now holds part of the dataset: run kg "
            "publish again once that is fixed.", url=exc.url, status=exc.status,
        ) from None
    tell("published", total, total)
    ours = graphs.ours
    return PublishReport(
        endpoint=endpoint, graphs=len(ours),
        quads=sum(graphs.sizes[g] for g in ours) + graphs.sizes[DEFAULT_GRAPH],
        requests=client.requests, seconds=time.monotonic() - started, method=method,
        dropped=stale, notes=tuple(notes),
    )


def _send(graphs: Graphs, client: _Client, *, batch: int, separate: bool, tell: Progress,
          total: int) -> tuple[str, list[str]]:
    """Send every graph, then the description; the method used and any notes.

    ``separate``: triples with blank nodes go together in one last update.
    """
    done = 0
    blank: list[tuple[str, str]] = []
    notes: list[str] = []

    def lines(name: str) -> Iterator[str]:
        """``name``'s triples as N-Triples lines, those with blank nodes kept aside."""
        for q in graphs.quads(name):
            line = _line(q.subject, q.predicate, q.object)
            if separate and _has_bnode(q):
                blank.append((name, line))
            else:
                yield line

    if client.store_url:
        method = "Graph Store Protocol"
        for name in graphs.names:
            first = True
            for chunk in _batches(lines(name), batch):
                tell(f"sending {_short(name)}", done, total)
                client.graph_store("PUT" if first else "POST", client._target(name),
                                   "".join(chunk).encode("utf-8"))
                first = False
                done += len(chunk)
            if first:  # nothing but blank nodes, or empty: clear it
                client.graph_store("PUT", client._target(name), b"")
        if not separate and any(_has_bnode(q) for g in graphs.names for q in graphs.quads(g)):
            notes.append("without --update-endpoint, triples with blank nodes went up graph "
                         "by graph: a blank node that two graphs share is two nodes there.")
    else:
        method = "SPARQL Update"
        client.drop(list(graphs.names))
        for name in graphs.names:
            for chunk in _batches(lines(name), batch):
                tell(f"sending {_short(name)}", done, total)
                client.insert(name, "".join(chunk))
                done += len(chunk)
    if blank:
        tell("sending the triples with blank nodes", done, total)
        # a template, not INSERT DATA (Virtuoso refuses blank nodes in data); one solution,
        # so each label is one new blank node throughout
        if client.shares_blank_nodes():
            client.update("INSERT {\n" + "".join(client.wrap(g, line) + "\n"
                                                for g, line in blank) + "} WHERE {}")
            if len(blank) > batch:
                notes.append(f"{len(blank)} triples with blank nodes went up in one request, "
                             "so that each blank node stays one node across graphs.")
        else:
            by_graph: dict[str, list[str]] = {}
            for g, line in blank:
                by_graph.setdefault(g, []).append(line)
            for g, lines_of in by_graph.items():
                client.update(f"INSERT {{ {client.wrap(g, ''.join(lines_of))} }} WHERE {{}}")
            notes.append("this server cannot put one blank node into two graphs in one "
                         "request (Virtuoso 7), so the triples with blank nodes went up graph "
                         "by graph: a blank node that two graphs share is two nodes there.")
        done += len(blank)
    client.put_graph(DATASET_GRAPH, _description(graphs.ours, native=client.native))
    return method, notes


def _description(named: Iterable[str], *, native: bool) -> str:
    """``published/dataset``: the named graphs of the dataset, in SD terms, and
    ``published/union`` as its default graph unless that is the server's own."""
    lines = [f"<{DATASET_GRAPH}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
             f"<{SD}Dataset> .\n"]
    if not native:
        lines.append(f"<{DATASET_GRAPH}> <{SD}defaultGraph> <{UNION_GRAPH}> .\n")
    for g in named:
        lines.append(f"<{DATASET_GRAPH}> <{SD}namedGraph> <{g}> .\n")
        lines.append(f"<{g}> <{SD}name> <{g}> .\n")
    return "".join(lines)


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]
