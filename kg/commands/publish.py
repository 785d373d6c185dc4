"""``kg publish``: load the dataset into a SPARQL 1.1 server."""

from __future__ import annotations

import argparse
import sys

from . import SNAPSHOT_STORE, emit, endpoint_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish",
        help="load the dataset, named graphs intact, into a SPARQL 1.1 server (--endpoint)",
        description=(
            "Write the loaded, inferred dataset to the SPARQL 1.1 server --endpoint names: "
            "every source graph under its own name, the ontology and inferred graphs, the "
            "default graph, and the union that queries without GRAPH read, so that kg "
            "--endpoint URL query/stats/validate/viz/site answer there as they do on the "
            "files. With --store-endpoint the graphs go up with the Graph Store Protocol "
            "(PUT, then POST per batch); otherwise with SPARQL Update (DROP, then INSERT "
            "DATA per batch). Publishing again replaces what was there: one copy. A server "
            "that is down, slow or refusing is one sentence and exit code 2."
        ),
    )
    p.add_argument("--update-endpoint", metavar="URL",
                   help="the server's SPARQL Update URL (default: --endpoint, as on "
                        "Virtuoso, unless --store-endpoint is given; Oxigraph: .../update)")
    p.add_argument("--store-endpoint", metavar="URL",
                   help="the server's Graph Store Protocol URL (Oxigraph: .../store; "
                        "Virtuoso: .../sparql-graph-crud); the faster way when there is one")
    p.add_argument("--batch", type=int, metavar="N",
                   help="triples per request (default 10000)")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="time limit per request (default 300)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(handler=cmd_publish, store_default=SNAPSHOT_STORE,
                   endpoint_help="the SPARQL 1.1 server to publish to (its query URL); also "
                                 "$KG_ENDPOINT; required")


def cmd_publish(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ..errors import KgError
    from ..store.publish import DEFAULT_BATCH, PUBLISH_TIMEOUT, publish

    endpoint = endpoint_of(args)
    if endpoint is None:
        raise KgError("kg publish needs the server: --endpoint URL (or $KG_ENDPOINT), its "
                      "SPARQL query URL, e.g. http://127.0.0.1:7878/query.")
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("quads"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=args.quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("loading the graph", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        report = publish(
            endpoint,
            update_url=args.update_endpoint,
            store_url=args.store_endpoint,
            data=args.data,
            ontology=args.ontology,
            infer=not args.no_infer,
            batch=args.batch if args.batch is not None else DEFAULT_BATCH,
            timeout=args.timeout or PUBLISH_TIMEOUT,
            progress=progress,
        )
    emit(
        f"published {report.graphs} graphs ({report.quads:,} quads, and their union) to "
        f"{report.endpoint} with the {report.method} in {report.requests} requests, "
        f"{report.seconds:.1f} s"
    )
    if report.dropped:
        shown = ", ".join(report.dropped[:3]) + (", ..." if len(report.dropped) > 3 else "")
        print(f"note: removed {len(report.dropped)} graphs an earlier publish wrote that the "
              f"data no longer has ({shown})", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
