"""``assets/search-index.js``: what the search box on every page searches, loaded
with a ``<script>`` element so that it works from ``file://`` with no server.

One document per entity (its label, its alternative names such as
"Palermo Protocol", its kind), per question of the library and per source.
``assets/search.js`` builds a MiniSearch index (vendored from npm,
``assets/minisearch.js``, MIT licence) over them in the browser, and ranks
by kind as well as by match: an instrument comes before the events about
it, so "2011/36" finds Directive 2011/36/EU first, not its adoption.
"""

from __future__ import annotations

import json
from typing import Any

from ..network import KIND_BY_KEY
from .context import Site
from .paths import segment

#: How much a match counts, by kind: instruments first, then the bodies that
#: guard them, then the rest; events and the parts of qualified facts last.
WEIGHTS = {
    "instrument": 3.0,
    "body": 2.2,
    "campaign": 1.8,
    "report": 1.6,
    "case": 1.6,
    "post": 1.4,
    "person": 1.4,
    "document": 1.3,
    "question": 1.3,
    "source": 1.0,
    "event": 0.6,
}
DEFAULT_WEIGHT = 0.8


def documents(site: Site) -> list[dict[str, Any]]:
    """The searchable documents: id, title, alternative names, kind, page, weight."""
    docs: list[dict[str, Any]] = []
    for n, d in sorted(site.G.nodes(data=True), key=lambda t: t[0]):
        if n not in site.pages:  # no page (kg site --max-pages): nothing to lead to
            continue
        docs.append(
            {
                "id": len(docs),
                "title": d["label"],
                "alt": " · ".join(d.get("alt") or ()),
                "kind": KIND_BY_KEY[d["kind"]].label,
                "url": site.pages[n],
                "w": WEIGHTS.get(d["kind"], DEFAULT_WEIGHT),
            }
        )
    from .questions import library

    lib = library()
    for q in lib.list_queries() if lib is not None else ():
        docs.append(
            {
                "id": len(docs),
                "title": q.title,
                "alt": q.question,
                "kind": "question",
                "url": f"q/{segment(q.name)}.html",
                "w": WEIGHTS["question"],
            }
        )
    for g, info in sorted(site.sources.items()):
        docs.append(
            {
                "id": len(docs),
                "title": str(info.get("title", g)),
                "alt": "",
                "kind": "source",
                "url": site.source_pages[g],
                "w": WEIGHTS["source"],
            }
        )
    return docs


def build(site: Site) -> None:
    text = json.dumps(documents(site), ensure_ascii=True, separators=(",", ":"))
    # a JavaScript file, not HTML; still, no "</" or "<!--" can end or open anything
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    site.write("assets/search-index.js", f"window.thbSearchDocuments = {text};\n")
