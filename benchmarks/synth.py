"""Generate large, realistic data in thb-kg's model, for benchmarks.

    python benchmarks/synth.py --quads 100000 --out /tmp/synth-100k [--seed 1]

writes about ``--quads`` quads as TriG files that ``kg --data DIR`` reads and
``kg validate`` accepts, modelled as ``graph_data/`` is (see its README):

- ``synth-registry``: the states (the 27 EU member states, the other Council
  of Europe states, then "State NNN" up to 193), their parliaments, the
  courts, the concepts (document types, topics, indicators, exploitation
  forms, articles' scheme) and units;
- ``eur-lex-NN``: EU acts (directives, regulations, decisions) with their ELI
  (``http://data.europa.eu/eli/{type}/{year}/{number}/oj``, numbers from 5001
  so that they do not name real acts), CELEX, dates, adopting bodies, topics
  and transposition deadline; later acts that ``eli:amends`` or
  ``thb:replaces`` earlier ones (with ``eli:date_applicability``, and the
  replaced act's last day in force where the source gives it);
- ``eu-summaries-NN``: claims in words about the acts, the measures they
  provide for victims, and time-relative claims ("the most recent");
- ``treaty-status-NN``: UN and Council of Europe conventions and protocols,
  each state's signature and ratification as a dated ``thb:Event``
  (``prov:wasAssociatedWith`` the state, ``thb:instrument``,
  ``thb:startDate``), and the number of parties as at a date;
- ``national-measures-<state>``: one source per member state, its national
  measures that ``eli:transposes`` each directive;
- ``case-law-NN``: ECtHR and CJEU cases (``thb:CourtCase``) that concern
  articles of the instruments, some restated by a second source with another
  judgment date (sources disagree, as in graph_data/);
- ``statistics-NN``: one report each, its ``qb:DataSet`` and Data Cube
  observations per state and year (and shares by region of origin), a few
  figures corrected by a later report.

Each source is one named graph in its own file; ``sources.trig`` describes
them all in the default graph. The same ``--quads`` and ``--seed`` give the
same files, byte for byte. All of it is invented: never mix it with
``graph_data/``. ``generate()`` is the same as a function.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PREFIXES = {
    "thb": "https://w3id.org/thb-kg/ontology#",
    "src": "https://w3id.org/thb-kg/graph/",
    "body": "https://w3id.org/thb-kg/id/body/",
    "place": "https://w3id.org/thb-kg/id/place/",
    "event": "https://w3id.org/thb-kg/id/event/",
    "instrument": "https://w3id.org/thb-kg/id/instrument/",
    "report": "https://w3id.org/thb-kg/id/report/",
    "dataset": "https://w3id.org/thb-kg/id/dataset/",
    "observation": "https://w3id.org/thb-kg/id/observation/",
    "unit": "https://w3id.org/thb-kg/id/unit/",
    "claim": "https://w3id.org/thb-kg/id/claim/",
    "case": "https://w3id.org/thb-kg/id/case/",
    "custodianship": "https://w3id.org/thb-kg/id/custodianship/",
    "indicator": "https://w3id.org/thb-kg/id/concept/indicator/",
    "claimtype": "https://w3id.org/thb-kg/id/concept/claim-type/",
    "doctype": "https://w3id.org/thb-kg/id/concept/document-type/",
    "topic": "https://w3id.org/thb-kg/id/concept/topic/",
    "measure": "https://w3id.org/thb-kg/id/concept/measure/",
    "exploitation": "https://w3id.org/thb-kg/id/concept/exploitation-form/",
    "article": "https://w3id.org/thb-kg/id/concept/article/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "cpov": "http://data.europa.eu/m8g/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

MEMBER_STATES = (
    "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia",
    "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia",
    "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania",
    "Slovakia", "Slovenia", "Spain", "Sweden",
)
OTHER_COE_STATES = (
    "Albania", "Andorra", "Armenia", "Azerbaijan", "Bosnia and Herzegovina", "Georgia",
    "Iceland", "Liechtenstein", "Monaco", "Montenegro", "North Macedonia", "Norway",
    "Republic of Moldova", "San Marino", "Serbia", "Switzerland", "Türkiye", "Ukraine",
    "United Kingdom",
)
N_STATES = 193
REGIONS = ("balkans", "former-soviet-union", "south-america", "central-europe", "africa",
           "east-asia", "western-europe")
TOPICS = ("prevention", "prosecution", "protection")
MEASURES = ("reflection-period", "residence-permit", "compensation", "legal-assistance",
            "shelter", "non-punishment")
INDICATORS = ("detected-victims", "suspects", "prosecutions", "convictions",
              "residence-permits-issued", "child-victims")
FORMS = ("sexual-exploitation", "forced-labour", "forced-begging", "organ-removal")
EU_TYPES = (  # ELI type, CELEX letter, document type, title word
    ("dir", "L", "directive", "Directive"),
    ("reg", "R", "regulation", "Regulation"),
    ("dec", "D", "council-decision", "Decision"),
)
SUBJECTS = (
    "preventing and combating trafficking in human beings",
    "the residence permit issued to victims of trafficking",
    "the rights, support and protection of victims of crime",
    "the European Union Agency for Law Enforcement Cooperation",
    "combating the sexual abuse and sexual exploitation of children",
    "the European Border and Coast Guard",
    "sanctions against employers of illegally staying third-country nationals",
    "the European Union Agency for Criminal Justice Cooperation",
    "mutual recognition of freezing and confiscation orders",
    "the European Investigation Order in criminal matters",
)
# shares of the quads (after the registry and the source descriptions)
SHARES = {
    "eu": 0.14, "summaries": 0.05, "treaties": 0.24, "national": 0.14, "cases": 0.10,
    "statistics": 0.33,
}
N_GRAPHS = {"eu": 14, "summaries": 8, "treaties": 18, "cases": 12, "statistics": 20}


def slug(name: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in name.replace("ü", "u"))
    return "-".join(p for p in out.split("-") if p)


def lit(text: str, lang: str = "en") -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@' + lang


def string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def date(d: dt.date) -> str:
    return f'"{d.isoformat()}"^^xsd:date'


def decimal(x: float) -> str:
    return f'"{x:.1f}"^^xsd:decimal'


def integer(n: int) -> str:
    return f'"{n}"^^xsd:integer'


@dataclass
class Graph:
    """One source: its named graph's subject blocks and its description."""

    slug: str
    title: str
    publisher: str
    day: dt.date
    blocks: list[str] = field(default_factory=list)
    quads: int = 0
    subjects: set[str] = field(default_factory=set)

    def add(self, subject: str, pairs: list[tuple[str, str]]) -> int:
        """Write ``subject`` with its (predicate, object) pairs; each subject once per graph."""
        if subject in self.subjects:
            raise ValueError(f"{subject} twice in {self.slug}")
        self.subjects.add(subject)
        body = " ;\n        ".join(f"{p} {o}" for p, o in pairs)
        self.blocks.append(f"    {subject} {body} .\n")
        self.quads += len(pairs)
        return len(pairs)


@dataclass
class Act:
    iri: str
    label: str
    kind: str  # dir, reg, dec, treaty, protocol
    adopted: dt.date
    in_force: dt.date
    slug: str
    replaced: bool = False


class Generator:
    def __init__(self, quads: int, seed: int) -> None:
        self.target = quads
        self.rng = random.Random(seed)
        self.seed = seed
        self.graphs: list[Graph] = []
        self.states: list[tuple[str, str]] = []  # (curie, name)
        self.members: list[tuple[str, str]] = []
        self.eu_acts: list[Act] = []
        self.treaties: list[Act] = []
        self.numbers: dict[tuple[str, int], int] = {}

    # ------------------------------------------------------------------ helpers
    def graph(self, slug_: str, title: str, publisher: str, day: dt.date) -> Graph:
        g = Graph(slug_, title, publisher, day)
        self.graphs.append(g)
        return g

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = max((end - start).days, 0)
        return start + dt.timedelta(days=self.rng.randint(0, span))

    def total(self) -> int:
        return sum(g.quads for g in self.graphs) + 6 * len(self.graphs)

    def budget(self, part: str) -> int:
        fixed = self.fixed
        return max(int((self.target - fixed) * SHARES[part]), 0)

    # ------------------------------------------------------------------ registry
    def registry(self) -> None:
        g = self.graph("synth-registry", "Synthetic registry of states, bodies and concepts",
                       "body:thb-kg-synth", dt.date(2026, 1, 1))
        g.add("body:thb-kg-synth", [("a", "org:Organization"),
                                    ("skos:prefLabel", lit("thb-kg synthetic data generator"))])
        names = list(MEMBER_STATES) + list(OTHER_COE_STATES)
        names += [f"State {i:03d}" for i in range(len(names) + 1, N_STATES + 1)]
        for i, name in enumerate(names):
            curie = f"place:{slug(name)}"
            g.add(curie, [("a", "dct:Location"), ("skos:prefLabel", lit(name))])
            self.states.append((curie, name))
            if i < len(MEMBER_STATES):
                self.members.append((curie, name))
                g.add(f"body:parliament-{slug(name)}", [
                    ("a", "org:Organization"),
                    ("skos:prefLabel", lit(f"Parliament of {name}")),
                    ("thb:seat", curie),
                ])
        g.add("place:europe", [("a", "dct:Location"), ("skos:prefLabel", lit("Europe"))])
        for region in REGIONS:
            g.add(f"place:{region}", [("a", "dct:Location"),
                                      ("skos:prefLabel", lit(region.replace("-", " ").title()))])
        for curie, label in (
            ("body:european-parliament", "European Parliament"),
            ("body:council-of-the-eu", "Council of the European Union"),
            ("body:european-commission", "European Commission"),
            ("body:european-union", "European Union"),
            ("body:un-general-assembly", "United Nations General Assembly"),
            ("body:unodc", "United Nations Office on Drugs and Crime"),
            ("body:council-of-europe", "Council of Europe"),
            ("body:coe-committee-of-ministers", "Committee of Ministers of the Council of Europe"),
            ("body:greta", "Group of Experts on Action against Trafficking in Human Beings"),
            ("body:ecthr", "European Court of Human Rights"),
            ("body:cjeu", "Court of Justice of the European Union"),
            ("body:eurostat", "Eurostat"),
            ("body:united-nations", "United Nations"),
        ):
            g.add(curie, [("a", "org:Organization"), ("skos:prefLabel", lit(label))])
        schemes = {
            "doctype": ["directive", "regulation", "council-decision", "convention", "protocol",
                        "national-measure"],
            "topic": list(TOPICS),
            "measure": list(MEASURES),
            "indicator": list(INDICATORS) + ["parties", "share-of-victims-by-origin"],
            "exploitation": list(FORMS),
            "claimtype": ["finding", "characterisation", "provision", "assessment"],
        }
        scheme_iri = {
            "doctype": "document-type", "topic": "topic", "measure": "measure",
            "indicator": "indicator", "exploitation": "exploitation-form",
            "claimtype": "claim-type",
        }
        for prefix, members in schemes.items():
            scheme = f"<https://w3id.org/thb-kg/id/concept/{scheme_iri[prefix]}>"
            g.add(scheme, [("a", "skos:ConceptScheme"),
                           ("skos:prefLabel", lit(scheme_iri[prefix].replace("-", " ") + "s"))])
            for m in members:
                pairs = [("a", "skos:Concept"), ("skos:inScheme", scheme),
                         ("skos:prefLabel", lit(m.replace("-", " ")))]
                if prefix == "measure":
                    pairs.append(("skos:definition",
                                  lit(f"The {m.replace('-', ' ')} a state grants to victims.")))
                g.add(f"{prefix}:{m}", pairs)
        g.add("<https://w3id.org/thb-kg/id/concept/article>", [
            ("a", "skos:ConceptScheme"), ("skos:prefLabel", lit("articles of instruments"))])
        for u, label in (("persons", "persons"), ("percent", "percent"),
                         ("countries", "countries")):
            g.add(f"unit:{u}", [("skos:prefLabel", lit(label))])

    # ------------------------------------------------------------------ EU acts
    def eu_acts_part(self) -> None:
        graphs = [self.graph(f"eur-lex-{i:02d}", f"EUR-Lex: EU acts, batch {i}",
                             "body:european-union", dt.date(2025, 1, 1) + dt.timedelta(i))
                  for i in range(N_GRAPHS["eu"])]
        budget = self.budget("eu")
        used = 0
        year = 1995
        i = 0
        while used < budget:
            g = graphs[i % len(graphs)]
            i += 1
            eli_type, letter, doctype, word = self.rng.choices(EU_TYPES, weights=(5, 3, 2))[0]
            year = min(2025, 1995 + (i * 30) // max(budget // 13, 1))
            number = self.numbers.get((eli_type, year), 5000) + 1
            self.numbers[(eli_type, year)] = number
            iri = f"<http://data.europa.eu/eli/{eli_type}/{year}/{number}/oj>"
            label = f"{word} {'(EU) ' if year >= 2015 else ''}{year}/{number}"
            subject = self.rng.choice(SUBJECTS)
            adopted = self.day_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
            published = adopted + dt.timedelta(self.rng.randint(5, 40))
            in_force = published + dt.timedelta(20)
            act = Act(iri, label, eli_type, adopted, in_force, f"{eli_type}-{year}-{number}")
            pairs = [
                ("a", "eli:LegalResource"),
                ("dct:title", lit(f"{label} on {subject}")),
                ("skos:prefLabel", lit(label)),
                ("eli:id_local", string(f"3{year}{letter}{number:04d}")),
                ("eli:type_document", f"doctype:{doctype}"),
                ("eli:passed_by", "body:council-of-the-eu"),
                ("eli:date_document", date(adopted)),
                ("eli:date_publication", date(published)),
                ("eli:first_date_entry_in_force", date(in_force)),
                ("thb:ojReference",
                 string(f"OJ L {self.rng.randint(1, 400)}, {published:%d.%m.%Y}, p. 1")),
            ]
            if eli_type != "dec":
                pairs.append(("eli:passed_by", "body:european-parliament"))
            if eli_type == "dir":
                pairs.append(("thb:transpositionDeadline",
                              date(in_force + dt.timedelta(days=730))))
            for t in self.rng.sample(TOPICS, self.rng.randint(0, 2)):
                pairs.append(("eli:is_about", f"topic:{t}"))
            older = [a for a in self.eu_acts[-400:]
                     if a.kind == eli_type and a.in_force < adopted]
            ended: tuple[Act, dt.date] | None = None
            amended = None
            if older and self.rng.random() < 0.25:
                amended = self.rng.choice(older)
                pairs.append(("eli:amends", amended.iri))
            candidates = [a for a in older if not a.replaced and a is not amended]
            if candidates and self.rng.random() < 0.12:
                old = self.rng.choice(candidates)
                old.replaced = True
                applies = in_force + dt.timedelta(self.rng.choice((0, 0, 30, 365)))
                pairs.append(("thb:replaces", old.iri))
                pairs.append(("eli:date_applicability", date(applies)))
                if self.rng.random() < 0.5:
                    ended = (old, applies - dt.timedelta(1))
            used += g.add(iri, pairs)
            if ended is not None:  # in a graph that does not describe the old act yet
                home = next(h for h in graphs[i % len(graphs):] + graphs
                            if ended[0].iri not in h.subjects)
                used += home.add(ended[0].iri, [("eli:date_no_longer_in_force", date(ended[1]))])
            self.eu_acts.append(act)

    # ------------------------------------------------------------------ treaties
    def treaties_part(self) -> None:
        graphs = [self.graph(f"treaty-status-{i:02d}",
                             f"Status of treaties on trafficking in persons, part {i}",
                             "body:united-nations" if i % 3 else "body:council-of-europe",
                             dt.date(2024, 4, 20)) for i in range(N_GRAPHS["treaties"])]
        budget = self.budget("treaties")
        used = 0
        i = 0
        while used < budget:
            g = graphs[i % len(graphs)]
            i += 1
            coe = g.publisher == "body:council-of-europe"
            is_protocol = bool(self.treaties) and self.rng.random() < 0.4
            kind = "protocol" if is_protocol else "convention"
            year = self.rng.randint(1949, 2020)
            adopted = self.day_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
            in_force = adopted + dt.timedelta(self.rng.randint(200, 1500))
            name = f"{'Council of Europe' if coe else 'United Nations'} {kind.title()} No. {i}"
            tslug = f"synth-{kind}-{i}"
            iri = f"instrument:{tslug}"
            act = Act(iri, name, kind, adopted, in_force, tslug)
            notation = (f'"CETS {300 + i}"^^thb:CETS' if coe
                        else f'"XVIII-{20 + i}"^^thb:UNTreatyChapter')
            pairs = [
                ("a", "eli:LegalResource"),
                ("dct:title", lit(f"{name} on action against trafficking in human beings")),
                ("skos:prefLabel", lit(name)),
                ("skos:notation", notation),
                ("eli:type_document", f"doctype:{kind}"),
                ("eli:passed_by",
                 "body:coe-committee-of-ministers" if coe else "body:un-general-assembly"),
                ("eli:date_document", date(adopted)),
                ("eli:first_date_entry_in_force", date(in_force)),
                ("thb:monitoredBy" if coe else "thb:hasGuardian",
                 "body:greta" if coe else "body:unodc"),
            ]
            if is_protocol:
                pairs.append(("thb:supplements", self.rng.choice(self.treaties[-20:]).iri))
            used += g.add(iri, pairs)
            if not coe:
                used += g.add(f"custodianship:unodc-{tslug}", [
                    ("a", "thb:Custodianship"), ("prov:agent", "body:unodc"),
                    ("thb:instrument", iri), ("thb:startDate", date(adopted))])
            self.treaties.append(act)
            k = self.rng.randint(20, len(self.states))
            parties = 0
            for curie, state in sorted(self.rng.sample(self.states, k)):
                signed = self.day_between(adopted, adopted + dt.timedelta(700))
                ratified = signed + dt.timedelta(self.rng.randint(60, 3000))
                for what, day in (("signature", signed), ("ratification", ratified)):
                    if what == "ratification":
                        if self.rng.random() < 0.15:
                            continue
                        parties += 1
                    used += g.add(f"event:{tslug}-{what}-{curie.split(':')[1]}", [
                        ("a", "thb:Event"),
                        ("skos:prefLabel", lit(f"{state}: {what} of the {name}")),
                        ("prov:wasAssociatedWith", curie),
                        ("thb:instrument", iri),
                        ("thb:startDate", date(day)),
                        ("thb:context", lit(what)),
                    ])
            used += g.add(f"dataset:{tslug}-participation", [
                ("a", "qb:DataSet"), ("skos:prefLabel", lit(f"Parties to the {name}")),
                ("dct:subject", iri)])
            used += g.add(f"observation:{tslug}-parties", [
                ("a", "qb:Observation"), ("qb:dataSet", f"dataset:{tslug}-participation"),
                ("thb:indicator", "indicator:parties"), ("thb:instrument", iri),
                ("sdmx-dimension:refArea", "place:europe" if coe else "place:world"),
                ("sdmx-measure:obsValue", decimal(parties)),
                ("sdmx-attribute:unitMeasure", "unit:countries"),
                ("thb:asOf", date(g.day))])

    # ------------------------------------------------------------------ summaries
    def summaries_part(self) -> None:
        graphs = [self.graph(f"eu-summaries-{i:02d}", f"Summaries of EU legislation, part {i}",
                             "body:european-commission", dt.date(2023, 6, 1) + dt.timedelta(i))
                  for i in range(N_GRAPHS["summaries"])]
        budget = self.budget("summaries")
        used = 0
        acts = self.eu_acts + self.treaties
        i = 0
        while used < budget and acts:
            act = acts[i % len(acts)]
            g = graphs[i % len(graphs)]
            i += 1
            if act.iri in g.subjects:
                break
            pairs = [("a", "eli:LegalResource"), ("dct:title", lit(act.label))]
            for m in self.rng.sample(MEASURES, self.rng.randint(0, 2)):
                pairs.append(("thb:provides", f"measure:{m}"))
            used += g.add(act.iri, pairs)
            used += g.add(f"claim:summary-{act.slug}", [
                ("a", "thb:Claim"),
                ("rdf:value", lit(f"The {act.label} lays down minimum rules on "
                                  f"{self.rng.choice(SUBJECTS)}.")),
                ("thb:about", act.iri), ("thb:claimType", "claimtype:characterisation")])
            if self.rng.random() < 0.05:
                used += g.add(f"claim:most-recent-{act.slug}", [
                    ("a", "thb:Claim"),
                    ("rdf:value", lit(f"The {act.label} is the most recent act on the subject.")),
                    ("thb:about", act.iri), ("thb:claimType", "claimtype:assessment"),
                    ("thb:timeRelative", lit("the most recent")),
                    ("thb:asOf", date(act.in_force + dt.timedelta(400)))])

    # ------------------------------------------------------------------ national measures
    def national_part(self) -> None:
        graphs = [self.graph(f"national-measures-{slug(name)}",
                             f"National transposition measures notified by {name}",
                             f"body:parliament-{slug(name)}", dt.date(2025, 3, 1))
                  for _, name in self.members]
        directives = [a for a in self.eu_acts if a.kind == "dir"] or self.eu_acts
        budget = self.budget("national")
        used = 0
        i = 0
        count: dict[str, int] = {}
        while used < budget and directives:
            d = directives[(i // len(graphs)) % len(directives)]
            k = i % len(graphs)
            g = graphs[k]
            curie, name = self.members[k]
            i += 1
            for _ in range(self.rng.choice((1, 1, 2, 3))):
                n = count[g.slug] = count.get(g.slug, 0) + 1
                adopted = d.in_force + dt.timedelta(self.rng.randint(-100, 1200))
                iri = f"instrument:{slug(name)}-measure-{n}"
                used += g.add(iri, [
                    ("a", "eli:LegalResource"),
                    ("dct:title", lit(f"{name}: act no. {n} of {adopted.year} transposing the "
                                      f"{d.label}")),
                    ("eli:type_document", "doctype:national-measure"),
                    ("eli:passed_by", f"body:parliament-{slug(name)}"),
                    ("dct:spatial", curie),
                    ("eli:transposes", d.iri),
                    ("eli:date_document", date(adopted)),
                    ("eli:first_date_entry_in_force",
                     date(adopted + dt.timedelta(self.rng.randint(1, 90)))),
                ])

    # ------------------------------------------------------------------ court cases
    def cases_part(self) -> None:
        graphs = [self.graph(f"case-law-{i:02d}", f"Case law on trafficking in human beings, "
                             f"part {i}", "body:ecthr" if i % 2 else "body:cjeu",
                             dt.date(2025, 5, 1)) for i in range(N_GRAPHS["cases"])]
        acts = self.treaties + [a for a in self.eu_acts if a.kind == "dir"] or self.eu_acts
        budget = self.budget("cases")
        used = 0
        i = 0
        while used < budget and acts:
            g = graphs[i % len(graphs)]
            i += 1
            ecthr = g.publisher == "body:ecthr"
            act = self.rng.choice(acts)
            judged = self.day_between(max(act.in_force, dt.date(1990, 1, 1)),
                                      dt.date(2025, 12, 31))
            state = self.rng.choice(self.states)[1]
            cslug = f"synth-{i}-v-{slug(state)}"
            art_no = self.rng.randint(1, 30)
            article = f"article:{act.slug}-art-{art_no}"
            if article not in g.subjects:
                used += g.add(article, [
                    ("a", "skos:Concept"),
                    ("skos:inScheme", "<https://w3id.org/thb-kg/id/concept/article>"),
                    ("skos:prefLabel", lit(f"Article {art_no} of the {act.label}")),
                    ("skos:notation", string(f"Article {art_no}")),
                    ("dct:isPartOf", act.iri)])
            notation = (f'"{10000 + i}/{judged.year % 100:02d}"^^thb:ECHRApplicationNo' if ecthr
                        else string(f"C-{100 + i}/{judged.year % 100:02d}"))
            pairs = [
                ("a", "thb:CourtCase"),
                ("skos:prefLabel", lit(f"Applicant {i} v. {state}")),
                ("skos:notation", notation),
                ("thb:decidedBy", "body:ecthr" if ecthr else "body:cjeu"),
                ("thb:judgmentDate", date(judged)),
                ("thb:concerns", article),
                ("thb:concerns", act.iri),
            ]
            if ecthr:
                pairs.append(("thb:finalDate", date(judged + dt.timedelta(90))))
            used += g.add(f"case:{cslug}", pairs)
            if self.rng.random() < 0.03:  # a second source with another date
                other = graphs[(i + 2) % len(graphs)]
                if f"case:{cslug}" not in other.subjects:
                    used += other.add(f"case:{cslug}", [
                        ("a", "thb:CourtCase"),
                        ("thb:judgmentDate", date(judged + dt.timedelta(self.rng.randint(1, 60))))])

    # ------------------------------------------------------------------ statistics
    def statistics_part(self) -> None:
        n = N_GRAPHS["statistics"]
        graphs = []
        for i in range(n):
            year = 2006 + i
            g = self.graph(f"statistics-{i:02d}", f"Trafficking in human beings: data collection "
                           f"{year}", "body:eurostat" if i % 2 else "body:unodc",
                           dt.date(year + 1, 10, 18))
            rslug = f"synth-data-collection-{year}"
            g.add(f"report:{rslug}", [
                ("a", "thb:Report"), ("skos:prefLabel", lit(g.title)), ("dct:title", lit(g.title)),
                ("dct:publisher", g.publisher), ("dct:issued", date(g.day))])
            g.add(f"dataset:{rslug}", [
                ("a", "qb:DataSet"), ("skos:prefLabel", lit(f"Figures of the {g.title}")),
                ("dct:source", f"report:{rslug}")])
            g.add(f"claim:{rslug}-finding", [
                ("a", "thb:Claim"),
                ("rdf:value", lit(f"Registered victims in the EU rose in {year}.")),
                ("thb:about", f"report:{rslug}"), ("thb:claimType", "claimtype:finding")])
            left = 100.0
            for region in REGIONS:
                share = round(self.rng.uniform(0, left / 2), 1)
                left -= share
                g.add(f"observation:{rslug}-origin-{region}", [
                    ("a", "qb:Observation"), ("qb:dataSet", f"dataset:{rslug}"),
                    ("thb:indicator", "indicator:share-of-victims-by-origin"),
                    ("sdmx-dimension:refArea", "place:europe"),
                    ("thb:originRegion", f"place:{region}"), ("thb:refYear", integer(year)),
                    ("sdmx-measure:obsValue", decimal(share)),
                    ("sdmx-attribute:unitMeasure", "unit:percent")])
            graphs.append((g, rslug, year))
        budget = self.budget("statistics") - sum(g.quads for g, _, _ in graphs)
        used = 0
        i = 0
        cells: Iterator[tuple[int, str, tuple[str, str], int]] = (
            (k, ind, st, y)
            for y in range(0, 30)
            for ind in INDICATORS
            for st in self.states
            for k in range(n)
        )
        for k, indicator, (curie, _), back in cells:
            if used >= budget:
                break
            g, rslug, year = graphs[k]
            i += 1
            ref = year - back
            obs = f"observation:{rslug}-{indicator}-{curie.split(':')[1]}-{ref}"
            pairs = [
                ("a", "qb:Observation"), ("qb:dataSet", f"dataset:{rslug}"),
                ("thb:indicator", f"indicator:{indicator}"),
                ("sdmx-dimension:refArea", curie), ("thb:refYear", integer(ref)),
                ("sdmx-measure:obsValue", decimal(self.rng.randint(0, 5000))),
                ("sdmx-attribute:unitMeasure", "unit:persons"),
            ]
            if self.rng.random() < 0.4:
                pairs.append(("thb:exploitationForm", f"exploitation:{self.rng.choice(FORMS)}"))
            used += g.add(obs, pairs)
            if k > 0 and self.rng.random() < 0.01:  # a later report corrects a figure
                later, _, _ = graphs[(k + 1) % n]
                if obs not in later.subjects:
                    used += later.add(obs, [
                        ("sdmx-measure:obsValue", decimal(self.rng.randint(0, 5000))),
                        ("sdmx-attribute:unitMeasure", "unit:persons")])

    # ------------------------------------------------------------------ all
    def run(self) -> None:
        self.registry()
        n_sources = 1 + sum(N_GRAPHS.values()) + len(MEMBER_STATES)
        self.fixed = self.graphs[0].quads + 6 * n_sources
        self.eu_acts_part()
        self.treaties_part()
        self.summaries_part()
        self.national_part()
        self.cases_part()
        self.statistics_part()

    def write(self, out: Path) -> dict[str, object]:
        out.mkdir(parents=True, exist_ok=True)
        header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
        note = (f"# Synthetic data in thb-kg's model (benchmarks/synth.py, seed {self.seed}, "
                f"--quads {self.target}). Invented: not a source of facts.\n\n")
        described = []
        for g in self.graphs:
            described.append(
                f"src:{g.slug} a thb:Source ;\n"
                f"    prov:wasDerivedFrom <https://example.org/thb-kg-synth/{g.slug}> ;\n"
                f"    dct:title {lit(g.title)} ;\n"
                f"    dct:publisher {g.publisher} ;\n"
                f"    dct:date {date(g.day)} ;\n"
                f"    thb:confidence thb:Confirmed .\n\n"
            )
            text = header + "\n" + note + f"src:{g.slug} {{\n" + "\n".join(g.blocks) + "}\n"
            (out / f"{g.slug}.trig").write_text(text, encoding="utf-8")
        (out / "sources.trig").write_text(header + "\n" + note + "".join(described),
                                          encoding="utf-8")
        manifest = {
            "generator": "benchmarks/synth.py", "seed": self.seed, "requested": self.target,
            "quads": self.total(), "graphs": len(self.graphs),
            "eu_acts": len(self.eu_acts), "treaties": len(self.treaties),
        }
        (out / "synth.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        return manifest


def generate(quads: int, out: Path | str, seed: int = 1) -> dict[str, object]:
    """Write about ``quads`` quads of synthetic data to ``out``; return the manifest.

    The manifest (also written as ``synth.json``, which ``kg`` ignores) gives
    the number of quads, graphs, EU acts and treaties written.
    """
    if quads < 1000:
        raise ValueError("--quads must be at least 1000 (the registry alone takes about 1,000)")
    gen = Generator(quads, seed)
    gen.run()
    return gen.write(Path(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, required=True, help="about how many quads to write")
    parser.add_argument("--out", type=Path, required=True, help="folder for the TriG files")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    manifest = generate(args.quads, args.out, args.seed)
    print(f"{manifest['quads']:,} quads in {manifest['graphs']} source graphs -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
