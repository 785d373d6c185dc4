"""Show query results and network views inside a notebook, offline.

Two helpers for Jupyter (JupyterLab, Notebook, VS Code), used by the
notebooks in ``notebooks/``:

* :func:`show` embeds a self-contained HTML page (a network view from
  :mod:`kg.view`) as an ``<iframe srcdoc="...">``. The whole page travels in
  the notebook's output, so the view works offline and in a notebook saved
  and reopened elsewhere; no file path, no server, no CDN.
* :func:`table` turns a SPARQL result into a table: a pandas ``DataFrame``
  when pandas is installed, otherwise a small :class:`Table` that Jupyter
  renders as HTML and a terminal prints as aligned text.

Neither needs IPython: Jupyter displays any object with a ``_repr_html_``
method, so these work in every front end and cost nothing on the core install.
"""

from __future__ import annotations

import html
import importlib.util
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef

from .namespaces import PREFIXES

__all__ = ["InlinePage", "Table", "columns_of", "show", "table", "term_text", "values"]

_FRAME_IDS = count(1)


@dataclass(frozen=True)
class InlinePage:
    """A self-contained HTML page shown inline as an iframe with ``srcdoc``.

    ``page`` is the full HTML document; :meth:`iframe` is the markup a
    notebook displays. The document is attribute-escaped into ``srcdoc``,
    so its quotes and ampersands cannot end the attribute early. The frame
    is sandboxed: the page's scripts run, but in an origin of their own,
    away from the notebook; links to source documents open in a new tab.
    """

    page: str
    height: int = 600
    title: str = "thb-kg view"

    def iframe(self) -> str:
        """The ``<iframe>`` element carrying the page in its ``srcdoc``."""
        frame_id = f"thb-kg-view-{next(_FRAME_IDS)}"
        return (
            f'<iframe id="{frame_id}" title="{html.escape(self.title, quote=True)}" '
            f'srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ccc;" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            'loading="eager"></iframe>'
        )

    def _repr_html_(self) -> str:
        return self.iframe()

    def __repr__(self) -> str:
        return f"<InlinePage {self.title!r}: {len(self.page)} characters of HTML>"


def _page_of(view: Any) -> str:
    if isinstance(view, str):
        return view
    if isinstance(view, Path):
        return view.read_text(encoding="utf-8")
    for attr in ("html", "page"):
        value = getattr(view, attr, None)
        if isinstance(value, str):
            return value
    raise TypeError(
        f"show() takes an HTML document (str), a path to an .html file, or an object with "
        f"an .html attribute; got {type(view).__name__}."
    )


def show(view: Any, *, height: int = 600, title: str | None = None) -> InlinePage:
    """Display a self-contained HTML page inline in a notebook.

    ``view`` is the HTML of the page (as :mod:`kg.view` writes it), a path to
    such a file, or an object with an ``.html`` attribute (a
    :class:`kg.view.View`, whose ``title`` then names the frame for screen
    readers unless ``title`` is given). The last expression of a cell is
    displayed; elsewhere, pass the result to ``IPython.display.display``.

    >>> frame = show("<p title='x'>Blue Heart &amp; UNODC</p>", height=200)
    >>> html_out = frame._repr_html_()
    >>> html_out.startswith('<iframe id="thb-kg-view-')
    True
    >>> "srcdoc=\\"&lt;p title=&#x27;x&#x27;&gt;Blue Heart &amp;amp; UNODC&lt;/p&gt;\\"" in html_out
    True
    """
    if title is None:
        own = getattr(view, "title", None)
        title = own if isinstance(own, str) and own else "thb-kg view"
    return InlinePage(page=_page_of(view), height=height, title=title)


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def term_text(value: Any) -> str:
    """A short, readable text for one cell: prefixed IRIs, plain literal values.

    >>> from rdflib import Literal, URIRef
    >>> term_text(URIRef("https://w3id.org/thb-kg/id/body/unodc"))
    'id:body/unodc'
    >>> term_text(Literal("2011-04-05", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")))
    '2011-04-05'
    >>> term_text(None)
    ''
    """
    if value is None:
        return ""
    if isinstance(value, URIRef):
        text = str(value)
        for prefix, namespace in _BY_LENGTH:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return text
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal):
        return str(value)
    return str(value)


def _python_value(value: Any) -> Any:
    """A native value for a DataFrame cell: numbers and dates stay typed."""
    if isinstance(value, Literal):
        native = value.toPython()
        return native if not isinstance(native, Literal) else str(native)
    if isinstance(value, URIRef | BNode):
        return term_text(value)
    return value


@dataclass(frozen=True)
class Table:
    """Rows of a query result, printable in a terminal and shown as HTML in Jupyter.

    ``labels`` maps IRIs to the text shown for them (their ``skos:prefLabel``
    and the like); other IRIs are shown prefixed (:func:`term_text`).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    labels: Mapping[Any, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def cell_text(self, cell: Any) -> str:
        """The text shown for one cell: its label, else :func:`term_text`."""
        if isinstance(cell, URIRef) and cell in self.labels:
            return self.labels[cell]
        return term_text(cell)

    def text_rows(self) -> list[list[str]]:
        """Every cell as display text."""
        return [[self.cell_text(cell) for cell in row] for row in self.rows]

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = []
        for raw, texts in zip(self.rows, self.text_rows(), strict=True):
            cells = []
            for cell, text in zip(raw, texts, strict=True):
                tip = ""
                if isinstance(cell, URIRef):
                    tip = f' title="{html.escape(str(cell), quote=True)}"'
                cells.append(f"<td{tip}>{html.escape(text)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        return (
            '<table class="thb-kg-table">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"<p><small>{len(self.rows)} row(s)</small></p>"
        )

    def __str__(self) -> str:
        texts = self.text_rows()
        widths = [len(c) for c in self.columns]
        for row in texts:
            widths = [max(w, len(t)) for w, t in zip(widths, row, strict=True)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for row in texts:
            lines.append("  ".join(t.ljust(w) for t, w in zip(row, widths, strict=True)).rstrip())
        return "\n".join(lines)

    __repr__ = __str__

    def to_pandas(self) -> Any:
        """A pandas ``DataFrame`` (requires pandas): literals become numbers and dates."""
        import pandas as pd

        return pd.DataFrame(
            [
                [self.cell_text(c) if isinstance(c, URIRef) else _python_value(c) for c in row]
                for row in self.rows
            ],
            columns=list(self.columns),
        )


def _columns_and_rows(result: Any) -> tuple[list[str], list[Sequence[Any]]]:
    variables = getattr(result, "variables", None)
    if variables is None:
        variables = getattr(result, "vars", None)  # rdflib's own Result
    rows = getattr(result, "rows", None)
    if variables is not None:
        columns = [str(v).lstrip("?") for v in variables]
        source = rows if rows is not None else result
        out: list[Sequence[Any]] = []
        for row in source:
            if isinstance(row, Mapping):
                out.append([_get(row, c) for c in columns])
            else:
                out.append(list(row))
        return columns, out
    items = list(result)
    if not items:
        return [], []
    if all(isinstance(r, Mapping) for r in items):
        columns = []
        for r in items:
            for key in r:
                name = str(key).lstrip("?")
                if name not in columns:
                    columns.append(name)
        return columns, [[_get(r, c) for c in columns] for r in items]
    raise TypeError(
        "table() takes a query result (with variables and rows), an rdflib SPARQL result, "
        "or a list of dicts."
    )


def _get(row: Mapping[Any, Any], name: str) -> Any:
    for key in (name, f"?{name}"):
        if key in row:
            return row[key]
    for key, value in row.items():
        if str(key).lstrip("?") == name:
            return value
    return None


def _has_pandas() -> bool:
    return importlib.util.find_spec("pandas") is not None


def table(
    result: Any,
    *,
    labels: Any = None,
    limit: int | None = None,
    pandas: bool | None = None,
) -> Any:
    """Render a SPARQL SELECT result as a table.

    ``result`` is a result of :func:`kg.query.run` (anything with ``vars``
    or ``variables`` and ``rows``), an rdflib ``Result``, or an iterable of
    dicts. ``labels`` shows IRIs by name: a mapping from IRI to text, or a
    loaded :class:`kg.KnowledgeGraph` to look the labels up in (English
    ``skos:prefLabel`` first, see :func:`kg.query.labels`). With
    ``pandas=None`` (the default) a pandas ``DataFrame`` is returned when
    pandas is installed, else a :class:`Table`; pass ``pandas=False`` for a
    :class:`Table` always. ``limit`` keeps the first rows only.

    >>> from rdflib import Literal, URIRef
    >>> rows = [{"body": URIRef("https://w3id.org/thb-kg/id/body/unodc"), "founded": Literal(1997)}]
    >>> print(table(rows, pandas=False))
    body           founded
    -------------  -------
    id:body/unodc  1997
    """
    columns, rows = _columns_and_rows(result)
    if limit is not None:
        rows = rows[:limit]
    names: Mapping[Any, str] = {}
    if isinstance(labels, Mapping):
        names = labels
    elif labels is not None:
        from .query import labels as lookup

        names = lookup(labels, (cell for row in rows for cell in row))
    out = Table(tuple(columns), tuple(tuple(r) for r in rows), names)
    use_pandas = _has_pandas() if pandas is None else pandas
    return out.to_pandas() if use_pandas else out


def columns_of(result: Any) -> list[str]:
    """The column names :func:`table` would show for ``result``."""
    return _columns_and_rows(result)[0]


def values(result: Any, column: str, *, labels: Any = None) -> list[Any]:
    """One column of a result as native Python values (numbers, dates, texts).

    IRIs become their labels when ``labels`` is given (a mapping or the
    loaded graph, as for :func:`table`), else prefixed names. Handy for
    charts: ``plt.barh(values(r, "origin", labels=graph), values(r, "share"))``.

    >>> from rdflib import Literal, URIRef
    >>> balkans = URIRef("https://w3id.org/thb-kg/id/place/balkans")
    >>> rows = [{"share": Literal(32), "origin": balkans}]
    >>> values(rows, "share")
    [32]
    >>> values(rows, "origin", labels={balkans: "Balkans"})
    ['Balkans']
    """
    shown = table(result, labels=labels, pandas=False)
    if not shown.columns and not shown.rows:
        return []  # an empty list of rows has no columns to check
    if column not in shown.columns:
        raise KeyError(f"No column {column!r}; the result has: {', '.join(shown.columns)}.")
    i = shown.columns.index(column)
    return [
        shown.cell_text(row[i]) if isinstance(row[i], URIRef) else _python_value(row[i])
        for row in shown.rows
    ]
