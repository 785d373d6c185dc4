"""What the whole dataset says that every part of the network needs, read once.

Labels (best predicate and language first), alternative labels, classes,
the sources and what the default graph says about them, date precisions
and time intervals: :func:`_context` reads them from all quads before the
builder draws anything, whatever part of the data it is asked to draw.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import Literal

from .kinds import _CLASS_KIND, KIND_BY_KEY, KINDS, QUALIFIED_CLASSES, Kind
from .links import is_web_link
from .names import _is_bnode, _lang_rank, _term_id, curie, humanise
from .vocabulary import (
    _ACCOUNT_OF,
    _CONFIDENCE,
    _DATE,
    _DATE_PRECISION,
    _DEFAULT,
    _DERIVED_FROM,
    _INFERRED,
    _INSTANT_DATES,
    _INVERSE_OF,
    _NO_LONGER_IN_FORCE,
    _P_ALT,
    _P_LABEL_RANK,
    _P_TIME_LINKS,
    _PRECISION,
    _PUBLISHER,
    _RDF_TYPE,
    _SOURCE,
    _SYSTEM,
    _TITLE,
    _UNCONFIRMED,
    FOLD_CLASSES,
    QUERY_GRAPH,
)


@dataclass
class _Context:
    """What the whole dataset says that every view needs: labels, types, sources."""

    labels: dict[str, tuple[int, int, str]]
    alts: dict[str, set[str]]
    types: dict[str, set[str]]
    described: set[str]
    sources: dict[str, dict[str, Any]]
    precision: dict[tuple[str, str], int]
    intervals: dict[str, dict[str, Any]]
    instants: dict[str, Literal]
    #: property -> its owl:inverseOf, both ways (the ontology's pairs)
    inverses: dict[str, str]
    #: act -> the last day in force that graph/inferred derives for it (rule
    #: thb:EndOfForceByReplacement, kg/inference.py), read even when the view leaves the
    #: inferred graph out
    derived_ends: dict[str, str]

    def label(self, term: Any) -> str:
        found = self.labels.get(term)
        if found:
            return found[2]
        if isinstance(term, Literal) or _is_bnode(term):
            return str(term)
        short = curie(term)
        return humanise(term) if short.startswith(("thb:", "eli:", "org:")) else short

    def kind(self, term: Any) -> Kind:
        ranks = [_CLASS_KIND[t] for t in self.types.get(term, ()) if t in _CLASS_KIND]
        return KINDS[min(ranks)] if ranks else KIND_BY_KEY["other"]


def _quads(kg: Any) -> Iterator[tuple[Any, str, Any, str]]:
    """Every quad of ``kg`` (a KnowledgeGraph or a Dataset), terms as :func:`_term_id` has them."""
    dataset = getattr(kg, "dataset", kg)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        yield _term_id(s), str(p), _term_id(o), str(getattr(g, "identifier", g))


def _one_node_per_fact(quads: list[tuple[Any, Any, Any, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    """``quads`` with each source's node of a shared fact (``thb:accountOf``) that the
    network draws as a node of its own (an event, a data set) renamed to the fact.

    The data keeps one node per source so that a union query cannot mix their values;
    a student should still see one event, not one per source. Each value keeps its own
    source graphs on the merged node. Qualified facts (memberships, observations,
    claims...) and intervals and instants keep their nodes: the builder already folds
    them into one edge per fact, each value with its sources.
    """
    apart = {str(spec.cls) for spec in QUALIFIED_CLASSES} | {str(c) for c in FOLD_CLASSES}
    fact_of: dict[Any, Any] = {}
    types: dict[Any, set[Any]] = defaultdict(set)
    for s, p, o, _g in quads:
        if p == _ACCOUNT_OF:
            fact_of[s] = o
        elif p == _RDF_TYPE:
            types[s].add(o)
    merge = {s: fact for s, fact in fact_of.items() if not types[s] & apart}
    if not merge:
        return quads
    return [
        (merge.get(s, s), p, merge.get(o, o), g)
        for s, p, o, g in quads
        if not (p == _ACCOUNT_OF and s in merge)
    ]


def _context(quads: list[tuple[Any, Any, Any, Any]]) -> _Context:
    labels: dict[str, tuple[int, int, str]] = {}
    alts: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    described: set[str] = set()
    default: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    precision: dict[tuple[str, str], int] = {}
    intervals: dict[str, dict[str, Any]] = defaultdict(dict)
    instants: dict[str, Literal] = {}
    inverses: dict[str, str] = {}
    derived_ends: dict[str, str] = {}
    label_rank = _P_LABEL_RANK
    for s, p, o, g in quads:
        if p in label_rank:
            if isinstance(o, Literal):
                key = (label_rank[p], _lang_rank(o), str(o))
                if s not in labels or key < labels[s]:
                    labels[s] = key
        elif p in _P_ALT and isinstance(o, Literal):
            alts[s].add(str(o))
        if g == _DEFAULT:
            default[s][p].append(o)
            continue
        if g in _SYSTEM:
            if p == _NO_LONGER_IN_FORCE and g == _INFERRED and isinstance(o, Literal):
                derived_ends[s] = max(str(o), derived_ends.get(s, ""))
            if p == _INVERSE_OF and type(o) is str:
                inverses.setdefault(s, o)
                inverses.setdefault(o, s)
            continue
        described.add(s)
        if p == _RDF_TYPE:
            types[s].add(o)
        elif p == _DATE_PRECISION:
            if o in _PRECISION:
                precision[(s, g)] = _PRECISION[o]
        elif p in _P_TIME_LINKS:
            intervals[s][p] = o
        elif p in _INSTANT_DATES and isinstance(o, Literal):
            instants[s] = o
    sources: dict[str, dict[str, Any]] = {}
    for s, props in default.items():
        if _SOURCE not in props.get(_RDF_TYPE, []) or s in _SYSTEM:
            continue
        docs = [str(d) for d in props.get(_DERIVED_FROM, [])]
        titles = sorted(props.get(_TITLE, []), key=lambda t: (_lang_rank(t), str(t)))
        dates = props.get(_DATE, [])
        sources[s] = {
            "iri": s,
            "title": str(titles[0]) if titles else curie(s),
            "document": next((d for d in sorted(docs) if is_web_link(d)), None),
            "documents": sorted(docs),
            "publisher": [str(x) for x in props.get(_PUBLISHER, [])],
            "date": str(dates[0]) if dates else None,
            "unconfirmed": _UNCONFIRMED in props.get(_CONFIDENCE, []),
        }
    return _Context(
        labels, alts, types, described, sources, precision, intervals, instants, inverses,
        derived_ends,
    )


def _source_entry(ctx: _Context, gid: str) -> dict[str, Any]:
    if gid not in ctx.sources:
        ctx.sources[gid] = {
            "iri": gid,
            "title": "query result" if gid == QUERY_GRAPH else curie(gid),
            "document": None,
            "documents": [],
            "publisher": [],
            "date": None,
            "unconfirmed": False,
        }
    return ctx.sources[gid]
