"""Content negotiation: an Accept header (or ``?format=``) to one of our formats.

Reads the one table of formats (:mod:`kg.formats`). The endpoint's query
workers call it, after they know whether a query gives rows or triples, so
the server process itself never parses anything but the HTTP request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import QueryError
from .formats import RDF_FORMATS, RESULT_FORMATS

#: Media types clients send that are not the canonical ones of our tables.
_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/tsv": "tsv",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/plain": "nt",  # for triples; for rows text/plain is the table
}


class NotAcceptableError(QueryError):
    """No format the client accepts can hold the result (HTTP 406)."""


def accepted(accept: str | None) -> list[str]:
    """The media types an Accept header takes (q > 0), lower-cased, best first: by
    q, then in the order written. One parser for the endpoint and the Linked Data
    documents, so both read a header the same way."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, media))
    return [media for _q, _i, media in sorted(ranked)]


@dataclass(frozen=True)
class Choice:
    name: str
    media_type: str


def negotiate(accept: str | None, *, graph: bool, requested: str | None = None) -> Choice:
    """Pick an output format from an Accept header (q-values honoured).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", graph=False).name
    'xml'
    >>> negotiate("*/*", graph=True).name
    'turtle'

    An Accept header that names only types we cannot give is refused
    (:class:`NotAcceptableError`, HTTP 406); no header at all gets the default.
    """
    table: dict[str, Any] = RDF_FORMATS if graph else RESULT_FORMATS
    default = "turtle" if graph else "json"
    if requested:
        key = requested.lower()
        if key in table:
            return Choice(key, table[key].media_type)
        raise QueryError(
            f"Unknown format {requested!r} for this query; choose one of: {', '.join(table)}."
        )
    by_type = {f.media_type: name for name, f in table.items()}
    wanted = accepted(accept)
    for media in wanted:
        name = by_type.get(media)
        if name is None and media in _ALIASES:
            alias = _ALIASES[media]
            if media == "text/plain" and not graph:
                alias = "table"
            if media == "application/json" and graph:
                alias = "jsonld"
            name = alias if alias in table else None
        if name is None and media in ("*/*", "application/*", "text/*"):
            name = default
        if name is not None:
            return Choice(name, table[name].media_type)
    if wanted:  # the client accepts something: not ours
        offered = ", ".join(f.media_type for f in table.values())
        raise NotAcceptableError(
            f"None of the accepted media types ({accept}) can hold this result; "
            f"this endpoint gives: {offered}."
        )
    return Choice(default, table[default].media_type)


