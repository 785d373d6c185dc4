"""A SPARQL 1.1 Protocol endpoint over the graph, safe by default.

Built on Starlette directly rather than on rdflib-endpoint, which runs
queries in the server process with no time limit or row cap, answers TSV
with XML, allows credentialed CORS from any origin and echoes file paths in
its errors. Here:

- ``GET``/``POST`` (form or ``application/sparql-query``) at ``/sparql``;
  without a query, a service description;
- content negotiation over the one table of formats (:mod:`kg.formats`,
  :mod:`kg.negotiation`): SPARQL JSON, XML, CSV, TSV (and table, Markdown)
  for SELECT/ASK; Turtle, JSON-LD, N-Triples, TriG, N-Quads for
  CONSTRUCT/DESCRIBE;
- read-only: updates get 403 with a sentence saying so;
- the server process never parses a query. It reads the request (the body
  bounded while it streams: 413 past :data:`MAX_QUERY_BYTES`), admits the
  client (:mod:`kg.fairness`: queries in flight and query time per minute,
  else 429 with ``Retry-After``), and hands the whole request to a worker
  process (:mod:`kg.worker`, :mod:`kg.answer`) that has no network, a
  memory cap, and is killed at the time limit. The worker checks the query
  (:mod:`kg.safety`: no SERVICE, no FROM outside our graphs, unless
  allowed), runs it, and writes the response, capped in rows and bytes;
- a query that has used 0.1 s of CPU is a long one: it runs on at the least
  CPU priority in a bounded lane, or is stopped with 503 when the lane is
  full, so long queries never starve quick ones (:mod:`kg.worker`);
- CORS ``*`` without credentials (the data is public); errors say what is
  wrong with the query, never a path or a stack trace;
- ``/`` is an HTML query page that works offline (no CDN): an editor
  with highlighting and completion, the library's questions, the query in
  the URL, downloads, a network view (``POST /network``) and the error's
  place (:mod:`kg.query_page`); it shows labels instead of IRIs, looked up
  with ``POST /labels``.

The app is built by :func:`create_app`; ``kg serve`` runs it with uvicorn on
127.0.0.1 unless told otherwise. SIGTERM stops it at once: the workers are
killed first, so no request holds the shutdown.
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from .errors import KgError, QueryError, QueryTimeoutError, UnsafeQueryError
from .fairness import ClientLimits, OverShareError
from .formats import RDF_FORMATS
from .negotiation import Choice, NotAcceptableError, negotiate  # noqa: F401 - re-exported
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
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _service_description(request: Request, graph_names: list[str], fmt: Choice) -> Response:
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


class _TooLarge(KgError):
    """A request body past the size bound (HTTP 413)."""


async def _body(request: Request) -> bytes:
    """The request body, read while it streams and refused as soon as it is too large."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_QUERY_BYTES:
        raise _TooLarge(f"The request is larger than {MAX_QUERY_BYTES} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise _TooLarge(f"The request is larger than {MAX_QUERY_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _charset(options: str) -> str | None:
    """The ``charset`` parameter of a Content-Type's parameters, lower case, if given."""
    for option in options.split(";"):
        name, _, value = option.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _read_request(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text and the other protocol parameters, from GET or POST."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        ctype, _, options = request.headers.get("content-type", "").partition(";")
        ctype = ctype.strip().lower()
        if ctype == "application/sparql-update":
            raise UnsafeQueryError("Updates are refused: the graph is read-only here.")
        if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            raise QueryError(
                f"Unsupported content type {ctype!r}: send application/sparql-query or a form."
                if ctype else "A POST needs a Content-Type: application/sparql-query, or "
                "application/x-www-form-urlencoded for a form (the SPARQL Protocol's two)."
            )
        charset = _charset(options)
        if charset not in (None, "utf-8", "utf8"):  # the Protocol's query bodies are UTF-8
            raise QueryError(f"Send the query in UTF-8, not {charset}.")
        text = (await _body(request)).decode("utf-8", errors="replace")
        if ctype == "application/sparql-query":
            if "update" in params:
                raise UnsafeQueryError("Updates are refused: the graph is read-only here.")
            return text, params
        form = parse_qs(text, keep_blank_values=True)
        for k, v in form.items():
            params.setdefault(k, []).extend(v)
    if "update" in params:
        raise UnsafeQueryError("Updates are refused: the graph is read-only here.")
    queries = params.get("query")
    if not queries:
        return None, params
    if len(queries) > 1:
        raise QueryError("Send one query per request.")
    if len(queries[0].encode("utf-8")) > MAX_QUERY_BYTES:
        raise _TooLarge(f"The query is longer than {MAX_QUERY_BYTES} bytes.")
    return queries[0], params


def create_app(
    snapshot: Path | str,
    *,
    store: str | None = "pyoxigraph",
    policy: Policy | None = None,
    workers: int = 2,
    max_workers: int | None = None,
    limits: ClientLimits | None = None,
    site: Path | str | None = None,
) -> Starlette:
    """The endpoint app over a graph snapshot (see :func:`kg.cache.snapshot_path`).

    ``workers`` are kept ready; up to ``max_workers`` (default ``4 * workers``,
    at least 8) run at once. ``limits`` is each client's share. ``site``, a
    folder written by ``kg site``, is served at ``/site/`` (:mod:`kg.lod.routes`).
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    from . import library
    from .answer import Job, ResultTooLargeError
    from .namespaces import PREFIXES
    from .query import bind_text, labels, run
    from .worker import ServerBusyError, WorkerCrashError, WorkerPool

    policy = policy or Policy()
    limits = limits or ClientLimits()
    env = Environment(
        loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(default=True)
    )
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        pool = WorkerPool(snapshot, store, timeout=policy.timeout, size=workers,
                          max_size=max_workers or max(workers * 4, 8),
                          network=policy.network, max_memory=policy.max_memory)
        state["pool"] = pool
        app.state.pool = pool
        try:
            await run_in_threadpool(pool.wait_ready)
            names = await run_in_threadpool(
                run, pool, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
                policy=None,
            )
            state["graphs"] = [str(r[0]) for r in names.rows]
            # FROM and default-graph-uri may name any graph the dataset holds, not only ours
            state["policy"] = replace(policy, graphs=frozenset(state["graphs"]))
            yield
        finally:
            pool.close()

    def client_of(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    async def sparql(request: Request) -> Response:
        return await answer_request(request)

    async def network_view(request: Request) -> Response:
        """``POST /network``: the query page's network view of a result."""
        return await answer_request(request, network=True)

    async def answer_request(request: Request, *, network: bool = False) -> Response:
        ticket = None
        try:
            text, params = await _read_request(request)
            formats = params.get("format") or []
            requested = formats[0] if formats else None
            if text is None and network:
                raise QueryError("Send a query to draw.")
            if text is None:
                fmt = negotiate(request.headers.get("accept"), graph=True, requested=requested)
                return _service_description(request, state.get("graphs", []), fmt)
            ticket = limits.admit(client_of(request))
            job = Job(
                text,
                defaults=tuple(params.get("default-graph-uri") or ()),
                named=tuple(params.get("named-graph-uri") or ()),
                policy=state.get("policy", policy),
                render=True,
                accept=request.headers.get("accept"),
                requested=requested,
                network=network,
                base=str(request.url.replace(query="", fragment="")),
            )
            timing: list[float] = []
            try:
                done = await run_in_threadpool(state["pool"].submit, job, timing=timing)
            finally:
                limits.done(ticket, elapsed=sum(timing))
                ticket = None
            headers = {"Vary": "Accept"}
            if done.truncated:
                headers["X-Result-Truncated"] = f"cut at {policy.max_rows} rows"
            return Response(done.body, headers=headers, media_type=done.media_type)
        except OverShareError as err:
            return _error(429, str(err), {"Retry-After": str(err.retry_after)})
        except _TooLarge as err:
            return _error(413, str(err))
        except NotAcceptableError as err:
            return _error(406, str(err))
        except UnsafeQueryError as err:
            return _error(403, str(err))
        except ServerBusyError as err:
            return _error(503, str(err), {"Retry-After": "5"})
        except QueryTimeoutError as err:
            return _error(503, str(err), {"Retry-After": "1"})
        except (ResultTooLargeError, WorkerCrashError) as err:
            return _error(400, str(err))
        except KgError as err:
            return _error(400, str(err))
        except Exception:  # noqa: BLE001 - never a trace or a path to the client
            log.exception("internal error")
            return _error(500, "Internal error while running the query.")
        finally:
            if ticket is not None:
                limits.done(ticket)

    async def page(request: Request) -> HTMLResponse:
        from . import query_page

        if "examples" not in state:
            state["examples"] = query_page.example_list(library.list_queries(), bind_text)
        query = request.query_params.get("query")
        shown = query_page.render(
            env,
            examples=state["examples"],
            prefixes=PREFIXES,
            max_rows=policy.max_rows,
            timeout=policy.timeout,
            query=query if query is None or len(query) <= MAX_QUERY_BYTES else None,
            run=request.query_params.get("run") == "1",
        )
        return HTMLResponse(shown.html, headers={"Content-Security-Policy": shown.csp})

    async def label_lookup(request: Request) -> Response:
        """``POST /labels`` with ``{"iris": [...]}``: a readable label for each IRI that has one."""
        from rdflib import URIRef

        from .query import valid_iri

        ticket = None
        try:
            body = await _body(request)
            try:
                data = json.loads(body or b"{}")
            except RecursionError:
                raise QueryError("Send a flat JSON object {\"iris\": [...]}.") from None
            iris = data.get("iris", []) if isinstance(data, dict) else None
            if not isinstance(iris, list):
                raise QueryError("Send {\"iris\": [...]}.")
            nodes = [URIRef(i) for i in iris[:2000] if isinstance(i, str) and valid_iri(i)]
            ticket = limits.admit(client_of(request))
            found = await run_in_threadpool(labels, state["pool"], nodes)
            return JSONResponse({str(k): v for k, v in found.items()})
        except OverShareError as err:
            return _error(429, str(err), {"Retry-After": str(err.retry_after)})
        except _TooLarge as err:
            return _error(413, str(err))
        except (ValueError, AttributeError):
            return _error(400, "Send a JSON object {\"iris\": [...]}.")
        except QueryTimeoutError as err:
            return _error(503, str(err), {"Retry-After": "1"})
        except KgError as err:
            return _error(400, str(err))
        finally:
            if ticket is not None:
                limits.done(ticket)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    routes: list[BaseRoute] = [
        Route("/", page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/network", network_view, methods=["POST"]),
        Route("/labels", label_lookup, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
    ]
    from .lod.routes import lod_routes  # Linked Data: /id, /doc, /graph, /ontology, void

    routes += lod_routes(state, limits=limits, snapshot=Path(snapshot), max_rows=policy.max_rows,
                         site=Path(site) if site else None)
    middleware = [
        Middleware(GZipMiddleware, minimum_size=1024),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=False,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["X-Result-Truncated", "Retry-After"],
        )
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


#: Seconds uvicorn waits for open requests after SIGTERM (the workers are already gone).
SHUTDOWN_GRACE = 1


def serve(
    snapshot: Path | str,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store: str | None = "pyoxigraph",
    policy: Policy | None = None,
    workers: int = 2,
    max_workers: int | None = None,
    limits: ClientLimits | None = None,
    site: Path | str | None = None,
) -> None:
    """Run the endpoint with uvicorn until SIGINT or SIGTERM."""
    import uvicorn

    app = create_app(snapshot, store=store, policy=policy, workers=workers,
                     max_workers=max_workers, limits=limits, site=site)

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            pool = getattr(app.state, "pool", None)
            if pool is not None:  # kill the workers first: no request waits on one
                pool.close()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            server_header=False, timeout_graceful_shutdown=SHUTDOWN_GRACE)
    _Server(config).run()
