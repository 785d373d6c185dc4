"""Readable names for terms: labels from the graph, CURIEs from the prefixes.

Tables, views and output formats show people names rather than IRIs.
:func:`labels` asks the graph for the labels of many IRIs at once (English
``skos:prefLabel`` first, then ``rdfs:label``, ``foaf:name`` and titles; a
qualified fact that several sources describe takes the label of a source's
node, ``thb:accountOf`` it);
:func:`describe_term` writes a term as a CURIE when a predeclared prefix fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..namespaces import PREFIXES
from .engines import _engine_for
from .params import _sparql_term
from .prepared import prepare

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from .engines import Engine


_LABEL_QUERY = """SELECT ?x ?label ?rank WHERE {
  { ?x skos:prefLabel ?label BIND(1 AS ?rank) }
  UNION { ?x rdfs:label ?label BIND(2 AS ?rank) }
  UNION { ?x foaf:name ?label BIND(3 AS ?rank) }
  UNION { ?x dct:title ?label BIND(4 AS ?rank) }
  UNION { ?x eli:title ?label BIND(5 AS ?rank) }
  UNION { ?account thb:accountOf ?x ; skos:prefLabel ?label BIND(6 AS ?rank) }
  FILTER(isLiteral(?label) && (lang(?label) = "" || langMatches(lang(?label), "en")))
}"""


def labels(target: KnowledgeGraph | Engine, nodes: Iterable[Node | None]) -> dict[Node, str]:
    """A readable label for each IRI that has one (English ``skos:prefLabel`` first)."""
    iris = sorted({n for n in nodes if isinstance(n, URIRef)})
    if not iris:
        return {}
    engine = _engine_for(target)
    # Oxigraph directly (kg.store.Snapshot) gives the labels' text without rdflib terms
    lexical = getattr(engine, "lexical_rows", None)
    out: dict[Node, tuple[int, str]] = {}
    for start in range(0, len(iris), 500):
        chunk = iris[start : start + 500]
        values = "VALUES ?x { " + " ".join(_sparql_term(i) for i in chunk) + " }\n"
        text = _LABEL_QUERY.replace("WHERE {", "WHERE {\n  " + values, 1)
        prepared = prepare(text)
        rows: list[tuple[Node | None, Any, int]]
        if lexical is not None:
            by_text = {str(i): i for i in chunk}
            rows = [(by_text.get(x) if x is not None else None, label,
                     int(rank) if rank is not None else 9)
                    for x, label, rank in lexical(prepared.text)]
        else:
            rows = [(x, label, int(rank.toPython()) if isinstance(rank, Literal) else 9)
                    for x, label, rank in engine.execute(prepared.text).rows]
        for x, label, rank in rows:
            if x is None or label is None:
                continue
            key = (rank, str(label))
            if x not in out or key < out[x]:
                out[x] = key
    return {x: label for x, (_r, label) in out.items()}


def describe_term(node: Node | None) -> str:
    """A short text form: a CURIE for IRIs in a known namespace, else the IRI."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        iri = str(node)
        best = ""
        best_prefix = ""
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(ns) > len(best):
                local = iri[len(ns) :]
                if re.fullmatch(r"[\w\-./]*", local):
                    best, best_prefix = ns, prefix
        if best:
            return f"{best_prefix}:{iri[len(best):]}"
        return iri
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)
