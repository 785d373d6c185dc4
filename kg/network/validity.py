"""When a node or an edge holds: its dates in force, and a network on a given day.

The builder gives each node and edge ``valid_from`` and ``valid_until`` from
its dated facts (:func:`_validity`); :func:`in_force_on` keeps what held on
one day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import networkx as nx

from ..errors import KgError
from ..namespaces import DCTERMS, ELI, THB, TIME

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
# The same as plain strings, which is what facts carry (see vocabulary.py).
_P_START = frozenset(str(p) for p in START_PREDICATES)
_P_FALLBACK_START = frozenset(str(p) for p in FALLBACK_START_PREDICATES)
_P_END = frozenset(str(p) for p in END_PREDICATES)


def _validity(facts: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    starts = [f["date"] for f in facts if f["date"] and f["predicate"] in _P_START]
    if not starts:
        starts = [f["date"] for f in facts if f["date"] and f["predicate"] in _P_FALLBACK_START]
    ends = [_last_day(f) for f in facts if f["date"] and f["predicate"] in _P_END]
    return (min(starts) if starts else None, max(ends) if ends else None)


def _last_day(fact: Mapping[str, Any]) -> str:
    """The last day a dated fact can mean: an end "in June 2021" holds until 2021-06-30.

    A date known only to the month or the year (``precision``) is stored as
    its first day; as an end it covers the whole period (issue 11, item 3).
    """
    first = date.fromisoformat(fact["date"][:10])
    if fact.get("precision") == "year":
        return date(first.year, 12, 31).isoformat()
    if fact.get("precision") == "month":
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return (following - timedelta(days=1)).isoformat()
    return str(fact["date"])


def _derived_ends(G: nx.MultiDiGraph, derived: Mapping[str, str]) -> None:
    """Give an act with no end of its own the end that graph/inferred derives for it.

    The rule (an act that another replaces or repeals is out of force the day before
    that act applies: its ``eli:date_applicability``, else its entry into force) is
    kg/inference.py's ``thb:EndOfForceByReplacement``, computed once at load for every
    query and view; the views read its result rather than apply the rule again. Where
    sources give the end too, the two agree; where they do not (the Europol
    Convention), it is the only end there is. Runs after :func:`_validity` has set
    every node's ``valid_from`` and ``valid_until``.
    """
    for node, end in derived.items():
        if node in G and not G.nodes[node].get("valid_until"):
            G.nodes[node]["valid_until"] = end


def in_force_on(G: nx.MultiDiGraph, when: str | date) -> nx.MultiDiGraph:
    """The part of ``G`` in force or true on ``when``.

    A node or edge is out when its start (entry into force, establishment,
    launch, joining, start of a term, issue or judgment date; else its date
    of adoption or appointment) is after ``when``, or its end (last day in
    force, end of a term, the day before a replacing act applies) is before
    it. Sources that disagree are read
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
