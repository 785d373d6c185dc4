"""Write the dataset in a standard RDF format, atomically.

By default the export holds what the files assert (sources, ontology, their
descriptions) and not the inferred graph, which any loader recomputes.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from .atomic import atomic_write, reads_back
from .formats import RdfFormat, rdf_format
from .graph import INFERRED_GRAPH, KnowledgeGraph
from .namespaces import PREFIXES
from .terms import canonical


def to_dataset(kg: KnowledgeGraph, *, include_inferred: bool = False) -> Dataset:
    """A memory-store copy of ``kg`` (asserted quads, optionally the inferred graph)."""
    out = Dataset()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True, replace=True)
    for s, p, o, g in kg.dataset.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        if gid == INFERRED_GRAPH and not include_inferred:
            continue
        out.graph(gid).add((s, p, canonical(o)))
    return out


def serialize(kg: KnowledgeGraph, fmt: RdfFormat | str, *, include_inferred: bool = False) -> bytes:
    """The dataset in ``fmt``; triple formats get the union of all graphs."""
    spec = rdf_format(fmt) if isinstance(fmt, str) else fmt
    ds = to_dataset(kg, include_inferred=include_inferred)
    if spec.quads:
        return ds.serialize(format=spec.rdflib_name, encoding="utf-8")
    union = Graph()
    for prefix, iri in PREFIXES.items():
        union.bind(prefix, iri, override=True, replace=True)
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union.serialize(format=spec.rdflib_name, encoding="utf-8")


def export(
    kg: KnowledgeGraph, path: Path | str, fmt: str, *, include_inferred: bool = False
) -> int:
    """Write ``kg`` to ``path`` in ``fmt`` atomically; returns the bytes written.

    The file is re-parsed before it replaces ``path``: a serialisation that
    cannot be read back never overwrites a good file.
    """
    spec = rdf_format(fmt)
    payload = serialize(kg, spec, include_inferred=include_inferred)

    def reparse(tmp: Path) -> None:
        Dataset().parse(tmp, format=spec.rdflib_name)

    atomic_write(path, payload, check=reads_back(reparse, spec.name, path))
    return len(payload)
