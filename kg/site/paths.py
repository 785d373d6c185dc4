"""Where each page of the site lives, and how one page links to another."""

from __future__ import annotations

import hashlib
import re

__all__ = ["page_path", "relative", "segment", "source_path"]


def segment(text: str) -> str:
    """A file-name-safe, lower-case slug of ``text`` (at most 80 characters)."""
    clean = re.sub(r"[^a-z0-9_\-]+", "-", text.lower()).strip("-")
    return clean[:80] or "x"


def page_path(iri: str) -> str:
    """The site path of an entity page, e.g. ``e/body/europol.html``.

    >>> page_path("https://w3id.org/thb-kg/id/body/europol")
    'e/body/europol.html'
    >>> page_path("http://data.europa.eu/eli/dir/2011/36/oj")
    'e/eli/dir-2011-36-oj.html'
    """
    for prefix, folder in (
        ("https://w3id.org/thb-kg/id/", ""),
        ("http://data.europa.eu/eli/", "eli/"),
    ):
        if iri.startswith(prefix):
            parts = [p for p in iri[len(prefix) :].split("/") if p]
            if folder:
                return f"e/eli/{segment('-'.join(parts))}.html"
            if len(parts) >= 2:
                return f"e/{segment(parts[0])}/{segment('-'.join(parts[1:]))}.html"
    return f"e/other/{hashlib.sha1(iri.encode()).hexdigest()[:12]}.html"


def source_path(iri: str) -> str:
    """The site path of a source's page: ``s/<slug>-<hash>.html``."""
    slug = iri.rsplit("/", 1)[-1] if iri.startswith("https://w3id.org/thb-kg/graph/") else ""
    digest = hashlib.sha1(iri.encode()).hexdigest()[:6]
    return f"s/{segment(slug)}-{digest}.html" if slug else f"s/{digest}.html"


def relative(from_page: str, to_page: str) -> str:
    """The link from ``from_page`` to ``to_page``, both site paths (works from file://)."""
    return "../" * from_page.count("/") + to_page
