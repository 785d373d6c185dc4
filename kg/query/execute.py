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

from ..errors import QueryError
from .engines import _engine_for
from .messages import wrap_error
from .params import parse_param
from .prepared import prepare

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph
    from ..safety import Policy
    from .engines import Engine
    from .result import QueryResult


def run(
    target: KnowledgeGraph | Engine,
    sparql: str,
    params: Mapping[str, Node | str] | None = None,
    *,
    as_of: str | None = None,
    policy: Policy | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run ``sparql`` on a loaded graph (or an :class:`Engine`) and return the result.

    ``params`` bind variables (terms, or strings parsed by :func:`parse_param`);
    ``as_of`` binds ``?asOf`` to a date. With a ``policy``
    (:class:`kg.safety.Policy`) the query is checked first (no update, no
    SERVICE, no FROM outside our graphs) and rows are capped at
    ``policy.max_rows``; for a time limit use :func:`kg.worker.run_limited`.
    """
    bindings: dict[str, Node] = {}
    for name, value in (params or {}).items():
        bindings[name.lstrip("?$")] = value if isinstance(value, Node) else parse_param(str(value))
    if as_of is not None:
        bindings["asOf"] = parse_param(as_of, "date")
    prepared = prepare(sparql, bindings)
    if policy is not None:
        from ..safety import check

        check(prepared.text, policy, source=prepared)
        max_rows = policy.max_rows if max_rows is None else min(max_rows, policy.max_rows)
    engine = _engine_for(target)
    try:
        result = engine.execute(prepared.text, max_rows=max_rows)
    except QueryError:
        raise
    except Exception as exc:  # noqa: BLE001 - every engine error (RecursionError too) is one sentence
        raise wrap_error(exc, prepared) from exc
    if result.kind is not prepared.kind and prepared.kind.gives_graph:
        result = replace(result, kind=prepared.kind)  # engines report DESCRIBE as CONSTRUCT
    return result
