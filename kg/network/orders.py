"""Which legal order (UN, Council of Europe, EU, ILO) a node belongs to, for grouping a view.

The data states no "legal order" of its own; it states who adopted an act
(``eli:passed_by``), which body is part of which (``org:subOrganizationOf``),
which act set up a body, which body guards or monitors an act, and which act
amends, replaces or supplements which. :func:`legal_orders` walks those links
out from a few **anchors**, the organisations themselves and the organs named
after them (:data:`ANCHORS`), and from EU acts (an ELI under
``data.europa.eu/eli/`` is the EU's own identifier). The nearest anchor wins;
at equal distance the order listed first in :data:`LEGAL_ORDERS` does. A node no
link reaches belongs to none and is grouped under "other".

It is a reading aid for views (the overview's groups, "EU body" in the
details), never a fact in the graph: nothing here is written back to RDF.

>>> import kg
>>> from kg.network import to_networkx
>>> orders = legal_orders(to_networkx(kg.load()))
>>> [orders[i] for i in (
...     "http://data.europa.eu/eli/dir/2011/36/oj",
...     "https://w3id.org/thb-kg/id/body/unodc",
...     "https://w3id.org/thb-kg/id/body/greta",
...     "https://w3id.org/thb-kg/id/instrument/ilo-p029")]
['eu', 'un', 'coe', 'ilo']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from ..namespaces import ELI, ID, ORG, THB
from .vocabulary import ELI_PREFIX


@dataclass(frozen=True)
class LegalOrder:
    """A legal order as a view names it: key, name, and the word before a kind ("EU body")."""

    key: str
    label: str
    adjective: str


#: The legal orders, in the order views list them.
LEGAL_ORDERS: tuple[LegalOrder, ...] = (
    LegalOrder("un", "United Nations", "UN"),
    LegalOrder("coe", "Council of Europe", "Council of Europe"),
    LegalOrder("eu", "European Union", "EU"),
    LegalOrder("ilo", "International Labour Organization", "ILO"),
)
ORDER_BY_KEY = {o.key: o for o in LEGAL_ORDERS}

#: Organisations, and organs named after their organisation, that fix an order.
ANCHORS: dict[str, str] = {
    str(ID["body/united-nations"]): "un",
    str(ID["body/council-of-europe"]): "coe",
    str(ID["body/coe-committee-of-ministers"]): "coe",
    str(ID["body/european-union"]): "eu",
    str(ID["body/ilo"]): "ilo",
}

#: Links along which an order carries over, in either direction: adoption,
#: being part of, setting up, guarding and monitoring, and an act's lineage.
CARRYING = frozenset(
    str(p)
    for p in (
        ELI.passed_by,
        ORG.subOrganizationOf,
        THB.establishedBy,
        THB.hasGuardian,
        THB.Custodianship,  # a collapsed custodianship: "guardian of"
        THB.monitoredBy,
        ELI.responsibility_of_agent,
        THB.supplements,
        ELI.amends,
        THB.replaces,
        ELI.repeals,
        THB.initiativeOf,
    )
)

#: Kinds that get an order; places, people, reports and the rest do not.
ORDERED_KINDS = frozenset({"instrument", "body", "campaign"})


def legal_orders(G: nx.MultiDiGraph) -> dict[str, str]:
    """Node id -> legal order key (see the module's docstring) for the nodes that have one."""
    rank = {o.key: i for i, o in enumerate(LEGAL_ORDERS)}
    links: dict[str, set[str]] = defaultdict(set)
    for u, v, d in G.edges(data=True):
        if d.get("predicate") in CARRYING and u != v:
            links[u].add(v)
            links[v].add(u)
    found: dict[str, str] = {}
    frontier: list[str] = []
    for n, d in G.nodes(data=True):
        if d["kind"] not in ORDERED_KINDS:
            continue
        key = ANCHORS.get(n) or ("eu" if n.startswith(ELI_PREFIX) else None)
        if key:
            found[n] = key
            frontier.append(n)
    while frontier:
        reached: dict[str, str] = {}
        for n in frontier:
            for m in links[n]:
                if m in found or G.nodes[m]["kind"] not in ORDERED_KINDS:
                    continue
                if m not in reached or rank[found[n]] < rank[reached[m]]:
                    reached[m] = found[n]
        found.update(reached)
        frontier = sorted(reached)
    return found
