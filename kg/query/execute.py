"""Run a query: prepare it, check it against a policy, hand it to an engine.

:func:`run` is what the CLI, the endpoint, the library of named queries and
the notebooks call (as ``kg.query.run``); it ties the other modules of
:mod:`kg.query` together and turns any engine error into a
:class:`kg.errors.QueryError` (:mod:`kg.query.messages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib.term import Node

from ..errors import QueryError, StoreError
from .engines import _engine_for
from .lexer import star_order
from .messages import wrap_error
from .params import parse_param
from .prepared import prepare
from .result import QueryKind

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..safety import Policy
    from .engines import Engine
    from .result import QueryResult


#: ``policy=`` default of :func:`run`: the local policy (refusals, no bounds).
LOCAL = "local"


def run(
    target: KnowledgeGraph | Engine,
    sparql: str,
    params: Mapping[str, Node | str] | None = None,
    *,
    as_of: str | None = None,
    policy: Policy | str | None = LOCAL,
    max_rows: int | None = None,
    base: str | None = None,
) -> QueryResult:
    """Run ``sparql`` on a loaded graph (or an :class:`Engine`) and return the result.

    ``params`` bind variables (terms, or strings parsed by :func:`parse_param`);
    ``as_of`` binds ``?asOf`` to a date. The query is checked against
    ``policy`` first (:mod:`kg.safety`): by default
    :meth:`kg.safety.Policy.local`, which refuses updates, ``SERVICE`` and
    ``LOAD`` and caps nothing; ``policy=None`` runs the query unchecked, for
    queries the caller wrote itself. Rows are capped at ``policy.max_rows``.
    The check runs here, in this process; for a time limit and a worker
    without network use :func:`kg.worker.run_limited` or ``kg query``.
    ``base`` resolves the query's relative IRIs (the endpoint passes its address).
    """
    bindings: dict[str, Node] = {}
    for name, value in (params or {}).items():
        bindings[name.lstrip("?$")] = value if isinstance(value, Node) else parse_param(str(value))
    if as_of is not None:
        bindings["asOf"] = parse_param(as_of, "date")
    prepared = prepare(sparql, bindings, base=base)
    if policy is not None:
        from ..safety import Policy, check

        chosen = Policy.local() if isinstance(policy, str) else policy
        check(prepared.text, chosen, source=prepared, deep=chosen.deep)
        if chosen.max_rows is not None:
            max_rows = chosen.max_rows if max_rows is None else min(max_rows, chosen.max_rows)
    engine = _engine_for(target)
    try:
        result = engine.execute(prepared.text, max_rows=max_rows)
    except (QueryError, StoreError):  # a StoreError: a server that is down or refusing
        raise
    except Exception as exc:  # noqa: BLE001 - every engine error (RecursionError too) is one sentence
        raise wrap_error(exc, prepared) from exc
    if result.kind is not prepared.kind and prepared.kind.gives_graph:
        result = replace(result, kind=prepared.kind)  # engines report DESCRIBE as CONSTRUCT
    if result.kind is QueryKind.SELECT and "*" in prepared.source:
        result = _in_star_order(result, prepared.source)
    return result


def _in_star_order(result: QueryResult, source: str) -> QueryResult:
    """A ``SELECT *`` result with its columns in the order the variables first appear."""
    order = star_order(source)
    if order is None:
        return result
    rank = {name: i for i, name in enumerate(order)}
    columns = sorted(range(len(result.vars)),
                     key=lambda c: (rank.get(result.vars[c], len(rank)), c))
    if columns == list(range(len(result.vars))):
        return result
    rows = tuple(tuple(row[c] for c in columns) for row in result.rows)
    return replace(result, vars=tuple(result.vars[c] for c in columns), rows=rows)
