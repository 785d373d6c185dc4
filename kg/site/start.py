"""``index.html``: the start page, which tells the story of the framework.

A student who knows nothing should answer from this page, or one click
away: which instruments make up the framework at each level; which body
guards or monitors each; what replaced or amended what; the key figures
with their sources and dates; and where the sources disagree. Its parts:

* the framework map (:mod:`kg.site.framework_map`), drawn as SVG here, on
  the server, so it reads without JavaScript and prints;
* the lineage in words (the map's arrows, each with its sources);
* the who-does-what matrix: instruments × bodies, each cell the relation in
  words with the sources that state it;
* key figures: value, unit, the date they hold for and their sources, values
  that sources give differently side by side, led by the parties over time
  (:mod:`kg.site.parties_chart`);
* where sources disagree: the library's ``conflicts`` question, in words.

Every fact is a row of a SPARQL query (``kg/site/queries/*.rq`` and the
question library); the template holds words about the page, never facts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from rdflib import Literal, URIRef

from ..network import curie
from ..network.orders import legal_orders
from .context import Site
from .dated import number
from .framework_map import BODY_COLUMN, build_map, show_date
from .parties_chart import parties_chart

QUESTIONS = (
    ("map", "Which instruments make up the framework, at the UN, Council of Europe and EU levels?"),
    ("map", "Which body guards or monitors each instrument?"),
    ("lineage", "What replaced or amended what?"),
    ("figures", "What are the key figures, with their sources and dates?"),
    ("disagree", "Where do the sources disagree?"),
)


def build(site: Site) -> None:
    here = "index.html"
    link = lambda iri: site.link(here, iri)  # noqa: E731
    body_rows = site.select("who-does-what")
    alts: dict[str, list[str]] = defaultdict(list)
    for r in site.select("short-names"):
        alts[r["body"]].append(r["name"])
    short = {r["body"]: short_name(r["bodyLabel"], alts.get(r["body"], [])) for r in body_rows}
    fmap = build_map(
        site.select("map-dates"),
        legal_orders(site.G),
        site.select("map-lineage"),
        body_rows,
        short,
        link=link,
        today=date.today(),
    )
    site.render(
        "site_start.html",
        here,
        title="thb-kg: the legal framework against trafficking in human beings",
        questions=QUESTIONS,
        fmap=fmap,
        matrix={
            **_matrix(body_rows, short),
            "instrument_labels": {b.iri: b.label for b in fmap.bars + fmap.undated},
        },
        figures=_figures(site.select("key-figures")),
        parties=parties_chart(site.select("parties-over-time")),
        conflicts=_conflicts(site),
        counts={
            "instruments": len(fmap.bars) + len(fmap.undated),
            "sources": len(site.sources),
            "entities": site.G.number_of_nodes(),
        },
        short=short,
        body_x=BODY_COLUMN,
    )


def short_name(label: str, alternatives: list[str]) -> str:
    """The name to write where space is short: an acronym of ``label`` among its
    alternative names (UNODC, not the former name ODCCP), else the shortest name.

    >>> short_name("United Nations Office on Drugs and Crime", ["ODCCP", "UNODC"])
    'UNODC'
    >>> short_name("Group of Experts on Action against Trafficking in Human Beings", ["GRETA"])
    'GRETA'
    >>> short_name("Europol", ["European Police Office"])
    'Europol'
    """
    initials = "".join(w[0] for w in label.split() if w).casefold()

    def acronym(alt: str) -> bool:
        letters = iter(initials)
        return alt.isupper() and all(ch in letters for ch in alt.casefold() if ch.isalpha())

    fitting = [a for a in alternatives if acronym(a)]
    if fitting:
        return min(fitting, key=lambda a: (len(a), a))
    return min([label, *alternatives], key=lambda a: (len(a), a))


def _matrix(rows: list[dict[str, str]], short: dict[str, str]) -> dict[str, Any]:
    """Instruments (rows) × bodies (columns); a cell lists each relation with its sources."""
    cells: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    names: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for r in rows:
        cells[(r["instrument"], r["body"])][r["words"]].add(r["source"])
        bodies[r["body"]] = r["bodyLabel"]
    instruments = sorted({i for i, _b in cells})
    columns = sorted(bodies, key=lambda b: (-sum(1 for i, bb in cells if bb == b), bodies[b]))
    for b in columns:
        names[b] = short.get(b, bodies[b])
    return {
        "instruments": instruments,
        "bodies": columns,
        "names": names,
        "labels": bodies,
        "cells": {
            key: sorted((words, sorted(srcs)) for words, srcs in value.items())
            for key, value in cells.items()
        },
    }


def _as_of(r: dict[str, str]) -> str:
    if "asOf" in r:  # "March 2005" where the source gives the month only
        return show_date(r["asOf"], r.get("precision"))
    if "year" in r:
        return str(r["year"])[:4]
    if "issued" in r:
        return f"report of {r['issued'][:4]}"
    return "undated"


def _figure_name(r: dict[str, str]) -> str:
    """'parties (UN Trafficking in Persons Protocol)', 'victims at any one time (Europe)':
    a statistic with no label of its own, named by what it counts and for what."""
    about = r.get("instrumentLabel") or r.get("areaLabel")
    return r.get("indicatorLabel", r["observation"]) + (f" ({about})" if about else "")


def _figures(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One entry per statistic; what each source says, grouped by value and unit, so a
    figure that sources give differently shows its versions side by side."""
    by_obs: dict[str, dict[str, Any]] = {}
    for r in rows:
        obs = by_obs.setdefault(
            r["observation"],
            {
                "iri": r["observation"],
                "label": r.get("label") or _figure_name(r),
                "versions": {},
            },
        )
        key = (float(r["value"]), r.get("unitLabel", ""))
        version = obs["versions"].setdefault(
            key,
            {
                "value": number(r["value"]),
                "unit": key[1],
                "qualifiers": set(),
                "as_of": set(),
                "sources": set(),
            },
        )
        if "qualifier" in r:
            version["qualifiers"].add(r["qualifier"])
        version["as_of"].add(_as_of(r))
        version["sources"].add(r["source"])
    out = []
    for obs in by_obs.values():
        versions = [
            {
                **v,
                "qualifiers": sorted(v["qualifiers"]),
                "as_of": sorted(v["as_of"] - {"undated"}) or ["undated"],
                "sources": sorted(v["sources"]),
            }
            for _k, v in sorted(obs["versions"].items())
        ]
        out.append({**obs, "versions": versions, "conflict": len(versions) > 1})
    return sorted(out, key=lambda o: (not o["conflict"], o["label"].casefold()))


def _conflicts(site: Site) -> list[dict[str, Any]]:
    """The library's ``conflicts`` question, its rows in words: what, and each side."""
    from ..query import labels, run
    from .questions import library

    lib = library()
    if lib is None:
        return []
    result = run(site.engine(), lib.get("conflicts").sparql, policy=None)
    names = labels(site.engine(), (t for row in result.rows for t in row))

    def words(term: Any) -> str:
        if isinstance(term, URIRef):
            return names.get(term) or curie(str(term))
        if (
            isinstance(term, Literal)
            and term.datatype is not None
            and str(term.datatype).endswith(("#double", "#decimal", "#integer", "#float"))
        ):
            return number(str(term))
        return str(term)

    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in result.as_dicts():
        subject, prop = str(row["subject"]), str(row["property"])
        entry = merged.setdefault(
            (subject, prop),
            {
                "subject": subject,
                "subject_label": words(row["subject"]),
                "property": words(row["property"]),
                "sides": defaultdict(set),
            },
        )
        entry["sides"][words(row["value1"])].add(str(row["source1"]))
        entry["sides"][words(row["value2"])].add(str(row["source2"]))
    return [
        {**e, "sides": sorted((v, sorted(s)) for v, s in e["sides"].items())}
        for e in merged.values()
    ]
