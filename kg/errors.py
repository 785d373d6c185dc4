"""Our exception types: each carries the context a user needs to act.

The CLI turns any :class:`KgError` into one clear sentence and exit code 2;
only ``--debug`` shows a traceback.
"""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base class: ``str(err)`` is a sentence a user can act on."""

    exit_code = 2


class DataFileError(KgError):
    """A data or ontology file that cannot be parsed, with file and line."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, line {line}" if line else str(self.path)
        super().__init__(f"{where}: {reason}")


class DataFolderError(KgError):
    """A data folder that does not exist or holds no data files."""


class FormatError(KgError):
    """An unknown output or input format."""


class StoreError(KgError):
    """An unknown or unavailable store."""


class QueryError(KgError):
    """A SPARQL query that cannot run, with the position of the problem when known."""

    def __init__(
        self,
        message: str,
        *,
        query: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.query = query
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        if self.line is None:
            return self.message
        text = f"{self.message} (line {self.line}, column {self.column})"
        if self.query is not None:
            lines = self.query.splitlines()
            if 0 < self.line <= len(lines):
                caret = " " * max((self.column or 1) - 1, 0) + "^"
                text += f"\n    {lines[self.line - 1]}\n    {caret}"
        return text


class UnsafeQueryError(QueryError):
    """A query refused by the safety policy (update, SERVICE, LOAD, remote FROM)."""


class QueryTimeoutError(QueryError):
    """A query stopped at its time limit."""


class WriteError(KgError):
    """A file that could not be written; the previous file, if any, is untouched."""
