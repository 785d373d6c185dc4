"""Content negotiation for documents: HTML or one of the RDF formats.

A document answers in HTML (for people) or in any format of
:data:`kg.formats.RDF_FORMATS`. Which one: ``?format=NAME`` (or the file
suffix, ``/doc/body/unodc.ttl``) wins; else the Accept header, by q-value and
then by order; ``*/*`` alone (curl's default) gets Turtle; no header gets
Turtle. An Accept header that names only types we cannot give is refused
(:class:`NotAcceptable`, HTTP 406, with the list of what we give).

>>> choose("text/html,application/xhtml+xml,*/*;q=0.8").name
'html'
>>> choose("application/rdf+xml, text/n3, text/turtle").name
'xml'
>>> choose(None, requested="jsonld").media_type
'application/ld+json'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import KgError
from ..formats import RDF_FORMATS
from ..negotiation import accepted

HTML = "html"


@dataclass(frozen=True)
class Format:
    """A document format: our name, its media type, its file suffix."""

    name: str
    media_type: str
    suffix: str


FORMATS: dict[str, Format] = {
    HTML: Format(HTML, "text/html", ".html"),
    **{f.name: Format(f.name, f.media_type, f.suffix) for f in RDF_FORMATS.values()},
}
BY_SUFFIX = {f.suffix: f for f in FORMATS.values()}
_BY_TYPE = {f.media_type: f for f in FORMATS.values()}
#: Other names clients use for the same types.
_ALIASES = {
    "application/xhtml+xml": HTML,
    "application/x-turtle": "turtle",
    "text/n3": "turtle",  # Turtle is a subset of N3: an N3 reader reads it
    "application/json": "jsonld",
    "text/plain": "nt",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/x-nquads": "nquads",
}
_WILDCARDS = {"*/*": "turtle", "application/*": "turtle", "text/*": "turtle"}
DEFAULT = "turtle"


class NotAcceptable(KgError):
    """The client accepts none of the types a document comes in (HTTP 406)."""


class UnknownFormat(KgError):
    """``?format=`` names a format we do not have (HTTP 400)."""


def offered() -> str:
    """The media types a document comes in, for messages and the 406 body."""
    return ", ".join(f.media_type for f in FORMATS.values())


def choose(accept: str | None, *, requested: str | None = None) -> Format:
    """The format to answer in (see the module docstring)."""
    if requested:
        key = requested.lower().lstrip(".")
        found = FORMATS.get(key) or BY_SUFFIX.get("." + key) or _BY_TYPE.get(key)
        if found is None:
            raise UnknownFormat(
                f"Unknown format {requested!r}; choose one of: {', '.join(FORMATS)}."
            )
        return found
    wanted = accepted(accept)
    if not wanted:
        if accept and accept.strip():
            raise NotAcceptable(f"Nothing acceptable in {accept!r}; this IRI gives: {offered()}.")
        return FORMATS[DEFAULT]
    for media in wanted:
        found = _BY_TYPE.get(media)
        if found is None and media in _ALIASES:
            found = FORMATS[_ALIASES[media]]
        if found is None and media in _WILDCARDS:
            found = FORMATS[_WILDCARDS[media]]
        if found is not None:
            return found
    raise NotAcceptable(
        f"None of the accepted media types ({accept}) is one this IRI comes in: {offered()}."
    )
