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
    GRAPH ?source { ?fact thb:asOf ?asAt }
  } UNION {
    GRAPH ?source { ?fact thb:timeRelative ?anyWording }
    FILTER NOT EXISTS { GRAPH ?source { ?fact thb:asOf ?anyDate } }
    OPTIONAL { ?source dct:date ?asAt }
  }
  FILTER(!BOUND(?asAt) || ?asAt < ?before)
  FILTER(?source NOT IN (graph:inferred, graph:ontology))
  OPTIONAL {
    SELECT ?fact ?source (GROUP_CONCAT(STR(?w); separator="; ") AS ?wording)
    WHERE { GRAPH ?source { ?fact thb:timeRelative ?w } }
    GROUP BY ?fact ?source
  }
  OPTIONAL { GRAPH ?source { ?fact thb:indicator ?indicator } }
  OPTIONAL { GRAPH ?source { ?fact thb:instrument ?instrument } }
  OPTIONAL { GRAPH ?source { ?fact sdmx-measure:obsValue ?value } }
  OPTIONAL { GRAPH ?source { ?fact sdmx-attribute:unitMeasure ?unit } }
  OPTIONAL { GRAPH ?source { ?fact rdf:value ?text } }
  OPTIONAL { GRAPH ?source { ?fact thb:confidence ?factConfidence } }
  OPTIONAL { ?source thb:confidence ?sourceConfidence }
  BIND(COALESCE(?factConfidence, ?sourceConfidence) AS ?confidence)
  OPTIONAL { ?source prov:wasDerivedFrom ?document }
  BIND(IF(BOUND(?value), "count", "claim") AS ?measured)
  BIND(IF(BOUND(?wording), CONCAT("time-relative ", ?measured), ?measured) AS ?kind)
}
ORDER BY (!BOUND(?asAt)) ?asAt ?fact ?source
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
    return run(target, STALE_FACTS, {"before": Literal(before, datatype=XSD.date)}, policy=None)
