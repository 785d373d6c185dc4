""":func:`build_site`: run the page families in order into a temporary folder, then
swap it in for the old site (:mod:`kg.site.swap`)."""

from __future__ import annotations

import errno
import os
import shutil
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..atomic import WRITE_ERRNOS, write_error
from ..errors import WriteError
from . import (
    assets,
    dated,
    downloads,
    entities,
    ontology,
    overview,
    questions,
    search,
    sources,
    start,
    swap,
    timeline,
)
from .context import MARKER, Progress, Site, SiteReport

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

#: At most this many entity pages by default (``kg site --max-pages``): a page takes
#: about 10 ms of CPU to write, so 5,000 pages take about a minute; the shipped graph
#: has far fewer entities, generated data of 100k quads 8,806.
DEFAULT_MAX_PAGES = 5000

#: The page families, in the order they are built: (progress step name, module).
#: Each module has one ``build(site)``; it is looked up when it runs.
STEPS: tuple[tuple[str, ModuleType], ...] = (
    ("assets", assets),
    ("start page", start),
    ("overview", overview),
    ("entity pages", entities),
    ("timeline", timeline),
    ("dated figures", dated),
    ("question library", questions),
    ("ontology", ontology),
    ("sources", sources),
    ("search index", search),
    ("downloads", downloads),
)


def limit_pages(site: Site, max_pages: int | None) -> None:
    """Keep the pages of the ``max_pages`` best-connected entities (most relations, then
    IRI order) and say so in a note; ``None`` or 0 keeps every page.

    Every other page family links only to entities that have a page
    (:meth:`Site.link` gives no link for the others, which stay plain text), so
    the site has no dangling links; the entity index still lists every entity."""
    total = len(site.pages)
    if not max_pages or total <= max_pages:
        return
    degree = site.G.degree
    kept = sorted(site.pages, key=lambda n: (-degree(n), n))[:max_pages]
    site.pages = {n: site.pages[n] for n in sorted(kept)}
    site.notes.append(
        f"the graph has {total:,} entities, more than --max-pages {max_pages:,}: the site has "
        f"pages for the {max_pages:,} best-connected ones (most relations), and the others "
        "are named without a link."
    )


def build_pages(site: Site, max_pages: int | None = None) -> SiteReport:
    """Write every page family into ``site.root``; what was written."""
    start = time.perf_counter()
    limit_pages(site, max_pages)
    for i, (name, family) in enumerate(STEPS):
        site.progress(name, i, len(STEPS))
        family.build(site)
    site.progress("done", len(STEPS), len(STEPS))
    (site.root / MARKER).write_text("thb-kg static site; safe to replace with kg site\n")
    return SiteReport(
        out=site.root,
        pages=sum(1 for _ in site.root.rglob("*.html")),
        entities=len(site.pages),
        queries=site.n_queries,
        downloads=tuple(site.download_names),
        bytes=site.bytes,
        seconds=time.perf_counter() - start,
        notes=tuple(site.notes),
    )


def build_site(
    kg: KnowledgeGraph, out: Path | str, *, progress: Progress | None = None,
    max_pages: int | None = None,
) -> SiteReport:
    """Write the static site for ``kg`` into the folder ``out`` (see the module docstring).

    ``out`` must be new, empty, or a site this function wrote before (it
    holds :data:`MARKER`); the new site replaces it only once complete, in
    one step (:func:`swap.swap_in`), keeping the old folder's mode. If ``out`` is
    a symlink, the folder it points to is replaced and the link kept.
    ``progress(step, done, total)`` is called as the build advances. With
    ``max_pages``, at most that many entity pages are written (:func:`limit_pages`).

    The build happens in ``.NAME.tmp-XXXXXXXX`` beside ``out``, which is
    removed on any failure; leftovers of builds that were killed are removed
    by the next build (:func:`swap.clean_stale`). A failure to write (disk full,
    read-only file system, no permission) or a download that does not read
    back is a :class:`WriteError`, and the previous site is left as it was.
    """
    out = Path(out)
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    swap.check_target(out)
    swap.clean_stale(out)
    existed = os.path.lexists(out)
    tmp: Path | None = None
    fd: int | None = None
    try:
        with swap.sigterm_cleans_up():
            try:
                tmp, fd = swap.new_folder(out.parent, f".{out.name}.tmp-", 0o777)
                report = build_pages(Site(kg, tmp, progress), max_pages)
                if existed:
                    swap.keep_modes(out, tmp)
                swap.swap_in(tmp, out)
            finally:
                try:
                    if tmp is not None:  # the failed build, or the old site after the swap
                        shutil.rmtree(tmp, ignore_errors=True)
                finally:
                    swap.unlock(fd)
    except downloads.BadDownload as exc:
        state = "the previous site is left as it was" if existed else "nothing was written"
        raise WriteError(f"Cannot build the site in {out}: {exc}; {state}.") from exc
    except OSError as exc:
        if exc.errno not in WRITE_ERRNOS | {errno.EBUSY, errno.ENOTEMPTY, errno.EXDEV}:
            raise
        raise write_error(out, exc, existed=existed) from exc
    return SiteReport(**{**report.__dict__, "out": out})
