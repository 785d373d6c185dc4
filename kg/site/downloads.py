"""``downloads.html`` and ``data/``: the data as TriG, N-Quads, JSON-LD, GraphML and
GEXF, from the format tables of :mod:`kg.formats`, each file read back before it ships.

A download that does not read back (GraphML or GEXF of a label holding a
control character XML cannot hold, a serialiser bug) stops the build
(:class:`BadDownload`, a :class:`~kg.errors.WriteError` from
:func:`kg.site.build_site`): the previous site stays as it was and the
message names the entity to fix. Dropping the file with a warning was the
other choice; it was not taken because a site is usually built to be
published, often by a script that only looks at the exit code: a site that
silently stops offering GraphML, with links elsewhere to it, is worse than
the previous complete site plus an error naming the bad label. It is also
what ``kg export`` does with the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import WriteError
from .context import Site


class BadDownload(Exception):
    """A download that cannot be shipped; :func:`kg.site.build_site` makes it a WriteError."""


def build(site: Site) -> None:
    from rdflib import Dataset

    from ..atomic import reads_back
    from ..dump import serialize
    from ..formats import NETWORK_FORMATS, RDF_FORMATS
    from ..network.files import xml_problem

    def ship(name: str, what: str, payload: bytes, read: Callable[[Path], object]) -> None:
        site.write(name, payload)
        try:
            reads_back(read, what, name)(site.root / name)
        except WriteError as exc:
            raise BadDownload(f"its download {name} did not read back ({exc.__cause__})") from exc

    def rdf_reader(fmt: str) -> Callable[[Path], object]:
        return lambda path: Dataset().parse(path, format=fmt)

    files = []
    for spec in RDF_FORMATS.values():
        name = f"data/thb-kg{spec.suffix}"
        try:
            payload = serialize(site.kg, spec)
        except WriteError as exc:
            raise BadDownload(f"its download {name} cannot be written: {exc}") from exc
        ship(name, spec.name, payload, rdf_reader(spec.rdflib_name))
        what = "named graphs kept" if spec.quads else "all graphs merged"
        files.append((name, spec.name, spec.media_type, len(payload), f"RDF, {what}"))
    problem = xml_problem(site.G)
    for nspec in NETWORK_FORMATS.values():
        name = f"data/thb-kg{nspec.suffix}"
        if problem:
            raise BadDownload(f"its download {name} cannot be written: {problem}")
        payload = nspec.encode(site.G)
        ship(name, nspec.name, payload, nspec.read)
        files.append((name, nspec.name, nspec.media_type, len(payload), "network for Gephi, yEd"))
    site.download_names = [f[0] for f in files]
    site.render("site_downloads.html", "downloads.html", title="Downloads", files=files)
