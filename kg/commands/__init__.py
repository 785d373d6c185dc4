"""Subcommand groups of the ``kg`` command; each module has ``register(subparsers)``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph


def load_from_args(args: argparse.Namespace) -> KnowledgeGraph:
    """Load the graph the global options ask for (``--data``, ``--ontology``, ``--store``)."""
    from ..graph import load

    return load(args.data, ontology=args.ontology, store=args.store, infer=not args.no_infer)


def emit(text: str) -> None:
    """Print to stdout, tolerating a closed pipe (``kg stats | head``)."""
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        pass
