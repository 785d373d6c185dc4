"""The question library: one documented ``.rq`` file per question a user asks.

Each file in ``kg/queries/`` starts with a header of comment lines::

    # title: Instruments in force on a date
    # number: 2
    # question: Which instruments were in force on a given date?
    # param: asOf date = 2011-06-01 -- the day to look at
    #
    # Free text: how the query reads the model, what it returns.

``title``, ``number`` (the question's number in QUESTIONS.md) and
``question`` are required; each ``param`` names a variable, its type
(``date``, ``iri``, ``integer``, ``decimal``, ``literal``), an optional
default and what it means; a parameter without a default is optional
(left unbound when not given). The comments are SPARQL comments, so the file
runs as it is.

>>> q = get("in-force")
>>> q.title
'Instruments in force on a date'
>>> [p.name for p in q.parameters]
['asOf']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QueryError

if TYPE_CHECKING:
    from rdflib.term import Node

    from .graph import KnowledgeGraph
    from .query import Engine, QueryResult

QUERY_DIR = Path(__file__).resolve().parent / "queries"
PARAM_TYPES = ("date", "iri", "integer", "decimal", "boolean", "literal")

_FIELD = re.compile(r"^#\s*(title|number|question|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^\??(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?"
    r"(?:\s+--\s*(?P<text>.*))?$"
)


@dataclass(frozen=True)
class Parameter:
    """A variable a library query lets the user set."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class LibraryQuery:
    """One query of the library, read from its ``.rq`` file."""

    name: str
    number: int
    title: str
    question: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Path

    def bindings(
        self, params: Mapping[str, Node | str] | None = None, *, as_of: str | None = None
    ) -> dict[str, Node]:
        """Terms for every parameter: the given value (typed as declared) or the default."""
        from .query import parse_param

        given = {k.lstrip("?$"): v for k, v in (params or {}).items()}
        if as_of is not None:
            given["asOf"] = as_of
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            names = ", ".join(declared) or "none"
            raise QueryError(
                f"{self.name} has no parameter {unknown[0]!r} (its parameters: {names})."
            )
        out: dict[str, Node] = {}
        for p in self.parameters:
            value = given.get(p.name, p.default)
            if value is None:  # an optional parameter: left unbound
                continue
            if isinstance(value, str):
                out[p.name] = parse_param(value, None if p.type == "literal" else p.type)
            else:
                out[p.name] = value
        return out


def _parse(path: Path) -> LibraryQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    description: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _FIELD.match(line)
        if m:
            key, value = m.groups()
            if key == "param":
                pm = _PARAM.match(value)
                if not pm or pm.group("type") not in PARAM_TYPES:
                    raise QueryError(f"{path.name}: bad parameter line {line!r}.")
                params.append(
                    Parameter(pm.group("name"), pm.group("type"), pm.group("default"),
                              (pm.group("text") or "").strip())
                )
            else:
                fields[key] = value
        else:
            description.append(line[1:].strip())
    missing = [k for k in ("title", "number", "question") if not fields.get(k)]
    if missing:
        raise QueryError(f"{path.name}: the header lacks {', '.join(missing)}.")
    return LibraryQuery(
        name=path.stem,
        number=int(fields["number"]),
        title=fields["title"],
        question=fields["question"],
        description="\n".join(description).strip(),
        parameters=tuple(params),
        sparql=text,
        path=path,
    )


@lru_cache(maxsize=1)
def _all() -> dict[str, LibraryQuery]:
    queries = [_parse(p) for p in sorted(QUERY_DIR.glob("*.rq"))]
    return {q.name: q for q in sorted(queries, key=lambda q: (q.number, q.name))}


def list_queries() -> list[LibraryQuery]:
    """Every library query, in the order of QUESTIONS.md."""
    return list(_all().values())


def names() -> list[str]:
    return list(_all())


def get(name: str) -> LibraryQuery:
    """The library query called ``name``; an unknown name lists the close matches."""
    queries = _all()
    key = name.strip().removesuffix(".rq")
    if key in queries:
        return queries[key]
    close = difflib.get_close_matches(key, list(queries), n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"No library query called {name!r}.{hint} (kg queries lists them all)")


def run(
    target: KnowledgeGraph | Engine,
    name: str,
    params: Mapping[str, Node | str] | None = None,
    *,
    as_of: str | None = None,
    **options: object,
) -> QueryResult:
    """Run the library query ``name`` with its defaults, overridden by ``params``.

    ``target`` is a :class:`kg.KnowledgeGraph` or an :class:`kg.query.Engine`;
    ``options`` go to :func:`kg.query.run` (``policy``, ``max_rows``).
    """
    from .query import run as run_query

    q = get(name)
    return run_query(target, q.sparql, q.bindings(params, as_of=as_of), **options)  # type: ignore[arg-type]
