"""``kg validate``, ``kg stats``, ``kg export``: the data's health and its files."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..stores import STORE_ENV
from . import LOAD_STORE, SNAPSHOT_STORE, emit, endpoint_of, load_from_args, store_name


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check the union of all graphs against the SHACL shapes",
        description=(
            "Validate the union of all graphs against ontology/shapes.ttl. Exit 0 and "
            "'conforms' when it passes; otherwise a report (focus node, path, message, "
            "source graph) and exit 1."
        ),
    )
    p.add_argument(
        "--engine", choices=("pyshacl", "sparql"), default=None,
        help="pyshacl, or sparql: the shapes as SPARQL queries inside the cached Oxigraph "
        "store, the same report in seconds at a million quads (default: sparql on the "
        "Oxigraph stores and on large data, pyshacl otherwise)",
    )
    p.set_defaults(handler=cmd_validate, store_default=LOAD_STORE)

    p = sub.add_parser(
        "stats",
        help="triples per source graph and entities per class",
        description="Count triples per source graph and entities per class, with totals.",
    )
    p.set_defaults(handler=cmd_stats, store_default=LOAD_STORE)

    from ..formats import export_format_names

    p = sub.add_parser(
        "export",
        help="write the dataset as TriG, N-Quads, JSON-LD, Turtle or N-Triples, "
        "or its network as GraphML or GEXF",
        description=(
            "Write the dataset to FILE atomically: a failure leaves an existing FILE untouched. "
            "TriG, N-Quads and JSON-LD keep the named graphs; Turtle and N-Triples merge them. "
            "GraphML and GEXF write the network (for yEd, Gephi) with labels and classes."
        ),
    )
    p.add_argument(
        "--format",
        "-f",
        required=True,
        metavar="FORMAT",
        help="one of: " + ", ".join(export_format_names()),
    )
    p.add_argument("--out", "-o", required=True, metavar="FILE", help="file to write")
    p.add_argument(
        "--include-inferred",
        action="store_true",
        help="also write graph/inferred (the triples the ontology implies)",
    )
    p.set_defaults(handler=cmd_export, store_default=LOAD_STORE)

    from ..formats import RESULT_FORMATS

    p = sub.add_parser(
        "check-staleness",
        help="list dated counts and time-relative claims ('to date', 'the most recent') "
        "older than a date",
        description=(
            "List the statements to re-check: every dated count or claim (thb:asOf) older "
            "than DATE, and every time-relative statement (thb:timeRelative: 'to date', "
            "'the most recent', ...) dated before DATE by its source, or not dated at all. "
            "One row per statement and source graph, oldest first, with the source."
        ),
    )
    p.add_argument("--before", metavar="YYYY-MM-DD",
                   help="list what is older than this date (default: today)")
    p.add_argument("--format", "-f", metavar="FORMAT",
                   help=", ".join(RESULT_FORMATS) + " (default table)")
    p.add_argument("--out", "-o", metavar="FILE",
                   help="write to FILE atomically instead of standard output")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when anything is listed (for a maintainer's CI)")
    p.set_defaults(handler=cmd_check_staleness, store_default=SNAPSHOT_STORE)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..validate import validate, validate_folder

    if endpoint_of(args) is not None:  # the server's dataset, fetched into rdflib
        report = validate(load_from_args(args), engine=args.engine)
    else:
        report = validate_folder(args.data, args.ontology, store=store_name(args),
                                 infer=not args.no_infer, engine=args.engine)
    if report.conforms:
        emit("conforms")
        return 0
    lines = [report.summary()]
    for v in report.violations:
        graphs = ", ".join(str(g) for g in v.source_graphs) or "(no source graph)"
        lines.append(
            f"- focus: {v.focus}\n  path: {v.path or '-'}\n  message: {v.message}"
            + (f"\n  value: {v.value}" if v.value is not None else "")
            + f"\n  source graph: {graphs}"
        )
    emit("\n".join(lines))
    return 1


def cmd_stats(args: argparse.Namespace) -> int:
    from ..stats import from_counts, stats
    from ..store import uses_disk

    chosen = bool(getattr(args, "store", None) or os.environ.get(STORE_ENV))
    endpoint = endpoint_of(args)
    if endpoint is not None:
        from ..store import open_engine
        from ..store.fetch import counts

        st = from_counts(counts(open_engine(endpoint=endpoint)))  # type: ignore[arg-type]
        curie = _curies()
    elif uses_disk(store_name(args), args.data, chosen=chosen):
        from ..store.disk import meta, store_path

        st = from_counts(meta(store_path(args.data, args.ontology, infer=not args.no_infer)))
        curie = _curies()
    else:
        kg = load_from_args(args)
        st = stats(kg)
        curie = kg.dataset.namespace_manager.normalizeUri
    width = max((len(str(g.graph)) for g in st.graphs), default=10)
    out = [f"Triples per graph ({len(st.graphs)} named graphs):"]
    for g in st.graphs:
        out.append(f"  {str(g.graph):<{width}}  {g.triples:>6}  {g.title}")
    out.append(f"  {'(default graph: source descriptions)':<{width}}  {st.default_triples:>6}")
    out.append(f"  {'(inferred by the ontology)':<{width}}  {st.inferred_triples:>6}")
    out.append(f"  {'total':<{width}}  {st.total_triples:>6}")
    out.append("")
    out.append(f"Entities per class ({len(st.classes)} classes):")
    cwidth = max((len(curie(c)) for c, _ in st.classes), default=10)
    for cls, n in st.classes:
        out.append(f"  {curie(cls):<{cwidth}}  {n:>6}")
    out.append(f"  {'total':<{cwidth}}  {st.total_entities:>6}")
    emit("\n".join(out))
    return 0


def _curies() -> Any:
    """IRIs as CURIEs with the predeclared prefixes, as a loaded graph writes them."""
    from rdflib import Graph

    from ..namespaces import PREFIXES

    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph.namespace_manager.normalizeUri


def cmd_export(args: argparse.Namespace) -> int:
    from ..formats import exporter

    export = exporter(args.format)  # unknown format: fail before loading anything
    kg = load_from_args(args)
    size = export(kg, args.out, args.format, include_inferred=args.include_inferred)
    print(f"wrote {args.out} ({size} bytes, {args.format})", file=sys.stderr)
    return 0


def cmd_check_staleness(args: argparse.Namespace) -> int:
    from datetime import date

    from ..formats import result_format
    from ..query import labels
    from ..staleness import parse_before, stale_facts
    from .query import open_engine

    fmt = result_format(args.format or "table")  # an unknown format fails before any work
    before = parse_before(args.before) if args.before else date.today()
    engine = open_engine(args)
    result = stale_facts(engine, before)
    names = labels(engine, (t for row in result.rows for t in row)) if fmt.labelled else None
    output = fmt.write(result, names)
    undated = sum(1 for row in result.as_dicts() if "asAt" not in row)
    summary = f"{len(result)} statements older than {before.isoformat()} ({undated} undated)"
    if args.out:
        from ..atomic import atomic_write

        atomic_write(args.out, output)
        print(f"wrote {args.out}: {summary}", file=sys.stderr)
    else:
        emit(output)
        print(summary, file=sys.stderr)
    return 1 if args.strict and len(result) else 0
