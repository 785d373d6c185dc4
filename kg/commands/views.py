"""``kg viz`` and ``kg site``: the interactive network views and the static site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import LOAD_STORE, emit, endpoint_of, load_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "viz",
        help="write an interactive network view as one offline HTML file",
        description=(
            "Draw the graph (or part of it) as one self-contained HTML page: vis-network and "
            "every asset are inlined, so it opens from disk with no network at all. Nodes are "
            "coloured and shaped by class; click one for its facts and their sources; search, "
            "filter by class, relation and source; drag the year slider to see what was in "
            "force or true then; download the picture as PNG. Unconfirmed claims are dashed."
        ),
    )
    p.add_argument("--out", "-o", required=True, metavar="FILE.html", help="page to write")
    p.add_argument(
        "--focus",
        metavar="ENTITY",
        help="only this entity's neighbourhood: an IRI, a CURIE (id:body/europol) or a label",
    )
    p.add_argument(
        "--depth",
        type=int,
        default=1,
        metavar="N",
        help="with --focus: how many steps out from the entity (default 1)",
    )
    p.add_argument(
        "--query",
        metavar="FILE.rq",
        help="draw the result of a CONSTRUCT, or of a SELECT with ?source ?relation ?target",
    )
    p.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="with --query: bind ?NAME to VALUE (as kg query does); repeatable",
    )
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="only what was in force or true on that date"
    )
    p.add_argument(
        "--source",
        metavar="GRAPH",
        help="only one source's claims: its graph IRI, CURIE (graph:ip-10-1715) or slug",
    )
    p.add_argument(
        "--keep-qualified",
        action="store_true",
        help="draw qualified facts (memberships, participations...) as small nodes, "
        "not as labelled edges",
    )
    p.add_argument(
        "--edges",
        action="append",
        metavar="PREDICATE",
        help="only these predicates become edges (CURIE or IRI; repeatable)",
    )
    p.add_argument("--inferred", action="store_true", help="also draw the inferred inverses")
    p.add_argument("--title", metavar="TEXT", help="the page's heading")
    p.add_argument(
        "--overview",
        action="store_true",
        help="open on the instruments, bodies and campaigns, one column per legal order "
        "(the whole graph one click away)",
    )
    p.set_defaults(handler=cmd_viz, store_default=LOAD_STORE)

    p = sub.add_parser(
        "site",
        help="build the static site: overview, a page per entity, timeline, questions, data",
        description=(
            "Write a static site into DIR that opens from disk or can be published: an overview "
            "network; a page per instrument, body, person, campaign, report (its neighbourhood, "
            "facts with sources, links to EUR-Lex and the UN); a timeline; the question library "
            "with each query's SPARQL and result; the ontology with its instances; downloads "
            "(TriG, N-Quads, JSON-LD, GraphML, GEXF). DIR must be new, empty or a site kg site "
            "wrote before; it is replaced only once the new site is complete."
        ),
    )
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="folder to write the site to")
    p.add_argument(
        "--max-pages",
        type=int,
        default=None,
        metavar="N",
        help="at most N entity pages (default 5000; 0: no limit): past that, the pages of the "
        "N best-connected entities, the others named without a link, and a note saying so",
    )
    p.add_argument(
        "--max-quads",
        type=int,
        default=None,
        metavar="N",
        help="refuse, in one sentence and before loading, a graph of more than N quads "
        "(default 250000; 0: no limit): the site is built from the whole graph in memory",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    p.set_defaults(handler=cmd_site, store_default=LOAD_STORE)


#: kg site refuses larger graphs unless --max-quads says otherwise: it draws every entity
#: from the whole graph in rdflib and networkx, about 4 minutes of CPU and 1 GB of memory
#: at 100k quads of generated data, and at 1M quads it had not finished loading after 12 min
#: (benchmarks/README.md, "Scale").
DEFAULT_MAX_QUADS = 250_000


def _quads_of(args: argparse.Namespace) -> int:
    """The statements of the local graph, the total ``kg stats`` prints, counted by the
    build of the on-disk store (cached; 0.4 s for the shipped graph) without loading the
    graph into rdflib."""
    from ..stats import from_counts
    from ..store.disk import meta, store_path

    path = store_path(args.data, args.ontology, infer=not args.no_infer)
    return from_counts(meta(path)).total_triples


def _refuse_past_max_quads(args: argparse.Namespace) -> None:
    """One sentence, before anything is loaded or written, for a graph past --max-quads."""
    from ..errors import KgError

    limit = DEFAULT_MAX_QUADS if args.max_quads is None else args.max_quads
    if limit < 0:
        raise KgError("--max-quads must be 0 (no limit) or more.")
    if limit == 0 or endpoint_of(args) is not None:  # a server's dataset: fetch's own cap
        return
    quads = _quads_of(args)
    if quads > limit:
        raise KgError(
            f"kg site builds the site from the whole graph in memory, and this graph has "
            f"{quads:,} quads, more than --max-quads {limit:,} (about 4 minutes of CPU and "
            "1 GB per 100,000 quads): use kg viz --focus or kg serve for a graph this size, "
            "or pass --max-quads 0 to build the site anyway."
        )


def cmd_viz(args: argparse.Namespace) -> int:
    from ..view import viz

    if args.depth < 0:
        from ..errors import KgError

        raise KgError("--depth must be 0 or more.")
    query = None
    if args.query:
        from ..errors import KgError

        try:
            query = Path(args.query).read_text(encoding="utf-8")
        except OSError as exc:
            raise KgError(f"Cannot read the query file {args.query}: {exc.strerror}.") from None
        except UnicodeDecodeError as exc:
            raise KgError(
                f"The query file {args.query} is not UTF-8 text (byte {exc.start}); "
                "save it as UTF-8."
            ) from None
    view = _focused_view(args) if query is None else None
    if view is None:
        view = viz(
            load_from_args(args),
            focus=args.focus,
            depth=args.depth,
            query=query,
            params=args.param,
            as_of=args.as_of,
            source=args.source,
            keep_qualified=args.keep_qualified,
            edges=args.edges,
            include_inferred=args.inferred,
            title=args.title,
            overview=args.overview,
        )
    size = view.write(args.out)
    print(
        f"wrote {args.out} ({view.nodes} nodes, {view.edges} relations, {size} bytes)",
        file=sys.stderr,
    )
    return 0


#: The stores that are Oxigraph: with one of them, ``--focus`` reads only the neighbourhood.
_OXIGRAPH_STORES = ("oxigraph", "pyoxigraph", "oxigraph-disk")


def _focused_view(args: argparse.Namespace) -> Any:
    """The page of ``--focus`` built from its neighbourhood alone (kg/network/store_focus.py),
    when the graph is in an Oxigraph store: ``--store`` oxigraph, pyoxigraph or oxigraph-disk,
    or data large enough that kg keeps it in the on-disk store. None otherwise (no focus,
    a --source, a server, the memory store on small data, a name that is not certain
    in the store: see ``store_focus._by_label``): then the whole graph is loaded as
    before. The page is the same either way."""

    import os

    from ..stores import STORE_ENV
    from . import endpoint_of, store_name

    if not args.focus or args.source or endpoint_of(args) is not None:
        return None
    from ..store import uses_disk

    store = store_name(args)
    chosen = bool(getattr(args, "store", None) or os.environ.get(STORE_ENV))
    if store not in _OXIGRAPH_STORES and not uses_disk(store, args.data, chosen=chosen):
        return None
    from ..network import Qualified
    from ..network.store_focus import focused_network
    from ..store import open_engine
    from ..view import render

    engine = open_engine(
        args.data, args.ontology, infer=not args.no_infer,
        store=store if store == "oxigraph-disk" else "pyoxigraph",
    )
    G = focused_network(
        engine, args.focus, args.depth, as_of=args.as_of,
        qualified=Qualified.KEEP if args.keep_qualified else Qualified.COLLAPSE,
        predicates=args.edges, include_inferred=args.inferred,
    )
    return None if G is None else render(G, title=args.title, overview=args.overview)


def cmd_site(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..site import build_site
    from ..site.build import DEFAULT_MAX_PAGES

    if args.max_pages is not None and args.max_pages < 0:
        from ..errors import KgError

        raise KgError("--max-pages must be 0 (no limit) or more.")
    max_pages = DEFAULT_MAX_PAGES if args.max_pages is None else args.max_pages
    _refuse_past_max_quads(args)
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=args.quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("loading the graph", total=None)
        kg = load_from_args(args)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        report = build_site(kg, args.out, progress=progress, max_pages=max_pages)
    emit(
        f"wrote {report.pages} pages ({report.entities} entities, {report.queries} questions, "
        f"{len(report.downloads)} downloads; {report.bytes:,} bytes) to {report.out} "
        f"in {report.seconds:.1f} s\nopen {Path(report.out) / 'index.html'}"
    )
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
