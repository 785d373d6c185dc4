"""``kg serve``: the SPARQL endpoint and its query page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import SNAPSHOT_STORE

#: Same as kg.serve.DEFAULT_HOST/DEFAULT_PORT (tests/test_serve.py checks); importing
#: kg.serve here would load Starlette and rdflib's SPARQL parser for every kg command.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve a read-only SPARQL endpoint at /sparql and a query page at /",
        description=(
            "Serve the graph as a SPARQL 1.1 Protocol endpoint (GET and POST at /sparql, "
            "content negotiation, a service description, CORS for browsers) with an HTML "
            "query page at /. Safe by default: read-only; each query is checked, run and "
            "written out in a worker process with no network, a memory cap, and a time limit "
            "(then SIGKILL); results are capped in rows and bytes; SERVICE and FROM outside "
            "our graphs are refused unless allowed; each client gets a share (429 past it); "
            "and it listens on 127.0.0.1 only."
        ),
    )
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for all)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="time limit per query (default 10)")
    p.add_argument("--max-rows", type=int, metavar="N", help="cap on result rows (default 10000)")
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="query worker processes kept ready (default 2)")
    p.add_argument("--max-workers", type=int, metavar="N",
                   help="most query workers at once (default 4 x --workers, at least 8)")
    p.add_argument("--max-memory", type=int, metavar="MIB",
                   help="address-space cap of each query worker, in MiB (default 2048)")
    p.add_argument("--max-bytes", type=int, metavar="MIB",
                   help="cap on the size of one response, in MiB (default 16)")
    p.add_argument("--client-queries", type=int, metavar="N",
                   help="queries one client may have running at once (default 4; more get "
                        "429)")
    p.add_argument("--client-budget", type=float, metavar="SECONDS",
                   help="seconds of query time one client may use per minute (default 60; "
                        "more get 429 with Retry-After)")
    p.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                   help="an IRI (or prefix ending in / or #) that SERVICE and FROM may name; "
                        "repeatable")
    p.add_argument("--site", metavar="DIR",
                   help="a folder written by `kg site`: served at /site/, and an entity's "
                        "HTML answer (/id/..., /doc/...) is its page there")
    p.set_defaults(handler=cmd_serve, store_default=SNAPSHOT_STORE)


#: The packages of the ``serve`` extra (what kg/serve.py imports); pyproject.toml lists them.
SERVE_EXTRA = ("starlette", "uvicorn")


def _require_serve_extra() -> None:
    """Refuse, in one sentence, when a package of the ``serve`` extra is missing."""
    import importlib.util

    from ..errors import KgError

    missing = [name for name in SERVE_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise KgError(
            f"kg serve needs {' and '.join(missing)}, which are not installed: "
            "pip install 'thb-kg[serve]'."
        )


def cmd_serve(args: argparse.Namespace) -> int:
    from . import endpoint_of

    endpoint = endpoint_of(args)
    if endpoint is not None:
        from ..errors import KgError

        raise KgError(f"kg serve serves the local files, not {endpoint}: that server is a "
                      "SPARQL endpoint already; drop --endpoint (or unset $KG_ENDPOINT).")
    _require_serve_extra()
    from ..fairness import DEFAULT_BUDGET, DEFAULT_MAX_IN_FLIGHT, ClientLimits
    from ..safety import (
        DEFAULT_MAX_BYTES,
        DEFAULT_MAX_MEMORY,
        DEFAULT_MAX_ROWS,
        DEFAULT_TIMEOUT,
        Policy,
    )
    from ..serve import serve
    from ..store import artefact_path
    from ..stores import resolve_store
    from .query import _store_name

    store = resolve_store(_store_name(args)).name
    mib = 1024 * 1024
    policy = Policy(
        allow=frozenset(args.allow_service),
        max_rows=args.max_rows or DEFAULT_MAX_ROWS,
        timeout=args.timeout or DEFAULT_TIMEOUT,
        max_bytes=args.max_bytes * mib if args.max_bytes else DEFAULT_MAX_BYTES,
        max_memory=args.max_memory * mib if args.max_memory else DEFAULT_MAX_MEMORY,
    )
    limits = ClientLimits(
        max_in_flight=args.client_queries or DEFAULT_MAX_IN_FLIGHT,
        budget=args.client_budget or DEFAULT_BUDGET,
    )
    if args.site is not None:
        from ..errors import KgError
        from ..site import MARKER

        if not (Path(args.site) / MARKER).is_file():
            raise KgError(f"{args.site} is not a folder written by `kg site` (it has no {MARKER}); "
                          f"write one with: kg site --out {args.site}")
    path = artefact_path(args.data, args.ontology, infer=not args.no_infer, store=store)
    network = (
        f"SERVICE may reach {', '.join(sorted(policy.allow))}" if policy.allow
        else "no network for queries"
    )
    print(
        f"thb-kg SPARQL endpoint: http://{args.host}:{args.port}/sparql "
        f"(query page http://{args.host}:{args.port}/; store {store}; "
        f"time limit {policy.timeout:g} s, {policy.max_rows} rows; {network}). "
        "Ctrl-C stops it.",
        file=sys.stderr,
    )
    serve(path, host=args.host, port=args.port, store=store, policy=policy,
          workers=args.workers, max_workers=args.max_workers, limits=limits, site=args.site)
    return 0
