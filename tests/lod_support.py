"""Shared by the Linked Data tests (not a test module): a real `kg serve` on the
shipped graph, an HTTP helper, and RDF 1.1 term equality for comparing what a
document holds with the graph."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import live_server
from rdflib import BNode, Literal
from rdflib.namespace import XSD

from kg.terms import canonical

#: What every blank node compares as (its label does not survive a round trip).
BLANK = Literal("_:blank")


def norm(term: Any) -> Any:
    """RDF 1.1 term equality: ``"x"^^xsd:string`` is ``"x"``; decimals in canonical form;
    a blank node is any blank node."""
    if isinstance(term, BNode):
        return BLANK
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return canonical(term)


def triples(quads: Any) -> set[tuple[Any, Any, Any]]:
    """The normalised triples of some quads (or triples)."""
    return {(norm(s), norm(p), norm(o)) for s, p, o, *_g in quads}


def graph_sizes(kg: Any) -> dict[Any, int]:
    """Statements per named graph of a loaded graph, counted from its quads."""
    from collections import Counter

    default = kg.dataset.default_graph.identifier
    sizes = Counter(getattr(c, "identifier", c) for *_t, c in kg.dataset.quads((None, None, None, None)))
    sizes.pop(default, None)
    return dict(sizes)


@contextmanager
def kg_serve(cache: Path, *options: str) -> Iterator[str]:
    """`kg serve` on graph_data/ with two workers, on a free port; its base URL."""
    with live_server.kg_serve(cache, "--workers", "2", *options) as base:
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(url: str, *, accept: str | None = None, method: str = "GET",
            data: bytes | None = None, headers: dict[str, str] | None = None,
            follow: bool = True) -> tuple[int, dict[str, str], bytes]:
    """Status, lower-cased headers and body of one request (redirects followed or not)."""
    hdrs = {**({"Accept": accept} if accept else {}), **(headers or {})}
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
    opener = urllib.request.build_opener() if follow else _OPENER
    try:
        with opener.open(req, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()
