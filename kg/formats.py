"""The one table of formats: names, media types, file suffixes, writers.

The CLI (``kg export``, ``kg query --format``), the SPARQL endpoint's content
negotiation and the site's downloads all read these tables instead of
chains of ``if``.
"""

from __future__ import annotations

from dataclasses import dataclass

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
