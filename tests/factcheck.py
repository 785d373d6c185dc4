"""Shared helper for the table-driven fact tests: is a pattern in a source's graph?"""

from __future__ import annotations

from kg.namespaces import GRAPH, sparql_prologue


def holds_in_graph(kg, graph_slug: str, pattern: str) -> bool:
    """True when the SPARQL group ``pattern`` matches inside ``graph/<graph_slug>``.

    The pattern uses the predeclared prefixes (``kg.namespaces.PREFIXES``).
    """
    query = f"{sparql_prologue()}ASK {{ GRAPH <{GRAPH[graph_slug]}> {{ {pattern} }} }}"
    return bool(kg.dataset.query(query).askAnswer)


def holds(kg, pattern: str) -> bool:
    """True when ``pattern`` matches anywhere in the union of graphs."""
    query = f"{sparql_prologue()}ASK {{ {pattern} }}"
    return bool(kg.dataset.query(query).askAnswer)
