"""Write the dataset in a standard RDF format, atomically.

By default the export holds what the files assert (sources, ontology, their
descriptions) and not the inferred graph, which any loader recomputes.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from .atomic import atomic_write, reads_back
from .errors import WriteError
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


#: RDF formats written as XML 1.0, which cannot hold most control characters.
XML_FORMATS = frozenset({"xml"})


def xml_problem(ds: Dataset) -> str | None:
    """Why ``ds`` cannot be written as RDF/XML, or None when it can.

    XML 1.0 cannot hold most control characters (U+0001, a vertical tab
    U+000B pasted from a word processor), not even escaped; rdflib writes
    them anyway and the file does not parse. This names the first statement
    holding one, so that the data can be fixed.
    """
    from .network.files import XML_ILLEGAL

    for s, p, o, _g in ds.quads((None, None, None, None)):
        for where, term in (("subject", s), ("value", o)):
            found = XML_ILLEGAL.search(str(term))
            if found:
                return (
                    f"the {where} of <{p}> of {s} holds the control character "
                    f"U+{ord(found.group()):04X}, which RDF/XML (XML 1.0) cannot hold; "
                    "remove it from the data"
                )
    return None


def serialize(kg: KnowledgeGraph, fmt: RdfFormat | str, *, include_inferred: bool = False) -> bytes:
    """The dataset in ``fmt``; triple formats get the union of all graphs."""
    spec = rdf_format(fmt) if isinstance(fmt, str) else fmt
    ds = to_dataset(kg, include_inferred=include_inferred)
    if spec.name in XML_FORMATS:
        problem = xml_problem(ds)
        if problem:
            raise WriteError(problem)
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
    try:
        payload = serialize(kg, spec, include_inferred=include_inferred)
    except WriteError as exc:
        raise WriteError(f"Cannot write {path} as {spec.name}: {exc}; {path} left as it was.") \
            from None

    def reparse(tmp: Path) -> None:
        Dataset().parse(tmp, format=spec.rdflib_name)

    atomic_write(path, payload, check=reads_back(reparse, spec.name, path))
    return len(payload)
