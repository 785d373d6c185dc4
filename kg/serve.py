"""A SPARQL 1.1 Protocol endpoint over the graph, safe by default.

Built on FastAPI/Starlette directly rather than on rdflib-endpoint, which
runs queries in the server process with no time limit or row cap, answers
TSV with XML, allows credentialed CORS from any origin and echoes file
paths in its errors. Here:

- ``GET``/``POST`` (form or ``application/sparql-query``) at ``/sparql``;
  without a query, a service description;
- content negotiation over the one table of formats (:mod:`kg.formats`):
  SPARQL JSON, XML, CSV, TSV (and table, Markdown) for SELECT/ASK; Turtle,
  JSON-LD, N-Triples, TriG, N-Quads for CONSTRUCT/DESCRIBE;
- read-only: updates get 403 with a sentence saying so;
- every query is checked by :func:`kg.safety.check` (no SERVICE, no FROM
  outside our graphs, unless allowed) and runs in a worker process killed at
  the time limit (:mod:`kg.worker`), rows capped; the server answers other
  requests meanwhile;
- CORS ``*`` without credentials (the data is public); errors say what is
  wrong with the query, never a path or a stack trace;
- ``/`` is an HTML query page that works offline (no CDN); it shows labels
  instead of IRIs, looked up with ``POST /labels``.

The app is built by :func:`create_app`; ``kg serve`` runs it with uvicorn on
127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .errors import KgError, QueryError, QueryTimeoutError, UnsafeQueryError
from .formats import RDF_FORMATS, RESULT_FORMATS
from .safety import Policy

log = logging.getLogger("kg.serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Largest query text accepted (bytes).
MAX_QUERY_BYTES = 100_000

_SD_FORMATS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "nt": "http://www.w3.org/ns/formats/N-Triples",
    "trig": "http://www.w3.org/ns/formats/TriG",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
}
#: Media types clients send that are not the canonical ones of our tables.
_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/tsv": "tsv",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/plain": "nt",  # for triples; for rows text/plain is the table
}


@dataclass(frozen=True)
class _Choice:
    name: str
    media_type: str


def negotiate(accept: str | None, *, graph: bool, requested: str | None = None) -> _Choice:
    """Pick an output format from an Accept header (q-values honoured).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", graph=False).name
    'xml'
    >>> negotiate("*/*", graph=True).name
    'turtle'
    """
    table: dict[str, Any] = RDF_FORMATS if graph else RESULT_FORMATS
    default = "turtle" if graph else "json"
    if requested:
        key = requested.lower()
        if key in table:
            return _Choice(key, table[key].media_type)
        raise QueryError(
            f"Unknown format {requested!r} for this query; choose one of: {', '.join(table)}."
        )
    by_type = {f.media_type: name for name, f in table.items()}
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media))
    for negq, _i, media in sorted(ranked):
        if negq >= 0:
            continue
        name = by_type.get(media)
        if name is None and media in _ALIASES:
            alias = _ALIASES[media]
            if media == "text/plain" and not graph:
                alias = "table"
            name = alias if alias in table else None
        if name is None and media in ("*/*", "application/*", "text/*"):
            name = default
        if name is not None:
            return _Choice(name, table[name].media_type)
    return _Choice(default, table[default].media_type)


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def _service_description(request: Request, graph_names: list[str], fmt: _Choice) -> Response:
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    g = Graph()
    g.bind("sd", sd)
    svc = BNode()
    endpoint = str(request.url.replace(query=""))
    g.add((svc, RDF.type, sd.Service))
    g.add((svc, sd.endpoint, URIRef(endpoint)))
    g.add((svc, sd.supportedLanguage, sd.SPARQL11Query))
    g.add((svc, sd.feature, sd.UnionDefaultGraph))
    for uri in _SD_FORMATS.values():
        g.add((svc, sd.resultFormat, URIRef(uri)))
    dataset = BNode()
    g.add((svc, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    for name in graph_names:
        ng = BNode()
        g.add((dataset, sd.namedGraph, ng))
        g.add((ng, sd.name, URIRef(name)))
    g.add((svc, URIRef("http://purl.org/dc/terms/title"),
           Literal("thb-kg: the legal framework against trafficking in human beings", lang="en")))
    spec = RDF_FORMATS[fmt.name]
    body = g.serialize(format=spec.rdflib_name)
    return Response(body, media_type=fmt.media_type)


async def _read_request(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text and the other protocol parameters, from GET or POST."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if len(body) > MAX_QUERY_BYTES:
            raise QueryError(f"The request is larger than {MAX_QUERY_BYTES} bytes.")
        text = body.decode("utf-8", errors="replace")
        if ctype == "application/sparql-query":
            return text, params
        if ctype == "application/sparql-update":
            raise UnsafeQueryError("Updates are refused: this endpoint is read-only.")
        if ctype in ("application/x-www-form-urlencoded", ""):
            form = parse_qs(text, keep_blank_values=True)
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        else:
            raise QueryError(
                f"Unsupported content type {ctype!r}: send application/sparql-query or a form."
            )
    if "update" in params:
        raise UnsafeQueryError("Updates are refused: this endpoint is read-only.")
    queries = params.get("query")
    if not queries:
        return None, params
    if len(queries) > 1:
        raise QueryError("Send one query per request.")
    if len(queries[0].encode("utf-8")) > MAX_QUERY_BYTES:
        raise QueryError(f"The query is longer than {MAX_QUERY_BYTES} bytes.")
    return queries[0], params


def create_app(
    snapshot: Path | str,
    *,
    store: str | None = "pyoxigraph",
    policy: Policy | None = None,
    workers: int = 2,
) -> Starlette:
    """The endpoint app over a graph snapshot (see :func:`kg.cache.snapshot_path`)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from . import library
    from .namespaces import PREFIXES
    from .query import QueryKind, bind_text, labels, run, with_dataset
    from .worker import WorkerPool

    policy = policy or Policy()
    env = Environment(
        loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(default=True)
    )
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        pool = WorkerPool(snapshot, store, timeout=policy.timeout, size=workers,
                          max_size=max(workers * 2, 2))
        state["pool"] = pool
        try:
            await run_in_threadpool(pool.wait_ready)
            names = run(pool, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
            state["graphs"] = [str(r[0]) for r in names.rows]
            yield
        finally:
            pool.close()

    async def sparql(request: Request) -> Response:
        try:
            text, params = await _read_request(request)
            defaults = params.get("default-graph-uri") or []
            named = params.get("named-graph-uri") or []
            if text is not None and (defaults or named):
                text = with_dataset(text, defaults, named)  # the protocol's dataset wins
            formats = params.get("format") or []
            requested = formats[0] if formats else None
            if text is None:
                fmt = negotiate(request.headers.get("accept"), graph=True, requested=requested)
                return _service_description(request, state.get("graphs", []), fmt)
            pool = state["pool"]
            result = await run_in_threadpool(run, pool, text, None, policy=policy)
            fmt = negotiate(request.headers.get("accept"), graph=result.kind.gives_graph,
                            requested=requested)
            headers = {"Vary": "Accept"}
            if result.truncated:
                headers["X-Result-Truncated"] = f"cut at {policy.max_rows} rows"
            if result.kind.gives_graph:
                from .results import to_rdf

                spec_rdf = RDF_FORMATS[fmt.name]
                body = to_rdf(result, spec_rdf.rdflib_name, quads=spec_rdf.quads)
            else:
                spec = RESULT_FORMATS[fmt.name]
                names = None
                if spec.labelled and result.kind is QueryKind.SELECT:
                    nodes = [t for row in result.rows for t in row]
                    names = await run_in_threadpool(labels, pool, nodes)
                body = spec.write(result, names)
            media = fmt.media_type
            if media.startswith("text/") or media.endswith(("+json", "+xml")):
                media += "; charset=utf-8"
            return Response(body, headers=headers, media_type=media)
        except UnsafeQueryError as err:
            return _error(403, str(err))
        except QueryTimeoutError as err:
            return _error(503, str(err))
        except KgError as err:
            return _error(400, str(err))
        except Exception:  # noqa: BLE001 - never a trace or a path to the client
            log.exception("internal error")
            return _error(500, "Internal error while running the query.")

    async def page(request: Request) -> HTMLResponse:
        examples = []
        for q in library.list_queries():
            try:
                text = bind_text(q.sparql, q.bindings())
            except KgError:
                text = q.sparql
            examples.append({"name": q.name, "title": q.title, "question": q.question,
                             "sparql": text})
        html = env.get_template("serve_query.html").render(
            examples=examples,
            prefixes=PREFIXES,
            max_rows=policy.max_rows,
            timeout=policy.timeout,
        )
        return HTMLResponse(html)

    async def label_lookup(request: Request) -> Response:
        """``POST /labels`` with ``{"iris": [...]}``: a readable label for each IRI that has one."""
        from rdflib import URIRef

        from .query import valid_iri

        try:
            body = await request.body()
            if len(body) > MAX_QUERY_BYTES:
                raise QueryError(f"The request is larger than {MAX_QUERY_BYTES} bytes.")
            iris = json.loads(body or b"{}").get("iris", [])
            if not isinstance(iris, list):
                raise QueryError("Send {\"iris\": [...]}.")
            nodes = [URIRef(i) for i in iris[:2000] if isinstance(i, str) and valid_iri(i)]
            found = await run_in_threadpool(labels, state["pool"], nodes)
            return JSONResponse({str(k): v for k, v in found.items()})
        except (ValueError, AttributeError):
            return _error(400, "Send a JSON object {\"iris\": [...]}.")
        except QueryTimeoutError as err:
            return _error(503, str(err))
        except KgError as err:
            return _error(400, str(err))

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/labels", label_lookup, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=False,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["X-Result-Truncated"],
        )
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def serve(
    snapshot: Path | str,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store: str | None = "pyoxigraph",
    policy: Policy | None = None,
    workers: int = 2,
) -> None:
    """Run the endpoint with uvicorn until interrupted."""
    import uvicorn

    app = create_app(snapshot, store=store, policy=policy, workers=workers)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)

