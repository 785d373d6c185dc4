"""RDF -> networkx: the graph as nodes and labelled edges, plus paths and measures.

:func:`to_networkx` turns a loaded :class:`kg.KnowledgeGraph` into a
``networkx.MultiDiGraph`` whose node ids are IRIs (strings) and whose
attributes carry what a view or a notebook needs: a readable ``label``
(``skos:prefLabel`` first), a ``kind`` (instrument, body, person, ...), the
literal facts with the source graphs that state them, external links, and
whether only unconfirmed sources say it. Edge labels come from the
ontology's ``rdfs:label``.

Qualified facts (a campaign participation, a membership, a custodianship,
an observation, a claim) are nodes in the data; with
``qualified=Qualified.COLLAPSE`` (the default) each becomes one labelled
edge between its two ends carrying its dates and sources, or a note on its
one end; with ``Qualified.KEEP`` they stay small nodes.

>>> import kg
>>> from kg.network import to_networkx, resolve
>>> g = to_networkx(kg.load("tests/data/minimal"))
>>> g.nodes["http://data.europa.eu/eli/dir/2024/1712/oj"]["kind"]
'instrument'
>>> [d["label"] for _, _, d in g.edges(data=True)]
['amends']
>>> resolve(g, "example body")
'https://w3id.org/thb-kg/id/body/example-body'
"""

from __future__ import annotations

import enum
import gc
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import networkx as nx
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..errors import KgError
from ..namespaces import (
    CPOV,
    DCTERMS,
    ELI,
    FOAF,
    GRAPH,
    ID,
    ORG,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SKOS,
    THB,
    TIME,
    XSD,
)

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..query import QueryResult

__all__ = [
    "KINDS",
    "EntityNotFoundError",
    "Kind",
    "Qualified",
    "centrality",
    "components",
    "from_query",
    "in_force_on",
    "neighbourhood",
    "resolve",
    "select",
    "shortest_path",
    "to_networkx",
]

ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]
QUERY_GRAPH = "urn:thb-kg:query-result"  # source of triples a query made up


class EntityNotFoundError(KgError):
    """An entity named by IRI, CURIE or label that is not in the graph (or is ambiguous)."""


class Qualified(enum.Enum):
    """How qualified-fact nodes are drawn."""

    COLLAPSE = "collapse"  # one labelled edge (or a note) per qualified fact
    KEEP = "keep"  # small nodes of their own


@dataclass(frozen=True)
class Kind:
    """A class of node as a view draws it: key, label, classes, colour and shape."""

    key: str
    label: str
    classes: tuple[URIRef, ...]
    color: str
    shape: str
    size: int = 14


#: Node kinds in order of precedence (the first whose class a node has wins).
KINDS: tuple[Kind, ...] = (
    Kind("instrument", "legal instrument", (ELI.LegalResource,), "#0072B2", "square", 16),
    Kind("case", "court case", (THB.CourtCase,), "#882255", "hexagon"),
    Kind("campaign", "campaign", (THB.Campaign,), "#CC79A7", "star", 18),
    Kind("report", "report", (THB.Report,), "#E69F00", "triangle"),
    Kind("document", "document", (FOAF.Document,), "#F0C05A", "triangle", 12),
    Kind("person", "person", (FOAF.Person,), "#D55E00", "diamond"),
    Kind("post", "post", (ORG.Post,), "#AA4499", "triangleDown"),
    Kind(
        "body",
        "body",
        (ORG.Organization, ORG.FormalOrganization, CPOV.PublicOrganisation, FOAF.Organization),
        "#009E73",
        "dot",
        16,
    ),
    Kind("event", "dated event", (THB.Event,), "#56B4E9", "star"),
    Kind("place", "place", (DCTERMS.Location,), "#999933", "square", 10),
    Kind("dataset", "data set", (QB.DataSet,), "#44AA99", "triangle", 10),
    Kind("membership", "membership", (ORG.Membership,), "#BBBBBB", "dot", 6),
    Kind(
        "participation", "campaign participation", (THB.CampaignParticipation,), "#BBBBBB", "dot", 6
    ),
    Kind("custodianship", "custodianship", (THB.Custodianship,), "#BBBBBB", "dot", 6),
    Kind("observation", "statistic", (QB.Observation,), "#DDCC77", "dot", 6),
    Kind("claim", "claim", (THB.Claim, THB.Quotation), "#BBBBBB", "dot", 6),
    Kind("role", "role", (ORG.Role,), "#AA4499", "dot", 8),
    Kind("concept", "concept", (SKOS.Concept,), "#777777", "dot", 8),
    Kind("other", "other", (), "#444444", "dot", 8),
)
KIND_BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
#: class IRI -> its kind's position in KINDS (the first kind a node's classes reach wins)
_CLASS_KIND: dict[str, int] = {}
for _rank, _kind in enumerate(KINDS):
    for _cls in _kind.classes:
        _CLASS_KIND.setdefault(str(_cls), _rank)


@dataclass(frozen=True)
class QualifiedClass:
    """How a qualified-fact class collapses: the predicates naming its two ends."""

    cls: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    label: str
    label_from: str | None = None  # a predicate whose object's label names the edge
    source_in: tuple[str, ...] = ()  # an end given by a triple pointing at the fact
    target_in: tuple[str, ...] = ()

    def __post_init__(self) -> None:  # IRIs as plain strings: see _term_id
        for name in ("source", "target", "source_in", "target_in"):
            object.__setattr__(self, name, tuple(str(p) for p in getattr(self, name)))
        object.__setattr__(self, "cls", str(self.cls))
        if self.label_from is not None:
            object.__setattr__(self, "label_from", str(self.label_from))


QUALIFIED_CLASSES: tuple[QualifiedClass, ...] = (
    QualifiedClass(THB.CampaignParticipation, (PROV.agent,), (THB.campaign,), "participates in"),
    QualifiedClass(THB.Custodianship, (PROV.agent,), (THB.instrument,), "guardian of"),
    QualifiedClass(
        ORG.Membership, (ORG.member,), (ORG.organization,), "member of", label_from=ORG.role
    ),
    QualifiedClass(
        QB.Observation,
        (QB.dataSet,),
        (SDMX_DIMENSION.refArea, THB.instrument),
        "figure",
        label_from=THB.indicator,
    ),
    QualifiedClass(
        PROV.Association,
        (),
        (PROV.agent,),
        "associated with",
        label_from=PROV.hadRole,
        source_in=(PROV.qualifiedAssociation,),
    ),
    QualifiedClass(THB.Quotation, (PROV.wasAttributedTo,), (THB.about,), "quote"),
    QualifiedClass(
        THB.Claim, (PROV.wasAttributedTo,), (THB.about,), "claim", label_from=THB.claimType
    ),
)

#: Kinds (and id/<kind>/ IRIs) that are values rather than things: dropped when unlinked.
VOCABULARY_KINDS = frozenset({"concept", "role"})
VOCABULARY_ID_KINDS = ("concept/", "unit/", "role/")
#: Object-valued predicates shown as attributes (the object's label), never as edges.
ATTRIBUTE_PREDICATES = frozenset(
    {
        RDF.type,
        SKOS.inScheme,
        SKOS.topConceptOf,
        SKOS.hasTopConcept,
        ELI.type_document,
        THB.datePrecision,
        THB.claimType,
        THB.confidence,
        SDMX_ATTRIBUTE.unitMeasure,
        THB.indicator,
        PROV.wasDerivedFrom,
    }
)
#: Predicates a view never lists: the class is the node's kind, the precision
#: is applied to the dates it qualifies.
HIDDEN_PREDICATES = frozenset({RDF.type, THB.datePrecision})
#: Labels for predicates the ontology does not label.
PREDICATE_LABELS = {
    TIME.hasBeginning: "from",
    TIME.hasEnd: "until",
    SDMX_MEASURE.obsValue: "value",
    SDMX_ATTRIBUTE.unitMeasure: "unit",
    DCTERMS.source: "source",
    DCTERMS.title: "title",
    DCTERMS.issued: "issued",
    DCTERMS.date: "date",
    DCTERMS.identifier: "identifier",
    SKOS.notation: "identifier",
    SKOS.altLabel: "also called",
    SKOS.prefLabel: "name",
    RDF.value: "text",
    FOAF.page: "web page",
    FOAF.name: "name",
    PROV.wasDerivedFrom: "derived from",
    PROV.hadRole: "role",
    PROV.qualifiedAssociation: "associated with",
}
#: Label predicates, best first.
LABEL_PREDICATES = (SKOS.prefLabel, FOAF.name, RDFS.label, DCTERMS.title, ELI.title)
ALT_PREDICATES = (SKOS.altLabel, THB.officialName)
#: Dates after which a thing is in force or true (the earliest value counts).
START_PREDICATES = (
    ELI.first_date_entry_in_force,
    THB.establishedIn,
    THB.launchDate,
    THB.joinDate,
    THB.startDate,
    DCTERMS.issued,
    THB.judgmentDate,
    THB.asOf,
    TIME.hasBeginning,
)
#: Used as a start only when no START_PREDICATES value is known.
FALLBACK_START_PREDICATES = (ELI.date_document, THB.appointmentDate, DCTERMS.date)
#: Last day in force or true (the latest value counts).
END_PREDICATES = (ELI.date_no_longer_in_force, TIME.hasEnd)
FOLD_CLASSES = frozenset({TIME.Interval, TIME.ProperInterval, TIME.Instant})
TIME_LINKS = (TIME.hasBeginning, TIME.hasEnd)
ELI_PREFIX = "http://data.europa.eu/eli/"
ELI_TERMS = str(ELI._NS)
ID_PREFIX = str(ID)

EURLEX_CELEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
CELEX_RE = re.compile(r"^[0-9][0-9A-Z()]{4,20}$")
UN_DOCS = "https://undocs.org/"
UNTC = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={no}&chapter={ch}"
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
LINK_PREDICATES = {FOAF.page: "web page", SKOS.exactMatch: "same as", RDFS.seeAlso: "see also"}
PRECISION = {TIME.unitYear: 4, TIME.unitMonth: 7}

# The builder works on plain strings, not rdflib terms: an rdflib term's
# __eq__ is Python code, run on every dict and set hit, and it makes a URIRef
# unequal to the same IRI as a str. IRIs become str, blank nodes "_:" + id,
# literals stay Literals (see _term_id); these are the constants it compares.
_DEFAULT = str(DATASET_DEFAULT_GRAPH_ID)
_ONTOLOGY = str(ONTOLOGY_GRAPH)
_INFERRED = str(INFERRED_GRAPH)
_SYSTEM = frozenset({_ONTOLOGY, _INFERRED})
_P_ATTRIBUTE = frozenset(str(p) for p in ATTRIBUTE_PREDICATES)
_P_HIDDEN = frozenset(str(p) for p in HIDDEN_PREDICATES)
_P_LABEL_RANK = {str(p): i for i, p in enumerate(LABEL_PREDICATES)}
_P_ALT = frozenset(str(p) for p in ALT_PREDICATES)
_P_LINK = {str(p): text for p, text in LINK_PREDICATES.items()}
_P_LABELS = {str(p): text for p, text in PREDICATE_LABELS.items()}
_P_START = frozenset(str(p) for p in START_PREDICATES)
_P_FALLBACK_START = frozenset(str(p) for p in FALLBACK_START_PREDICATES)
_P_END = frozenset(str(p) for p in END_PREDICATES)
_P_TIME_LINKS = tuple(str(p) for p in TIME_LINKS)
_C_FOLD = frozenset(str(c) for c in FOLD_CLASSES)
_PRECISION = {str(u): n for u, n in PRECISION.items()}
_RDF_TYPE = str(RDF.type)
_DATE_PRECISION = str(THB.datePrecision)
_IN_XSD_DATE = str(TIME.inXSDDate)
_MEMBER_DURING = str(ORG.memberDuring)
_PREF_LABEL = str(SKOS.prefLabel)
_RDF_VALUE = str(RDF.value)
_SOURCE = str(THB.Source)
_UNCONFIRMED = str(THB.Unconfirmed)
_CONFIDENCE = str(THB.confidence)
_DERIVED_FROM = str(PROV.wasDerivedFrom)
_TITLE = str(DCTERMS.title)
_DATE = str(DCTERMS.date)
_PUBLISHER = str(DCTERMS.publisher)
_XSD_DATE = XSD.date  # compared with Literal.datatype, a URIRef


# ---------------------------------------------------------------- small helpers


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    With a loaded rdflib dataset in memory each collection walks millions of
    objects; building a 10,000-node network paused ran in half the time.
    Nothing built here forms reference cycles that must be freed meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _term_id(term: Any) -> Any:
    """An rdflib term as the builder holds it: IRI -> str, blank node -> "_:id", literal as is."""
    if isinstance(term, Literal):
        return term
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _is_bnode(x: Any) -> bool:
    return type(x) is str and x.startswith("_:")


def _node_id(term: Any) -> str:
    return term if type(term) is str else _term_id(term)  # type: ignore[no-any-return]


def curie(iri: str) -> str:
    """``eli:passed_by`` for a known namespace, else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def humanise(iri: str) -> str:
    """A label from an IRI's last segment: ``passed_by`` -> ``passed by``."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ")
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words.split())


def is_web_link(href: str) -> bool:
    """True for http(s) URLs only: no ``javascript:``, ``data:`` or ``file:`` links."""
    return re.match(r"^https?://[^\s<>\"]+$", href, flags=re.I) is not None


def _roman(text: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(text):
        if ch not in ROMAN:
            return None
        value = ROMAN[ch]
        total, prev = (total - value, prev) if value < prev else (total + value, value)
    return total or None


def _lang_rank(lit: Literal) -> int:
    lang = (lit.language or "").lower()
    return 0 if lang.startswith("en") else 1 if not lang else 2


def _as_date(lit: Any) -> date | None:
    if isinstance(lit, Literal) and lit.datatype == XSD.date:
        value = lit.toPython()
        return value if isinstance(value, date) else None
    return None


def display_value(lit: Literal, precision: int | None = None) -> str:
    """A literal as text; a date known to the month or year is cut to ``2011-12``/``2011``."""
    if lit.datatype == XSD.date and precision:
        return str(lit)[:precision]
    return str(lit)


# ---------------------------------------------------------------- the builder


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


def _context(quads: list[tuple[Any, Any, Any, Any]]) -> _Context:
    labels: dict[str, tuple[int, int, str]] = {}
    alts: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    described: set[str] = set()
    default: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    precision: dict[tuple[str, str], int] = {}
    intervals: dict[str, dict[str, Any]] = defaultdict(dict)
    instants: dict[str, Literal] = {}
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
            continue
        described.add(s)
        if p == _RDF_TYPE:
            types[s].add(o)
        elif p == _DATE_PRECISION:
            if o in _PRECISION:
                precision[(s, g)] = _PRECISION[o]
        elif p in _P_TIME_LINKS:
            intervals[s][p] = o
        elif p == _IN_XSD_DATE and isinstance(o, Literal):
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
    return _Context(labels, alts, types, described, sources, precision, intervals, instants)


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


class _Builder:
    def __init__(
        self,
        ctx: _Context,
        *,
        predicates: frozenset[str] | None,
        literals: bool,
        qualified: Qualified,
    ) -> None:
        self.ctx = ctx
        self.predicates = predicates
        self.literals = literals
        self.qualified = qualified
        self.pred_labels: dict[Any, str] = {}
        self.graph = nx.MultiDiGraph()
        self.folded = {s for s, ts in ctx.types.items() if ts & _C_FOLD} | set(ctx.instants)

    def pred_label(self, p: Any) -> str:
        if p not in self.pred_labels:
            found = self.ctx.labels.get(p)
            self.pred_labels[p] = found[2] if found else _P_LABELS.get(p) or humanise(p)
        return self.pred_labels[p]

    def _is_entity(self, o: Any) -> bool:
        if isinstance(o, Literal):
            return False
        if o.startswith("_:"):
            return True
        return (
            o in self.ctx.described
            or o.startswith(ID_PREFIX)
            or (o.startswith(ELI_PREFIX) and not o.startswith(ELI_TERMS))
        )

    def _qualified_spec(self, s: Any) -> QualifiedClass | None:
        if self.qualified is not Qualified.COLLAPSE:
            return None
        types = self.ctx.types.get(s)
        if not types:
            return None
        for spec in QUALIFIED_CLASSES:
            if spec.cls in types:
                return spec
        return None

    def _folded(self, s: Any) -> bool:
        return s in self.folded

    def _fact(self, s: Any, p: Any, o: Any, gids: Iterable[str]) -> dict[str, Any]:
        gids = sorted(gids)
        fact: dict[str, Any] = {
            "predicate": p,
            "label": self.pred_label(p),
            "value": "",
            "sources": gids,
            "iri": None,  # the object, when it is an IRI
            "datatype": None,
            "date": None,  # ISO date of an xsd:date value
            "precision": None,  # "month" or "year" when the date is known only so far
        }
        if isinstance(o, Literal):
            precision = self.ctx.precision
            prec = max((precision.get((s, g), 0) for g in gids), default=0) if precision else 0
            fact["value"] = display_value(o, prec or None)
            fact["datatype"] = str(o.datatype) if o.datatype else None
            if o.datatype == _XSD_DATE:
                fact["date"] = str(o)
                if prec:
                    fact["precision"] = "year" if prec == 4 else "month"
        else:
            fact["value"] = self.ctx.label(o)
            fact["iri"] = self._id(o)
        return fact

    def _interval_facts(self, s: Any, iv: Any, gids: Iterable[str]) -> list[dict[str, Any]]:
        out = []
        for link in _P_TIME_LINKS:
            instant = self.ctx.intervals.get(iv, {}).get(link)
            lit = self.ctx.instants.get(instant) if instant is not None else None
            if lit is not None:
                out.append(self._fact(s, link, lit, gids))
        return out

    def build(self, quads: Iterable[tuple[Any, Any, Any, str]]) -> nx.MultiDiGraph:
        ctx = self.ctx
        # (s, p, o) -> source graphs
        triples: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
        for s, p, o, g in quads:
            triples[(s, p, o)].add(g)
        by_subject: dict[Any, list[tuple[Any, Any, set[str]]]] = defaultdict(list)
        for (s, p, o), gids in triples.items():
            by_subject[s].append((p, o, gids))
        for props in by_subject.values():
            props.sort(key=lambda t: (str(t[0]), str(t[1])))
        self._stable_bnode_ids(by_subject)
        G = self.graph
        used = set().union(*triples.values()) if triples else set()
        G.graph["sources"] = {g: _source_entry(ctx, g) for g in sorted(used)}
        G.graph["qualified"] = self.qualified.value

        collapsed = {s: spec for s in by_subject if (spec := self._qualified_spec(s)) is not None}
        incoming: dict[Any, list[tuple[Any, Any, set[str]]]] = defaultdict(list)
        for (s, p, o), gids in triples.items():
            if o in collapsed:
                incoming[o].append((s, p, gids))

        for s in sorted(by_subject, key=self._id):
            if self._folded(s) or s in collapsed:
                continue
            node = G.nodes[self.ensure(s)]
            for p, o, gids in by_subject[s]:
                node["sources"].update(gids)
                if p in _P_HIDDEN:
                    continue
                if isinstance(o, Literal):
                    if self.literals and p != _PREF_LABEL:
                        node["facts"].append(self._fact(s, p, o, gids))
                elif o in self.folded or p == _MEMBER_DURING:
                    node["facts"].extend(self._interval_facts(s, o, gids))
                elif o in collapsed:
                    continue  # drawn by the qualified fact itself
                elif p in _P_LINK and not self._is_entity(o):
                    node["links"].append({"text": _P_LINK[p], "href": o})
                elif p in _P_ATTRIBUTE or (
                    self.predicates is not None and p not in self.predicates
                ):
                    node["facts"].append(self._fact(s, p, o, gids))
                elif not self._is_entity(o):  # an outside IRI: a fact and a link
                    node["facts"].append(self._fact(s, p, o, gids))
                    node["links"].append({"text": self.pred_label(p), "href": o})
                else:
                    self.add_edge(s, o, p, self._plain_edge(p, gids))

        # qualified facts: those with two ends first, so that a claim about
        # one of them (a note) can find the edge it became
        as_edge: dict[Any, tuple[str, str, str]] = {}
        pending = []
        for q in sorted(collapsed, key=self._id):
            ends, attrs = self._collapse(q, collapsed[q], by_subject[q], incoming.get(q, []))
            if "source" in ends and "target" in ends:
                u, v = self.ensure(ends["source"]), self.ensure(ends["target"])
                self.add_edge(ends["source"], ends["target"], self._id(q), attrs)
                as_edge[q] = (u, v, self._id(q))
            else:
                pending.append((q, ends, attrs))
        for q, ends, attrs in pending:
            end = ends.get("target", ends.get("source"))
            texts = [f["value"] for f in attrs["facts"] if f["predicate"] == _RDF_VALUE]
            note = {**attrs, "text": texts[0] if texts else ctx.label(q)}
            if end in as_edge:  # a claim about a qualified fact: note it on both ends
                u, v, key = as_edge[end]
                edge = G.edges[u, v, key]
                note["text"] = f"{note['text']} (on {G.nodes[u]['label']} {edge['label']} "
                note["text"] += f"{G.nodes[v]['label']})"
                for n in (u, v):
                    G.nodes[n]["notes"].append(note)
            elif end is not None and end not in collapsed:
                G.nodes[self.ensure(end)]["notes"].append(note)
            else:  # nothing to hang it on: keep it as a node
                node = G.nodes[self.ensure(q)]
                node["facts"].extend(attrs["facts"])
                node["sources"].update(attrs["sources"])
        self._drop_isolated_vocabulary()
        self._finish()
        return G

    def _id(self, term: Any) -> str:
        return self.bnode_ids.get(term) or _node_id(term)

    def _stable_bnode_ids(self, by_subject: Mapping[Any, list[tuple[Any, Any, set[str]]]]) -> None:
        """Blank nodes get ids from their content, so that the same data gives the same page."""
        self.bnode_ids: dict[Any, str] = {}
        for s, props in by_subject.items():
            if _is_bnode(s):
                text = "\n".join(
                    f"{p} {o.n3() if isinstance(o, Literal) else o}" for p, o, _g in props
                )
                self.bnode_ids[s] = "_:b" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]

    def ensure(self, term: Any) -> str:
        nid = self._id(term)
        G = self.graph
        if nid not in G:
            ctx = self.ctx
            G.add_node(
                nid,
                iri=nid,
                label=ctx.label(term) if not _is_bnode(term) or term in ctx.labels else nid,
                alt=sorted(ctx.alts.get(term, ())),
                kind=ctx.kind(term).key,
                types=sorted(ctx.types.get(term, ())),
                facts=[],
                notes=[],
                links=_links(term),
                sources=set(),
            )
        return nid

    def add_edge(self, s: Any, o: Any, key: str, attrs: dict[str, Any]) -> None:
        u, v = self.ensure(s), self.ensure(o)
        G = self.graph
        if G.has_edge(u, v, key):
            edge = G.edges[u, v, key]
            edge["sources"] = sorted(set(edge["sources"]) | set(attrs["sources"]))
        else:
            G.add_edge(u, v, key=key, **attrs)

    def _plain_edge(self, p: Any, gids: set[str]) -> dict[str, Any]:
        return {
            "predicate": p,
            "label": self.pred_label(p),
            "sources": sorted(gids),
            "qualified": None,
            "facts": [],
        }

    def _collapse(
        self,
        q: Any,
        spec: QualifiedClass,
        props: list[tuple[Any, Any, set[str]]],
        incoming: list[tuple[Any, Any, set[str]]],
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        ends: dict[str, Any] = {}
        facts: list[dict[str, Any]] = []
        gids_all: set[str] = set()
        label = spec.label
        for s, p, gids in sorted(incoming, key=lambda t: (str(t[1]), self._id(t[0]))):
            if p in spec.source_in and "source" not in ends:
                ends["source"], gids_all = s, gids_all | gids
            elif p in spec.target_in and "target" not in ends:
                ends["target"], gids_all = s, gids_all | gids
        for p, o, gids in props:
            gids_all |= gids
            if p in spec.source and "source" not in ends and not isinstance(o, Literal):
                ends["source"] = o
            elif p in spec.target and "target" not in ends and not isinstance(o, Literal):
                ends["target"] = o
            elif p in _P_HIDDEN:
                continue
            elif p == _MEMBER_DURING or self._folded(o):
                facts.extend(self._interval_facts(q, o, gids))
            else:
                if p == spec.label_from and not isinstance(o, Literal):
                    label = self.ctx.label(o)
                if self.literals or not isinstance(o, Literal):
                    facts.append(self._fact(q, p, o, gids))
        attrs = {
            "predicate": spec.cls,
            "label": label,
            "sources": sorted(gids_all),
            "qualified": self._id(q),
            "facts": facts,
        }
        return ends, attrs

    def _drop_isolated_vocabulary(self) -> None:
        """Concepts, schemes and units nothing links to are values, not things to draw."""
        G = self.graph
        lonely = [
            n
            for n, d in G.nodes(data=True)
            if G.degree(n) == 0
            and (
                d["kind"] in VOCABULARY_KINDS
                or str(SKOS.ConceptScheme) in d["types"]
                or any(n.startswith(str(ID[k])) for k in VOCABULARY_ID_KINDS)
            )
        ]
        G.remove_nodes_from(lonely)

    def _finish(self) -> None:
        G = self.graph
        sources = G.graph["sources"]

        def unconfirmed(gids: Iterable[str]) -> bool:
            gids = list(gids)
            return bool(gids) and all(sources.get(g, {}).get("unconfirmed") for g in gids)

        for _nid, data in G.nodes(data=True):
            data["sources"] = sorted(data["sources"])
            data["unconfirmed"] = unconfirmed(data["sources"])
            data["valid_from"], data["valid_until"] = _validity(data["facts"])
            unique = {link["href"]: link for link in reversed(data["links"])}
            data["links"] = [
                link
                for link in data["links"]
                if is_web_link(link["href"]) and unique.pop(link["href"], None) is not None
            ]
        for _u, _v, data in G.edges(data=True):
            data["unconfirmed"] = unconfirmed(data["sources"])
            data["valid_from"], data["valid_until"] = _validity(data["facts"])
        types = {t for _n, d in G.nodes(data=True) for t in d["types"]}
        G.graph["class_labels"] = {t: self.ctx.label(t) for t in sorted(types)}


def _links(term: Any) -> list[dict[str, str]]:
    if type(term) is str and term.startswith(ELI_PREFIX):
        return [{"text": "ELI", "href": term}]
    return []


def _add_identifier_links(G: nx.MultiDiGraph) -> None:
    """EUR-Lex from a CELEX number; UN documents and treaties from their symbols."""
    for _nid, data in G.nodes(data=True):
        for fact in data["facts"]:
            value, dt = fact.get("value", ""), fact.get("datatype")
            if fact["predicate"] == str(ELI.id_local) and CELEX_RE.match(value):
                data["links"].append({"text": "EUR-Lex", "href": EURLEX_CELEX + quote(value)})
            elif dt == str(THB.UNDocumentSymbol) and re.match(r"^[A-Z][A-Z0-9/.\-]+$", value):
                data["links"].append({"text": "UN document", "href": UN_DOCS + value})
            elif dt == str(THB.UNTreatyChapter):
                m = re.match(r"^([IVXLC]+)-\d+(-[a-z])?$", value)
                chapter = _roman(m.group(1)) if m else None
                if chapter:
                    href = UNTC.format(no=quote(value), ch=chapter)
                    data["links"].append({"text": "UN Treaty Collection", "href": href})


def _validity(facts: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    starts = [f["date"] for f in facts if f["date"] and f["predicate"] in _P_START]
    if not starts:
        starts = [f["date"] for f in facts if f["date"] and f["predicate"] in _P_FALLBACK_START]
    ends = [f["date"] for f in facts if f["date"] and f["predicate"] in _P_END]
    return (min(starts) if starts else None, max(ends) if ends else None)


# ---------------------------------------------------------------- public API


def _content_quads(
    quads: list[tuple[Any, Any, Any, Any]], *, source: str | None, include_inferred: bool
) -> Iterator[tuple[Any, Any, Any, str]]:
    for s, p, o, g in quads:
        if g == _DEFAULT or g == _ONTOLOGY:
            continue
        if g == _INFERRED and not include_inferred:
            continue
        if source is not None and g != source:
            continue
        yield s, p, o, g


def _source_iri(kg_quads: list[tuple[Any, Any, Any, Any]], source: str) -> str:
    names = sorted({g for *_x, g in kg_quads if g != _DEFAULT})
    for candidate in (source, str(GRAPH[source]), _expand_curie(source) or ""):
        if candidate in names:
            return candidate
    raise EntityNotFoundError(
        f"No source graph {source!r}; known graphs: "
        + ", ".join(curie(n) for n in names if n not in _SYSTEM)
        + "."
    )


def to_networkx(
    kg: KnowledgeGraph | Any,
    *,
    predicates: Iterable[URIRef | str] | None = None,
    literals: bool = True,
    qualified: Qualified | str = Qualified.COLLAPSE,
    source: str | None = None,
    as_of: str | date | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph:
    """The graph as a ``networkx.MultiDiGraph``.

    ``predicates``: the object properties that become edges (default: all
    but a few attribute-like ones such as ``rdf:type`` and
    ``eli:type_document``); the others become facts. ``literals``: keep
    literal values as node facts. ``qualified``: collapse qualified-fact
    nodes into labelled edges (default) or keep them as nodes. ``source``:
    only the claims of one source graph (IRI, CURIE or slug). ``as_of``: only
    what was in force or true on that date (see :func:`in_force_on`).
    ``include_inferred``: also draw the inferred inverses.

    Node ids are IRIs; node attributes: ``label``, ``alt``, ``kind``,
    ``types``, ``facts`` (predicate, label, value, sources), ``notes``,
    ``links``, ``sources``, ``unconfirmed``, ``valid_from``,
    ``valid_until``. Edge keys are the predicate IRI (or the qualified
    node's IRI); edge attributes: ``predicate``, ``label``, ``sources``,
    ``qualified``, ``facts``, ``unconfirmed``.
    """
    mode = Qualified(qualified) if isinstance(qualified, str) else qualified
    with gc_paused():
        G = _to_networkx(kg, predicates, literals, mode, source, include_inferred)
    if as_of is not None:
        G = in_force_on(G, as_of)
    return G


def _to_networkx(
    kg: Any,
    predicates: Iterable[URIRef | str] | None,
    literals: bool,
    mode: Qualified,
    source: str | None,
    include_inferred: bool,
) -> nx.MultiDiGraph:
    quads = list(_quads(kg))
    ctx = _context(quads)
    src = _source_iri(quads, source) if source is not None else None
    preds = (
        frozenset(_expand_curie(str(p)) or str(p) for p in predicates)
        if predicates is not None
        else None
    )
    builder = _Builder(ctx, predicates=preds, literals=literals, qualified=mode)
    G = builder.build(_content_quads(quads, source=src, include_inferred=include_inferred))
    _add_identifier_links(G)
    G.graph["title"] = (
        f"Source {ctx.sources.get(src or '', {}).get('title', src)}" if src else "thb-kg"
    )
    return G


def from_query(kg: KnowledgeGraph | Any, result: QueryResult, **options: Any) -> nx.MultiDiGraph:
    """The network of a query result: the triples of a CONSTRUCT/DESCRIBE, or the
    rows of a SELECT with ``?source ?relation ?target`` columns.

    Labels, classes and the sources of each triple come from ``kg``; a triple
    that no source asserts is attributed to the query itself.
    """
    if getattr(result, "kind", None) is not None and result.kind.gives_graph:
        triples = list(result.triples)
    else:
        missing = [v for v in ("source", "relation", "target") if v not in result.vars]
        if missing:
            raise KgError(
                "A SELECT drawn as a network needs the columns ?source ?relation ?target; "
                f"this one lacks ?{', ?'.join(missing)} (it has ?{', ?'.join(result.vars)})."
            )
        triples = []
        for row in result.as_dicts():
            s, p, o = row.get("source"), row.get("relation"), row.get("target")
            if s is None or o is None or p is None:
                continue
            if isinstance(p, Literal):  # a relation given as text: keep its words
                p = URIRef("urn:thb-kg:relation:" + quote(str(p)))
            triples.append((s, p, o))
    plain: list[tuple[Any, str, Any]] = [(_term_id(s), str(p), _term_id(o)) for s, p, o in triples]
    quads = list(_quads(kg))
    ctx = _context(quads)
    where: dict[tuple[Any, Any, Any], set[str]] = defaultdict(set)
    wanted = set(plain)
    for s, p, o, g in _content_quads(quads, source=None, include_inferred=True):
        if (s, p, o) in wanted:
            where[(s, p, o)].add(g)
    for t in plain:
        if t[1].startswith("urn:thb-kg:relation:"):
            ctx.labels[t[1]] = (0, 0, _unquote_relation(t[1]))

    def content() -> Iterator[tuple[Any, Any, Any, str]]:
        for s, p, o in plain:
            for g in sorted(where.get((s, p, o)) or {QUERY_GRAPH}):
                yield s, p, o, g

    options.setdefault("qualified", Qualified.COLLAPSE)
    mode = (
        Qualified(options["qualified"])
        if isinstance(options["qualified"], str)
        else options["qualified"]
    )
    builder = _Builder(ctx, predicates=None, literals=options.get("literals", True), qualified=mode)
    with gc_paused():
        G = builder.build(content())
    _add_identifier_links(G)
    G.graph["title"] = "Query result"
    return G


def select(
    kg: KnowledgeGraph | Any,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | None = None,
    params: Mapping[str, Any] | Iterable[str] | None = None,
    as_of: str | date | None = None,
    source: str | None = None,
    qualified: Qualified | str = Qualified.COLLAPSE,
    predicates: Iterable[URIRef | str] | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph:
    """The network ``kg viz`` draws: the whole graph, one source's claims or a query's
    result; then only what held on ``as_of``; then the ``focus`` entity's neighbourhood.

    A ``query`` runs under the safety policy of :mod:`kg.safety` (no SERVICE,
    no LOAD, no FROM outside our graphs): a view never reaches the network.
    """
    if query is not None:
        if source is not None:
            raise KgError("--source and --query cannot be combined; add GRAPH to the query.")
        from ..query import QueryKind, parse_params, run
        from ..safety import Policy

        bound = (
            parse_params(params)
            if params is not None and not isinstance(params, Mapping)
            else params
        )
        result = run(kg, query, bound, policy=Policy())
        if result.kind is QueryKind.ASK:
            raise KgError(
                "An ASK query answers yes or no; draw a CONSTRUCT or a SELECT "
                "with ?source ?relation ?target."
            )
        G = from_query(kg, result, qualified=qualified)
    else:
        G = to_networkx(
            kg,
            predicates=predicates,
            qualified=qualified,
            source=source,
            include_inferred=include_inferred,
        )
    if as_of is not None:
        G = in_force_on(G, as_of)
    if focus is not None:
        G = neighbourhood(G, focus, depth)
    return G


def _unquote_relation(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text.removeprefix("urn:thb-kg:relation:"))


def in_force_on(G: nx.MultiDiGraph, when: str | date) -> nx.MultiDiGraph:
    """The part of ``G`` in force or true on ``when``.

    A node or edge is out when its start (entry into force, establishment,
    launch, joining, start of a term, issue or judgment date; else its date
    of adoption or appointment) is after ``when``, or its end (last day in
    force, end of a term) is before it. Sources that disagree are read
    generously: the earliest start and the latest end count. Things with no
    dates stay in.
    """
    day = when.isoformat() if isinstance(when, date) else _check_date(when)

    def keep(data: Mapping[str, Any]) -> bool:
        start, end = data.get("valid_from"), data.get("valid_until")
        return not ((start and start > day) or (end and end < day))

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["as_of"] = day
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if keep(d))
    H.add_edges_from(
        (u, v, k, d)
        for u, v, k, d in G.edges(keys=True, data=True)
        if u in H and v in H and keep(d)
    )
    return H


def _check_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise KgError(
            f"{text!r} is not a date; write it as YYYY-MM-DD (e.g. 2011-04-15)."
        ) from None


def _expand_curie(text: str) -> str | None:
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


def resolve(G: nx.MultiDiGraph, text: str) -> str:
    """The node id of an entity named by IRI, CURIE (``id:body/europol``) or label.

    Labels match without regard to case, also alternative labels (acronyms,
    official names); a name that fits several entities is an error listing them.
    """
    text = text.strip()
    if text in G:
        return text
    expanded = _expand_curie(text)
    if expanded and expanded in G:
        return expanded
    if text.startswith("<") and text.endswith(">") and text[1:-1] in G:
        return text[1:-1]
    wanted = text.casefold()
    exact = sorted(n for n, d in G.nodes(data=True) if d.get("label", "").casefold() == wanted)
    if not exact:
        exact = sorted(
            n
            for n, d in G.nodes(data=True)
            if any(a.casefold() == wanted for a in d.get("alt", ()))
        )
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise EntityNotFoundError(
            f"{text!r} names {len(exact)} entities: {', '.join(exact[:5])}; give the IRI."
        )
    close = sorted(n for n, d in G.nodes(data=True) if wanted in d.get("label", "").casefold())
    hint = (
        f" Did you mean: {', '.join(repr(G.nodes[n]['label']) for n in close[:5])}?"
        if close
        else ""
    )
    raise EntityNotFoundError(f"No entity called {text!r} in the graph.{hint}")


def neighbourhood(G: nx.MultiDiGraph, entity: str, depth: int = 1) -> nx.MultiDiGraph:
    """The entity and everything within ``depth`` steps of it, in either direction."""
    if depth < 0:
        raise KgError("--depth must be 0 or more.")
    centre = resolve(G, entity)
    seen = {centre}
    frontier = [centre]
    for _step in range(depth):  # breadth-first, both directions; no copy of G
        nxt = []
        for n in frontier:
            for m in list(G.successors(n)) + list(G.predecessors(n)):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    H = G.subgraph(seen).copy()
    H.graph.update(G.graph)
    H.graph["focus"] = centre
    H.graph["title"] = f"{G.nodes[centre]['label']} and its neighbourhood"
    return H


def shortest_path(G: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """Node ids on a shortest path between two entities, ignoring edge direction."""
    u, v = resolve(G, a), resolve(G, b)
    try:
        return list(nx.shortest_path(G.to_undirected(as_view=True), u, v))
    except nx.NetworkXNoPath:
        return []


def centrality(
    G: nx.MultiDiGraph, measure: str = "degree", *, top: int | None = None
) -> list[tuple[str, str, float]]:
    """``(node, label, score)`` by ``degree``, ``betweenness`` or ``closeness``, best first."""
    simple = nx.Graph(G.to_undirected(as_view=True))
    functions = {
        "degree": nx.degree_centrality,
        "betweenness": nx.betweenness_centrality,
        "closeness": nx.closeness_centrality,
    }
    if measure not in functions:
        raise KgError(f"Unknown measure {measure!r}; choose one of: {', '.join(functions)}.")
    scores = functions[measure](simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(n, G.nodes[n]["label"], s) for n, s in ranked[:top]]


def components(G: nx.MultiDiGraph) -> list[set[str]]:
    """Weakly connected components, largest first."""
    return sorted(
        (set(c) for c in nx.weakly_connected_components(G)), key=lambda c: (-len(c), min(c))
    )


def labels(G: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    """The labels of node ids, e.g. of a :func:`shortest_path`."""
    return [G.nodes[n]["label"] for n in nodes]


# ---------------------------------------------------------------- network files

GEXF_SHAPES = {
    "square": "square",
    "triangle": "triangle",
    "triangleDown": "triangle",
    "diamond": "diamond",
}


def _rgb(color: str) -> dict[str, Any]:
    return {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16), "a": 1.0}


def flatten(G: nx.MultiDiGraph, *, viz: bool = False) -> nx.MultiDiGraph:
    """A copy of ``G`` with text, number and boolean attributes only, as GraphML and
    GEXF need: label, class (kind), the classes as CURIEs, IRI, sources, facts as text.
    With ``viz`` nodes also get GEXF colours, sizes and shapes by class.
    """
    H = nx.MultiDiGraph()
    H.graph["name"] = str(G.graph.get("title", "thb-kg"))
    for n, d in G.nodes(data=True):
        kind = KIND_BY_KEY[d["kind"]]
        attrs: dict[str, Any] = {
            "label": d["label"],
            "kind": kind.label,
            "classes": " ".join(curie(t) for t in d["types"]),
            "iri": d["iri"],
            "sources": " ".join(d["sources"]),
            "unconfirmed": bool(d["unconfirmed"]),
            "valid_from": d.get("valid_from") or "",
            "valid_until": d.get("valid_until") or "",
            "facts": "\n".join(f"{f['label']}: {f['value']}" for f in d["facts"]),
        }
        if viz:
            attrs["viz"] = {
                "color": _rgb(kind.color),
                "size": float(kind.size),
                "shape": GEXF_SHAPES.get(kind.shape, "disc"),
            }
        H.add_node(n, **attrs)
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(
            u,
            v,
            key=k,
            label=d["label"],
            predicate=curie(d["predicate"]),
            sources=" ".join(d["sources"]),
            unconfirmed=bool(d["unconfirmed"]),
            qualified=d.get("qualified") or "",
            facts="\n".join(f"{f['label']}: {f['value']}" for f in d["facts"]),
        )
    return H


def graphml_bytes(G: nx.MultiDiGraph) -> bytes:
    """``G`` as GraphML (yEd, Gephi, Cytoscape)."""
    return "\n".join(nx.generate_graphml(flatten(G), encoding="utf-8")).encode("utf-8") + b"\n"


def gexf_bytes(G: nx.MultiDiGraph) -> bytes:
    """``G`` as GEXF 1.2 (Gephi), with colours, sizes and shapes by class."""
    return ("\n".join(nx.generate_gexf(flatten(G, viz=True), encoding="utf-8")) + "\n").encode(
        "utf-8"
    )


def export(
    kg: KnowledgeGraph | Any, path: Path | str, fmt: str, *, include_inferred: bool = False
) -> int:
    """Write the network of ``kg`` to ``path`` as ``graphml`` or ``gexf``, atomically.

    The file is read back with networkx before it replaces ``path``; returns
    the bytes written. Called by ``kg export --format graphml|gexf``.
    """
    from ..atomic import atomic_write
    from ..errors import WriteError
    from ..formats import network_format

    spec = network_format(fmt)
    G = to_networkx(kg, include_inferred=include_inferred)
    payload = spec.encode(G)

    def reparse(tmp: Path) -> None:
        try:
            spec.read(tmp)
        except Exception as exc:  # noqa: BLE001 - any failure means "do not replace"
            raise WriteError(
                f"{spec.name} output did not read back ({exc}); {path} left as it was."
            ) from exc

    atomic_write(path, payload, check=reparse)
    return len(payload)
