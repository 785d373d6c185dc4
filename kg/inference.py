"""Materialise what the ontology implies, into one graph of its own.

Queries see inverse properties (``eli:amended_by`` from ``eli:amends``),
super-properties (``eli:responsibility_of_agent`` from ``thb:hasGuardian``)
and super-classes (``thb:Claim`` from ``thb:Quotation``) without anyone writing
them in ``graph_data/``. The entailed triples go to ``graph/inferred``, so
the source graphs keep exactly what their sources say and an export of the
asserted data stays clean. A few rules in plain Python: owlrl's full RDFS/OWL
closure adds thousands of axiomatic triples users never ask for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


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
