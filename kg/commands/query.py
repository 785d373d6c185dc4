"""``kg query``, ``kg queries``, ``kg prefixes``: SPARQL from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import SNAPSHOT_STORE, emit, endpoint_of, store_name

_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _add_limits(p: argparse.ArgumentParser, *, safe_flag: bool) -> None:
    if safe_flag:
        mode = p.add_mutually_exclusive_group()
        mode.add_argument(
            "--safe", action="store_true",
            help="apply the endpoint's limits too: a time limit (default 10 s), a row cap "
                 "(default 10000), a result size cap, a memory cap, and rdflib's full parse "
                 "as a second check",
        )
        mode.add_argument(
            "--unsafe", action="store_true",
            help="run the query as written, in this process, with no check and no sandbox "
                 "(SERVICE may reach the network); only for queries you trust",
        )
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="time limit per query (default: none; 10 with --safe)")
    p.add_argument("--max-rows", type=int, metavar="N",
                   help="cap on result rows (default: none; 10000 with --safe)")
    p.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                   help="an IRI (or prefix ending in / or #) that SERVICE and FROM may name; "
                        "repeatable; the query then runs with network access")


def register(sub: argparse._SubParsersAction) -> None:
    from ..formats import RDF_FORMATS, RESULT_FORMATS

    p = sub.add_parser(
        "query",
        help="run a SPARQL query: inline, from a .rq file, or a library query by name",
        description=(
            "Run a SPARQL query on the graph. QUERY is the query text, a .rq file, '-' for "
            "standard input, or the name of a library query (kg queries lists them). The "
            "standard prefixes are predeclared (kg prefixes). The query runs on a cached "
            "snapshot of the loaded, inferred graph (rebuilt when a data file changes), by "
            "default with Oxigraph directly (the pyoxigraph store), which makes a new "
            "process answer in a fraction of a second; --store memory|oxigraph picks "
            "another engine, with the same answers. Safe by default: updates, LOAD and "
            "SERVICE are refused, and the query runs in a child process with no network "
            "(Ctrl-C stops it; --unsafe runs it as written, in this process). Errors (syntax "
            "with line and column, unknown prefix, unknown library name) exit with code 2."
        ),
    )
    p.add_argument("query", metavar="QUERY", help="SPARQL text, a .rq file, '-', or a library name")
    p.add_argument(
        "--format", "-f", metavar="FORMAT",
        help="SELECT/ASK: " + ", ".join(RESULT_FORMATS) + " (default table); "
             "CONSTRUCT/DESCRIBE: " + ", ".join(RDF_FORMATS) + " (default turtle)",
    )
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE: a date (2011-04-15), an IRI (<...> or http...), "
                        "a CURIE (id:body/unodc), a number, or a literal (\"...\"@en); repeatable")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="bind ?asOf (point-in-time queries)")
    p.add_argument("--out", "-o", metavar="FILE",
                   help="write to FILE atomically instead of standard output")
    _add_limits(p, safe_flag=True)
    p.set_defaults(handler=cmd_query, store_default=SNAPSHOT_STORE)

    p = sub.add_parser(
        "queries",
        help="list the question library; 'kg queries show NAME' prints one query",
        description=(
            "List the library queries (name and title), one per question our users ask. "
            "'kg queries show NAME' prints a query with its question, parameters and SPARQL; "
            "run it with 'kg query NAME'."
        ),
    )
    qsub = p.add_subparsers(dest="queries_command", metavar="show")
    show = qsub.add_parser("show", help="print one library query with its description",
                           description="Print a library query: title, question, parameters "
                                       "with defaults, description and the SPARQL text.")
    show.add_argument("name", metavar="NAME")
    p.set_defaults(handler=cmd_queries)

    p = sub.add_parser(
        "prefixes",
        help="list the prefixes predeclared in every query",
        description="List the prefixes that every query may use without declaring them.",
    )
    p.set_defaults(handler=cmd_prefixes)


def read_query(arg: str) -> tuple[str, Any]:
    """QUERY as (text, library entry or None): a file, stdin, a library name, or text."""
    from .. import library
    from ..errors import QueryError

    if arg == "-":
        raw = getattr(sys.stdin, "buffer", None)  # a text stream in tests and notebooks
        try:
            return (raw.read().decode("utf-8") if raw is not None else sys.stdin.read()), None
        except UnicodeDecodeError as exc:
            raise QueryError(
                f"Cannot read the query from standard input: byte {exc.start} is not UTF-8."
            ) from None
    path = Path(arg)
    if arg.endswith((".rq", ".sparql")) or ("\n" not in arg and _is_file(path)):
        try:
            return path.read_text(encoding="utf-8"), None
        except OSError as exc:
            raise QueryError(f"Cannot read query file {arg}: {exc.strerror}.") from None
        except UnicodeDecodeError as exc:
            raise QueryError(
                f"Cannot read query file {arg}: byte {exc.start} is not UTF-8; save it as UTF-8."
            ) from None
    if arg and set(arg) <= _NAME_CHARS:
        entry = library.get(arg)  # raises with the close matches
        return entry.sparql, entry
    return arg, None


def _is_file(path: Path) -> bool:
    """Whether ``path`` names a file; a long one-line query is no file name (ENAMETOOLONG)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _policy(args: argparse.Namespace) -> Any:
    """The policy the options ask for: local by default, the endpoint's with --safe,
    none with --unsafe."""
    from ..safety import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, Policy

    allow = frozenset(args.allow_service)
    if getattr(args, "unsafe", False):
        return None
    if getattr(args, "safe", False):
        return Policy(
            allow=allow,
            max_rows=args.max_rows or DEFAULT_MAX_ROWS,
            timeout=args.timeout or DEFAULT_TIMEOUT,
        )
    from dataclasses import replace

    # the token check judges the exact text; the sandbox stands behind it, so the
    # default skips rdflib's full parse (0.1 s to import, more on big queries)
    return replace(Policy.local(allow), max_rows=args.max_rows, timeout=args.timeout,
                   deep=False)


def _store_name(args: argparse.Namespace) -> str:
    return store_name(args)


def open_engine(args: argparse.Namespace) -> Any:
    """The engine the options ask for, over the cached snapshot of the loaded graph."""
    from ..store import open_engine as engine_for
    from ..stores import resolve_store

    endpoint = endpoint_of(args)
    if endpoint is not None:
        return engine_for(endpoint=endpoint, timeout=getattr(args, "timeout", None))
    spec = resolve_store(_store_name(args))
    return engine_for(args.data, args.ontology, infer=not args.no_infer, store=spec.name)


def _output_format(args: argparse.Namespace, gives_graph: bool) -> Any:
    from ..errors import FormatError
    from ..formats import RDF_FORMATS, RESULT_FORMATS, rdf_format, result_format

    name = args.format
    if name is None and args.out:
        suffix = Path(args.out).suffix.lower()
        table = RDF_FORMATS if gives_graph else RESULT_FORMATS
        name = next((f.name for f in table.values() if f.suffix == suffix), None)
    if gives_graph:
        if name and name.lower() in RESULT_FORMATS and name.lower() not in RDF_FORMATS:
            raise FormatError(
                f"A CONSTRUCT or DESCRIBE query gives triples: choose one of "
                f"{', '.join(RDF_FORMATS)}, not {name}."
            )
        return rdf_format(name or "turtle")
    if name and name.lower() in RDF_FORMATS and name.lower() not in RESULT_FORMATS:
        raise FormatError(
            f"A SELECT or ASK query gives rows: choose one of {', '.join(RESULT_FORMATS)}, "
            f"not {name}."
        )
    return result_format(name or "table")


def cmd_query(args: argparse.Namespace) -> int:
    from ..formats import RDF_FORMATS
    from ..query import labels, parse_params, run

    text, entry = read_query(args.query)
    given = parse_params(args.param) if entry is None else _raw_params(args.param)
    params = entry.bindings(given, as_of=args.as_of) if entry is not None else given
    as_of = None if entry is not None else args.as_of
    if args.format:  # an unknown format fails before any work
        from ..errors import FormatError
        from ..formats import RESULT_FORMATS

        if args.format.lower() not in RESULT_FORMATS and args.format.lower() not in RDF_FORMATS:
            raise FormatError(
                f"Unknown format {args.format!r}; choose one of: "
                f"{', '.join([*RESULT_FORMATS, *RDF_FORMATS])}."
            )
    policy = _policy(args)
    engine = open_engine(args)
    if getattr(engine, "remote", False) and policy is not None and policy.timeout:
        engine.timeout = policy.timeout  # --safe's limit bounds each request to the server
    if policy is None or getattr(engine, "remote", False):
        # --unsafe: as written, in this process; --endpoint: checked here, run by the server
        result = run(engine, text, params, as_of=as_of, policy=policy, max_rows=args.max_rows)
    else:
        from ..answer import Job
        from ..isolate import run_isolated

        result = run_isolated(engine, Job(text, params or None, as_of, policy=policy))
    fmt = _output_format(args, result.kind.gives_graph)
    if result.kind.gives_graph:
        from ..results import to_rdf

        output = to_rdf(result, fmt.rdflib_name, quads=fmt.quads)
    else:
        names = None
        if fmt.labelled:
            names = labels(engine, (t for row in result.rows for t in row))
        output = fmt.write(result, names)
    if result.truncated:
        print(f"warning: only the first {len(result.rows)} rows (the row cap)", file=sys.stderr)
    if args.out:
        from ..atomic import atomic_write

        atomic_write(args.out, output)
        unit = "triples" if result.kind.gives_graph else "rows"
        print(f"wrote {args.out} ({len(result)} {unit}, {fmt.name})", file=sys.stderr)
    else:
        emit(output)
    return 0


def _raw_params(items: list[str]) -> dict[str, str]:
    """``name=value`` strings, typed later by the library query's declared types."""
    from ..errors import QueryError

    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r}: write name=value, e.g. --param asOf=2011-04-15.")
        out[name.strip().lstrip("?$")] = value
    return out


def cmd_queries(args: argparse.Namespace) -> int:
    from .. import library

    if args.queries_command == "show":
        q = library.get(args.name)
        lines = [f"{q.name}: {q.title}", f"Question {q.number}: {q.question}"]
        if q.parameters:
            lines.append("Parameters:")
            for p in q.parameters:
                default = f" (default {p.default})" if p.default else ""
                lines.append(f"  --param {p.name}=<{p.type}>{default}  {p.description}")
        if q.description:
            lines += ["", q.description]
        lines += ["", q.sparql.rstrip()]
        emit("\n".join(lines))
        return 0
    queries = library.list_queries()
    width = max(len(q.name) for q in queries) if queries else 4
    emit("\n".join(f"{q.name:<{width}}  {q.number:>2}. {q.title}" for q in queries))
    return 0


def cmd_prefixes(args: argparse.Namespace) -> int:
    from ..namespaces import PREFIXES

    width = max(len(p) for p in PREFIXES) + 1
    emit("\n".join(f"{p + ':':<{width}}  {iri}" for p, iri in PREFIXES.items()))
    return 0
