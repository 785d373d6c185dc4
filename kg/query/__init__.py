"""Run SPARQL on the graph: prologue, typed parameters, results as values.

Every query gets the predeclared prefixes (:data:`kg.namespaces.PREFIXES`)
it does not declare itself. Parameters are bound with a ``VALUES`` clause
built from RDF terms (never by pasting user text into the query), placed at
the start of the query's outermost ``WHERE`` group so that filters see them.
Results come back as a frozen :class:`QueryResult` whatever the engine:
rdflib's memory store, Oxigraph through oxrdflib, or Oxigraph directly
(:class:`kg.cache.Snapshot`). Literals typed ``xsd:string`` are normalised
to plain literals, so every engine gives the same answer.

>>> import kg
>>> graph = kg.load("tests/data/minimal")
>>> result = run(graph, "SELECT ?celex WHERE { ?act eli:id_local ?celex } ORDER BY ?celex")
>>> [str(row[0]) for row in result.rows]
['32011L0036', '32024L1712']
>>> run(graph, "ASK { ?act eli:amends ?old }").boolean
True

This package only re-exports; the work is done in its modules, each with one
job, listed in the order they depend on one another:

* :mod:`~kg.query.lexer`: a query's tokens, form, prefixes, variables,
  outer ``WHERE`` group and nesting, without a full parse;
* :mod:`~kg.query.params`: text as typed RDF terms (:func:`parse_param`),
  and terms as SPARQL text;
* :mod:`~kg.query.dataset`: the ``FROM``/``FROM NAMED`` clauses, read
  (:func:`dataset_clause`) and replaced (:func:`with_dataset`);
* :mod:`~kg.query.result`: :class:`QueryKind` and :class:`QueryResult`;
* :mod:`~kg.query.prepared`: :func:`prepare` (prologue, VALUES) and
  :func:`bind_text`;
* :mod:`~kg.query.engines`: the :class:`Engine` protocol,
  :class:`RdflibEngine`, and the engine for a loaded graph;
* :mod:`~kg.query.messages`: engine errors as a :class:`kg.errors.QueryError`
  at the user's line and column (:func:`wrap_error`);
* :mod:`~kg.query.execute`: :func:`run`;
* :mod:`~kg.query.labelling`: :func:`labels` and :func:`describe_term`.
"""

from __future__ import annotations

# Names in __all__ are the documented API; the others (marked "noqa: F401") stay
# importable from kg.query as they were before the split: what kg.cache,
# kg.safety, kg.serve, kg.results and the commands import (kg.safety even the
# lexer's _tokens). Module names avoid the names of re-exported functions (no
# run.py, prepare.py, labels.py), so kg.query.run is always the function.
from .dataset import dataset_clause, with_dataset  # noqa: F401
from .engines import Engine, RdflibEngine  # noqa: F401
from .execute import run
from .labelling import describe_term, labels  # noqa: F401
from .lexer import MAX_NESTING, _tokens  # noqa: F401
from .messages import wrap_error  # noqa: F401
from .params import parse_param, parse_params, valid_iri  # noqa: F401
from .prepared import Prepared, bind_text, prepare  # noqa: F401
from .result import QueryKind, QueryResult

__all__ = [
    "Engine",
    "QueryKind",
    "QueryResult",
    "parse_param",
    "parse_params",
    "prepare",
    "run",
]
