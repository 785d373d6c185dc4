"""The static site's machine-readable files: beside each entity page, and in data/.

* ``e/<kind>/<slug>.ttl`` and ``.jsonld`` beside ``e/<kind>/<slug>.html``:
  the same document ``kg serve`` gives at ``/doc/<kind>/<slug>``
  (:mod:`kg.lod.documents`): the entity's statements and those pointing to
  it, each with its source graph in JSON-LD, merged with a provenance
  section in Turtle. The file names itself with a relative IRI (``<unodc.ttl>``),
  so it reads right wherever the site is published, or from disk.
  The page links them with ``<link rel="alternate">``;
* ``data/void.ttl`` and ``data/void.jsonld``: the VoID description and
  DCAT-AP record (:mod:`kg.lod.void`).

The site calls :func:`entity_files` for each page and :func:`downloads` once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..formats import RDF_FORMATS
from .documents import entity_document, serialize, source_descriptions, to_dataset

#: The formats written beside each entity page.
ENTITY_FORMATS = ("turtle", "jsonld")


def entity_files(kg: Any, iri: str, page: str, write: Callable[[str, bytes], None],
                 cache: dict[str, Any]) -> list[dict[str, str]]:
    """Write the entity's ``.ttl``/``.jsonld`` beside ``page``; their ``<link>`` entries."""
    if "sources" not in cache:
        cache["sources"] = source_descriptions(kg)
    doc = entity_document(kg, iri, cache["sources"], max_rows=None)
    stem = page.rsplit("/", 1)[-1].removesuffix(".html")
    folder = page[: len(page) - len(stem) - len(".html")]
    names = {"html": stem + ".html", **{f: stem + RDF_FORMATS[f].suffix for f in ENTITY_FORMATS}}
    links = []
    for name in ENTITY_FORMATS:
        spec = RDF_FORMATS[name]
        ds = to_dataset(doc, names[name], names)
        write(folder + names[name], serialize(ds, spec))
        links.append({"href": names[name], "type": spec.media_type,
                      "label": "Turtle" if name == "turtle" else "JSON-LD"})
    return links


def downloads(kg: Any, write: Callable[[str, bytes], None]) -> list[tuple[str, str, str, int, str]]:
    """Write the VoID/DCAT-AP description into ``data/``; the downloads page's rows."""
    from .void import describe

    ds = describe(kg)
    rows = []
    for name in ("turtle", "jsonld"):
        spec = RDF_FORMATS[name]
        path = f"data/void{spec.suffix}"
        payload = serialize(ds, spec)
        write(path, payload)
        rows.append((path, spec.name, spec.media_type, len(payload),
                     "VoID description and DCAT-AP record (triple counts per source)"))
    return rows
