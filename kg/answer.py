"""One request to a query worker, and everything the worker does with it.

A query from someone we do not know is handled entirely inside a worker
process (:mod:`kg.worker`): binding the dataset and parameters, the safety
check (:mod:`kg.safety`, which parses the query), running it, looking up
labels, and writing the response bytes. So every step that costs CPU or
memory in proportion to what the client sent sits under the worker's time
limit and memory cap, in a process with no network (:mod:`kg.sandbox`); the
server only moves bytes. The result is bounded in rows and in bytes.

>>> from kg.cache import Snapshot
>>> import kg
>>> engine = Snapshot.from_graph(kg.load("tests/data/minimal"))
>>> done = answer(engine, Job("SELECT ?c WHERE { ?a eli:id_local ?c } ORDER BY ?c",
...                           render=True, accept="text/csv"))
>>> done.body.decode().split()
['c', '32011L0036', '32024L1712']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Node

from .errors import QueryError
from .query import QueryKind, QueryResult
from .safety import Policy


class ResultTooLargeError(QueryError):
    """A result whose response would pass the byte cap."""


@dataclass(frozen=True)
class Job:
    """What a client asked: the query, its dataset and parameters, the response format.

    ``render`` asks for response bytes (the endpoint); without it the worker
    sends the :class:`~kg.query.QueryResult` back (``kg query --safe``).
    ``network`` asks instead for the network view's JSON of the result
    (:mod:`kg.result_network`, the query page's network view). ``base``
    resolves relative IRIs in the query (the endpoint's address).
    """

    text: str
    params: Mapping[str, Node | str] | None = None
    as_of: str | None = None
    defaults: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    policy: Policy = field(default_factory=Policy)
    render: bool = False
    accept: str | None = None
    requested: str | None = None
    network: bool = False
    base: str | None = None


@dataclass(frozen=True)
class Rendered:
    """A response ready to send: its bytes and media type, and what it holds."""

    kind: QueryKind
    body: bytes
    media_type: str
    truncated: bool
    size: int  # rows, or triples


def _bounded(body: bytes, policy: Policy) -> bytes:
    if policy.max_bytes is not None and len(body) > policy.max_bytes:
        raise ResultTooLargeError(
            f"The result is larger than {policy.max_bytes:,} bytes (the size cap); "
            "select fewer columns or rows, or add LIMIT."
        )
    return body


def answer(engine: Any, job: Job) -> QueryResult | Rendered:
    """Check and run ``job`` on ``engine``; the result, or the response bytes."""
    from .query import labels, run, with_dataset

    text = job.text
    if job.defaults or job.named:  # the Protocol's dataset replaces the query's own
        text = with_dataset(text, job.defaults, job.named)
    result = run(engine, text, job.params, as_of=job.as_of, policy=job.policy, base=job.base)
    if job.network:
        from .result_network import view_json
        from .view import json_for_script

        body = str(json_for_script(view_json(engine, result))).encode("utf-8")
        return Rendered(result.kind, _bounded(body, job.policy), "application/json",
                        result.truncated, len(result))
    if not job.render:
        if job.policy.max_bytes is not None:
            import pickle

            _bounded(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), job.policy)
        return result
    from .formats import RDF_FORMATS, RESULT_FORMATS
    from .negotiation import negotiate

    fmt = negotiate(job.accept, graph=result.kind.gives_graph, requested=job.requested)
    if result.kind.gives_graph:
        from .results import to_rdf

        spec_rdf = RDF_FORMATS[fmt.name]
        out: str | bytes = to_rdf(result, spec_rdf.rdflib_name, quads=spec_rdf.quads)
    else:
        spec = RESULT_FORMATS[fmt.name]
        names = None
        if spec.labelled and result.kind is QueryKind.SELECT:
            names = labels(engine, (t for row in result.rows for t in row))
        out = spec.write(result, names)
    body = out.encode("utf-8", errors="replace") if isinstance(out, str) else out
    media = fmt.media_type
    if media.startswith("text/") or media.endswith(("+json", "+xml")):
        media += "; charset=utf-8"
    return Rendered(result.kind, _bounded(body, job.policy), media, result.truncated, len(result))
