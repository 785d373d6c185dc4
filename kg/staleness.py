"""Which statements may have gone stale: dated counts and time-relative claims.

A legal reference ages: "182 parties as at 20 April 2024" is true of that
day, "the most recent EU directive" was true when the article was written.
The graph keeps such statements as their sources made them (a dated count
is a claim about its own day, not about today), so a maintainer needs the list of the
ones to re-check: every statement with ``thb:asOf`` before a date, and every
statement with ``thb:timeRelative`` wording dated (by its ``thb:asOf``, else
by its source's ``dct:date``) before that date or not dated at all. An undated
statement is always listed: nothing shows it is still true.

One row per statement and source graph, oldest first, undated last.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from rdflib import Literal
from rdflib.namespace import XSD

from .errors import QueryError

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .query import Engine, QueryResult

#: The columns of :func:`stale_facts`, in order.
COLUMNS = (
    "fact", "kind", "indicator", "instrument", "value", "unit", "wording", "text", "asAt",
    "confidence", "source", "document",
)

#: ``?before`` is bound to an xsd:date by :func:`stale_facts`.
STALE_FACTS = """
SELECT DISTINCT ?fact ?kind ?indicator ?instrument ?value ?unit ?wording ?text ?asAt
       ?confidence ?source ?document
WHERE {
  {
    GRAPH ?source {
      ?node thb:asOf ?asAtDay
      OPTIONAL { ?node thb:datePrecision ?precision }
    }
  } UNION {
    # one row per statement and source (DISTINCT first: Virtuoso 7.2 keeps duplicates
    # that differ only in a variable not projected, when a long text joins them)
    { SELECT DISTINCT ?node ?source WHERE { GRAPH ?source { ?node thb:timeRelative ?anyWording } } }
    # OPTIONAL + !BOUND, not FILTER NOT EXISTS: a join for Oxigraph, and Virtuoso 7.2
    # let the GRAPH of a NOT EXISTS range over graphs outside the request's dataset
    OPTIONAL { GRAPH ?source { ?node thb:asOf ?anyDate } }
    FILTER(!BOUND(?anyDate))
    OPTIONAL { ?source dct:date ?asAtDay }
  }
  FILTER(!BOUND(?asAtDay) || ?asAtDay < ?before)
  # shown at the precision its source gives it: "as at March 2005" is 2005-03
  BIND(IF(COALESCE(?precision = time:unitYear, false),
          STRDT(SUBSTR(STR(?asAtDay), 1, 4), xsd:gYear),
       IF(COALESCE(?precision = time:unitMonth, false),
          STRDT(SUBSTR(STR(?asAtDay), 1, 7), xsd:gYearMonth), ?asAtDay)) AS ?asAt)
  FILTER(?source NOT IN (graph:inferred, graph:ontology))
  OPTIONAL {
    SELECT ?node ?source (GROUP_CONCAT(STR(?w); separator="; ") AS ?wording)
    WHERE { GRAPH ?source { ?node thb:timeRelative ?w } }
    GROUP BY ?node ?source
  }
  OPTIONAL { GRAPH ?source { ?node thb:indicator ?indicator } }
  OPTIONAL { GRAPH ?source { ?node thb:instrument ?instrument } }
  OPTIONAL { GRAPH ?source { ?node sdmx-measure:obsValue ?value } }
  OPTIONAL { GRAPH ?source { ?node sdmx-attribute:unitMeasure ?unit } }
  OPTIONAL { GRAPH ?source { ?node rdf:value ?text } }
  OPTIONAL { GRAPH ?source { ?node thb:confidence ?factConfidence } }
  OPTIONAL { ?source thb:confidence ?sourceConfidence }
  BIND(COALESCE(?factConfidence, ?sourceConfidence) AS ?confidence)
  OPTIONAL { ?source prov:wasDerivedFrom ?document }
  # a qualified fact has one node per source (thb:accountOf the fact): name the fact
  OPTIONAL { ?node thb:accountOf ?shared }
  BIND(COALESCE(?shared, ?node) AS ?fact)
  BIND(IF(BOUND(?value), "count", "claim") AS ?measured)
  BIND(IF(BOUND(?wording), CONCAT("time-relative ", ?measured), ?measured) AS ?kind)
}
ORDER BY (!BOUND(?asAtDay)) ?asAtDay ?fact ?source
"""


def parse_before(text: str) -> date:
    """``text`` as a date, or a :class:`QueryError` a user can act on."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"--before {text!r} is not a date: write YYYY-MM-DD.") from None


def stale_facts(
    target: KnowledgeGraph | Engine, before: date | str | None = None
) -> QueryResult:
    """Dated counts and time-relative statements older than ``before`` (default today).

    Columns: :data:`COLUMNS`. ``kind`` is "count" (an observation with a
    value) or "claim", prefixed with "time-relative " when the source used
    such wording (listed in ``wording``); ``asAt`` is unbound for an undated
    statement; ``confidence`` is the fact's ``thb:confidence``, else its
    source's. Works on a :class:`kg.KnowledgeGraph` or any query engine.
    """
    from .query import run

    if before is None:
        before = date.today()
    elif isinstance(before, str):
        before = parse_before(before)
    found = run(target, STALE_FACTS, {"before": Literal(before, datatype=XSD.date)}, policy=None)
    return _wording_sorted(found)


def _wording_sorted(result: QueryResult) -> QueryResult:
    """``result`` with each ``wording`` list in alphabetical order.

    SPARQL's GROUP_CONCAT has no order: each engine joins a source's time-relative
    words in its own, so the same graph would print differently on a server.
    """
    at = result.vars.index("wording")
    rows = []
    for row in result.rows:
        words = row[at]
        if words is not None:
            joined = "; ".join(sorted(str(words).split("; ")))
            row = (*row[:at], Literal(joined), *row[at + 1:])
        rows.append(row)
    return replace(result, rows=tuple(rows))
