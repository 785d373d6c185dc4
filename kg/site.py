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
one step where the system allows (:func:`_swap_in`), so a failed or killed
build leaves the previous site as it was; every download is read back first.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from .atomic import WRITE_ERRNOS, write_error
from .errors import KgError, WriteError
from .network import KIND_BY_KEY, KINDS, curie, is_web_link, neighbourhood, to_networkx
from .view import NOTE_SKIP, asset, csp, environment, json_for_script, view_data

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["MARKER", "SiteReport", "build_site", "page_path"]

#: File that marks a folder as a thb-kg site (only such a folder is replaced).
MARKER = ".thb-kg-site"
ASSETS = ("vis-network.min.js", "view.js", "view.css", "site.css", "LICENSE-vis-network.txt")
#: Kinds listed first on the entity index (the rest follow in KINDS order).
MAIN_KINDS = ("instrument", "body", "person", "post", "campaign", "report", "case", "event")
QUERY_ROW_CAP = 500

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SiteReport:
    """What :func:`build_site` wrote."""

    out: Path
    pages: int
    entities: int
    queries: int
    downloads: tuple[str, ...]
    bytes: int
    seconds: float
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------- paths


def _segment(text: str) -> str:
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
                return f"e/eli/{_segment('-'.join(parts))}.html"
            if len(parts) >= 2:
                return f"e/{_segment(parts[0])}/{_segment('-'.join(parts[1:]))}.html"
    return f"e/other/{hashlib.sha1(iri.encode()).hexdigest()[:12]}.html"


def _source_path(iri: str) -> str:
    slug = iri.rsplit("/", 1)[-1] if iri.startswith("https://w3id.org/thb-kg/graph/") else ""
    digest = hashlib.sha1(iri.encode()).hexdigest()[:6]
    return f"s/{_segment(slug)}-{digest}.html" if slug else f"s/{digest}.html"


def _relative(from_page: str, to_page: str) -> str:
    return "../" * from_page.count("/") + to_page


# ---------------------------------------------------------------- the builder


class _Site:
    def __init__(self, kg: KnowledgeGraph, root: Path, progress: Progress | None) -> None:
        self.kg = kg
        self.root = root
        self.progress = progress or (lambda step, done, total: None)
        self.env = environment()
        self.G = to_networkx(kg)
        self.sources: Mapping[str, Mapping[str, Any]] = self.G.graph["sources"]
        self.pages: dict[str, str] = {}
        taken: dict[str, str] = {}
        for n in sorted(self.G.nodes):
            path = page_path(n)
            if path in taken:  # two IRIs, one slug: tell them apart
                path = path[:-5] + "-" + hashlib.sha1(n.encode()).hexdigest()[:6] + ".html"
            taken[path] = n
            self.pages[n] = path
        self.source_pages = {g: _source_path(g) for g in self.sources}
        self.comparable = _comparable_properties(kg)
        self.written = 0
        self.bytes = 0
        self.notes: list[str] = []
        self.n_queries = 0
        self.download_names: list[str] = []

    # ------------------------------------------------------------ helpers
    def write(self, path: str, text: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = text.encode("utf-8") if isinstance(text, str) else text
        target.write_bytes(payload)
        self.written += 1
        self.bytes += len(payload)

    def render(self, template: str, path: str, **context: Any) -> None:
        from . import __version__

        root = "../" * path.count("/")
        html = self.env.get_template(template).render(
            root=root,
            here=path,
            version=__version__,
            csp=csp(self_scripts=True),
            link=lambda iri: self.link(path, iri),
            source=lambda g: self.source_ref(path, g),
            kinds=KIND_BY_KEY,
            **context,
        )
        self.write(path, html)

    def link(self, here: str, iri: str | None) -> str | None:
        if iri is None or iri not in self.pages:
            return None
        return _relative(here, self.pages[iri])

    def source_ref(self, here: str, g: str) -> dict[str, Any]:
        info = self.sources.get(g, {})
        href = info.get("document")
        return {
            "title": str(info.get("title", g)),
            "href": href if href and is_web_link(href) else None,
            "page": _relative(here, self.source_pages[g]) if g in self.source_pages else None,
            "unconfirmed": bool(info.get("unconfirmed")),
            "iri": g,
        }

    def view_json(self, here: str, G: nx.MultiDiGraph, *, focus: str | None = None) -> Any:
        data = view_data(
            G,
            focus=focus,
            open_focus=False,
            page_for=lambda iri: self.link(here, iri),
            source_page_for=lambda g: (
                _relative(here, self.source_pages[g]) if g in self.source_pages else None
            ),
        )
        return data, json_for_script(data)

    # ------------------------------------------------------------ pages
    def build(self) -> SiteReport:
        start = time.perf_counter()
        lib = _library()
        steps: list[tuple[str, Callable[[], None]]] = [
            ("assets", self.assets),
            ("overview", self.overview),
            ("entity pages", self.entities),
            ("timeline", self.timeline),
            ("dated figures", self.dated),
            ("question library", lambda: self.questions(lib)),
            ("ontology", self.ontology),
            ("sources", self.source_pages_all),
            ("downloads", self.downloads),
        ]
        for i, (name, step) in enumerate(steps):
            self.progress(name, i, len(steps))
            step()
        self.progress("done", len(steps), len(steps))
        (self.root / MARKER).write_text("thb-kg static site; safe to replace with kg site\n")
        return SiteReport(
            out=self.root,
            pages=sum(1 for _ in self.root.rglob("*.html")),
            entities=len(self.pages),
            queries=self.n_queries,
            downloads=tuple(self.download_names),
            bytes=self.bytes,
            seconds=time.perf_counter() - start,
            notes=tuple(self.notes),
        )

    def assets(self) -> None:
        for name in ASSETS:
            text = asset(name)
            if name == "site.css":  # colours by class, from the one table in kg.network
                text += "".join(
                    f'.swatch[data-kind="{k.key}"] {{ background: {k.color}; }}\n' for k in KINDS
                )
            self.write(f"assets/{name}", text)

    def overview(self) -> None:
        data, data_json = self.view_json("index.html", self.G)
        counts: dict[str, int] = defaultdict(int)
        for _n, d in self.G.nodes(data=True):
            counts[d["kind"]] += 1
        self.render(
            "site_index.html",
            "index.html",
            title="thb-kg: the legal framework against trafficking in human beings",
            data_json=data_json,
            nodes=len(data["nodes"]),
            edges=len(data["edges"]),
            counts=[(KIND_BY_KEY[k.key], counts[k.key]) for k in KINDS if counts[k.key]],
            sources=len(self.sources),
            as_of=None,
        )
        by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for n, d in self.G.nodes(data=True):
            by_kind[d["kind"]].append((d["label"], n))
        groups = [
            (KIND_BY_KEY[k], sorted(by_kind[k], key=lambda t: (t[0].casefold(), t[1])))
            for k in list(MAIN_KINDS) + [k.key for k in KINDS if k.key not in MAIN_KINDS]
            if by_kind.get(k)
        ]
        self.render("site_entities.html", "entities.html", title="Entities", groups=groups)

    def entities(self) -> None:
        nodes = sorted(self.G.nodes)
        for i, n in enumerate(nodes):
            if i % 25 == 0:
                self.progress(f"entity pages ({i}/{len(nodes)})", 2, 8)
            self.entity(n)

    def entity(self, n: str) -> None:
        here = self.pages[n]
        d = self.G.nodes[n]
        hood = neighbourhood(self.G, n, 1)
        _data, data_json = self.view_json(here, hood, focus=n)
        out_edges = sorted(
            self.G.out_edges(n, keys=True, data=True),
            key=lambda e: (e[3]["label"], self.G.nodes[e[1]]["label"]),
        )
        in_edges = sorted(
            self.G.in_edges(n, keys=True, data=True),
            key=lambda e: (e[3]["label"], self.G.nodes[e[0]]["label"]),
        )
        values: dict[str, set[str]] = defaultdict(set)
        for f in d["facts"]:
            if f["predicate"] in self.comparable:
                values[f["predicate"]].add(f["value"])
        disputed = {p for p, v in values.items() if len(v) > 1}
        disputed_labels = sorted({f["label"] for f in d["facts"] if f["predicate"] in disputed})
        for _u, _v, _k, e in out_edges + in_edges:  # a qualified fact's dates may disagree too
            edge_values: dict[str, set[str]] = defaultdict(set)
            for f in e["facts"]:
                if f["predicate"] in self.comparable:
                    edge_values[f["predicate"]].add(f["value"])
            for f in e["facts"]:
                if len(edge_values.get(f["predicate"], ())) > 1:
                    disputed.add(f["predicate"])
                    disputed_labels.append(f"{f['label']} ({e['label']})")
        disputed_labels = sorted(set(disputed_labels))
        class_labels = self.G.graph.get("class_labels", {})
        from .lod.site import entity_files  # .ttl and .jsonld beside the page (issue 13)

        alternates = entity_files(self.kg, n, here, self.write, self.__dict__.setdefault("lod", {}))
        self.render(
            "site_entity.html",
            here,
            title=d["label"],
            node=d,
            iri=n,
            web_iri=is_web_link(n),
            kind=KIND_BY_KEY[d["kind"]],
            types=[(class_labels.get(t, t), curie(t)) for t in d["types"]],
            facts=d["facts"],
            disputed=disputed,
            disputed_labels=disputed_labels,
            out_edges=[(self.G.nodes[v], v, e) for _u, v, _k, e in out_edges],
            in_edges=[(self.G.nodes[u], u, e) for u, _v, _k, e in in_edges],
            notes=d["notes"],
            note_skip=NOTE_SKIP,
            links=[link for link in d["links"] if is_web_link(link["href"])],
            data_json=data_json,
            as_of=None,
            alternates=alternates,
        )

    def timeline(self) -> None:
        events = []
        for n, d in self.G.nodes(data=True):
            for f in d["facts"]:
                if f.get("date"):
                    events.append(
                        (f["date"], f["value"], d["label"], f["label"], n, None, f["sources"])
                    )
        for u, v, e in self.G.edges(data=True):
            for f in e["facts"]:
                if f.get("date"):
                    what = f"{self.G.nodes[u]['label']} {e['label']} {self.G.nodes[v]['label']}"
                    events.append((f["date"], f["value"], what, f["label"], u, v, f["sources"]))
        events.sort(key=lambda ev: (ev[0], ev[2].casefold(), ev[3]))
        years: dict[str, list[Any]] = defaultdict(list)
        for ev in events:
            years[ev[0][:4]].append(ev)
        self.render(
            "site_timeline.html",
            "timeline.html",
            title="Timeline",
            years=sorted(years.items()),
            count=len(events),
        )

    def dated(self) -> None:
        """``dated.html``: counts and claims true "as at" a date, and the undated "to date" ones.

        A student reading "182 parties" must see that it is a count as at
        20 April 2024, not today's; the rows are :func:`kg.staleness.stale_facts`
        as at the day the site is built.
        """
        from datetime import date

        from .namespaces import THB
        from .query import labels
        from .staleness import stale_facts

        today = date.today()
        result = stale_facts(self.kg, today)
        rows = result.as_dicts()
        names = labels(self.kg, (t for r in rows for t in r.values()))
        entries = []
        for r in rows:
            fact = str(r["fact"])
            value = r.get("value")
            label = names.get(r["fact"]) or curie(fact)
            if "indicator" in r:  # an observation: "parties (UN Trafficking in Persons Protocol)"
                label = names.get(r["indicator"], curie(str(r["indicator"])))
            elif "text" in r and r["fact"] not in names:  # a claim: its words say it all
                label = ""
            instrument = r.get("instrument")
            entries.append({
                "as_at": str(r["asAt"]) if "asAt" in r else None,
                "fact": fact,
                "label": label,
                "instrument": str(instrument) if instrument is not None else None,
                "instrument_label": names.get(instrument, "") if instrument is not None else "",
                "text": str(r["text"]) if "text" in r else None,
                "value": _number(str(value)) if value is not None else None,
                "unit": names.get(r["unit"], curie(str(r["unit"]))) if "unit" in r else None,
                "wording": str(r["wording"]) if "wording" in r else None,
                "kind": str(r["kind"]),
                "unconfirmed": r.get("confidence") == THB.Unconfirmed,
                "source": str(r["source"]),
            })
        self.render(
            "site_dated.html",
            "dated.html",
            title="Dated figures and claims",
            entries=entries,
            built=today.isoformat(),
            undated=sum(1 for e in entries if e["as_at"] is None),
        )

    def questions(self, lib: Any) -> None:
        self.n_queries = 0
        if lib is None:
            self.notes.append(
                "the question library (kg.library) is not available; questions.html says so"
            )
            self.render(
                "site_questions.html",
                "questions.html",
                title="Questions",
                queries=[],
                available=False,
            )
            return
        from .query import run

        engine: Any = self.kg
        try:  # Oxigraph answers the library in milliseconds; rdflib takes seconds
            from .cache import Snapshot

            engine = Snapshot.from_graph(self.kg)
        except ImportError:
            pass
        entries = []
        for q in lib.list_queries():
            here = f"q/{_segment(q.name)}.html"
            error = None
            result = None
            try:
                result = run(engine, q.sparql, q.bindings(), max_rows=QUERY_ROW_CAP, policy=None)
            except KgError as exc:
                error = str(exc)
            rows, columns = _result_table(result)
            entries.append((q, here))
            self.render(
                "site_query.html",
                here,
                title=q.title,
                q=q,
                error=error,
                columns=columns,
                rows=rows,
                boolean=getattr(result, "boolean", None),
                truncated=bool(getattr(result, "truncated", False)),
                label_of=lambda term: self.G.nodes[term]["label"] if term in self.G else None,
            )
            self.n_queries += 1
        self.render(
            "site_questions.html",
            "questions.html",
            title="Questions",
            queries=entries,
            available=True,
        )

    def ontology(self) -> None:
        from .graph import ONTOLOGY_GRAPH
        from .namespaces import OWL, RDF, RDFS

        onto = self.kg.dataset.graph(ONTOLOGY_GRAPH)
        info: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"label": None, "comment": None, "parents": [], "kinds": set()}
        )
        for s, p, o in onto:
            if not isinstance(s, type(ONTOLOGY_GRAPH)):
                continue
            entry = info[str(s)]
            if p == RDFS.label and (entry["label"] is None or getattr(o, "language", None) == "en"):
                entry["label"] = str(o)
            elif p == RDFS.comment:
                entry["comment"] = str(o)
            elif p in (RDFS.subClassOf, RDFS.subPropertyOf) and isinstance(o, type(ONTOLOGY_GRAPH)):
                entry["parents"].append(str(o))
            elif p == RDF.type:
                entry["kinds"].add(str(o))
        instances: dict[str, list[str]] = defaultdict(list)
        for n, d in self.G.nodes(data=True):
            for t in d["types"]:
                instances[t].append(n)
        usage: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
        count: dict[str, int] = defaultdict(int)
        for s, p, o, _g in self.kg.asserted_quads():
            if _g in self.sources:
                count[str(p)] += 1
                if len(usage[str(p)]) < 30:
                    usage[str(p)].append((s, o))
        class_kinds = {str(OWL.Class), str(RDFS.Class), str(RDFS.Datatype)}
        classes = sorted(
            {c for c, e in info.items() if e["kinds"] & class_kinds} | set(instances),
            key=lambda c: curie(c),
        )
        properties = sorted(
            {p for p, e in info.items() if e["label"] and not e["kinds"] & class_kinds}
            | set(count),
            key=lambda p: curie(p),
        )
        self.render(
            "site_ontology.html",
            "ontology.html",
            title="Ontology: classes and properties",
            classes=[
                (
                    c,
                    info.get(c),
                    sorted(instances.get(c, []), key=lambda n: self.G.nodes[n]["label"]),
                )
                for c in classes
                if c != str(RDF.Property)
            ],
            properties=[(p, info.get(p), count.get(p, 0), usage.get(p, [])) for p in properties],
            curie=curie,
            thb_ns="https://w3id.org/thb-kg/ontology#",  # each term's anchor is its fragment
            label_of=lambda term: self.G.nodes[str(term)]["label"] if str(term) in self.G else None,
            node_label=lambda n: self.G.nodes[n]["label"],
        )

    def source_pages_all(self) -> None:
        claims: dict[str, list[tuple[str, str, str, str | None]]] = defaultdict(list)
        for n, d in self.G.nodes(data=True):
            for f in d["facts"]:
                for g in f["sources"]:
                    claims[g].append((n, f["label"], f["value"], f.get("iri")))
            for note in d["notes"]:
                for g in note["sources"]:
                    claims[g].append((n, note["label"], note["text"], None))
        for u, v, e in self.G.edges(data=True):
            for g in e["sources"]:
                claims[g].append((u, e["label"], self.G.nodes[v]["label"], v))
        listing = sorted(self.sources, key=lambda g: (str(self.sources[g].get("title")), g))
        for g in listing:
            here = self.source_pages[g]
            self.render(
                "site_source.html",
                here,
                title=str(self.sources[g].get("title", g)),
                info=self.sources[g],
                src=self.source_ref(here, g),
                claims=sorted(claims[g], key=lambda c: (self.G.nodes[c[0]]["label"], c[1], c[2])),
                node_label=lambda n: self.G.nodes[n]["label"] if n in self.G else n,
            )
        self.render(
            "site_sources.html",
            "sources.html",
            title="Sources",
            sources=[(self.source_ref("sources.html", g), len(claims[g])) for g in listing],
        )

    def downloads(self) -> None:
        """``data/`` and ``downloads.html``: each file is read back, as ``kg export`` does.

        A download that does not read back (GraphML or GEXF of a label holding a
        control character XML cannot hold, a serialiser bug) stops the build
        (:class:`_BadDownload`, a :class:`WriteError` from :func:`build_site`):
        the previous site stays as it was and the message names the entity to
        fix. Dropping the file with a warning was the other choice; it was not
        taken because a site is usually built to be published, often by a
        script that only looks at the exit code: a site that silently stops
        offering GraphML, with links elsewhere to it, is worse than the
        previous complete site plus an error naming the bad label. It is also
        what ``kg export`` does with the same data.
        """
        from rdflib import Dataset

        from .atomic import reads_back
        from .dump import serialize
        from .formats import NETWORK_FORMATS, RDF_FORMATS
        from .network.files import xml_problem

        def ship(name: str, what: str, payload: bytes, read: Callable[[Path], object]) -> None:
            self.write(name, payload)
            try:
                reads_back(read, what, name)(self.root / name)
            except WriteError as exc:
                raise _BadDownload(
                    f"its download {name} did not read back ({exc.__cause__})"
                ) from exc

        def rdf_reader(fmt: str) -> Callable[[Path], object]:
            return lambda path: Dataset().parse(path, format=fmt)

        files = []
        for spec in RDF_FORMATS.values():
            name = f"data/thb-kg{spec.suffix}"
            try:
                payload = serialize(self.kg, spec)
            except WriteError as exc:
                raise _BadDownload(f"its download {name} cannot be written: {exc}") from exc
            ship(name, spec.name, payload, rdf_reader(spec.rdflib_name))
            what = "named graphs kept" if spec.quads else "all graphs merged"
            files.append((name, spec.name, spec.media_type, len(payload), f"RDF, {what}"))
        problem = xml_problem(self.G)
        for nspec in NETWORK_FORMATS.values():
            name = f"data/thb-kg{nspec.suffix}"
            if problem:
                raise _BadDownload(f"its download {name} cannot be written: {problem}")
            payload = nspec.encode(self.G)
            ship(name, nspec.name, payload, nspec.read)
            files.append(
                (name, nspec.name, nspec.media_type, len(payload), "network for Gephi, yEd")
            )
        from .lod.site import downloads as lod_downloads  # VoID and DCAT-AP (issue 13)

        files += lod_downloads(self.kg, self.write)
        self.download_names = [f[0] for f in files]
        self.render("site_downloads.html", "downloads.html", title="Downloads", files=files)


def _number(value: Any) -> str:
    """182.0 -> "182", 2700000000 -> "2,700,000,000", 2.5 -> "2.5"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,}"


def _comparable_properties(kg: KnowledgeGraph) -> set[str]:
    """Properties with one value per subject (thb:ComparableProperty): sources can disagree."""
    from .graph import ONTOLOGY_GRAPH
    from .namespaces import RDF, THB

    onto = kg.dataset.graph(ONTOLOGY_GRAPH)
    return {str(p) for p in onto.subjects(RDF.type, THB.ComparableProperty)}


def _result_table(result: Any) -> tuple[list[list[Any]], list[str]]:
    if result is None:
        return [], []
    if getattr(result, "kind", None) is not None and result.kind.gives_graph:
        return [list(t) for t in result.triples[:QUERY_ROW_CAP]], ["subject", "predicate", "object"]
    return [list(r) for r in result.rows], list(result.vars)


# ---------------------------------------------------------------- swapping the folder in

#: A temporary folder this young is never taken for a leftover: its build may
#: not hold its lock yet (seconds).
STALE_AFTER = 60.0
#: Where folders cannot be locked (some network file systems), a leftover must
#: be this old before it is removed (seconds).
STALE_UNLOCKABLE = 3600.0
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


class _BadDownload(Exception):
    """A download that cannot be shipped; :func:`build_site` makes it a WriteError."""


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise WriteError(f"Cannot write the site to {out}: it is a file, not a folder.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise WriteError(
            f"{out} is not empty and is not a thb-kg site; choose an empty or new folder "
            "(kg site only replaces folders it wrote itself)."
        )
    if not out.parent.is_dir():
        raise WriteError(f"Cannot write the site to {out}: folder {out.parent} does not exist.")


def _leftover_pattern(out: Path) -> re.Pattern[str]:
    """Names of the temporary folders builds of ``out`` make (and made, with mkdtemp)."""
    return re.compile(rf"\.{re.escape(out.name)}\.(?:tmp|old)-[A-Za-z0-9_]{{8}}\Z")


def _lock(path: Path) -> int | None:
    """Open the folder ``path`` and hold an exclusive lock on it; None if it cannot be
    locked. The lock goes with the process: a crashed build's folder is unlocked."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _new_folder(parent: Path, prefix: str, mode: int) -> tuple[Path, int | None]:
    """A new locked folder ``parent/prefix + 8 random characters`` (``mode`` less the umask)."""
    from .atomic import create_private_name

    for _ in range(100):
        path = parent / create_private_name(prefix)
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            continue
        return path, _lock(path)
    raise FileExistsError(errno.EEXIST, "no free temporary folder name", str(parent))


def _unused_lock(path: Path) -> tuple[bool, int | None]:
    """Whether the leftover ``path`` belongs to no running build, and the lock that says so.

    A folder is in use while its build holds its lock (see :func:`_lock`); one
    younger than :data:`STALE_AFTER` is left alone in any case.
    """
    try:
        age = time.time() - path.lstat().st_mtime
    except OSError:
        return False, None
    if age < STALE_AFTER:
        return False, None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_NOFOLLOW)
    except OSError:
        return False, None
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False, None
    except (ImportError, OSError):  # no locks here: go by age alone
        os.close(fd)
        return age >= STALE_UNLOCKABLE, None
    return True, fd


def _clean_stale(out: Path) -> list[Path]:
    """Remove what earlier builds of ``out`` left beside it; returns what was removed.

    Only folders named like ours (``.NAME.tmp-XXXXXXXX``, ``.NAME.old-XXXXXXXX``)
    that no running build holds. If a build was interrupted half-way through the
    fallback swap (``out`` missing, the previous site in ``.NAME.old-*``), that
    site is put back first.
    """
    pattern = _leftover_pattern(out)
    removed: list[Path] = []
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return removed
    for path in sorted(entries):
        if not pattern.match(path.name) or path.is_symlink() or not path.is_dir():
            continue
        unused, fd = _unused_lock(path)
        if not unused:
            continue
        try:
            kept = path / "site"
            if ".old-" in path.name and not os.path.lexists(out) and (kept / MARKER).is_file():
                os.rename(kept, out)
            shutil.rmtree(path)
            removed.append(path)
        except OSError:
            pass  # e.g. a read-only folder: the build that follows will say so
        finally:
            _unlock(fd)
    return removed


def _renameat2() -> Callable[..., int] | None:
    """glibc's ``renameat2`` (2.28 or later), or None."""
    import ctypes

    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one step (``renameat2(RENAME_EXCHANGE)``).

    False when this system cannot (not Linux or glibc < 2.28, a kernel before
    3.15, a file system without exchange such as NFS): then nothing was moved.
    """
    import ctypes

    fn = _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _swap_in(tmp: Path, out: Path) -> None:
    """Put the finished build ``tmp`` at ``out`` in one step; the old site ends in ``tmp``.

    * ``out`` missing: one ``rename``.
    * ``out`` exists: ``renameat2(RENAME_EXCHANGE)`` swaps the two folders
      atomically, so at every instant ``out`` is a complete site, old or new,
      and stays a plain folder (no symlink). The caller then deletes ``tmp``,
      which holds the old site; if it crashes first, the next build removes it.
    * Where exchange is unavailable (see :func:`_exchange`), two renames: the
      old site is moved into ``.NAME.old-XXXXXXXX/site``, then the new one in.
      A crash between them leaves no ``out``; the next ``kg site`` puts the old
      site back before it builds (:func:`_clean_stale`).
    """
    if not os.path.lexists(out):
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        return
    old, fd = _new_folder(out.parent, f".{out.name}.old-", 0o700)
    try:
        try:
            os.rename(out, old / "site")
            os.rename(tmp, out)
        except BaseException:
            if not os.path.lexists(out) and os.path.lexists(old / "site"):
                os.rename(old / "site", out)  # put the old site back
            raise
        os.rename(old / "site", tmp)  # the caller removes tmp, as after an exchange
    finally:
        try:
            if os.path.lexists(out):  # else old/site is the only site left: keep it
                shutil.rmtree(old, ignore_errors=True)
        finally:
            _unlock(fd)


def _keep_modes(old: Path, new: Path) -> None:
    """The new site keeps the old one's folder mode and group, and every file or folder
    the old site had keeps its mode; new ones get the umask's (as any file would)."""
    from .atomic import match_mode

    try:
        match_mode(new, os.stat(old))
    except OSError:
        return
    for folder, dirs, files in os.walk(new):
        rel = os.path.relpath(folder, new)
        for name in dirs + files:
            try:
                before = os.lstat(os.path.join(old, rel, name))
                now = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            same_type = stat.S_IFMT(before.st_mode) == stat.S_IFMT(now.st_mode)
            if (
                same_type
                and not stat.S_ISLNK(now.st_mode)
                and (
                    stat.S_IMODE(before.st_mode) != stat.S_IMODE(now.st_mode)
                    or before.st_gid != now.st_gid
                )
            ):
                match_mode(Path(folder, name), before)


@contextmanager
def _sigterm_cleans_up() -> Iterator[None]:
    """While building, SIGTERM (a CI time-out, ``kill``) raises SystemExit, so the
    temporary folder is removed on the way out; only in the main thread and only
    when SIGTERM has its default action (a host program's handler is left alone)."""
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def build_site(
    kg: KnowledgeGraph, out: Path | str, *, progress: Progress | None = None
) -> SiteReport:
    """Write the static site for ``kg`` into the folder ``out`` (see the module docstring).

    ``out`` must be new, empty, or a site this function wrote before (it
    holds :data:`MARKER`); the new site replaces it only once complete, in
    one step (:func:`_swap_in`), keeping the old folder's mode. If ``out`` is
    a symlink, the folder it points to is replaced and the link kept.
    ``progress(step, done, total)`` is called as the build advances.

    The build happens in ``.NAME.tmp-XXXXXXXX`` beside ``out``, which is
    removed on any failure; leftovers of builds that were killed are removed
    by the next build (:func:`_clean_stale`). A failure to write (disk full,
    read-only file system, no permission) or a download that does not read
    back is a :class:`WriteError`, and the previous site is left as it was.
    """
    out = Path(out)
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    _check_target(out)
    _clean_stale(out)
    existed = os.path.lexists(out)
    tmp: Path | None = None
    fd: int | None = None
    try:
        with _sigterm_cleans_up():
            try:
                tmp, fd = _new_folder(out.parent, f".{out.name}.tmp-", 0o777)
                report = _Site(kg, tmp, progress).build()
                if existed:
                    _keep_modes(out, tmp)
                _swap_in(tmp, out)
            finally:
                try:
                    if tmp is not None:  # the failed build, or the old site after the swap
                        shutil.rmtree(tmp, ignore_errors=True)
                finally:
                    _unlock(fd)
    except _BadDownload as exc:
        state = "the previous site is left as it was" if existed else "nothing was written"
        raise WriteError(f"Cannot build the site in {out}: {exc}; {state}.") from exc
    except OSError as exc:
        if exc.errno not in WRITE_ERRNOS | {errno.EBUSY, errno.ENOTEMPTY, errno.EXDEV}:
            raise
        raise write_error(out, exc, existed=existed) from exc
    return SiteReport(**{**report.__dict__, "out": out})


def _library() -> Any:
    """kg.library when it is installed and complete, else None (the site says so)."""
    try:
        from . import library
    except ImportError:
        return None
    return library if hasattr(library, "list_queries") else None
