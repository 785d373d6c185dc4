"""A bar chart, drawn on the server as SVG, for a question whose answer is numbers.

:func:`bar_chart` looks at a result table: when exactly one column holds
only numbers (and there are 2 to 60 rows), each row becomes a bar named by
its other cells, in words. Victims by region of origin, parties over time:
the chart reads without JavaScript and prints; the table stays beside it.
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal

from ..numbers import show_number

__all__ = ["bar_chart"]

MAX_ROWS = 60
BAR = 18
LABEL_WIDTH = 330
PLOT_WIDTH = 360


def _number(cell: Any) -> float | None:
    if not isinstance(cell, Literal):
        return None
    value = cell.toPython()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            from decimal import Decimal

            if isinstance(value, Decimal):
                return float(value)
        except ImportError:  # pragma: no cover
            pass
        return None
    return float(value)


def bar_chart(
    columns: list[str], rows: list[list[Any]], cells: list[list[dict[str, Any]]]
) -> dict[str, Any] | None:
    """The chart's geometry for ``rows`` (raw terms) and ``cells`` (the same in words),
    or None when the answer is not a list of numbers."""
    if not (2 <= len(rows) <= MAX_ROWS) or not columns:
        return None
    numeric = [
        i
        for i in range(len(columns))
        if all(r[i] is not None for r in rows) and all(_number(r[i]) is not None for r in rows)
    ]
    if len(numeric) != 1:
        return None
    col = numeric[0]
    values = [_number(r[col]) or 0.0 for r in rows]
    top = max(values) or 1.0
    if min(values) < 0:
        return None
    bars = []
    for i, (value, line) in enumerate(zip(values, cells, strict=True)):
        name = " · ".join(c["text"] for j, c in enumerate(line) if j != col and c["text"])
        bars.append(
            {
                "y": 24 + i * (BAR + 6),
                "width": round(value / top * PLOT_WIDTH, 1),
                "value": show_number(rows[i][col]),
                "name": name if len(name) <= 60 else name[:59] + "…",
                "full": name,
            }
        )
    return {
        "column": columns[col],
        "bars": bars,
        "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + PLOT_WIDTH + 90,
        "height": 24 + len(bars) * (BAR + 6) + 6,
        "bar": BAR,
    }
