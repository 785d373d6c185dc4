"""``ontology.html``: every class and property, citable by name, with what the whole
graph holds of it.

Each term has an anchor by its name (``ontology.html#hasGuardian`` for a
``thb:`` term, ``ontology.html#eli-amends`` for a reused one), its label and
comment, domain, range, super-classes or super-properties, inverse, and its
count in the whole graph (instances of a class, statements of a property, in
every source graph; inferred statements counted apart), never only the
network's nodes. A class diagram, drawn here as SVG, shows the classes and
the properties with a domain and a range between them.

pyLODE (PyPI) was considered for this page and not used: it documents the
ontology file alone, so it cannot show counts from the data graphs; our
ontology states domains and ranges only for our own terms and labels for the
reused ones, which pyLODE would document as bare external IRIs; and its pages
bring their own layout and styles, outside this site's navigation, search,
stylesheet and Content-Security-Policy. The terms are few (about 100); one
SPARQL pass and a template give the same facts in the site's own pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..network import curie, humanise
from .class_diagram import class_diagram
from .context import Site

THB = "https://w3id.org/thb-kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: How many instances or uses a term lists by name (the count is always whole).
LISTED = 30


def anchor(iri: str) -> str:
    """The term's anchor on ontology.html: its name for a thb: term, prefix-name else.

    >>> anchor("https://w3id.org/thb-kg/ontology#hasGuardian")
    'hasGuardian'
    >>> anchor("http://data.europa.eu/eli/ontology#amends")
    'eli-amends'
    """
    if iri.startswith(THB):
        return iri[len(THB) :]
    text = curie(iri)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "term"


def _terms(site: Site) -> dict[str, dict[str, Any]]:
    """What the ontology graph says of each term."""
    rows = site.select("ontology-terms")
    terms: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "label": None,
            "comment": None,
            "kinds": set(),
            "parents": set(),
            "domain": set(),
            "range": set(),
            "inverse": set(),
        }
    )
    slot = {
        "label": "label",
        "comment": "comment",
        "type": "kinds",
        "parent": "parents",
        "domain": "domain",
        "range": "range",
        "inverse": "inverse",
    }
    for r in rows:
        t = terms[r["term"]]
        key = slot[r["what"]]
        if key in ("label", "comment"):
            if t[key] is None or r.get("lang") == "en":
                t[key] = r["value"]
        else:
            t[key].add(r["value"])
    return terms


def _relations(site: Site, terms: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(domain, property, range, label) of each thb: property between two classes: the
    ontology's domain and range, or, where it gives none, the class its subjects or
    objects most often have in the data."""
    usual: dict[tuple[str, str], str] = {}
    for r in site.select("ontology-usage"):  # ordered by count, highest first
        usual.setdefault((r["property"], r["side"]), r["class"])
    out = []
    for p in sorted({p for p, _side in usual} | {t for t in terms if t.startswith(THB)}):
        info = terms.get(p)
        domains = sorted(info["domain"]) if info and info["domain"] else []
        ranges = sorted(info["range"]) if info and info["range"] else []
        domains = domains or ([usual[(p, "domain")]] if (p, "domain") in usual else [])
        ranges = ranges or ([usual[(p, "range")]] if (p, "range") in usual else [])
        label = (info["label"] if info else None) or humanise(p)
        out += [(d, p, r, label) for d in domains for r in ranges if not r.startswith(XSD)]
    return out


def build(site: Site) -> None:
    from ..namespaces import OWL, RDF, RDFS

    G = site.G
    terms = _terms(site)
    counts = {(r["term"], r["how"]): int(float(r["n"])) for r in site.select("ontology-counts")}
    class_kinds = {str(OWL.Class), str(RDFS.Class), str(RDFS.Datatype)}
    used_classes = {t for (t, how) in counts if how == "instances"}
    used_properties = {t for (t, how) in counts if how in ("asserted", "inferred")}
    classes = sorted(
        ({c for c, e in terms.items() if e["kinds"] & class_kinds} | used_classes)
        - {str(RDF.Property)},
        key=lambda c: curie(c).casefold(),
    )
    properties = sorted(
        {p for p, e in terms.items() if e["label"] and not e["kinds"] & class_kinds}
        | used_properties,
        key=lambda p: curie(p).casefold(),
    )
    # instances by name: the network's nodes of each class (the count is from the graph)
    members: dict[str, list[str]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        for t in d["types"]:
            members[t].append(n)
    label = {t: (terms[t]["label"] if t in terms else None) or humanise(t) for t in terms}

    def name(iri: str) -> str:
        return label.get(iri) or (G.nodes[iri]["label"] if iri in G else humanise(iri))

    def ref(iri: str) -> dict[str, Any]:
        known = iri in classes or iri in properties
        return {"curie": curie(iri), "name": name(iri), "anchor": anchor(iri) if known else None}

    def entry(iri: str, kind: str) -> dict[str, Any]:
        info = terms.get(iri)
        listed = sorted(members.get(iri, []), key=lambda n: G.nodes[n]["label"].casefold())
        return {
            "iri": iri,
            "anchor": anchor(iri),
            "curie": curie(iri),
            "label": info["label"] if info else None,
            "comment": info["comment"] if info else None,
            "parents": [ref(p) for p in sorted(info["parents"])] if info else [],
            "domain": [ref(p) for p in sorted(info["domain"])] if info else [],
            "range": [ref(p) for p in sorted(info["range"])] if info else [],
            "inverse": [ref(p) for p in sorted(info["inverse"])] if info else [],
            "defined": info is not None and bool(info["kinds"] or info["label"]),
            "count": counts.get((iri, "instances" if kind == "class" else "asserted"), 0),
            "inferred": counts.get((iri, "inferred"), 0) if kind == "property" else 0,
            "members": [(n, G.nodes[n]["label"]) for n in listed[:LISTED]],
        }

    class_entries = [entry(c, "class") for c in classes]
    anchored = set(classes) | set(properties)
    # the diagram draws classes of things: not datatypes, nor classes of properties
    drawn = [
        c
        for c in classes
        if c.startswith(THB)
        and c in terms
        and str(OWL.Class) in terms[c]["kinds"]
        and str(RDF.Property) not in terms[c]["parents"]
    ]
    property_entries = [entry(p, "property") for p in properties]
    site.render(
        "site_ontology.html",
        "ontology.html",
        title="Ontology: classes and properties",
        classes=class_entries,
        properties=property_entries,
        diagram=class_diagram(
            [(c, name(c)) for c in drawn],
            _relations(site, terms),
            [(c, parent) for c in drawn for parent in terms[c]["parents"]],
            names={c: name(c) for c in {*classes, *label}},
            anchor=lambda c: anchor(c) if c in anchored else None,
        ),
    )
