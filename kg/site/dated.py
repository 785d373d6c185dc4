"""``dated.html``: counts and claims true "as at" a date, and the undated "to date" ones.

A student reading "182 parties" must see that it is a count as at
20 April 2024, not today's; the rows are :func:`kg.staleness.stale_facts`
as at the day the site is built.
"""

from __future__ import annotations

from typing import Any

from ..network import curie
from ..numbers import show_number
from .context import Site


def number(value: Any) -> str:
    """182.0 -> "182", 2700000000 -> "2,700,000,000", 2.5 -> "2.5" (kg.numbers)."""
    return show_number(value)


def build(site: Site) -> None:
    from datetime import date

    from ..namespaces import THB
    from ..query import labels
    from ..staleness import stale_facts

    today = date.today()
    result = stale_facts(site.kg, today)
    rows = result.as_dicts()
    names = labels(site.kg, (t for r in rows for t in r.values()))
    entries = []
    for r in rows:
        fact = str(r["fact"])
        value = r.get("value")
        label = names.get(r["fact"]) or curie(fact)
        if "indicator" in r:  # an observation: "parties (UN Trafficking in Persons Protocol)"
            label = names.get(r["indicator"], curie(str(r["indicator"])))
        elif "text" in r and r["fact"] not in names:  # a claim: its words say it all
            label = ""
        instrument = r.get("instrument")
        entries.append(
            {
                "as_at": str(r["asAt"]) if "asAt" in r else None,
                "fact": fact,
                "label": label,
                "instrument": str(instrument) if instrument is not None else None,
                "instrument_label": names.get(instrument, "") if instrument is not None else "",
                "text": str(r["text"]) if "text" in r else None,
                "value": number(str(value)) if value is not None else None,
                "unit": names.get(r["unit"], curie(str(r["unit"]))) if "unit" in r else None,
                "wording": str(r["wording"]) if "wording" in r else None,
                "kind": str(r["kind"]),
                "unconfirmed": r.get("confidence") == THB.Unconfirmed,
                "source": str(r["source"]),
            }
        )
    site.render(
        "site_dated.html",
        "dated.html",
        title="Dated figures and claims",
        entries=entries,
        built=today.isoformat(),
        undated=sum(1 for e in entries if e["as_at"] is None),
    )
