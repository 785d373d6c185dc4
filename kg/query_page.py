"""The query page of ``kg serve``: an editor on par with the Wikidata Query Service, offline.

One HTML page with every script inlined (no CDN, no fonts, nothing fetched
but the endpoint itself):

- the editor is CodeMirror 6 with the SPARQL grammar of
  ``codemirror-lang-sparql`` (``kg/static/sparql-editor.min.js``, MIT,
  rebuilt from npm by ``scripts/editor/build.sh``): highlighting, bracket
  matching, search, and completion of our prefixes and of the terms of
  our vocabularies (:data:`kg.namespaces.PREFIXES`);
- the query library's questions are the examples;
- the query is in the URL (``?query=...``, ``&run=1`` to show the results
  on load), so a link reproduces the page; the server puts it back in the
  editor, so it works without the script as a plain form too;
- downloads are links to the endpoint itself (CSV, TSV, JSON; Turtle for
  triples), so a file is exactly what a client of ``/sparql`` gets;
- a CONSTRUCT, or a SELECT with ``?source ?relation ?target``, is drawn
  with ``kg viz``'s code (:mod:`kg.result_network` in the worker,
  ``kg/static/view.js`` in the page);
- an error shows the CLI's sentence and hint and marks its line and column.

The page carries a Content-Security-Policy (:func:`page_csp`) that runs only
its own inline scripts (by hash), applies only its own styles (by a nonce
made for each response) and lets it connect only to its own origin.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup

from .view import asset, json_for_script, script_hash

#: The inline scripts of the page: the editor and the page's own run at load;
#: vis-network and view.js when a result is drawn (see serve_query.html).
SCRIPTS = ("sparql-editor.min.js", "query_page.js", "vis-network.min.js", "view.js")
#: Vocabularies whose terms the editor completes after their prefix (all but schema.org's
#: 2,700 terms, which would outweigh the rest of the page's data).
MAX_TERMS = 300


@dataclass(frozen=True)
class Page:
    """The rendered page and the Content-Security-Policy to send with it."""

    html: str
    csp: str


@cache
def _hashes() -> tuple[str, ...]:
    return tuple(script_hash(asset(name)) for name in SCRIPTS)


@cache
def _styles() -> str:
    """The page's one style sheet: its own, then the network view's."""
    return asset("query_page.css") + asset("view.css")


def page_csp(nonce: str) -> str:
    """The page's policy: its own inline scripts by hash, styles by this response's nonce,
    requests to its own origin only.

    Differs from the static views' policy (:func:`kg.view.csp`) where the page
    needs it, and no wider: ``connect-src 'self'`` (the page asks
    ``/sparql``, ``/labels`` and ``/network``), ``form-action 'self'`` (the
    form goes to ``/sparql`` when the script is off), and styles by a nonce
    instead of ``'unsafe-inline'``: CodeMirror writes its own style elements,
    and takes the nonce (``EditorView.cspNonce``) to mark them.
    """
    return (
        "default-src 'none'; "
        f"script-src {' '.join(_hashes())}; "
        f"style-src 'nonce-{nonce}'; img-src data:; "
        "connect-src 'self'; font-src 'none'; object-src 'none'; frame-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


@cache
def vocabulary_terms() -> dict[str, list[str]]:
    """The local names the editor completes after each of our prefixes (rdflib's and ours)."""
    import rdflib.namespace as rdflib_ns
    from rdflib.namespace import DefinedNamespace

    from . import namespaces
    from .namespaces import PREFIXES

    by_iri: dict[str, type[DefinedNamespace]] = {}
    for module in (rdflib_ns, namespaces):
        for name in dir(module):
            obj = getattr(module, name)
            if (isinstance(obj, type) and issubclass(obj, DefinedNamespace)
                    and obj is not DefinedNamespace):
                by_iri[str(obj._NS)] = obj
    out: dict[str, list[str]] = {}
    for prefix, iri in PREFIXES.items():
        ns = by_iri.get(iri)
        names = sorted(getattr(ns, "__annotations__", {})) if ns is not None else []
        if 0 < len(names) <= MAX_TERMS:
            out[prefix] = [n for n in names if not n.startswith("_")]
    return out


def render(
    env: Any,
    *,
    examples: list[dict[str, str]],
    prefixes: dict[str, str],
    max_rows: int | None,
    timeout: float | None,
    query: str | None = None,
    run: bool = False,
) -> Page:
    """The page with ``query`` in the editor (else the first example's text)."""
    nonce = secrets.token_urlsafe(18)
    config = {
        "styleNonce": nonce,
        "prefixes": prefixes,
        "terms": vocabulary_terms(),
        "run": bool(run and query),
    }
    html = env.get_template("serve_query.html").render(
        examples=examples,
        examples_json=json_for_script(examples),
        config_json=json_for_script(config),
        prefixes=prefixes,
        max_rows=max_rows,
        timeout=timeout,
        query=query if query is not None else _DEFAULT_QUERY,
        scripts={name.split(".")[0].replace("-", "_"): Markup(asset(name))  # noqa: S704 - ours or vendored, checked by asset()
                 for name in SCRIPTS},
        styles=Markup(_styles()),  # noqa: S704 - our own static files
        nonce=nonce,
    )
    return Page(html, page_csp(nonce))


_DEFAULT_QUERY = """SELECT ?instrument ?inForce WHERE {
  ?instrument a eli:LegalResource ;
              eli:first_date_entry_in_force ?inForce .
}
ORDER BY ?inForce"""


def example_list(queries: list[Any], bind: Any) -> list[dict[str, str]]:
    """The library's questions as the page's examples: name, title, question, description, text."""
    from .errors import KgError

    out = []
    for q in queries:
        try:
            text = bind(q.sparql, q.bindings())
        except KgError:
            text = q.sparql
        out.append({"name": q.name, "title": q.title, "question": q.question,
                    "description": q.description, "sparql": text})
    return out


__all__ = ["Page", "example_list", "page_csp", "render", "vocabulary_terms"]
