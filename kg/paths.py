"""Where the shipped ontology and data live, in a checkout and in a wheel.

In a checkout (or an editable install) they are the top-level ``ontology/``
and ``graph_data/`` folders; a built wheel carries copies under ``kg/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def ontology_dir() -> Path:
    """The folder holding ``thb.ttl`` (OWL) and ``shapes.ttl`` (SHACL)."""
    return _shipped("ontology")


def data_dir() -> Path:
    """The folder of TriG files, one per source."""
    return _shipped("graph_data")
