"""Subcommand groups of the ``kg`` command; each module has ``register(subparsers)``.

A subcommand that reads the graph declares which store it uses when neither
``--store`` nor ``$KG_STORE`` says: ``p.set_defaults(store_default=...)`` with
:data:`LOAD_STORE` or :data:`SNAPSHOT_STORE`. The runtime choice
(:func:`store_name`) and every help text (:mod:`kg.cli`) read that one value.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..errors import WriteError
from ..stores import DEFAULT_STORE, STORE_ENV

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

#: Default store of the commands that load the graph with :func:`kg.load`
#: (validate, stats, export, viz, site).
LOAD_STORE = DEFAULT_STORE
#: Default store of the commands that query the cached snapshot of the graph
#: (query, serve, check-staleness): Oxigraph directly (see kg.cache).
SNAPSHOT_STORE = "pyoxigraph"


def store_name(args: argparse.Namespace) -> str:
    """The store the options ask for: ``--store``, else ``$KG_STORE``, else the command's own
    default (:data:`LOAD_STORE` or :data:`SNAPSHOT_STORE`)."""
    default = getattr(args, "store_default", None) or LOAD_STORE
    return (getattr(args, "store", None) or os.environ.get(STORE_ENV) or default).lower()


def endpoint_of(args: argparse.Namespace) -> str | None:
    """The SPARQL server the options name (``--endpoint``, else ``$KG_ENDPOINT``), or None."""
    from ..store.remote import endpoint_from

    return endpoint_from(getattr(args, "endpoint", None))


def load_from_args(args: argparse.Namespace) -> KnowledgeGraph:
    """Load the graph the global options ask for (``--data``, ``--ontology``, ``--store``),
    or fetch it from the server ``--endpoint`` names."""
    from ..graph import load

    endpoint = endpoint_of(args)
    if endpoint is not None:
        from ..store import fetch_graph

        return fetch_graph(endpoint, ontology=args.ontology)
    return load(args.data, ontology=args.ontology, store=store_name(args), infer=not args.no_infer)


def emit(text: str) -> None:
    """Print to stdout, tolerating a closed pipe (``kg stats | head``).

    Any other failure to write (a full disk, a read-only file) is a :class:`WriteError`;
    standard output is then pointed at the null device, so that the interpreter's own
    flush at exit cannot print a second error.
    """
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
    except OSError as exc:
        _discard_stdout()
        reason = exc.strerror or str(exc)
        raise WriteError(f"Cannot write to standard output: {reason}.") from exc


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file behind sys.stdout (tests capture it)
        pass
