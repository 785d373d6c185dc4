"""The endpoint's Linked Data routes: every IRI of ours answers.

* ``/id/...`` (an entity, a thing) answers ``303 See Other`` to
  ``/doc/...``, the document about it (W3C, Cool URIs for the Semantic Web);
* ``/doc/...``, ``/graph/...`` (a source graph), ``/ontology`` (each term is
  a fragment of it: ``/ontology#Campaign``) and ``/.well-known/void`` answer
  in HTML or an RDF format, chosen by ``?format=``, a file suffix
  (``/doc/body/unodc.ttl``) or the Accept header (:mod:`kg.lod.conneg`),
  with ``Vary: Accept``, ``Content-Location`` and a ``Link`` header for
  each other format; 406 with the list of types when none fits.

Hardening as for ``/sparql``: the statements are looked up by fixed
queries with the IRI bound as a parameter, in the worker pool (time limit,
no network) and under the client's share (:mod:`kg.fairness`); a document
is capped at :data:`kg.lod.documents.MAX_STATEMENTS` rows; the HTML is a
Jinja template with autoescape; only GET and HEAD are routed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import URIRef
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from ..errors import KgError, QueryTimeoutError
from ..fairness import ClientLimits, OverShareError
from ..formats import RDF_FORMATS
from . import PUBLIC_BASE
from .conneg import BY_SUFFIX, FORMATS, HTML, Format, NotAcceptable, UnknownFormat, choose
from .documents import MAX_STATEMENTS, Document, rows_for_html, serialize, to_dataset

log = logging.getLogger("kg.lod")

_FORMAT_LABELS = {"html": "HTML", "turtle": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples",
                  "trig": "TriG", "nquads": "N-Quads", "xml": "RDF/XML"}


def _split_suffix(path: str) -> tuple[str, str | None]:
    """``body/unodc.ttl`` -> (``body/unodc``, ``ttl``); no known suffix -> (path, None)."""
    for suffix in BY_SUFFIX:
        if path.endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)], suffix
    return path, None


def _media(fmt: Format) -> str:
    m = fmt.media_type
    return m + "; charset=utf-8" if m.startswith("text/") or m.endswith(("+json", "+xml")) else m


def _wants_html(request: Request, requested: str | None) -> bool:
    try:
        return choose(request.headers.get("accept"), requested=requested).name == HTML
    except (NotAcceptable, UnknownFormat):
        return False


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _local(root: str, iri: str) -> str | None:
    """Our IRI as a link on this server (``https://w3id.org/thb-kg/id/x`` -> ``/id/x``)."""
    if iri.startswith(PUBLIC_BASE):
        return root + iri[len(PUBLIC_BASE):]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def lod_routes(state: dict[str, Any], *, limits: ClientLimits, snapshot: Path | None = None,
               max_rows: int | None = None, site: Path | None = None) -> list[BaseRoute]:
    """The routes, reading the worker pool from ``state["pool"]`` at request time.

    ``snapshot``, the endpoint's N-Quads snapshot, is the dump at
    ``/data/thb-kg.nq`` (the ``void:dataDump``). A document holds at most
    ``max_rows`` statements (the endpoint's row cap; ``X-Result-Truncated``
    says when it was cut). ``site``, a folder written by ``kg site``, is
    served at ``/site/``, and an entity's HTML answer is its page there.
    """
    from ..site import page_path

    cap = min(max_rows, MAX_STATEMENTS) if max_rows else MAX_STATEMENTS
    from jinja2 import Environment, PackageLoader, select_autoescape

    from ..query import labels, valid_iri
    from .documents import entity_document, graph_document, source_descriptions

    env = Environment(
        loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(default=True)
    )
    cache: dict[str, Any] = {}
    lock = asyncio.Lock()

    def sources() -> Any:
        if "sources" not in cache:
            cache["sources"] = source_descriptions(state["pool"])
        return cache["sources"]

    def client_of(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def html(request: Request, doc: Document, alternates: list[dict[str, str]]) -> bytes:
        root = str(request.base_url)
        nodes = {t for q in doc.quads for t in q if t is not None} | set(doc.sources)
        names = labels(state["pool"], nodes)

        def label(node: Any) -> str:
            return names.get(node) or str(node)

        groups = []
        for group in rows_for_html(doc):
            rows = [{
                "p": str(p), "p_label": label(p), "o_label": label(o),
                "o_href": _local(root, str(o)) if isinstance(o, URIRef) else None,
                "g_label": label(g) if g is not None else "",
                "g_href": _local(root, str(g)) if g is not None else None,
            } for p, o, g in group["rows"]]
            groups.append({**group, "label": label(group["subject"]),
                           "href": _local(root, str(group["subject"])), "rows": rows})
        srcs = []
        for g, pairs in sorted(doc.sources.items(), key=lambda kv: label(kv[0])):
            derived = next((str(o) for p, o in pairs if str(p).endswith("wasDerivedFrom")), None)
            srcs.append({"href": _local(root, str(g)), "label": label(g),
                         "derived": derived if derived and derived.startswith("http") else None})
        page = env.get_template("lod_document.html").render(
            title=label(doc.topic), topic=str(doc.topic),
            topic_href=_local(root, str(doc.topic)), root=root, groups=groups,
            alternates=alternates, sources=srcs, truncated=doc.truncated, count=len(doc.quads),
        )
        return page.encode("utf-8")

    async def answer(request: Request, url: str, lookup: Callable[[], Document],
                     requested: str | None) -> Response:
        """Negotiate, look the document up in the pool, and write it."""
        ticket = None
        try:
            fmt = choose(request.headers.get("accept"), requested=requested)
            ticket = limits.admit(client_of(request))
            doc = await run_in_threadpool(lookup)
            if not doc:
                return _error(404, "Nothing is known about this IRI here.")
            alternates = [{"name": f.name, "media_type": f.media_type, "href": url + f.suffix,
                           "label": _FORMAT_LABELS.get(f.name, f.name)} for f in FORMATS.values()]
            if fmt.name == HTML:
                body = await run_in_threadpool(html, request, doc, alternates)
            else:
                ds = to_dataset(doc, url, {a["name"]: a["href"] for a in alternates})
                body = await run_in_threadpool(serialize, ds, RDF_FORMATS[fmt.name])
            headers = {
                "Vary": "Accept",
                "Content-Location": url + fmt.suffix,
                "Link": ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["media_type"]}"'
                                  for a in alternates if a["name"] != fmt.name),
            }
            if doc.truncated:
                headers["X-Result-Truncated"] = f"cut at {len(doc.quads)} statements"
            return Response(body, media_type=_media(fmt), headers=headers)
        except NotAcceptable as err:
            return _error(406, str(err), {"Vary": "Accept"})
        except UnknownFormat as err:
            return _error(400, str(err))
        except OverShareError as err:
            return _error(429, str(err), {"Retry-After": str(err.retry_after)})
        except QueryTimeoutError as err:
            return _error(503, str(err), {"Retry-After": "1"})
        except KgError as err:
            return _error(500, f"This document cannot be written: {err}")
        except Exception:  # noqa: BLE001 - never a trace or a path to the client
            log.exception("internal error")
            return _error(500, "Internal error while writing the document.")
        finally:
            if ticket is not None:
                limits.done(ticket)

    def requested_of(request: Request, suffix: str | None) -> str | None:
        given = request.query_params.get("format")
        return given or (suffix.lstrip(".") if suffix else None)

    async def thing(request: Request) -> Response:
        rest = request.path_params["rest"]
        target = str(request.base_url) + "doc/" + rest
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(target, status_code=303)

    async def doc(request: Request) -> Response:
        rest, suffix = _split_suffix(request.path_params["rest"])
        iri = PUBLIC_BASE + "id/" + rest
        if not valid_iri(iri):
            return _error(404, "Nothing is known about this IRI here.")
        url = str(request.base_url) + "doc/" + rest
        requested = requested_of(request, suffix)
        if site is not None:  # the site's own page is the HTML answer
            page = page_path(iri)
            if _wants_html(request, requested) and (site / page).is_file():
                return RedirectResponse(str(request.base_url) + "site/" + page, status_code=303,
                                        headers={"Vary": "Accept"})
        return await answer(
            request, url, lambda: entity_document(state["pool"], iri, sources(), max_rows=cap),
            requested)

    async def graph(request: Request) -> Response:
        rest, suffix = _split_suffix(request.path_params["rest"])
        iri = PUBLIC_BASE + "graph/" + rest
        if not valid_iri(iri):
            return _error(404, "Nothing is known about this IRI here.")
        url = str(request.base_url) + "graph/" + rest
        return await answer(
            request, url, lambda: graph_document(state["pool"], iri, sources(), max_rows=cap),
            requested_of(request, suffix))

    async def ontology(request: Request) -> Response:
        suffix = request.path_params.get("suffix")
        if suffix is not None and "." + suffix not in BY_SUFFIX:
            return _error(404, "Nothing is known about this IRI here.")
        url = str(request.base_url) + "ontology"
        requested = requested_of(request, "." + suffix if suffix else None)
        if site is not None and (site / "ontology.html").is_file():
            if _wants_html(request, requested):  # a browser keeps the #fragment across it
                return RedirectResponse(str(request.base_url) + "site/ontology.html",
                                        status_code=303, headers={"Vary": "Accept"})
        return await answer(
            request, url,
            lambda: graph_document(state["pool"], "", sources(), kind="ontology", max_rows=cap),
            requested,
        )

    async def void(request: Request) -> Response:
        from .void import describe

        suffix = request.path_params.get("suffix")
        if suffix is not None and "." + suffix not in BY_SUFFIX:
            return _error(404, "Nothing is known about this IRI here.")
        ticket = None
        try:
            fmt = choose(request.headers.get("accept"), requested=request.query_params.get(
                "format") or suffix)
            if fmt.name == HTML:  # the description is data: Turtle is its readable form
                fmt = FORMATS["turtle"]
            if "void" not in cache:
                ticket = limits.admit(client_of(request))
                cache["void"] = await run_in_threadpool(describe, state["pool"])
            key = "void." + fmt.name
            if key not in cache:  # written once per format: rdflib's writers add prefixes
                async with lock:  # to the graph they write, so it is never written twice at once
                    cache[key] = await run_in_threadpool(
                        serialize, cache["void"], RDF_FORMATS[fmt.name])
            body = cache[key]
            return Response(body, media_type=_media(fmt), headers={"Vary": "Accept"})
        except NotAcceptable as err:
            return _error(406, str(err), {"Vary": "Accept"})
        except UnknownFormat as err:
            return _error(400, str(err))
        except OverShareError as err:
            return _error(429, str(err), {"Retry-After": str(err.retry_after)})
        except KgError as err:
            return _error(503, str(err), {"Retry-After": "1"})
        finally:
            if ticket is not None:
                limits.done(ticket)

    async def dump(request: Request) -> Response:
        if snapshot is None or snapshot.suffix != ".nq" or not snapshot.is_file():
            return _error(404, "This endpoint has no N-Quads dump; the static site has one.")
        return FileResponse(snapshot, media_type="application/n-quads",
                            filename="thb-kg.nq", content_disposition_type="inline")

    routes: list[BaseRoute] = []
    if site is not None:
        from starlette.staticfiles import StaticFiles

        routes.append(Mount("/site", app=StaticFiles(directory=site, html=True), name="site"))
    return routes + [
        Route("/data/thb-kg.nq", dump, methods=["GET"]),
        Route("/id/{rest:path}", thing, methods=["GET"]),
        Route("/doc/{rest:path}", doc, methods=["GET"]),
        Route("/graph/{rest:path}", graph, methods=["GET"]),
        Route("/ontology", ontology, methods=["GET"]),
        Route("/ontology.{suffix}", ontology, methods=["GET"]),
        Route("/.well-known/void", void, methods=["GET"]),
        Route("/.well-known/void.{suffix}", void, methods=["GET"]),
    ]
