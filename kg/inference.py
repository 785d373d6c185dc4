"""Materialise what the ontology implies, into one graph of its own.

Queries see inverse properties (``eli:amended_by`` from ``eli:amends``),
super-properties (``eli:responsibility_of_agent`` from ``thb:hasGuardian``)
and super-classes (``thb:Claim`` from ``thb:Quotation``) without anyone writing
them in ``graph_data/``. The entailed triples go to ``graph/inferred``, so
the source graphs keep exactly what their sources say and an export of the
asserted data stays clean. A few rules in plain Python: owlrl's full RDFS/OWL
closure adds thousands of axiomatic triples users never ask for.

One rule is about the law rather than the vocabulary (:meth:`Rules.end_of_force`):
an act that no source gives an end of force for stops being in force the day
before the act that replaces or repeals it applies. It is stated as an
``eli:date_no_longer_in_force`` with its derivation (the rule, the replacing act,
the source graphs of its premises), so that any in-force query sees it.
:mod:`kg.store.build` computes the same triples with SPARQL Update.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from .namespaces import ELI, ID, THB

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node]

#: The rule that derives an end of force from a replacing act (a prov:Plan in thb.ttl).
END_OF_FORCE_RULE = THB.EndOfForceByReplacement


def derivation_iri(instrument: Node) -> URIRef:
    """The IRI of the derivation of ``instrument``'s end of force: the same in
    :mod:`kg.store.build`, which computes it with SPARQL's MD5."""
    digest = hashlib.md5(str(instrument).encode("utf-8")).hexdigest()  # noqa: S324 (a name, not a secret)
    return URIRef(f"{ID}derivation/end-of-force-{digest}")


def _closure(pairs: Iterable[tuple[URIRef, URIRef]]) -> dict[URIRef, set[URIRef]]:
    """Transitive closure of a sub-property or sub-class relation."""
    direct: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in pairs:
        if sub != sup:
            direct[sub].add(sup)
    closed: dict[URIRef, set[URIRef]] = {}
    for start in list(direct):
        seen: set[URIRef] = set()
        stack = list(direct[start])
        while stack:
            nxt = stack.pop()
            if nxt in seen or nxt == start:
                continue
            seen.add(nxt)
            stack.extend(direct.get(nxt, ()))
        closed[start] = seen
    return closed


class Rules:
    """The entailment rules read from an ontology graph."""

    def __init__(self, ontology: Graph) -> None:
        self.super_properties = _closure(
            (s, o)
            for s, o in ontology.subject_objects(RDFS.subPropertyOf)
            if isinstance(s, URIRef) and isinstance(o, URIRef)
        )
        self.super_classes = _closure(
            (s, o)
            for s, o in ontology.subject_objects(RDFS.subClassOf)
            if isinstance(s, URIRef) and isinstance(o, URIRef)
        )
        self.inverses: dict[Node, set[URIRef]] = defaultdict(set)
        for a, b in ontology.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                self.inverses[a].add(b)
                self.inverses[b].add(a)
        for p in ontology.subjects(RDF.type, OWL.SymmetricProperty):
            if isinstance(p, URIRef):
                self.inverses[p].add(p)

    def entail(self, triples: Iterable[Triple]) -> set[Triple]:
        """Every triple the rules add to ``triples`` (not including them), to a fixpoint."""
        known: set[Triple] = set(triples)
        frontier = set(known)
        added: set[Triple] = set()
        while frontier:
            new: set[Triple] = set()
            for s, p, o in frontier:
                if p == RDF.type:
                    for cls in self.super_classes.get(o, set()):  # type: ignore[call-overload]
                        new.add((s, RDF.type, cls))
                    continue
                for sup in self.super_properties.get(p, set()):  # type: ignore[call-overload]
                    new.add((s, sup, o))
                if isinstance(o, URIRef):
                    for inv in self.inverses.get(p, set()):  # type: ignore[call-overload]
                        new.add((o, inv, s))
            new -= known
            known |= new
            added |= new
            frontier = new
        return added

    def end_of_force(self, quads: Iterable[Quad], known: set[Triple]) -> set[Triple]:
        """The end of force of each act that no source ends, from the act replacing it.

        ``quads`` are the source graphs' statements, ``known`` the triples known so far
        (asserted and entailed). An act X that is the object of ``eli:repeals`` or a
        sub-property (``thb:replaces``) in some source graph, and that no source gives an
        ``eli:date_no_longer_in_force``, was last in force the day before the earliest
        replacing act R started to apply: R's ``eli:date_applicability``, or where no
        source gives one, its ``eli:first_date_entry_in_force``. Only dates stated at day
        precision count (a node with ``thb:datePrecision`` in that graph is skipped), so
        no day is made up. The derivation is a reified statement (``rdf:Statement``,
        ``prov:Entity``) naming the rule, the replacing act(s) and the source graphs of
        the premises it used (``prov:wasDerivedFrom``).
        """
        repeals = {ELI.repeals} | {
            p for p, sups in self.super_properties.items() if ELI.repeals in sups
        }
        replaced_in: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        ended: set[Node] = set()
        imprecise: set[tuple[Node, Node]] = set()
        applies: dict[Node, dict[date, set[Node]]] = defaultdict(lambda: defaultdict(set))
        enters: dict[Node, dict[date, set[Node]]] = defaultdict(lambda: defaultdict(set))
        has_applicability: set[Node] = set()
        facts = list(quads)
        for s, p, o, g in facts:
            if p in repeals:
                replaced_in[o][s].add(g)
            elif p == ELI.date_no_longer_in_force:
                ended.add(s)
            elif p == THB.datePrecision:
                imprecise.add((s, g))
            elif p == ELI.date_applicability:
                has_applicability.add(s)
        for s, p, o, g in facts:
            if p not in (ELI.date_applicability, ELI.first_date_entry_in_force):
                continue
            if (s, g) in imprecise or not isinstance(o, Literal) or o.datatype != XSD.date:
                continue
            day = o.toPython()
            if isinstance(day, date):
                (applies if p == ELI.date_applicability else enters)[s][day].add(g)
        new: set[Triple] = set()
        for act, replacing in replaced_in.items():
            if act in ended:
                continue
            starts: dict[Node, tuple[date, set[Node]]] = {}
            for r in replacing:
                dates = applies[r] if r in has_applicability else enters[r]
                if dates:
                    first = min(dates)
                    starts[r] = (first, dates[first])
            if not starts:
                continue
            first = min(day for day, _ in starts.values())
            end = Literal((first - timedelta(days=1)).isoformat(), datatype=XSD.date)
            node = derivation_iri(act)
            new |= {
                (act, ELI.date_no_longer_in_force, end),
                (node, RDF.type, RDF.Statement),
                (node, RDF.type, PROV.Entity),
                (node, RDF.subject, act),
                (node, RDF.predicate, ELI.date_no_longer_in_force),
                (node, RDF.object, end),
                (node, THB.derivationRule, END_OF_FORCE_RULE),
            }
            for r, (day, date_graphs) in starts.items():
                if day != first:
                    continue
                new.add((node, THB.replacingAct, r))
                for g in replacing[r] | date_graphs:
                    new.add((node, PROV.wasDerivedFrom, g))
        return new - known

