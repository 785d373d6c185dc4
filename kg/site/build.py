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


def build_pages(site: Site) -> SiteReport:
    """Write every page family into ``site.root``; what was written."""
    start = time.perf_counter()
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
    kg: KnowledgeGraph, out: Path | str, *, progress: Progress | None = None
) -> SiteReport:
    """Write the static site for ``kg`` into the folder ``out`` (see the module docstring).

    ``out`` must be new, empty, or a site this function wrote before (it
    holds :data:`MARKER`); the new site replaces it only once complete, in
    one step (:func:`swap.swap_in`), keeping the old folder's mode. If ``out`` is
    a symlink, the folder it points to is replaced and the link kept.
    ``progress(step, done, total)`` is called as the build advances.

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
                report = build_pages(Site(kg, tmp, progress))
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
