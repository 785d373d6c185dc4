#!/usr/bin/env python3
"""Write notebooks/*.ipynb from the cells below, without outputs.

The notebooks are committed as .ipynb files (so GitHub and Jupyter show them
as they are), but this script is where they are edited: change a cell here,
run ``.venv/bin/python scripts/build_notebooks.py``, and commit both.
tests/test_notebooks.py checks that the files match this script, that they
carry no outputs, and executes every one of them top to bottom.
"""

# ruff: noqa: E501 -- the cells are notebook text, wrapped for reading, not for the linter

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks"

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}


def md(text: str) -> tuple[str, str]:
    return ("markdown", text.strip("\n"))


def code(text: str) -> tuple[str, str]:
    return ("code", text.strip("\n"))


# --------------------------------------------------------------------------
# 01: for policy students, no SPARQL
# --------------------------------------------------------------------------

EXPLORE = [
    md("""
# Explore the framework against trafficking in human beings

This notebook is a guided tour of **thb-kg**, a knowledge graph of the legal
framework against trafficking in human beings: the UN and EU instruments, the
bodies that guard and monitor them, the EU Anti-Trafficking Coordinator, the
Blue Heart Campaign and the figures on victims in Europe. Every fact in it
comes with the document that states it.

You do not need to know SPARQL, the query language of knowledge graphs. Each
step asks a question in plain words and answers it with a *named query* from
the question library, shown as a table, a chart or a network you can explore.

**How to use it:** run the cells from top to bottom (Shift+Enter runs one
cell and moves to the next). Nothing here changes the data.

What you will see:

1. the sources behind the graph;
2. the question library;
3. the instruments and their dates;
4. which body is guardian or monitor of which instrument;
5. the lineage of the EU directive: 2002/629/JHA, 2011/36/EU, (EU) 2024/1712;
6. the EU Anti-Trafficking Coordinator post;
7. the Blue Heart Campaign;
8. where the victims trafficked into Europe come from, as a chart;
9. a timeline of the instruments, and the dated events of 2009-2011;
10. an interactive view of a neighbourhood in the graph;
11. where the sources disagree.
"""),
    md("""
## 1. Load the graph and see its sources

`kg.load()` reads the shipped data: one file per source document (a treaty
page, a press release, a report...). Each source becomes a **source graph**,
so the graph always knows *who says what*. Loading also adds what the
ontology implies: if Directive (EU) 2024/1712 *amends* Directive 2011/36/EU,
then 2011/36/EU *is amended by* 2024/1712.
"""),
    code("""
import kg
from kg import library, network, view

graph = kg.load()
summary = kg.stats(graph)
print(f"{len(graph.source_graphs())} source graphs, "
      f"{summary.total_triples} statements, {summary.total_entities} entities")
"""),
    md("""
The fifteen largest sources, with the number of statements each one
contributes. The seed of the graph is a short article on the Blue Heart Campaign
and EU action; the other sources are the official pages, press releases and
reports that confirm, correct or complete it.
"""),
    code("""
own = set(graph.source_graphs())
sources = sorted((g for g in summary.graphs if g.graph in own), key=lambda g: -g.triples)
kg.table([{"source": g.title, "statements": g.triples} for g in sources], limit=15)
"""),
    md("""
## 2. The question library

The graph comes with a library of named queries, one per question users ask.
Each has a name (used below), the question it answers, and sometimes a
parameter you can change (a date, an instrument). You can also run them from
a terminal: `kg queries` lists them, `kg query in-force --as-of 2012-01-01`
runs one.
"""),
    code("""
kg.table([{"name": q.name, "question": q.question} for q in library.list_queries()])
"""),
    md("""
## 3. The instruments

The legal instruments in the graph: conventions and protocols of the United
Nations and the Council of Europe, directives and framework decisions of the
European Union. For each: its kind, who adopted it, the date of the act, the
date it **entered into force**, and its **last day in force** if it has ended.
An empty last column means that no source says it has ended.
"""),
    code("""
kg.table(library.run(graph, "instruments"), labels=graph)
"""),
    md("""
## 4. Who is guardian of what

An instrument is only as good as the body that looks after it. The UN Office
on Drugs and Crime (UNODC) became the **guardian** (custodian) of the UN
Trafficking in Persons Protocol after its adoption in 2000; other instruments
are **monitored** by a body of experts. This query lists, for each body, the
instruments it guards or monitors, and since when where a source says so.
"""),
    code("""
kg.table(library.run(graph, "responsible-bodies"), labels=graph)
"""),
    md("""
## 5. The lineage of the EU directive

EU law on trafficking grew in three steps:

* **Council Framework Decision 2002/629/JHA** of 19 July 2002 on combating
  trafficking in human beings;
* **Directive 2011/36/EU** of 5 April 2011 on preventing and combating
  trafficking in human beings and protecting its victims, which *replaced*
  the Framework Decision and entered into force on 15 April 2011;
* **Directive (EU) 2024/1712** of 13 June 2024, which *amends* 2011/36/EU and
  adds, for example, the exploitation of surrogacy, forced marriage and
  illegal adoption as forms of exploitation.

The lineage query reads these relations in both directions for one instrument.
"""),
    code("""
DIRECTIVE_2011 = "http://data.europa.eu/eli/dir/2011/36/oj"
kg.table(library.run(graph, "lineage", {"instrument": DIRECTIVE_2011}), labels=graph)
"""),
    md("""
Which of the three was in force when? The `in-force` query takes a day and
returns every instrument in force on it. We ask it for four days and keep the
three EU acts: the Framework Decision's last day in force is 14 April 2011,
the day before the Directive entered into force.
"""),
    code("""
LINEAGE = {
    "http://data.europa.eu/eli/dec_framw/2002/629/oj": "Framework Decision 2002/629/JHA",
    DIRECTIVE_2011: "Directive 2011/36/EU",
    "http://data.europa.eu/eli/dir/2024/1712/oj": "Directive (EU) 2024/1712",
}
rows = []
for day in ["2005-01-01", "2011-04-14", "2011-04-15", "2025-01-01"]:
    in_force = {str(i) for i in library.run(graph, "in-force", as_of=day).column("instrument")}
    rows.append({"day": day, **{name: ("in force" if iri in in_force else "")
                                for iri, name in LINEAGE.items()}})
kg.table(rows)
"""),
    md("""
## 6. The EU Anti-Trafficking Coordinator

Directive 2011/36/EU (Article 20) relies on an **EU Anti-Trafficking
Coordinator** in the European Commission. The graph models the post and each
term of office: who held it, from when to when, and when the appointment was
decided. Where two sources give different appointment dates, both are listed
with their source: the seed article says December 2011, the Commission's own
press release of 14 December 2010 says that day.
"""),
    code("""
kg.table(library.run(graph, "coordinators"), labels=graph)
"""),
    md("""
## 7. The Blue Heart Campaign

UNODC launched the **Blue Heart Campaign** in March 2009 to encourage the
public to get involved against human trafficking and to show solidarity with
its victims; the heart stands for the sadness of the victims, its blue
colour for the UN's commitment to combat the crime. Spain was the first
European country to join, in June 2010, during its Presidency of the EU. The
campaigns query lists who runs each campaign and who joined when.
"""),
    code("""
kg.table(library.run(graph, "campaigns"), labels=graph)
"""),
    md("""
## 8. Victims in Europe: where do they come from?

UNODC's 2010 report *Trafficking in persons to Europe for sexual exploitation*
estimated that over 140,000 victims were trapped in Europe at any one time.
The seed article quotes its shares by region of origin. The graph stores each
share as a statistical observation (RDF Data Cube) with its unit, area, year
and report; here they are as a chart.
"""),
    code("""
import matplotlib.pyplot as plt
from kg.notebook import values

origin = library.run(graph, "victims-origin")
# one bar per region and share (two sources stating the same share count once)
pairs = dict.fromkeys(zip(values(origin, "origin", labels=graph), values(origin, "share")))
regions = [region for region, _share in pairs]
shares = [float(share) for _region, share in pairs]
report = values(origin, "report", labels=graph)[0]

fig, ax = plt.subplots(figsize=(7, 3.2))
ax.barh(regions[::-1], shares[::-1], color="#0072B2")
for y, share in enumerate(shares[::-1]):
    ax.text(share + 0.5, y, f"{share:g} %", va="center")
ax.set_xlabel("share of victims trafficked into Europe (%)")
ax.set_title("Victims trafficked into Europe by region of origin (UNODC, 2010)")
ax.set_xlim(0, max(shares) * 1.2)
fig.text(0.01, 0.01, f"Source: {report}", fontsize=7, color="#555555")
fig.tight_layout(rect=(0, 0.05, 1, 1))
plt.show()
print(f"The shares add up to {sum(shares):g} %: the source does not say where the others come from.")
"""),
    md("""
The same report gives other figures for Europe (victims at any one time, new
victims each year, the share trafficked for sexual exploitation, criminal
revenue). The statistics query lists every figure with its unit, area, year,
report and the source graph that states it. Note the qualifiers: the sources
say "over 140,000" and "up to 70,000", and the graph keeps those words.
Here are the figures for Europe (the query returns every area; we keep the
rows whose area is Europe). Where two sources give different values, such as
EUR 2.5 billion and US$3 billion a year, both rows are there.
"""),
    code("""
statistics = library.run(graph, "statistics")
EUROPE = "https://w3id.org/thb-kg/id/place/europe"
area = statistics.vars.index("area")
kg.table([dict(zip(statistics.vars, row)) for row in statistics.rows
          if str(row[area]) == EUROPE], labels=graph)
"""),
    md("""
## 9. A timeline

First the instruments of the framework since 2000, the year the UN adopted
the Trafficking in Persons Protocol: each bar runs from the day an instrument
entered into force to its last day in force (or to today if it is still in
force), and the tick marks the day it was adopted.
"""),
    code("""
from datetime import date

instruments = library.run(graph, "instruments")
bars = [
    (name, adopted, start, end)
    for name, adopted, start, end in zip(
        values(instruments, "instrument", labels=graph), values(instruments, "adopted"),
        values(instruments, "inForce"), values(instruments, "endOfForce"))
    if start is not None and start >= date(2000, 1, 1)
]
today = date.today()
fig, ax = plt.subplots(figsize=(10, 0.42 * len(bars) + 1.4))
for y, (name, adopted, start, end) in enumerate(bars):
    ax.hlines(y, start, end or today, linewidth=9, color="#999999" if end else "#0072B2")
    if adopted is not None:
        ax.plot(adopted, y, marker="|", markersize=14, color="black")
ax.set_yticks(range(len(bars)))
ax.set_yticklabels([n if len(n) <= 55 else n[:52] + "..." for n, *_rest in bars], fontsize=8)
ax.invert_yaxis()
ax.grid(axis="x", alpha=0.3)
ax.set_title("In force (blue: still in force; grey: ended); | = adopted")
fig.tight_layout()
plt.show()
"""),
    md("""
The timeline query lists *every* dated event, not only those of instruments:
launches, joinings, appointments, reports, judgments. It takes two dates as
parameters; here, the years of the seed article, 2009 to 2011. A date known
only to the month or year is stored as the first day of that period, and the
precision column says so (the seed's "December 2011" is a `Month`).
"""),
    code("""
kg.table(library.run(graph, "timeline", {"from": "2009-01-01", "to": "2011-12-31"}),
         labels=graph)
"""),
    md("""
## 10. An interactive view of a neighbourhood

A knowledge graph is a network: things (instruments, bodies, people,
campaigns) linked by relations (*amends*, *guardian of*, *member of*). The
view below shows UNODC and everything one step away from it. **Drag** the
nodes, **zoom** with the mouse wheel, and **click** a node or a link to read
its facts and the sources that state them. Colours and shapes mark the kinds
of things (the legend is in the view). The view is a self-contained page kept
inside this notebook: it works offline.
"""),
    code("""
G = network.to_networkx(graph)
unodc = network.neighbourhood(G, "id:body/unodc", depth=1)
print(f"{unodc.number_of_nodes()} things and {unodc.number_of_edges()} links around UNODC")
kg.show(view.render(unodc), height=560)
"""),
    md("""
The same for Directive 2011/36/EU: the act it replaced, the act that amends
it, the bodies that adopted it, the reports and events about it, and the
topics it is about (prevention, prosecution, protection).
"""),
    code("""
directive = network.neighbourhood(G, DIRECTIVE_2011, depth=1)
kg.show(view.render(directive), height=560)
"""),
    md("""
## 11. Where sources disagree

Sources do not always agree, and a legal reference should not hide it. When
two sources give different values for the same fact, the graph keeps both,
each in its own source graph. The conflicts query finds them. A date known
only to the month agrees with any day of that month, so only real
disagreements are listed. Some subjects are facts of their own (a term of
office, a statistical observation) and are shown by their identifier. This
query compares every pair of sources, so it takes a few seconds.
"""),
    code("""
kg.table(library.run(graph, "conflicts"), labels=graph)
"""),
    md("""
## Where to go next

* **`02-sparql-for-researchers.ipynb`** shows the model behind these answers
  and how to write your own queries from Python.
* **`03-extend-the-graph.ipynb`** adds a new instrument with its source and
  checks it, step by step.
* In a terminal, `kg queries` lists the question library and `kg query NAME`
  runs any of its questions.
"""),
]


# --------------------------------------------------------------------------
# 02: for researchers
# --------------------------------------------------------------------------

RESEARCH = [
    md("""
# SPARQL for researchers: the thb-kg model from Python

This notebook shows how the graph is modelled and how to query it from
Python: SPARQL into plain tables (or pandas, if installed), named graphs and
provenance, point-in-time questions, a CONSTRUCT drawn as a network, paths
between entities and the centrality of bodies with networkx.

Everything goes through the public `kg` API: `kg.load`, `kg.query.run`,
`kg.library`, `kg.network`, `kg.view`, `kg.table` and `kg.show`.
"""),
    md("""
## 1. The model

thb-kg reuses standard vocabularies and adds only what they lack (prefix `thb:`):

| what | modelled with |
|---|---|
| legal instrument | `eli:LegalResource` (ELI); an EU act's IRI *is* its ELI, CELEX in `eli:id_local` |
| lineage | `eli:amends`, `thb:replaces` (⊑ `eli:repeals`), `thb:supplements`; inverses inferred |
| responsibility | `thb:hasGuardian`, `thb:monitoredBy` (⊑ `eli:responsibility_of_agent`) |
| bodies, posts, terms | W3C ORG: `org:Organization`, `org:Post`, `org:Membership` |
| campaign | `thb:Campaign` (⊑ `prov:Activity`), joinings `thb:CampaignParticipation` |
| statistic | RDF Data Cube: `qb:Observation` with `sdmx-measure:obsValue`, unit, area |
| claim in words | `thb:Claim` / `thb:Quotation` with `rdf:value`, `thb:about` |
| labels | SKOS: `skos:prefLabel`, `skos:altLabel`, typed `skos:notation` identifiers |

**Where provenance lives.** Each source document is one *named graph*
(`graph:<slug>`) holding the claims of that source and nothing else. The
*default graph* describes each source: `prov:wasDerivedFrom` (the document),
`dct:title`, `dct:publisher`, `dct:date` and `thb:confidence`. A query
without `GRAPH` sees the union of all sources; `GRAPH ?g` tells which source
says what. Two system graphs hold the ontology (`graph:ontology`) and what it
implies (`graph:inferred`: inverses, super-properties, super-classes).

**Where dates live.** Every date is an `xsd:date`: `eli:date_document`,
`eli:first_date_entry_in_force`, `eli:date_no_longer_in_force` (the *last
day* in force) on instruments; OWL-Time intervals (`org:memberDuring`,
`time:hasBeginning` / `time:hasEnd` / `time:inXSDDate`) on terms of office;
`thb:launchDate`, `thb:joinDate`, `dct:issued`, `thb:asOf` (dated counts)
elsewhere. A date known only to the month or year is the first day of the
period, with `thb:datePrecision time:unitMonth` or `time:unitYear` in the
same source graph.
"""),
    code("""
import kg
from kg import library, network, view
from kg.namespaces import PREFIXES
from kg.query import run

graph = kg.load()
print(f"{len(graph.source_graphs())} source graphs; "
      f"system graphs: {sorted(set(graph.graph_names()) - set(graph.source_graphs()))}")
kg.table([{"prefix": p, "namespace": ns} for p, ns in PREFIXES.items()])
"""),
    md("""
These prefixes are predeclared: every query may use them without a `PREFIX` line.

## 2. A first query from Python

`kg.query.run(graph, sparql)` returns a `QueryResult`: `vars` (the column
names) and `rows` (tuples of rdflib terms, `None` where a variable is
unbound). `kg.table(result)` shows it; with pandas installed it is a
`DataFrame`, without pandas a light table (force it with `pandas=False`).
Pass `labels=graph` to show IRIs by their names.
"""),
    code("""
result = run(graph, '''
SELECT ?instrument ?inForce ?ended WHERE {
  ?instrument a eli:LegalResource ;
              eli:first_date_entry_in_force ?inForce .
  OPTIONAL { ?instrument eli:date_no_longer_in_force ?ended }
}
ORDER BY ?inForce
''')
print(result.vars, len(result), "rows")
kg.table(result, labels=graph)
"""),
    md("""
The rows are rdflib terms, so plain Python gets typed values with
`toPython()`: dates become `datetime.date`, numbers `int` or `Decimal`.
"""),
    code("""
names = kg.query.labels(graph, result.column("instrument"))
for row in result.as_dicts()[:3]:
    since = row["inForce"].toPython()
    print(f"{names[row['instrument']]}: in force since {since:%d %B %Y} ({type(since).__name__})")
"""),
    md("""
## 3. Parameters, not string pasting

Never paste values into query text. Pass them as `params`: IRIs (full,
`<...>` or a CURIE such as `id:body/unodc`), dates (`YYYY-MM-DD`), numbers,
or rdflib terms. They are bound with a `VALUES` clause, so a value can never
change the query.
"""),
    code("""
everything = run(graph, '''
SELECT ?property ?value WHERE { ?body ?property ?value . FILTER(isLiteral(?value)) }
ORDER BY ?property
''', {"body": "id:body/unodc"})
kg.table(everything, labels=graph)
"""),
    md("""
The question library works the same way. Each query is a documented `.rq`
file: read its SPARQL to learn the model, run it with its parameters.
"""),
    code("""
lineage = library.get("lineage")
print(lineage.title, "--", lineage.question)
print([(p.name, p.type, p.default) for p in lineage.parameters])
print(lineage.sparql)
"""),
    md("""
## 4. Named graphs and provenance

Who says what? The Coordinator's appointment date is stated by several
sources, and they do not all agree. `GRAPH ?source` finds the source graph of each value,
and the default graph tells what each source is.
"""),
    code("""
appointment = run(graph, '''
SELECT ?member ?date ?source ?title ?document WHERE {
  ?membership org:role <https://w3id.org/thb-kg/id/role/anti-trafficking-coordinator> ;
              org:member ?member .
  GRAPH ?source { ?membership thb:appointmentDate ?date }
  ?source dct:title ?title ; prov:wasDerivedFrom ?document .
}
ORDER BY ?date
''')
kg.table(appointment, labels=graph)
"""),
    md("""
An overview of every source: its publisher, confidence and size. Sources
marked `thb:Unconfirmed` hold claims no source confirms; views show them as such.
"""),
    code("""
overview = run(graph, '''
SELECT ?source ?publisher ?confidence (COUNT(*) AS ?statements) WHERE {
  ?source a thb:Source .
  FILTER(?source NOT IN (graph:ontology, graph:inferred))
  OPTIONAL { ?source dct:publisher ?publisher }
  OPTIONAL { ?source thb:confidence ?confidence }
  GRAPH ?source { ?s ?p ?o }
}
GROUP BY ?source ?publisher ?confidence
ORDER BY DESC(?statements)
''')
kg.table(overview, labels=graph, limit=15)
"""),
    md("""
The library's `provenance` query does this for any entity: every statement
about it (as subject or object), with the source graph and the document
behind it. Here, the Coordinator's first term of office; rows from
`graph:inferred` are what the ontology implies, not what a source says.
"""),
    code("""
kg.table(library.run(graph, "provenance", {"entity": "id:membership/vassiliadou-atc"}),
         labels=graph)
"""),
    md("""
## 5. Point-in-time queries

"In force" is never stored; it is derived from the dates. An instrument is in
force on day *T* when it entered into force on or before *T* and its last day
in force (if any) is not before *T*. `as_of=` binds the variable `?asOf`, so
the same query answers for any day. Compare the day before and the day
Directive 2011/36/EU entered into force:
"""),
    code("""
before = set(library.run(graph, "in-force", as_of="2011-04-14").column("instrument"))
after = set(library.run(graph, "in-force", as_of="2011-04-15").column("instrument"))
names = kg.query.labels(graph, before ^ after)
for iri in sorted(before ^ after):
    print(("ended:   " if iri in before else "started: ") + names.get(iri, str(iri)))
"""),
    md("""
Your own queries can use `?asOf` too. Who held a post on a given day? A term
of office is an OWL-Time interval; an open end means the term had not ended
when the source was written.
"""),
    code("""
HOLDERS = '''
SELECT ?person ?post ?from ?until WHERE {
  ?membership a org:Membership ; org:member ?person ; org:role ?role ;
              org:memberDuring ?term .
  OPTIONAL { ?post org:role ?role ; a org:Post }
  ?term time:hasBeginning/time:inXSDDate ?from .
  OPTIONAL { ?term time:hasEnd/time:inXSDDate ?until }
  FILTER(?from <= ?asOf && (!BOUND(?until) || ?until >= ?asOf))
}
ORDER BY ?from
'''
kg.table(run(graph, HOLDERS, as_of="2015-06-01"), labels=graph)
"""),
    md("""
## 6. A CONSTRUCT drawn as a network

A `CONSTRUCT` query returns triples instead of rows: a small graph of its
own. `network.from_query` turns it into a networkx graph (with labels, kinds
and the sources of each triple taken from the full graph), and `kg.view`
draws it as a self-contained HTML page that `kg.show` embeds here. This one
keeps only how instruments relate to each other and to the bodies that
adopt, guard and monitor them.
"""),
    code("""
framework = run(graph, '''
CONSTRUCT { ?a ?relation ?b } WHERE {
  VALUES ?relation { eli:amends thb:replaces thb:supplements
                     thb:hasGuardian thb:monitoredBy eli:passed_by }
  ?a ?relation ?b .
}
''')
print(len(framework), "triples")
F = network.from_query(graph, framework)
kg.show(view.render(F, title="Instruments and the bodies responsible for them"), height=600)
"""),
    md("""
## 7. A path between two entities

How is the Blue Heart Campaign connected to Directive 2011/36/EU? The whole
graph as networkx (`network.to_networkx`) answers with a shortest path; each
step's relation and sources are on the edges.
"""),
    code("""
G = network.to_networkx(graph)
path = network.shortest_path(G, "id:campaign/blue-heart", "http://data.europa.eu/eli/dir/2011/36/oj")
steps = []
for u, v in zip(path, path[1:]):
    forward = G.get_edge_data(u, v) or {}
    backward = G.get_edge_data(v, u) or {}
    for data, arrow in [(d, "->") for d in forward.values()] + [(d, "<-") for d in backward.values()]:
        steps.append({"from": G.nodes[u]["label"], "relation": f"{arrow} {data['label']}",
                      "to": G.nodes[v]["label"],
                      "sources": ", ".join(g.rsplit("/", 1)[-1] for g in data["sources"])})
kg.table(steps)
"""),
    md("""
The path drawn: the entities on it and every link between them.
"""),
    code("""
kg.show(view.render(G.subgraph(path).copy(), title="From the Blue Heart Campaign to Directive 2011/36/EU"),
        height=420)
"""),
    md("""
The SPARQL side of the same question is the library's `connections` query:
direct links and two-step paths, in either direction (`->` forward, `<-`
back). Here between UNODC and the UN Trafficking in Persons Protocol: the
direct links say guardian; the two-step paths go through the Convention the
Protocol supplements, the qualified custodianship, and claims about both.
"""),
    code("""
kg.table(library.run(graph, "connections", {"a": "id:body/unodc",
                                            "b": "id:instrument/un-trafficking-protocol"}),
         labels=graph)
"""),
    md("""
## 8. Centrality of bodies

Which bodies hold the framework together? Betweenness centrality counts how
often a node lies on the shortest paths between others. `network.centrality`
computes it on the whole graph; we keep the bodies. The same graph is an
ordinary networkx object, so any other measure is one call away (harmonic
centrality below, which copes with a graph in several pieces).
"""),
    code("""
import networkx as nx

ranked = network.centrality(G, "betweenness")
bodies = [(n, label, score) for n, label, score in ranked if G.nodes[n]["kind"] == "body"]
harmonic = nx.harmonic_centrality(nx.Graph(G.to_undirected()))
kg.table([{"body": label, "betweenness": round(score, 4), "harmonic": round(harmonic[n], 2),
           "links": G.degree(n)} for n, label, score in bodies[:12]])
"""),
    md("""
And the connected components: is the graph one network, or islands?
"""),
    code("""
parts = network.components(G)
print(f"{len(parts)} component(s); sizes of the largest: {[len(p) for p in parts[:8]]}")
"""),
    md("""
## 9. Choosing the store

`kg.load()` uses rdflib's in-memory store. The same data can sit in Oxigraph,
a SPARQL engine written in Rust: `kg.load(store="oxigraph")`. Queries and
results are the same; heavy queries (the conflicts query compares every
comparable property across every pair of sources) run much faster.
"""),
    code("""
import time

fast = kg.load(store="oxigraph")
start = time.perf_counter()
conflicts = library.run(fast, "conflicts")
print(f"{len(conflicts)} disagreements found in {1000 * (time.perf_counter() - start):.0f} ms on Oxigraph")
"""),
    md("""
## Where to go next

* `03-extend-the-graph.ipynb`: add an instrument with its source, validate
  it with SHACL, see the views change.
* `graph_data/README.md`: the modelling contract in full.
* `kg/queries/*.rq`: the question library, each query documented.
"""),
]


# --------------------------------------------------------------------------
# 03: extend the graph
# --------------------------------------------------------------------------

EXTEND = [
    md("""
# Extend the graph: add an instrument with its source

The graph is built from files: one TriG file per source document in
`graph_data/`. This notebook adds one instrument the way a curator would, in a
**temporary copy** of the data folder (the shipped data is never touched):

1. copy the data folder;
2. write a new source file for the **Council of Europe Convention on Action
   against Trafficking in Human Beings** (CETS No. 197), with facts read on
   the Council of Europe's page about it;
3. validate it with the SHACL shapes and see what happens when a date is
   wrong;
4. fix it, add a second source, and see the new instrument in the queries
   and in a network view;
5. compare the result with the shipped data.

The facts (L01-L04, L08, L10 of the fact tests) come each with the page
that states it.
"""),
    md("""
## 1. A temporary copy of the data

`kg.paths.data_dir()` is the shipped data folder. We copy it into a temporary
folder and work there.

The shipped data may already describe the Convention: the graph grows, and a
curator has added it from the same pages. So that you can add it yourself,
the copy leaves out every file that mentions the Convention's IRI. (We reuse
that IRI, `id:instrument/coe-convention-cets-197`, so that our facts and the
shipped ones are about the same thing; section 8 compares them.)
"""),
    code("""
import shutil
import tempfile
from pathlib import Path

import kg
from kg import library, network, view
from kg.query import run

CETS_197 = "https://w3id.org/thb-kg/id/instrument/coe-convention-cets-197"

shipped = kg.paths.data_dir()
workdir = Path(tempfile.mkdtemp(prefix="thb-kg-extend-"))
data = workdir / "graph_data"
mentions = sorted(p.name for p in shipped.glob("*.trig")
                  if "coe-convention-cets-197" in p.read_text(encoding="utf-8"))
shutil.copytree(shipped, data, ignore=lambda _dir, names: [n for n in names if n in mentions])
print(f"copied {len(list(data.glob('*.trig')))} source files to {data}")
print("left out, as they mention the Convention:", ", ".join(mentions) or "none")
"""),
    md("""
Before adding anything: the copy loads and validates, and the Convention is not in it.
"""),
    code("""
before = kg.load(data)
print("conforms:", kg.validate(before).conforms)
print("CETS 197 in the graph:",
      run(before, 'ASK { ?x skos:notation "CETS 197"^^thb:CETS }').boolean)
print("anything said about its IRI:", run(before, "ASK { ?x ?p ?o }", {"x": CETS_197}).boolean)
"""),
    md("""
## 2. Reuse what the graph already knows

The new facts mention three bodies: the Council of Europe (which publishes
the pages we read), its Committee of Ministers (which adopted the Convention)
and GRETA, the group of experts that monitors it. Other sources may already
describe some of them. We **reuse** their IRIs from the shared table in
`graph_data/README.md`, and describe only the ones nobody has described yet:
a second English `skos:prefLabel` for the same body would break the rule
"one label per language".
"""),
    code('''
BODIES = {
    "council-of-europe": """
    body:council-of-europe a org:Organization ;
        skos:prefLabel "Council of Europe"@en .
""",
    "coe-committee-of-ministers": """
    body:coe-committee-of-ministers a org:Organization ;
        skos:prefLabel "Committee of Ministers of the Council of Europe"@en ;
        org:subOrganizationOf body:council-of-europe .
""",
    "greta": """
    body:greta a org:Organization ;
        skos:prefLabel "Group of Experts on Action against Trafficking in Human Beings"@en ;
        skos:altLabel "GRETA"@en ;
        org:subOrganizationOf body:council-of-europe .
""",
}
known = {name: run(before, "ASK { ?body skos:prefLabel ?label }",
                   {"body": f"id:body/{name}"}).boolean for name in BODIES}
for name, yes in known.items():
    print(f"id:body/{name}: {'already described: reused' if yes else 'new: described below'}")
'''),
    md("""
## 3. Write the new source file, with a mistake

A source file has two parts (see `graph_data/README.md`):

* in the **default graph**, the description of the source: the document it
  comes from (`prov:wasDerivedFrom`), its title and publisher;
* in a **named graph** of the same name, the claims of that source, and
  nothing else.

The Council of Europe's page on the Convention states its treaty number
(CETS No. 197, L01), that the Committee of Ministers adopted it on 3 May 2005
(L02) and that it entered into force on 1 February 2008, after the tenth
ratification (L04). It also says the Convention opened for signature in
Warsaw on 16 May 2005 (L03); ELI has no property for that, and the shipped
data records it as a dated event (`thb:Event`). We leave it out to keep the
file short.

Our first draft has a mistake a person easily makes: the entry into force is
written as the words "1 February 2008", not as a date.
"""),
    code('''
PREFIXES = """
@prefix thb: <https://w3id.org/thb-kg/ontology#> .
@prefix src: <https://w3id.org/thb-kg/graph/> .
@prefix body: <https://w3id.org/thb-kg/id/body/> .
@prefix instrument: <https://w3id.org/thb-kg/id/instrument/> .
@prefix doctype: <https://w3id.org/thb-kg/id/concept/document-type/> .
@prefix measure: <https://w3id.org/thb-kg/id/concept/measure/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SOURCE = PREFIXES + """
src:coe-anti-trafficking-convention a thb:Source ;
    prov:wasDerivedFrom <https://www.coe.int/en/web/anti-human-trafficking/anti-trafficking-convention> ;
    dct:title "Council of Europe Convention on Action against Trafficking in Human Beings (Council of Europe page)"@en ;
    dct:publisher body:council-of-europe ;
    thb:confidence thb:Confirmed .

src:coe-anti-trafficking-convention {
    instrument:coe-convention-cets-197 a eli:LegalResource ;
        dct:title "Council of Europe Convention on Action against Trafficking in Human Beings"@en ;
        skos:prefLabel "Council of Europe Convention on Action against Trafficking in Human Beings"@en ;
        skos:altLabel "CETS 197"@en ;
        skos:notation "CETS 197"^^thb:CETS ;                    # L01
        eli:type_document doctype:convention ;
        eli:passed_by body:coe-committee-of-ministers ;         # L02
        eli:date_document "2005-05-03"^^xsd:date ;              # L02
        eli:first_date_entry_in_force "1 February 2008" .       # L04 -- a mistake
""" + "".join(BODIES[name] for name in ("council-of-europe", "coe-committee-of-ministers")
              if not known[name]) + """
}
"""
new_file = data / "coe-anti-trafficking-convention.trig"
new_file.write_text(SOURCE, encoding="utf-8")
print(SOURCE)
'''),
    md("""
## 4. Validate: the shapes find the mistake

`kg.validate` checks the union of all graphs against the SHACL shapes in
`ontology/shapes.ttl`. Each violation names the thing at fault (*focus*), the
property (*path*), what is wrong, and **the source graph** that made the
statement, so you know which file to open.
"""),
    code("""
def violations(report):
    # pandas=False: the plain table keeps each message whole (pandas cuts long text)
    return kg.table([{"focus": v.focus, "path": v.path, "message": v.message,
                      "source graph": ", ".join(v.source_graphs)} for v in report.violations],
                    pandas=False)

report = kg.validate(kg.load(data))
print(report.summary())
violations(report)
"""),
    md("""
The loader reads the words "1 February 2008" as a plain string, and queries
compare dates, not words: the instrument would silently drop out of every
"in force on..." answer. The shape requires an `xsd:date`.

## 5. Another kind of wrong date

Dates can be well-formed and still wrong. Suppose the curator fixes the type
but also records, by mistake, the opening for signature (16 May 2005) as the
**last day in force**. The Convention has not ended; and no instrument can
end before it enters into force. The shapes check the order of the two dates:
"""),
    code("""
wrong_order = SOURCE.replace('"1 February 2008" .', '"2008-02-01"^^xsd:date ;\\n'
                             '        eli:date_no_longer_in_force "2005-05-16"^^xsd:date .')
new_file.write_text(wrong_order, encoding="utf-8")
report = kg.validate(kg.load(data))
print(report.summary())
violations(report)
"""),
    md("""
## 6. Fix it, and add a second source

The correct statement is a typed date and no end of force. We also add what a
second page says: the Council of Europe's *Gender Matters* page on the
Convention states how it is monitored (GRETA, L08) and what it gives victims,
among other things a recovery and reflection period and a renewable residence
permit (L10). One file per source: that page gets its own file and its own
named graph, so the graph keeps track of which page says what.
"""),
    code('''
fixed = SOURCE.replace('"1 February 2008" .', '"2008-02-01"^^xsd:date .')
new_file.write_text(fixed, encoding="utf-8")

SECOND_SOURCE = PREFIXES + """
src:coe-gender-matters-convention a thb:Source ;
    prov:wasDerivedFrom <https://www.coe.int/en/web/gender-matters/the-convention-on-action-against-trafficking> ;
    dct:title "The Convention on Action against Trafficking (Council of Europe, Gender Matters)"@en ;
    dct:publisher body:council-of-europe ;
    thb:confidence thb:Confirmed .

src:coe-gender-matters-convention {
    instrument:coe-convention-cets-197
        thb:monitoredBy body:greta ;                     # L08
        thb:provides measure:reflection-period ,         # L10
                     measure:residence-permit .          # L10
""" + ("" if known["greta"] else BODIES["greta"]) + """
}
"""
(data / "coe-gender-matters-convention.trig").write_text(SECOND_SOURCE, encoding="utf-8")

extended = kg.load(data)
report = kg.validate(extended)
print(report.summary())
'''),
    md("""
## 7. The new instrument in the answers

The library queries now include the Convention: among the instruments and
in force on 1 January 2010.
"""),
    code("""
in_force_2010 = library.run(extended, "in-force", as_of="2010-01-01")
print("in force on 2010-01-01:",
      any(str(i) == CETS_197 for i in in_force_2010.column("instrument")))
kg.table(library.run(extended, "instruments"), labels=extended)
"""),
    md("""
Who is responsible for it, and which other instruments provide the same
measures for victims? Those measures are concepts other sources already use
(for Council Directive 2004/81/EC), so the new instrument is linked to the
rest of the framework through them.
"""),
    code("""
kg.table(library.run(extended, "responsible-bodies"), labels=extended)
"""),
    code("""
same_measures = run(extended, '''
SELECT ?measure ?other WHERE {
  ?cets thb:provides ?measure .
  ?other thb:provides ?measure .
  FILTER(?other != ?cets)
}
ORDER BY ?measure ?other
''', {"cets": CETS_197})
kg.table(same_measures, labels=extended)
"""),
    md("""
And every statement about it, with the source that makes it: our two new
source graphs.
"""),
    code("""
kg.table(library.run(extended, "provenance", {"entity": CETS_197}), labels=extended)
"""),
    md("""
## 8. See it in the network

The Convention and everything within two steps of it: the Committee of
Ministers and GRETA, the Council of Europe above them, and, through the
measures it provides, the EU instruments that provide them too. Click a node
to see its facts and their sources; the new sources are listed there.
"""),
    code("""
G = network.to_networkx(extended)
around = network.neighbourhood(G, CETS_197, depth=2)
print(f"{around.number_of_nodes()} things and {around.number_of_edges()} links")
kg.show(view.render(around), height=600)
"""),
    md("""
## 9. Compare with the shipped data

If the shipped data describes the Convention, do its dates agree with ours?
The same query on both graphs, with the source graph of each date. The
shipped files say more (the parties, the opening for signature as an event,
the Committee of the Parties): compare them with yours in `graph_data/`.
"""),
    code("""
DATES = '''
SELECT ?property ?value ?source WHERE {
  GRAPH ?source { ?instrument ?property ?value }
  FILTER(datatype(?value) = xsd:date && ?source != graph:inferred)
}
ORDER BY ?property ?source
'''
ours = {(p, v) for p, v, _s in run(extended, DATES, {"instrument": CETS_197}).rows}
reference = kg.load()
shipped_dates = run(reference, DATES, {"instrument": CETS_197})
theirs = {(p, v) for p, v, _s in shipped_dates.rows}
if theirs:
    print("same dates as the shipped data:", ours == theirs)
else:
    print("The shipped data does not describe the Convention yet: your files could be the first.")
kg.table(shipped_dates, labels=reference)
"""),
    md("""
## 10. Clean up

The temporary folder goes; the shipped `graph_data/` was never changed. To
add facts for real, put the files in `graph_data/`, run `kg validate`, and
add a row to the fact tests (see `graph_data/README.md`, "Adding a fact").
"""),
    code("""
shutil.rmtree(workdir)
print("removed", workdir)
"""),
]


NOTEBOOKS = {
    "01-explore-the-framework.ipynb": EXPLORE,
    "02-sparql-for-researchers.ipynb": RESEARCH,
    "03-extend-the-graph.ipynb": EXTEND,
}


def build(name: str, cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    prefix = name[:2]
    for i, (kind, text) in enumerate(cells):
        cell = new_markdown_cell(text) if kind == "markdown" else new_code_cell(text)
        cell.id = f"nb{prefix}-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def notebooks() -> dict[str, nbformat.NotebookNode]:
    """Every notebook, by file name, without outputs."""
    return {name: build(name, cells) for name, cells in NOTEBOOKS.items()}


def dumps(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, nb in notebooks().items():
        path = OUT / name
        text = dumps(nb)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_suffix(".ipynb.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
