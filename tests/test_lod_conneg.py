"""Content negotiation for documents (kg.lod.conneg): Accept headers and ?format= to a format."""

from __future__ import annotations

import pytest

from kg.formats import RDF_FORMATS
from kg.lod.conneg import FORMATS, NotAcceptable, UnknownFormat, choose


@pytest.mark.parametrize(("accept", "name"), [
    (None, "turtle"),                                       # no header: the default
    ("", "turtle"),
    ("*/*", "turtle"),                                      # curl
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),  # Firefox
    ("application/xhtml+xml", "html"),
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("text/n3", "turtle"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/rdf+xml", "xml"),
    ("application/trig", "trig"),
    ("application/n-quads", "nquads"),
    # rdflib's Graph().parse(url): every parser's type at q=1, RDF/XML first
    ("application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
     "application/n-quads, application/trix, application/trig", "xml"),
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),   # q-values, not order
    ("application/ld+json;q=0.5, text/turtle;q=0.5", "jsonld"),  # a tie: the first
    ("image/png, text/turtle;q=0.1", "turtle"),             # skips what we cannot give
    ("TEXT/TURTLE", "turtle"),
    ("text/turtle; charset=utf-8", "turtle"),
])
def test_accept_header(accept: str | None, name: str) -> None:
    assert choose(accept).name == name


@pytest.mark.parametrize("accept", [
    "image/png",
    "application/sparql-results+json, text/csv",
    "text/turtle;q=0",
    "application/pdf;q=0.9, image/*",
])
def test_nothing_acceptable_lists_our_types(accept: str) -> None:
    with pytest.raises(NotAcceptable) as info:
        choose(accept)
    for f in FORMATS.values():
        assert f.media_type in str(info.value)


@pytest.mark.parametrize("name", list(FORMATS))
def test_format_override_beats_accept(name: str) -> None:
    assert choose("image/png", requested=name).name == name
    assert choose("text/html", requested=FORMATS[name].suffix.lstrip(".")).name == name


def test_every_rdf_format_is_offered() -> None:
    assert set(RDF_FORMATS) | {"html"} == set(FORMATS)


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(UnknownFormat) as info:
        choose(None, requested="pdf")
    assert "turtle" in str(info.value) and "jsonld" in str(info.value)
