"""What a node is as a view draws it, and how a qualified fact becomes an edge.

:data:`KINDS` is the one table of node kinds (classes, colour, shape, size)
that :mod:`kg.view`, :mod:`kg.site` and the GEXF export draw by; a node gets
the first kind one of its classes reaches. :data:`QUALIFIED_CLASSES` names
the two ends of each qualified fact (a membership, a participation, a claim,
...) that :attr:`Qualified.COLLAPSE` draws as one labelled edge.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from rdflib import URIRef

from ..namespaces import CPOV, DCTERMS, ELI, FOAF, ORG, PROV, QB, SDMX_DIMENSION, SKOS, THB


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
        (ORG.Organization, ORG.FormalOrganization, CPOV.PublicOrganisation, FOAF.Organization,
         THB.State),
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

    def __post_init__(self) -> None:  # IRIs as plain strings: see names._term_id
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
