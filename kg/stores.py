"""The one place where the triple store is chosen.

Every command and the Python API take a store name; this table maps it to
the rdflib store plugin behind an :class:`rdflib.Dataset`. Adding a store (a
remote SPARQL server such as Virtuoso) means adding a row here, nothing else.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

from .errors import StoreError

#: Environment variable that picks the store when no ``--store`` is given.
STORE_ENV = "KG_STORE"
#: The store of :func:`kg.load` and of the commands that load the graph; the commands
#: that query the cached snapshot default to pyoxigraph (kg.commands.SNAPSHOT_STORE).
DEFAULT_STORE = "memory"


@dataclass(frozen=True)
class StoreSpec:
    """A store users can pick: its name, rdflib plugin, and parser for TriG."""

    name: str
    plugin: str
    trig_parser: str
    requires: str | None
    description: str


STORES: dict[str, StoreSpec] = {
    "memory": StoreSpec(
        name="memory",
        plugin="default",
        trig_parser="trig",
        requires=None,
        description="rdflib's in-memory store: no extra dependency, slowest queries.",
    ),
    "oxigraph": StoreSpec(
        name="oxigraph",
        plugin="Oxigraph",
        trig_parser="ox-trig",
        requires="oxrdflib",
        description=(
            "Oxigraph through oxrdflib: fast parsing, same rdflib API; SPARQL goes to "
            "Oxigraph directly with rdflib's answers (kg.cache.engine_for_dataset)."
        ),
    ),
    "pyoxigraph": StoreSpec(
        name="pyoxigraph",
        plugin="Oxigraph",
        trig_parser="ox-trig",
        requires="pyoxigraph",
        description=(
            "Oxigraph directly, answering from a cached N-Quads snapshot of the loaded, "
            "inferred graph (kg/cache.py): what `kg query`, `kg serve` and "
            "`kg check-staleness` use unless told otherwise (kg.commands.SNAPSHOT_STORE); "
            "kg.load() with it gives the oxigraph Dataset. Past "
            "kg.store.LARGE_DATA bytes of data files, the persistent on-disk store instead."
        ),
    ),
    "oxigraph-disk": StoreSpec(
        name="oxigraph-disk",
        plugin="Oxigraph",
        trig_parser="ox-trig",
        requires="pyoxigraph",
        description=(
            "Oxigraph directly, from a persistent on-disk store in the cache folder, built "
            "once by Oxigraph alone (kg/store/), opened read-only in milliseconds at any "
            "size; kg.load() with it gives the oxigraph Dataset."
        ),
    ),
}


def resolve_store(name: str | None = None) -> StoreSpec:
    """Return the store called ``name`` (default: ``$KG_STORE`` or ``memory``).

    >>> resolve_store("memory").plugin
    'default'
    """
    chosen = (name or os.environ.get(STORE_ENV) or DEFAULT_STORE).lower()
    try:
        spec = STORES[chosen]
    except KeyError:
        known = ", ".join(sorted(STORES))
        raise StoreError(f"Unknown store {chosen!r}; choose one of: {known}.") from None
    if spec.requires and importlib.util.find_spec(spec.requires) is None:
        raise StoreError(
            f"The {spec.name} store needs the {spec.requires} package: pip install {spec.requires}"
        )
    return spec
