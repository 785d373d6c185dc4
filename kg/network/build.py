"""The builder: quads with their source graphs -> ``networkx.MultiDiGraph``.

:class:`_Builder` makes a node per entity, an edge per object property and a
fact per literal or attribute; collapses qualified-fact nodes into one
labelled edge (or a note on their one end); gives blank nodes ids from their
content; drops vocabulary nothing links to; and marks what only unconfirmed
sources say. Which quads it sees is for :mod:`kg.network.convert` to decide.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from rdflib import Literal

from ..namespaces import ID, SKOS
from .context import _Context, _source_entry
from .kinds import (
    QUALIFIED_CLASSES,
    VOCABULARY_ID_KINDS,
    VOCABULARY_KINDS,
    Qualified,
    QualifiedClass,
)
from .links import _links, is_web_link
from .names import _is_bnode, _node_id, display_value, humanise
from .validity import _derived_ends, _validity
from .vocabulary import (
    _ACCOUNT_OF,
    _C_FOLD,
    _MEMBER_DURING,
    _P_ATTRIBUTE,
    _P_HIDDEN,
    _P_LABELS,
    _P_LINK,
    _P_TIME_LINKS,
    _PARTIAL_DATES,
    _PREF_LABEL,
    _RDF_VALUE,
    _XSD_DATE,
    ELI_PREFIX,
    ELI_TERMS,
    ID_PREFIX,
)


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
            elif o.datatype in _PARTIAL_DATES:  # an instant known to the month or the year
                fact["precision"] = _PARTIAL_DATES[o.datatype]
                fact["date"] = (str(o) + "-01-01")[:10]
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
        # each source's node of a qualified fact (thb:accountOf the fact) joins
        # the fact's one edge; every value keeps its own sources
        fact_of = {s: o for (s, p, o) in triples if p == _ACCOUNT_OF}
        for q in sorted(collapsed, key=self._id):
            ends, attrs = self._collapse(q, collapsed[q], by_subject[q], incoming.get(q, []))
            if "source" in ends and "target" in ends:
                u, v = self.ensure(ends["source"]), self.ensure(ends["target"])
                key = self._id(fact_of.get(q, q))
                attrs["qualified"] = key
                if G.has_edge(u, v, key):
                    G.edges[u, v, key]["facts"].extend(attrs["facts"])
                self.add_edge(ends["source"], ends["target"], key, attrs)
                as_edge[q] = (u, v, key)
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
        _derived_ends(G, self.ctx.derived_ends)
        types = {t for _n, d in G.nodes(data=True) for t in d["types"]}
        G.graph["class_labels"] = {t: self.ctx.label(t) for t in sorted(types)}
        # "has guardian" <-> "guardian of": a view shows a pair of inverse edges once
        G.graph["inverse_labels"] = {
            self.ctx.label(p): self.ctx.label(q) for p, q in sorted(self.ctx.inverses.items())
        }
