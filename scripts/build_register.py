"""Write docs/register.md: what the graph models and from which source, read from the graph.

The register is generated, never edited by hand, so it cannot drift from graph_data/:
``tests/test_register.py`` fails when the file differs from what this script writes
from the shipped data. After changing graph_data/, run ``python scripts/build_register.py``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import URIRef  # noqa: E402

import kg  # noqa: E402
from kg.namespaces import sparql_prologue  # noqa: E402

OUT = ROOT / "docs" / "register.md"
GRAPH = "https://w3id.org/thb-kg/graph/"
ID = "https://w3id.org/thb-kg/id/"

#: The kinds of entity the register lists, in order: (heading, class CURIE).
KINDS = [
    ("Legal instruments", "eli:LegalResource"),
    ("Articles and recitals", "eli:LegalResourceSubdivision"),
    ("Bodies", "org:Organization"),
    ("States", "thb:State"),
    ("Posts", "org:Post"),
    ("People", "foaf:Person"),
    ("Campaigns", "thb:Campaign"),
    ("Reports", "thb:Report"),
    ("Court cases", "thb:CourtCase"),
    ("Places", "dct:Location"),
    ("Statistical data sets", "qb:DataSet"),
]

#: The disagreements between sources that the graph keeps (both values, each in its own
#: graph), in words; each names the graphs that hold the two sides. The numbers are the
#: ones the data files' comments cite ("conflict 6"); tests/test_register.py checks that
#: every number a data file cites is here, with that file's graph.
CONFLICTS = [
    (1, "Appointment of Myria Vassiliadou as EU Anti-Trafficking Coordinator: December 2011 "
        "in the seed article, 14 December 2010 in the Commission's press release.",
     ["seed-article", "ip-10-1715", "eurojust-pr-2011-07-01"]),
    (2, "UNODC 2010 report, criminal revenue in Europe: EUR 2.5 billion a year (seed article, "
        "UNIS/CP/623) against US$3 billion a year (the report, UN News, the Law Library of "
        "Congress).",
     ["seed-article", "unis-cp-623", "docslib-unodc-2010-trafficking-to-europe",
      "un-news-2010-06-343382", "loc-un-report-thb-europe"]),
    (3, "\"More than 147 countries\" have ratified and signed the Trafficking Protocol (seed "
        "article): 147 is the number of UNTOC signatories; the Protocol has 117.",
     ["seed-article", "unis-cp-510", "untc-xviii-12-a"]),
    (4, "Europol's name: \"European Police Office\" (seed article) against \"European Union "
        "Agency for Law Enforcement Cooperation\" since Regulation (EU) 2016/794.",
     ["seed-article", "eumonitor-2016-794", "eur-lex-legissum-23040102-1"]),
    (5, "Directive 2011/36/EU called \"the most recent\" instrument (seed article, undated); "
        "Directive (EU) 2024/1712 amends it.",
     ["seed-article", "eur-lex-32024l1712"]),
    (6, "Judgment in Rantsev v. Cyprus and Russia: \"Grand Chamber, 10 October 2010\" on "
        "asylumlawdatabase.eu against a First Section (Chamber) judgment of 7 January 2010, final "
        "10 May 2010, in the judgment text on BAILII.",
     ["asylumlawdatabase-rantsev", "bailii-rantsev"]),
    (7, "Last day of the UNTOC signing conference in Palermo: 15 December 2000 (UNODC's "
        "signatures page, open for signature 12-15 December) against 16 December 2000 "
        "(UNIS/CP/510, conference 12-16 December).",
     ["unodc-ctoc-signatures", "unis-cp-510"]),
    (8, "Transposition deadline of Framework Decision 2002/629/JHA: 31 July 2004 (Parlementaire "
        "Monitor) against 1 August 2004 (EMN Ireland).",
     ["parlementairemonitor-fd-2002-629", "emn-ie-fd-2002-629"]),
    (9, "UNODC's components in 1997: the crime-prevention unit is named differently by "
        "Wikipedia and by the UNODC action guide.",
     ["wikipedia-unodc", "actionguide-unodc"]),
    (10, "End of Antonio Maria Costa's term: July 2010 (infobox) against August 2010 (text of "
         "the same page).",
     ["wikimili-costa-infobox", "wikimili-costa-text"]),
]

_SOURCES = """
SELECT ?g ?title ?doc ?confidence WHERE {
  ?g a thb:Source ; dct:title ?title .
  OPTIONAL { ?g prov:wasDerivedFrom ?doc }
  OPTIONAL { ?g thb:confidence ?confidence }
  FILTER(?g NOT IN (graph:ontology, graph:inferred))
}"""
_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_ENTITIES = """
SELECT DISTINCT ?x ?g WHERE {
  ?x a %s .
  GRAPH ?g { ?x ?p ?o }
  FILTER(?g NOT IN (graph:ontology, graph:inferred) && isIRI(?x))
}"""
_DERIVED = """
SELECT ?act ?end ?by ?from WHERE {
  ?d thb:derivationRule ?rule ; rdf:subject ?act ; rdf:object ?end ;
     thb:replacingAct ?by ; prov:wasDerivedFrom ?from .
}"""


def _short(iri: str) -> str:
    for base, prefix in ((GRAPH, ""), (ID, "id:")):
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return iri


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _rows(graph: kg.KnowledgeGraph, query: str) -> list[tuple[str, ...]]:
    return [tuple("" if t is None else str(t) for t in row)
            for row in graph.dataset.query(sparql_prologue() + query)]


def render(graph: kg.KnowledgeGraph) -> str:
    """The register of ``graph`` as Markdown."""
    from kg.query.labelling import labels

    sizes = {g: int(n) for g, n in _rows(graph, _SIZES)}
    out = [
        "# Register: what the graph models, and from which source",
        "",
        "Generated from graph_data/ by `python scripts/build_register.py`; do not edit by",
        "hand (`tests/test_register.py` fails when this file and the data differ). How the",
        "data is modelled is in [modelling.md](modelling.md).",
        "",
        "## Sources",
        "",
        "One named graph per source document, `https://w3id.org/thb-kg/graph/<name>`.",
        "",
        "| graph | title | document | confidence | statements |",
        "|---|---|---|---|---|",
    ]
    seen: set[str] = set()
    for g, title, doc, confidence in sorted(_rows(graph, _SOURCES)):
        if g in seen:  # one row per graph (a graph described with two titles keeps the first)
            continue
        seen.add(g)
        out.append(f"| {_short(g)} | {_cell(title)} | {_cell(doc)} | "
                   f"{_short(confidence).rsplit('#', 1)[-1]} | {sizes.get(g, 0)} |")
    for heading, cls in KINDS:
        by_entity: dict[str, set[str]] = defaultdict(set)
        for x, g in _rows(graph, _ENTITIES % cls):
            by_entity[x].add(_short(g))
        if not by_entity:
            continue
        names = labels(graph, [URIRef(x) for x in by_entity])
        out += ["", f"## {heading} ({cls})", "",
                "| entity | label | described in |", "|---|---|---|"]
        for x in sorted(by_entity):
            label = _cell(names.get(URIRef(x), ""))
            out.append(f"| {_short(x)} | {label} | {', '.join(sorted(by_entity[x]))} |")
    out += ["", "## Derived facts (graph/inferred)", "",
            "Ends of force derived by rule thb:EndOfForceByReplacement (see modelling.md).", "",
            "| act | last day in force | replacing act | from graphs |", "|---|---|---|---|"]
    derived: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for act, end, by, src in _rows(graph, _DERIVED):
        derived[(act, end, by)].add(_short(src))
    for (act, end, by), srcs in sorted(derived.items()):
        out.append(f"| {_short(act)} | {end} | {_short(by)} | {', '.join(sorted(srcs))} |")
    out += ["", "## Known conflicts between sources", "",
            "Both values are kept, each in its own graph; `kg query conflicts` lists the",
            "structured ones. Numbers are the ones the data files' comments use.", ""]
    for number, text, graphs in CONFLICTS:
        out.append(f"{number}. {text} Graphs: {', '.join(graphs)}.")
    return "\n".join(out) + "\n"


def main() -> int:
    text = render(kg.load(store="memory"))
    if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
        tmp = OUT.with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(OUT)
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
