"""The ``kg`` command: parse arguments, call one public function, print.

Each group of subcommands lives in ``kg/commands/<group>.py`` and exposes
``register(subparsers)``. This module only wires them, handles the global
options, and turns our errors into one sentence and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from . import __version__
from .errors import KgError

#: Modules contributing subcommands, in the order ``kg --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = ("kg.commands.data", "kg.commands.query", "kg.commands.serve")
COMMAND_MODULES += ("kg.commands.views",)  # kg viz, kg site


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description=(
            "thb-kg: a knowledge graph of the legal framework against trafficking in "
            "human beings. Load, validate, query, export and view it."
        ),
    )
    parser.add_argument("--version", action="version", version=f"thb-kg {__version__}")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="folder of TriG/Turtle data files to load instead of the shipped graph_data/",
    )
    parser.add_argument(
        "--ontology",
        metavar="DIR",
        help="folder with thb.ttl and shapes.ttl to use instead of the shipped ontology/",
    )
    parser.add_argument(
        "--store",
        metavar="NAME",
        help="triple store: memory (default) or oxigraph; also $KG_STORE",
    )
    parser.add_argument(
        "--no-infer",
        action="store_true",
        help="do not add the triples the ontology implies (inverses, super-properties)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KgError as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> None:
    sys.exit(main())
