"""A focused view's statements fetched from an Oxigraph store, not the whole graph.

``kg viz --focus`` draws what lies within a few steps of one entity. Loading a
million quads into rdflib and networkx to keep 900 nodes took minutes and
gigabytes; :func:`focus_dataset` instead asks the store, with SPARQL over its
named graphs (so each statement keeps its source graph), for

* the nodes within the focus's depth, walking statements in both directions,
  where a step through a node the network does not draw as a node of its own
  (a qualified fact, a time interval or instant, one source's account of a
  shared fact, linked by ``thb:accountOf``) costs nothing: the walk reaches at
  least every node that :func:`kg.network.neighbourhood` keeps;
* every statement about those nodes (graph/inferred included: the derived end
  of force), the labels, alternative labels and classes of what they point to,
  the sources' descriptions (the default graph) and the ontology graph;

into a small rdflib ``Dataset``. The existing conversion
(:func:`kg.network.select`) then draws it with the same focus and depth, so the
page is the one the whole graph gives. Every query binds its IRIs with
``VALUES`` (Oxigraph joins them by index) and names the graph it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import networkx as nx
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .kinds import QUALIFIED_CLASSES, Qualified
from .vocabulary import (
    _ACCOUNT_OF,
    _C_FOLD,
    _INFERRED,
    _ONTOLOGY,
    _P_ALT,
    _P_ATTRIBUTE,
    _P_HIDDEN,
    _P_LABEL_RANK,
    _RDF_TYPE,
    _SOURCE,
)

#: IRIs per query: a VALUES block of this many keeps each query short to parse.
BATCH = 400
#: Classes whose members the network folds into edges or attributes: a free step.
_HUB_CLASSES = tuple(sorted({str(spec.cls) for spec in QUALIFIED_CLASSES} | set(_C_FOLD)))
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
#: Predicates the builder never draws as an edge (a class, a document type, a source):
#: a walk along them would join everything of one class. ``thb:accountOf`` stays, it
#: leads from one source's account to the fact.
_NO_EDGE = tuple(sorted((_P_ATTRIBUTE | _P_HIDDEN) - {_ACCOUNT_OF}))
_NAME_PREDICATES = tuple(sorted({*_P_LABEL_RANK, *_P_ALT, _RDF_TYPE}))


def _iri(text: str) -> str:
    return "<" + text.replace(">", "%3E") + ">"


def _values(var: str, iris: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(_iri(i) for i in iris)} }}"


def _one_of(var: str, iris: Iterable[str]) -> str:
    """A FILTER that keeps ``?var`` among ``iris``, for a pattern whose nodes another
    VALUES block binds: with a second VALUES block, Oxigraph scans every statement with
    one of ``iris`` (every ``rdf:type`` of a class) and joins after; a filter it applies
    to the statements of the nodes bound (3.2 s against 0.04 s for the names of 400
    nodes at 1M quads). With no node bound, VALUES is the faster: each IRI is read from
    its index."""
    return f"FILTER(?{var} IN ({', '.join(_iri(i) for i in iris)}))"


def _batches(items: Iterable[Any]) -> Iterator[list[str]]:
    """The IRIs among ``items`` (Oxigraph terms or strings), sorted, in VALUES-sized lists."""
    chunk: list[str] = []
    for item in sorted(str(getattr(i, "value", i)) for i in items if not _is_blank(i)):
        chunk.append(item)
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _is_blank(term: Any) -> bool:
    return type(term).__name__ == "BlankNode"


def _rows(store: Any, text: str) -> Iterator[tuple[Any, ...]]:
    result = store.query(text)
    width = len(result.variables)
    for solution in result:
        yield tuple(solution[i] for i in range(width))


def _named_quads(store: Any, blank: Any, *, incoming: bool = False) -> Iterator[tuple[Any, ...]]:
    """The statements of the named graphs with the blank node ``blank`` as subject (or
    object): SPARQL cannot bind a blank node by VALUES, Oxigraph's index lookup can."""
    import pyoxigraph as ox

    pattern = (None, None, blank) if incoming else (blank, None, None)
    for q in store.quads_for_pattern(*pattern):
        if isinstance(q.graph_name, ox.NamedNode):
            yield q.subject, q.predicate, q.object, q.graph_name


def _skipped_graphs(include_inferred: bool) -> tuple[str, ...]:
    return (_ONTOLOGY,) if include_inferred else (_ONTOLOGY, _INFERRED)


def _skip_filter(include_inferred: bool) -> str:
    graphs = _skipped_graphs(include_inferred)
    return "FILTER(?g NOT IN (" + ", ".join(_iri(g) for g in graphs) + "))"


def _neighbours(
    store: Any, nodes: Sequence[Any], include_inferred: bool, *, incoming: bool = True
) -> set[Any]:
    """The nodes one statement away from ``nodes`` in the content graphs: both ways, or
    only those they point to."""
    import pyoxigraph as ox

    found: set[Any] = set()
    skip = _skip_filter(include_inferred)
    pattern = (
        "{ GRAPH ?g { ?x ?p ?n } } UNION { GRAPH ?g { ?n ?p ?x } }"
        if incoming
        else "GRAPH ?g { ?x ?p ?n }"
    )
    pattern += " FILTER(?p NOT IN (" + ", ".join(_iri(p) for p in _NO_EDGE) + "))"
    for chunk in _batches(nodes):
        text = (
            f"SELECT DISTINCT ?n WHERE {{ {_values('x', chunk)} {pattern} "
            f"{skip} FILTER(!isLiteral(?n)) }}"
        )
        found.update(row[0] for row in _rows(store, text))
    skipped = _skipped_graphs(include_inferred)
    for blank in (n for n in nodes if _is_blank(n)):
        for _s, p, o, g in _named_quads(store, blank):
            if g.value not in skipped and p.value not in _NO_EDGE and not isinstance(o, ox.Literal):
                found.add(o)
        for s, p, _o, g in _named_quads(store, blank, incoming=True) if incoming else ():
            if g.value not in skipped and p.value not in _NO_EDGE:
                found.add(s)
    return found


def _hub_kinds(store: Any, nodes: Iterable[Any]) -> dict[Any, set[str]]:
    """Those of ``nodes`` the network does not draw as nodes of their own, each with what
    makes it one: its classes among qualified facts, intervals and instants, and
    ``thb:accountOf`` for an account of a shared fact."""
    kinds: dict[Any, set[str]] = {}
    classes = _one_of("t", _HUB_CLASSES)
    for chunk in _batches(nodes):
        text = (
            f"SELECT DISTINCT ?n ?t WHERE {{ {_values('n', chunk)} "
            f"{{ GRAPH ?g {{ ?n <{_RDF_TYPE}> ?t }} {classes} }} "
            f"UNION {{ GRAPH ?g {{ ?n <{_ACCOUNT_OF}> ?f }} }} }}"
        )
        for n, t in _rows(store, text):
            kinds.setdefault(n, set()).add(_ACCOUNT_OF if t is None else t.value)
    for blank in (n for n in nodes if _is_blank(n)):
        for _s, p, o, _g in _named_quads(store, blank):
            if p.value == _ACCOUNT_OF:
                kinds.setdefault(blank, set()).add(_ACCOUNT_OF)
            elif p.value == _RDF_TYPE and o.value in _HUB_CLASSES:
                kinds.setdefault(blank, set()).add(o.value)
    return kinds


def _hubs(store: Any, nodes: Iterable[Any]) -> tuple[set[Any], set[Any]]:
    """Those of ``nodes`` the network does not draw as nodes of their own (qualified facts,
    intervals and instants, accounts of a shared fact); and which of them are intervals
    or instants."""
    kinds = _hub_kinds(store, nodes)
    return set(kinds), {n for n, k in kinds.items() if k & _C_FOLD}


#: Predicates that name an end of a qualified fact, stated by the fact (out) or by
#: the end (in, as ``prov:qualifiedAssociation``).
_END_OUT = tuple(sorted({p for spec in QUALIFIED_CLASSES for p in (*spec.source, *spec.target)}))


def _beyond(
    store: Any, kinds: dict[Any, set[str]], inside: set[Any], include_inferred: bool
) -> set[Any]:
    """Those of the hubs found on the walk's last step (``kinds``, as :func:`_hub_kinds`
    gives them) that the view cannot draw: qualified facts for one of whose two ends
    (source, target) every candidate is a node outside ``inside`` (the nodes within the
    depth that are not facts), so the edge the fact collapses into, or the note it leaves
    on that end, falls outside the neighbourhood.

    Kept whenever that is not certain: a blank node (VALUES cannot name it), a fact of
    no or of two qualified classes, an account of a fact (``thb:accountOf``), a fact
    something else points at (a claim about it is noted on both its ends), and a fact
    with an end that is itself a fact or that a graph the view skips states.
    """
    by_class = {spec.cls: spec for spec in QUALIFIED_CLASSES}
    facts = [h for h, k in kinds.items()
             if not _is_blank(h) and len(k) == 1 and k <= by_class.keys()]
    out: dict[Any, list[tuple[str, Any]]] = {}
    into: dict[Any, list[tuple[str, Any]]] = {}
    skip = _skip_filter(include_inferred)
    for chunk in _batches(facts):
        text = (
            f"SELECT ?h ?p ?o ?in WHERE {{ {_values('h', chunk)} "
            f"{{ GRAPH ?g {{ ?h ?p ?o }} {_one_of('p', _END_OUT)} {skip} FILTER(!isLiteral(?o)) }} "
            f"UNION {{ GRAPH ?g {{ ?o ?p ?h }} {skip} BIND(true AS ?in) }} }}"
        )
        for h, p, o, incoming in _rows(store, text):
            (out if incoming is None else into).setdefault(h, []).append((p.value, o))
    ends: dict[Any, list[set[Any]]] = {}
    for h in facts:
        spec = by_class[next(iter(kinds[h]))]
        links_in = into.get(h, [])
        links_out = out.get(h, [])
        if any(p not in spec.source_in and p not in spec.target_in for p, _o in links_in):
            continue
        ends[h] = [
            {o for p, o in links_out if p in outs} | {o for p, o in links_in if p in ins}
            for outs, ins in ((spec.source, spec.source_in), (spec.target, spec.target_in))
        ]
    outside = {c for roles in ends.values() for role in roles for c in role} - inside
    hub_ends, _folds = _hubs(store, outside) if outside else (set(), set())
    far = {c for c in outside if not _is_blank(c)} - hub_ends
    return {h for h, roles in ends.items() if any(role and role <= far for role in roles)}


def reach(
    store: Any, centre: Any, depth: int, *, include_inferred: bool = False
) -> tuple[set[Any], set[Any]]:
    """Every node within ``depth`` steps of ``centre`` (Oxigraph terms), a step into a hub
    costing nothing: a superset of what the drawn network keeps, which the conversion
    cuts to size; and which of them are hubs, not intervals or instants.

    An interval or instant is followed only to what it points to: what else points to
    it (another fact's interval sharing a date) is not part of this fact.

    On the last step a qualified fact whose other end lies beyond the walk is left
    out (:func:`_beyond`): the view would cut its edge anyway, and without this a
    data set at the edge brings in every observation it has."""
    cost = {centre: 0}
    every_hub: set[Any] = set()
    folded: set[Any] = set()
    current = [centre]
    level = 0
    while current:
        following: list[Any] = []
        frontier = current
        while frontier:  # hubs, and hubs of hubs (an interval's instants), at this level
            both = [n for n in frontier if n not in folded]
            out = [n for n in frontier if n in folded]
            new = _neighbours(store, both, include_inferred) if both else set()
            if out:
                new |= _neighbours(store, out, include_inferred, incoming=False)
            new -= cost.keys()
            kinds = _hub_kinds(store, new) if new else {}
            hubs = set(kinds)
            folds = {n for n, k in kinds.items() if k & _C_FOLD}
            if level == depth and hubs - folds:
                inside = cost.keys() - every_hub - folded
                hubs -= _beyond(store, kinds, inside, include_inferred)
            every_hub |= hubs - folds
            folded |= folds
            frontier = sorted(hubs, key=str)
            for n in frontier:
                cost[n] = level
            if level < depth:
                for n in sorted(new - hubs, key=str):
                    cost[n] = level + 1
                    following.append(n)
        current = following
        level += 1
    return set(cost), every_hub


def _quads_about(
    store: Any, nodes: Iterable[Any], predicates: Sequence[str] = ()
) -> Iterator[tuple[Any, ...]]:
    """Every statement of a named graph about one of ``nodes`` (only ``predicates``, if
    given)."""
    nodes = list(nodes)
    restrict = _one_of("p", predicates) if predicates else ""
    for chunk in _batches(nodes):
        text = (
            f"SELECT ?s ?p ?o ?g WHERE {{ {_values('s', chunk)} "
            f"GRAPH ?g {{ ?s ?p ?o }} {restrict} }}"
        )
        yield from _rows(store, text)
    wanted = set(predicates)
    for blank in (n for n in nodes if _is_blank(n)):
        for quad in _named_quads(store, blank):
            if not wanted or quad[1].value in wanted:
                yield quad


def _quads_into(store: Any, nodes: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """Every statement of a named graph pointing at one of ``nodes``: for a hub, the end
    that names it (a body's ``prov:qualifiedAssociation``), so that it becomes an edge and
    not a note."""
    nodes = list(nodes)
    for chunk in _batches(nodes):
        yield from _rows(store, f"SELECT ?s ?p ?o ?g WHERE {{ {_values('o', chunk)} "
                                "GRAPH ?g { ?s ?p ?o } }")
    for blank in (n for n in nodes if _is_blank(n)):
        yield from _named_quads(store, blank, incoming=True)


def _source_descriptions(store: Any) -> Iterator[tuple[Any, Any, Any]]:
    """What the default graph alone says about the sources (their titles, documents,
    dates): the store's default graph less what a named graph also states."""
    typed = f"?s <{_RDF_TYPE}> <{_SOURCE}>"
    text = f"SELECT ?s ?p ?o WHERE {{ {typed} . ?s ?p ?o }}"
    sources = [r[0] for r in _rows(store, f"SELECT DISTINCT ?s WHERE {{ {typed} }}")]
    named = {(q[0], q[1], q[2]) for q in _quads_about(store, sources)}
    for s, p, o in _rows(store, text):
        if (s, p, o) not in named:
            yield s, p, o


def focus_dataset(
    store: Any, centre: str, depth: int, *, include_inferred: bool = False
) -> Dataset:
    """The statements the view of the IRI ``centre`` to ``depth`` steps needs, from the
    pyoxigraph ``store``, as an rdflib ``Dataset``."""
    import pyoxigraph as ox

    from ..store.engine import _from_ox

    nodes, hubs = reach(store, ox.NamedNode(centre), depth, include_inferred=include_inferred)
    dataset = Dataset(default_union=True)
    graphs: dict[str, Any] = {}

    def add(rows: Iterable[tuple[Any, ...]]) -> None:
        batch = []
        for s, p, o, g in rows:
            name = str(g.value)
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = dataset.graph(URIRef(name))
            batch.append((_from_ox(s), _from_ox(p), _from_ox(o), graph))
        dataset.addN(batch)

    about = list(_quads_about(store, nodes))
    into = [q for q in _quads_into(store, hubs) if q[0] not in nodes]
    add(about)
    add(into)
    pointed = {o for _s, _p, o, _g in about if not isinstance(o, ox.Literal)}
    pointed = (pointed | {s for s, _p, _o, _g in into}) - nodes
    add(_quads_about(store, pointed, _NAME_PREDICATES))
    add(_rows(store, f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ <{_ONTOLOGY}> }} "
                     "GRAPH ?g { ?s ?p ?o } }"))
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    for s, p, o in _source_descriptions(store):
        default.add((_from_ox(s), _from_ox(p), _from_ox(o)))
    return dataset


def _centre(store: Any, text: str, include_inferred: bool) -> str | None:
    """The IRI ``text`` names (as itself, a CURIE or ``<IRI>``, in the order
    :func:`kg.network.resolve` tries them) if a content graph uses it, else None."""
    from .names import _expand_curie

    text = text.strip()
    candidates = [text, _expand_curie(text) or ""]
    if text.startswith("<") and text.endswith(">"):
        candidates.append(text[1:-1])
    skip = _skip_filter(include_inferred)
    for iri in candidates:
        if not iri or not _ABSOLUTE.match(iri) or any(c in iri for c in ' <>"{}|^`\\'):
            continue
        ask = (
            f"ASK {{ {{ GRAPH ?g {{ {_iri(iri)} ?p ?o }} }} UNION "
            f"{{ GRAPH ?g {{ ?s ?p {_iri(iri)} }} }} {skip} }}"
        )
        if bool(store.query(ask)):
            return iri
    return _by_label(store, text)


#: More entities than this with the same name: the whole graph lists them in its error.
_MAX_NAMESAKES = 20
#: A statement in any graph: kg's store holds their union in its default graph, the
#: store behind ``--store oxigraph`` (oxrdflib) does not.
_ANYWHERE = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"


def _first_labels(store: Any, owners: dict[Any, Any]) -> dict[str, tuple[int, int, str]]:
    """Each owner's label as the network picks it, from the label statements of the nodes
    in ``owners`` (node -> whose label it gives; an account gives its entity's), read in
    every graph: the least (predicate rank, language rank, text). The key is the text's
    entity IRI."""
    labels: dict[str, tuple[int, int, str]] = {}
    for chunk in _batches(owners):
        rows = store.query(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_values('s', chunk)} {_ANYWHERE} "
            f"{_one_of('p', _P_LABEL_RANK)} FILTER(isLiteral(?o)) }}"
        )
        for s, p, o in rows:
            lang = (o.language or "").lower()
            key = (_P_LABEL_RANK[p.value], 0 if lang.startswith("en") else 1 if not lang else 2,
                   o.value)
            owner = owners[s].value
            if owner not in labels or key < labels[owner]:
                labels[owner] = key
    return labels


def _by_label(store: Any, text: str) -> str | None:
    """The one entity whose label, or else alternative label, is ``text`` (case aside), as
    :func:`kg.network.resolve` finds it in the whole network; None when that is not
    certain here, and the whole graph then decides (and words the error).

    A node's label is the first of its label statements in every graph by predicate,
    language and text, as the network picks it (:func:`_first_labels`). Not certain, so
    None: several entities have the name, text that is not ASCII (SPARQL's LCASE is not
    Python's casefold) or that has a colon (the network names a node without a label
    by its CURIE), and an entity with accounts of it (``thb:accountOf``), which the
    network may merge into one node with their labels. An entity found here that the
    view does not draw as a node (a source, a value) falls back too:
    :func:`focused_network` returns None. A name no statement has raises
    :class:`~kg.network.focus.EntityNotFoundError` at once (:func:`_nobody_called`):
    loading a million quads to say so took three minutes.

    Not looked for: an ontology term drawn as a node with no label statement, which the
    network names by its humanised local name ("legal resource"); finding those would
    scan every statement (9 s at 1M quads), and no data in our model draws one.
    """
    import pyoxigraph as ox

    if not text.isascii() or not text or ":" in text:
        return None
    names = (*_P_LABEL_RANK, *_P_ALT)
    lowered = str(ox.Literal(text.lower()))
    found = store.query(  # VALUES: each predicate's statements read from its index
        f"SELECT DISTINCT ?s WHERE {{ {_values('p', names)} {_ANYWHERE} "
        f"FILTER(isLiteral(?o) && LCASE(STR(?o)) = {lowered}) }} LIMIT {_MAX_NAMESAKES + 1}"
    )
    named = [row[0] for row in found]
    if not named:
        raise _nobody_called(store, text)
    if len(named) > _MAX_NAMESAKES or any(_is_blank(n) for n in named):
        return None
    chunk = _values("s", (n.value for n in named))
    accounts = (f"ASK {{ {chunk} GRAPH ?g {{ {{ ?s <{_ACCOUNT_OF}> ?f }} "
                f"UNION {{ ?a <{_ACCOUNT_OF}> ?s }} }} }}")
    if bool(store.query(accounts)):
        return None
    labels = _first_labels(store, {n: n for n in named})
    alts: dict[str, set[str]] = {}
    for s, o in store.query(f"SELECT DISTINCT ?s ?o WHERE {{ {chunk} {_ANYWHERE} "
                            f"{_one_of('p', _P_ALT)} FILTER(isLiteral(?o)) }}"):
        alts.setdefault(s.value, set()).add(o.value)
    wanted = text.casefold()
    exact = [s for s, key in labels.items() if key[2].casefold() == wanted]
    if not exact:
        exact = [s for s, texts in alts.items() if any(a.casefold() == wanted for a in texts)]
    return exact[0] if len(exact) == 1 else None


def _nobody_called(store: Any, text: str) -> Exception:
    """The error :func:`kg.network.resolve` gives for a name no entity has, with the
    labels that contain it as its hint: the first five entities by IRI whose label, as
    the network picks it, contains the name.

    The network's own hint lists the nodes it draws; here a fact (a membership, an
    observation) and an interval are left out, and an account of an entity counts as
    the entity, as the network merges them. The hint can still differ from the whole
    graph's where the network leaves a node out (a concept nothing links to).
    """
    import pyoxigraph as ox

    from .focus import EntityNotFoundError

    wanted = text.casefold()
    lowered = str(ox.Literal(text.lower()))
    skip = _skip_filter(False)
    found = store.query(
        f"SELECT DISTINCT ?s WHERE {{ {_values('p', _P_LABEL_RANK)} GRAPH ?g {{ ?s ?p ?o }} "
        f"{skip} FILTER(isLiteral(?o) && CONTAINS(LCASE(STR(?o)), {lowered})) }}"
    )
    close = sorted((row[0] for row in found if not _is_blank(row[0])), key=lambda n: n.value)
    close = close[: 4 * BATCH]
    kinds = _hub_kinds(store, close)
    owners = {n: n for n in close if n not in kinds}
    accounts = [n for n in close if kinds.get(n) == {_ACCOUNT_OF}]
    for chunk in _batches(accounts):
        for a, f in _rows(store, f"SELECT ?a ?f WHERE {{ {_values('a', chunk)} "
                                 f"GRAPH ?g {{ ?a <{_ACCOUNT_OF}> ?f }} }}"):
            if not _is_blank(f):
                owners[a] = owners[f] = f
    labels = _first_labels(store, owners)
    shown = [labels[n][2] for n in sorted(labels) if wanted in labels[n][2].casefold()][:5]
    hint = f" Did you mean: {', '.join(repr(label) for label in shown)}?" if shown else ""
    return EntityNotFoundError(f"No entity called {text!r} in the graph.{hint}")


def focused_network(
    kg: Any,
    focus: str,
    depth: int = 1,
    *,
    as_of: str | date | None = None,
    qualified: Qualified | str = Qualified.COLLAPSE,
    predicates: Iterable[URIRef | str] | None = None,
    include_inferred: bool = False,
) -> nx.MultiDiGraph | None:
    """What :func:`kg.network.select` draws for ``focus`` and ``depth``, built from the
    focus's neighbourhood alone when ``kg`` is on an Oxigraph store; None when it is not,
    or when ``focus`` names no node the graph draws for certain here (an IRI nothing
    uses, a label several entities have, :func:`_by_label`): the whole graph then
    resolves it, and says what is wrong if nothing fits. A plain name that no statement
    has raises :class:`~kg.network.focus.EntityNotFoundError` here, as the whole graph
    would."""
    from .convert import select
    from .focus import EntityNotFoundError

    store = oxigraph_store(kg)
    if store is None:
        return None
    centre = _centre(store, focus, include_inferred)
    if centre is None:
        return None
    dataset = focus_dataset(store, centre, depth, include_inferred=include_inferred)
    try:
        return select(
            dataset, focus=centre, depth=depth, as_of=as_of, qualified=qualified,
            predicates=predicates, include_inferred=include_inferred,
        )
    except EntityNotFoundError:
        return None


def oxigraph_store(kg: Any) -> Any | None:
    """The pyoxigraph ``Store`` behind ``kg`` (a loaded graph on the Oxigraph store, or a
    :class:`kg.store.Snapshot`), or None."""
    store = getattr(kg, "store", None)
    if store is not None and type(store).__name__ == "Store" and hasattr(store, "query"):
        return store
    backend = getattr(getattr(kg, "dataset", None), "store", None)
    inner = getattr(backend, "_inner", None)  # oxrdflib's pyoxigraph Store
    if inner is not None and type(backend).__name__ == "OxigraphStore":
        return inner
    return None
