"""The static site: a folder of HTML pages a student opens from disk or publishes.

:func:`build_site` writes, from one loaded graph:

* ``index.html`` -- the overview network, and the way in to everything else;
* ``e/<kind>/<slug>.html`` -- a page per entity (instrument, body, person,
  campaign, report, ...): its neighbourhood view, its facts and relations
  with their sources, its links to EUR-Lex, the UN and its own web pages;
* ``entities.html``, ``timeline.html`` (every dated fact, in order),
  ``dated.html`` (counts true "as at" a date and time-relative claims),
  ``questions.html`` and ``q/<name>.html`` (the question library: each
  query's SPARQL and its result), ``ontology.html`` (classes and properties
  with their instances), ``sources.html`` and ``s/<slug>.html``;
* ``downloads.html`` and ``data/`` -- the data as TriG, N-Quads, JSON-LD,
  GraphML and GEXF, from the format tables of :mod:`kg.formats`.

Pages share ``assets/`` (vis-network, the view's script and styles); each
carries a Content-Security-Policy that runs only those scripts and fetches
nothing. The folder is built beside ``out`` and swapped in at the end, in
one step where the system allows (:func:`kg.site.swap.swap_in`), so a
failed or killed build leaves the previous site as it was; every download
is read back first.

This package only re-exports; the work is done in its modules, one per
page family, as :mod:`kg.network` is split:

* :mod:`~kg.site.paths`: where each page lives, and relative links;
* :mod:`~kg.site.context`: :class:`~kg.site.context.Site`, what every page
  family shares during a build (graph, page table, templates, writer);
* page families, each with one ``build(site)``: :mod:`~kg.site.assets`,
  :mod:`~kg.site.overview`, :mod:`~kg.site.entities`,
  :mod:`~kg.site.timeline`, :mod:`~kg.site.dated`,
  :mod:`~kg.site.questions`, :mod:`~kg.site.ontology`,
  :mod:`~kg.site.sources`, :mod:`~kg.site.downloads`;
* :mod:`~kg.site.swap`: the temporary folder, its lock, the one-step swap;
* :mod:`~kg.site.build`: :func:`build_site`, the families in order.
"""

from __future__ import annotations

from .build import build_site
from .context import MARKER, SiteReport
from .paths import page_path

__all__ = ["MARKER", "SiteReport", "build_site", "page_path"]
