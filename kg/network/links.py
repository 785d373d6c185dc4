"""The web links a node carries: http(s) only, plus those made from identifiers.

An ELI IRI links to itself; a CELEX number to EUR-Lex; a UN document symbol
to undocs.org; a UN treaty chapter to the UN Treaty Collection.
:func:`is_web_link` is the one test that keeps ``javascript:`` and other
schemes out of every page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import networkx as nx

from ..namespaces import ELI, THB
from .vocabulary import ELI_PREFIX

EURLEX_CELEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
CELEX_RE = re.compile(r"^[0-9][0-9A-Z()]{4,20}$")
UN_DOCS = "https://undocs.org/"
UNTC = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no={no}&chapter={ch}"
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def is_web_link(href: str) -> bool:
    """True for http(s) URLs only: no ``javascript:``, ``data:`` or ``file:`` links."""
    return re.match(r"^https?://[^\s<>\"]+$", href, flags=re.I) is not None


def _roman(text: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(text):
        if ch not in ROMAN:
            return None
        value = ROMAN[ch]
        total, prev = (total - value, prev) if value < prev else (total + value, value)
    return total or None


def _links(term: Any) -> list[dict[str, str]]:
    if type(term) is str and term.startswith(ELI_PREFIX):
        return [{"text": "ELI", "href": term}]
    return []


def _add_identifier_links(G: nx.MultiDiGraph) -> None:
    """EUR-Lex from a CELEX number; UN documents and treaties from their symbols."""
    for _nid, data in G.nodes(data=True):
        for fact in data["facts"]:
            value, dt = fact.get("value", ""), fact.get("datatype")
            if fact["predicate"] == str(ELI.id_local) and CELEX_RE.match(value):
                data["links"].append({"text": "EUR-Lex", "href": EURLEX_CELEX + quote(value)})
            elif dt == str(THB.UNDocumentSymbol) and re.match(r"^[A-Z][A-Z0-9/.\-]+$", value):
                data["links"].append({"text": "UN document", "href": UN_DOCS + value})
            elif dt == str(THB.UNTreatyChapter):
                m = re.match(r"^([IVXLC]+)-\d+(-[a-z])?$", value)
                chapter = _roman(m.group(1)) if m else None
                if chapter:
                    href = UNTC.format(no=quote(value), ch=chapter)
                    data["links"].append({"text": "UN Treaty Collection", "href": href})
