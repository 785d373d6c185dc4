"""Engine errors as one sentence pointing at the user's line and column.

rdflib and pyoxigraph report errors in their own words, with positions in
the prepared text (after the added PREFIX lines and VALUES clause).
:func:`wrap_error` turns any of them into a :class:`kg.errors.QueryError`
placed in the query as the user wrote it, with a hint for a common slip: a
CURIE with a ``/`` in it, which SPARQL reads as a property path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import QueryError
from ..namespaces import PREFIXES

if TYPE_CHECKING:
    from .prepared import Prepared


_POS = re.compile(r"(?:line:?\s*(\d+),?\s*col(?:umn)?:?\s*(\d+))|(?:error at (\d+):(\d+))", re.I)


def wrap_error(exc: BaseException, prepared: Prepared) -> QueryError:
    """One of the engines' exceptions as a :class:`QueryError` with the user's line/column."""
    if isinstance(exc, QueryError):
        return exc
    if isinstance(exc, RecursionError):
        return QueryError("The query nests too deeply to parse (too many braces or parentheses).")
    message = str(exc).strip()
    line = col = None
    lineno, colno = getattr(exc, "lineno", None), getattr(exc, "col", None)
    if isinstance(lineno, int) and isinstance(colno, int):
        line, col = lineno, colno
    else:
        m = _POS.search(message)
        if m:
            nums = [g for g in m.groups() if g is not None]
            line, col = int(nums[0]), int(nums[1])
    if line is not None and col is not None:
        line, col = prepared.locate(line, col)
    first = message.splitlines()[0] if message else type(exc).__name__
    hint = _curie_path_hint(prepared.source)
    first = re.sub(r"^error at \d+:\d+:\s*", "", first)
    first = re.sub(r"\s*\(at char \d+\),?\s*\(line:\d+, col:\d+\)", "", first)
    if len(first) > 100:  # pyoxigraph lists every token it could accept
        first = first[:100].rsplit(",", 1)[0] + ", ..."
    text = f"SPARQL syntax error: {first}" if line else f"Query failed: {first}"
    return QueryError(text + hint, query=prepared.source if line else None, line=line, column=col)


_CURIE_PATH = re.compile(r"(?<![\w<?$])([A-Za-z][\w-]*):([\w-]+(?:/[\w.-]*[\w-])+)(?![\w:(])")


def _curie_path_hint(source: str) -> str:
    """A hint when the query writes ``id:body/unodc``: SPARQL reads ``/`` as a path."""
    for m in _CURIE_PATH.finditer(source):
        prefix, local = m.groups()
        if prefix in PREFIXES and ":" not in local:
            return (f" -- note: in SPARQL {m.group()} is a property path; write "
                    f"<{PREFIXES[prefix]}{local}> for the entity")
    return ""
