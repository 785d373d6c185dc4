"""The ``kg`` command: parse arguments, call one public function, print.

Each group of subcommands lives in ``kg/commands/<group>.py`` and exposes
``register(subparsers)``. This module only wires them, handles the global
options, and turns our errors into one sentence and exit code 2.

The global options (:func:`add_global_options`, one definition) are accepted
before the subcommand and after it (``kg --store memory query ...`` and
``kg query ... --store memory``); when both are given, the later one wins.
Each help text states the store that command uses by default, read from the
``store_default`` the command declares (see :mod:`kg.commands`).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import traceback
from collections.abc import Iterator, Sequence
from typing import NoReturn

from . import __version__
from .errors import KgError
from .stores import STORE_ENV, STORES

#: Modules contributing subcommands, in the order ``kg --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = ("kg.commands.data", "kg.commands.query", "kg.commands.serve")
COMMAND_MODULES += ("kg.commands.views",)  # kg viz, kg site
COMMAND_MODULES += ("kg.commands.publish",)  # kg publish


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit code 2, like ours."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help).\n")


def _store_help(store_default: str | None, command: str | None, others: str = "") -> str:
    names = ", ".join(STORES)
    if command is None:  # the top-level parser: each command's default
        return f"triple store: {names}; also ${STORE_ENV}. Default: {others}"
    if store_default is None:
        return f"ignored: {command} does not read the graph"
    return f"triple store: {names}; also ${STORE_ENV} (default for {command}: {store_default})"


def add_global_options(
    parser: argparse.ArgumentParser,
    *,
    command: str | None = None,
    store_default: str | None = None,
    store_help: str = "",
    endpoint_help: str | None = None,
) -> None:
    """Add ``--data``, ``--ontology``, ``--store``, ``--endpoint``, ``--no-infer`` and ``--debug``
    to ``parser``.

    ``command`` is None for the top-level parser (real defaults); for a subcommand the
    defaults are ``SUPPRESS``, so that an option given after the subcommand overrides
    one given before it, and one not given there leaves the earlier value alone.
    """
    top = command is None
    keep = None if top else argparse.SUPPRESS
    reads = top or store_default is not None

    def graph_help(text: str) -> str:
        return text if reads else f"ignored: {command} does not read the graph"

    parser.add_argument(
        "--data",
        metavar="DIR",
        default=keep,
        help=graph_help("folder of TriG/Turtle data files to load instead of the shipped "
                        "graph_data/"),
    )
    parser.add_argument(
        "--ontology",
        metavar="DIR",
        default=keep,
        help=graph_help("folder with thb.ttl and shapes.ttl to use instead of the shipped "
                        "ontology/"),
    )
    parser.add_argument(
        "--store",
        metavar="NAME",
        default=keep,
        help=store_help or _store_help(store_default, command),
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        default=keep,
        help=endpoint_help or graph_help("read the graph from this SPARQL 1.1 server (its "
                                         "query URL) instead of the local files; also "
                                         "$KG_ENDPOINT"),
    )
    parser.add_argument(
        "--no-infer",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=graph_help("do not add the triples the ontology implies (inverses, "
                        "super-properties)"),
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show tracebacks on errors",
    )


def subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every subcommand parser under ``parser``, nested ones included (``queries show``),
    as ``(name, parser)`` with names such as ``"queries show"``."""
    seen: set[int] = set()
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, sub in action.choices.items():
            if id(sub) in seen:  # an alias
                continue
            seen.add(id(sub))
            yield name, sub
            for inner, subsub in subcommands(sub):
                yield f"{name} {inner}", subsub


def _defaults_summary(parser: argparse.ArgumentParser) -> str:
    """'pyoxigraph for kg query, ...; memory for kg validate, ...' from the declarations."""
    by_store: dict[str, list[str]] = {}
    for name, sub in subcommands(parser):
        default = sub.get_default("store_default")
        if default is not None and " " not in name:
            by_store.setdefault(default, []).append(name)
    return "; ".join(
        f"{store} for kg {', '.join(names)}" for store, names in sorted(by_store.items())
    ) + "."


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kg",
        description=(
            "thb-kg: a knowledge graph of the legal framework against trafficking in "
            "human beings. Load, validate, query, export and view it. The options below "
            "may also follow the command (kg query NAME --store memory)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"thb-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    declared: dict[str, str | None] = {}
    for name, subparser in subcommands(parser):  # a parent comes before its nested commands
        parent = name.rpartition(" ")[0]
        default = subparser.get_default("store_default") or declared.get(parent)
        declared[name] = default
        add_global_options(subparser, command=f"kg {name}", store_default=default,
                           endpoint_help=subparser.get_default("endpoint_help"))
    add_global_options(parser, store_help=_store_help(None, None, _defaults_summary(parser)))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script; returns the exit code.

    A :class:`KgError` becomes its sentence and exit code 2. An operating-system error
    that no command turned into one (a file that vanished, a full disk) becomes one
    sentence too, naming the file; ``--debug`` adds the traceback. rdflib's own warnings
    (an ill-typed literal in the data) are shown only with ``--debug``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    rdflib_log = logging.getLogger("rdflib")
    level = rdflib_log.level
    if not args.debug:
        rdflib_log.setLevel(logging.ERROR)
    try:
        return int(args.handler(args) or 0)
    except KgError as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except OSError as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {_os_error_sentence(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        rdflib_log.setLevel(level)


def _os_error_sentence(err: OSError) -> str:
    """``err`` as one sentence: the file, then what went wrong."""
    reason = err.strerror or str(err) or type(err).__name__
    if err.filename is not None:
        return f"{err.filename}: {reason}."
    return f"{reason}."


def run() -> None:
    sys.exit(main())
