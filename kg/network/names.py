"""Terms as the builder holds them and as a reader sees them: ids, CURIEs, words.

The builder keys everything by plain strings (:func:`_term_id`); a view
shows an IRI as a CURIE (:func:`curie`) or as words (:func:`humanise`) and
a literal as text (:func:`display_value`); a user may name a term by CURIE
(:func:`_expand_curie`).
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import BNode, Literal

from ..namespaces import PREFIXES, XSD
from ..numbers import is_number, show_number


def _term_id(term: Any) -> Any:
    """An rdflib term as the builder holds it: IRI -> str, blank node -> "_:id", literal as is."""
    if isinstance(term, Literal):
        return term
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _is_bnode(x: Any) -> bool:
    return type(x) is str and x.startswith("_:")


def _node_id(term: Any) -> str:
    return term if type(term) is str else _term_id(term)  # type: ignore[no-any-return]


def curie(iri: str) -> str:
    """``eli:passed_by`` for a known namespace, else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def humanise(iri: str) -> str:
    """A label from an IRI's last segment: ``passed_by`` -> ``passed by``."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ")
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words.split())


def _expand_curie(text: str) -> str | None:
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


def _lang_rank(lit: Literal) -> int:
    lang = (lit.language or "").lower()
    return 0 if lang.startswith("en") else 1 if not lang else 2


def display_value(lit: Literal, precision: int | None = None) -> str:
    """A literal as text; a date known to the month or year is cut to ``2011-12``/``2011``."""
    if lit.datatype == XSD.date and precision:
        return str(lit)[:precision]
    if is_number(lit):  # "182", not the stored "182.0" (kg.numbers)
        return show_number(lit)
    return str(lit)
