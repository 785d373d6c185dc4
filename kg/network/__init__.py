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

This package only re-exports; the work is done in its modules, each with one
job, listed in the order they depend on one another:

* :mod:`~kg.network.kinds`: node kinds (classes, colours, shapes) and how
  qualified facts collapse;
* :mod:`~kg.network.vocabulary`: the graphs and ontology terms treated in a
  special way, as rdflib terms and as plain strings;
* :mod:`~kg.network.names`: term ids, CURIEs, words from IRIs, literal text;
* :mod:`~kg.network.links`: the web links a node carries;
* :mod:`~kg.network.validity`: dates in force, and :func:`in_force_on`;
* :mod:`~kg.network.focus`: :func:`resolve` an entity, its
  :func:`neighbourhood`;
* :mod:`~kg.network.context`: what the whole dataset says (labels, classes,
  sources), read once;
* :mod:`~kg.network.build`: the builder, quads -> nodes and edges;
* :mod:`~kg.network.convert`: :func:`to_networkx`, :func:`from_query`,
  :func:`select`;
* :mod:`~kg.network.analysis`: :func:`shortest_path`, :func:`centrality`,
  :func:`components`;
* :mod:`~kg.network.files`: GraphML and GEXF (``kg export``).
"""

from __future__ import annotations

# Names in __all__ are the documented API; the others (marked "noqa: F401") stay
# importable from kg.network as they were before the split: what kg.view and
# kg.site use, the tables, and the functions kg.formats looks up on this
# package by name ("kg.network:graphml_bytes", "kg.network:gexf_bytes",
# "kg.network:export") when it writes a network file.
from .analysis import centrality, components, labels, shortest_path  # noqa: F401
from .convert import from_query, gc_paused, select, to_networkx  # noqa: F401
from .files import GEXF_SHAPES, export, flatten, gexf_bytes, graphml_bytes  # noqa: F401
from .focus import EntityNotFoundError, neighbourhood, resolve
from .kinds import (  # noqa: F401
    KIND_BY_KEY,
    KINDS,
    QUALIFIED_CLASSES,
    VOCABULARY_ID_KINDS,
    VOCABULARY_KINDS,
    Kind,
    Qualified,
    QualifiedClass,
)
from .links import CELEX_RE, EURLEX_CELEX, ROMAN, UN_DOCS, UNTC, is_web_link  # noqa: F401
from .names import curie, display_value, humanise  # noqa: F401
from .validity import (  # noqa: F401
    END_PREDICATES,
    FALLBACK_START_PREDICATES,
    START_PREDICATES,
    in_force_on,
)
from .vocabulary import (  # noqa: F401
    ALT_PREDICATES,
    ATTRIBUTE_PREDICATES,
    ELI_PREFIX,
    ELI_TERMS,
    FOLD_CLASSES,
    HIDDEN_PREDICATES,
    ID_PREFIX,
    INFERRED_GRAPH,
    LABEL_PREDICATES,
    LINK_PREDICATES,
    ONTOLOGY_GRAPH,
    PRECISION,
    PREDICATE_LABELS,
    QUERY_GRAPH,
    TIME_LINKS,
)

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
