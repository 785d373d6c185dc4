"""The one table of formats: names, media types, file suffixes, writers.

The CLI (``kg export``, ``kg query --format``), the SPARQL endpoint's content
negotiation and the site's downloads all read these tables instead of
chains of ``if``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import FormatError


@dataclass(frozen=True)
class RdfFormat:
    """An RDF serialisation rdflib can write and read back."""

    name: str
    rdflib_name: str
    media_type: str
    suffix: str
    quads: bool  # keeps named graphs


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("trig", "trig", "application/trig", ".trig", True),
        RdfFormat("nquads", "nquads", "application/n-quads", ".nq", True),
        RdfFormat("jsonld", "json-ld", "application/ld+json", ".jsonld", True),
        RdfFormat("turtle", "turtle", "text/turtle", ".ttl", False),
        RdfFormat("nt", "nt", "application/n-triples", ".nt", False),
        # RDF/XML: what SPARQLWrapper and many older clients ask a CONSTRUCT for
        RdfFormat("xml", "xml", "application/rdf+xml", ".rdf", False),
    )
}


def rdf_format(name: str) -> RdfFormat:
    """Look up an RDF format by name, with a sentence listing the known ones."""
    try:
        return RDF_FORMATS[name.lower()]
    except KeyError:
        known = ", ".join(RDF_FORMATS)
        raise FormatError(f"Unknown RDF format {name!r}; choose one of: {known}.") from None


# ------------------------------------------------ SPARQL result formats


@dataclass(frozen=True)
class ResultFormat:
    """A format for SELECT/ASK results; ``writer`` names a function of kg.results.

    ``labelled`` formats show labels instead of IRIs (the caller looks them up).
    """

    name: str
    media_type: str
    suffix: str
    writer: str
    labelled: bool = False

    def write(self, result: object, labels: object = None) -> str:
        from . import results

        return getattr(results, self.writer)(result, labels)  # type: ignore[no-any-return]


RESULT_FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("table", "text/plain", ".txt", "to_table", labelled=True),
        ResultFormat("json", "application/sparql-results+json", ".json", "to_json"),
        ResultFormat("xml", "application/sparql-results+xml", ".xml", "to_xml"),
        ResultFormat("csv", "text/csv", ".csv", "to_csv"),
        ResultFormat("tsv", "text/tab-separated-values", ".tsv", "to_tsv"),
        ResultFormat("md", "text/markdown", ".md", "to_md", labelled=True),
    )
}


def result_format(name: str) -> ResultFormat:
    """Look up a result format by name, with a sentence listing the known ones."""
    try:
        return RESULT_FORMATS[name.lower()]
    except KeyError:
        known = ", ".join(RESULT_FORMATS)
        raise FormatError(f"Unknown result format {name!r}; choose one of: {known}.") from None


# ---------------------------------------------------------------- network formats
# Graph files for network tools (Gephi, yEd, Cytoscape): the network of
# kg.network (nodes with labels and classes, labelled edges), not RDF.
# Writers and readers are named "module:function" so that importing this
# table stays cheap; networkx loads only when a network file is written.


def _resolve(dotted: str) -> Callable[..., Any]:
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class NetworkFormat:
    """A graph-file format: name, media type, suffix, encoder and reader."""

    name: str
    media_type: str
    suffix: str
    encoder: str  # "module:function" taking a networkx graph, returning bytes
    reader: str  # "module:function" reading a file back (the atomic write's check)

    def encode(self, graph: Any) -> bytes:
        return _resolve(self.encoder)(graph)  # type: ignore[no-any-return]

    def read(self, path: Any) -> Any:
        return _resolve(self.reader)(path)


NETWORK_FORMATS: dict[str, NetworkFormat] = {
    f.name: f
    for f in (
        NetworkFormat(
            "graphml",
            "application/graphml+xml",
            ".graphml",
            "kg.network:graphml_bytes",
            "networkx:read_graphml",
        ),
        NetworkFormat(
            "gexf", "application/gexf+xml", ".gexf", "kg.network:gexf_bytes", "networkx:read_gexf"
        ),
    )
}


def network_format(name: str) -> NetworkFormat:
    """Look up a network format by name, with a sentence listing the known ones."""
    try:
        return NETWORK_FORMATS[name.lower()]
    except KeyError:
        known = ", ".join(NETWORK_FORMATS)
        raise FormatError(f"Unknown network format {name!r}; choose one of: {known}.") from None


#: Each table of export formats and the function that writes its formats,
#: ``f(kg, path, format_name, *, include_inferred) -> bytes written``.
EXPORTERS: tuple[tuple[Mapping[str, Any], str], ...] = (
    (RDF_FORMATS, "kg.dump:export"),
    (NETWORK_FORMATS, "kg.network:export"),
)


def export_format_names() -> list[str]:
    """Every name ``kg export --format`` accepts, RDF formats first."""
    return [name for table, _ in EXPORTERS for name in table]


def exporter(name: str) -> Callable[..., int]:
    """The function that writes format ``name`` (from whichever table holds it)."""
    for table, dotted in EXPORTERS:
        if name.lower() in table:
            return _resolve(dotted)  # type: ignore[return-value]
    known = ", ".join(export_format_names())
    raise FormatError(f"Unknown export format {name!r}; choose one of: {known}.")
