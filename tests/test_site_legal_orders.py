"""One legal-order rule (issue 12, item 4): the start page's framework map, the timeline's
rows and the network overview's groups all take an instrument's legal order (UN, Council
of Europe, EU, ILO, or none recorded) from kg.network.orders.legal_orders, so each
instrument of the shipped graph stands in the same order on all three."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import kg as kg_api
from kg.network import to_networkx
from kg.network.orders import LEGAL_ORDERS, legal_orders
from kg.site import build_site
from kg.site.framework_map import UNPLACED

NO_ORDER = "none"


@pytest.fixture(scope="module")
def shipped() -> kg_api.KnowledgeGraph:
    return kg_api.load()


@pytest.fixture(scope="module")
def site(shipped: kg_api.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("orders") / "site"
    build_site(shipped, out)
    return out


def _json(page: Path, script_id: str) -> dict:
    html = page.read_text("utf-8")
    m = re.search(rf'<script type="application/json" id="{script_id}">(.*?)</script>', html, re.S)
    assert m, f"no {script_id} in {page.name}"
    return json.loads(m.group(1))


LABEL_TO_KEY = {o.label: o.key for o in LEGAL_ORDERS}


def map_orders(site: Path) -> dict[str, str]:
    """Instrument page -> legal order, from the map's table on the start page."""
    html = (site / "index.html").read_text("utf-8")
    table = html[html.index("<summary>The map as a table</summary>") :]
    table = table[: table.index("</table>")]
    out = {}
    for lane, page in re.findall(r'<tr><td>([^<]*)</td><td><a href="([^"]+)"', table):
        out[page] = LABEL_TO_KEY.get(lane, NO_ORDER if lane == UNPLACED else f"?{lane}")
    return out


def timeline_orders(site: Path) -> dict[str, str]:
    """Instrument page -> legal order, from the timeline's bars ("in force")."""
    data = _json(site / "timeline.html", "thb-timeline-data")
    keys = [o.key for o in LEGAL_ORDERS] + [NO_ORDER]
    assert data["rows"] == [o.label for o in LEGAL_ORDERS] + ["Other"]
    return {it["page"]: keys[it["row"]] for it in data["items"] if it.get("what") == "in force"}


def overview_orders(site: Path) -> dict[str, str]:
    """Instrument page -> legal order, from the network overview's groups."""
    data = _json(site / "network.html", "thb-data")
    keys = [o["key"] for o in data["orders"]]
    instrument = next(i for i, k in enumerate(data["kinds"]) if k["key"] == "instrument")
    return {
        d["page"]: keys[n["o"]] if "o" in n else NO_ORDER
        for n, d in zip(data["nodes"], data["details"], strict=True)
        if n["kind"] == instrument and d.get("page")
    }


def test_map_timeline_and_overview_put_every_instrument_in_the_same_order(site: Path) -> None:
    on_map, on_timeline, in_overview = (
        map_orders(site),
        timeline_orders(site),
        overview_orders(site),
    )
    assert len(on_map) >= 25  # the shipped graph's dated instruments
    # every instrument on the map is in the overview, and on the timeline when it has a bar
    assert set(on_map) <= set(in_overview)
    assert {p: in_overview[p] for p in on_map} == on_map
    assert {p: on_map[p] for p in on_timeline if p in on_map} == {
        p: o for p, o in on_timeline.items() if p in on_map
    }
    assert {p: in_overview[p] for p in on_timeline} == on_timeline
    # each of the four orders holds instruments on all three
    assert {o for o in on_map.values()} >= {o.key for o in LEGAL_ORDERS}


def test_the_rule_is_legal_orders(shipped: kg_api.KnowledgeGraph, site: Path) -> None:
    """The map's lanes are what kg.network.orders says, instrument by instrument."""
    orders = legal_orders(to_networkx(shipped))
    details = _json(site / "network.html", "thb-data")["details"]
    iri = {d["page"]: d["iri"] for d in details if d.get("page")}
    got = map_orders(site)
    assert {p: orders.get(iri[p], NO_ORDER) for p in got} == got


@pytest.mark.parametrize(
    ("instrument", "order"),
    [
        ("http://data.europa.eu/eli/dir/2011/36/oj", "eu"),
        ("https://w3id.org/thb-kg/id/instrument/un-trafficking-protocol", "un"),
        ("https://w3id.org/thb-kg/id/instrument/coe-convention-cets-197", "coe"),
        ("https://w3id.org/thb-kg/id/instrument/ilo-p029", "ilo"),
        # EU regulations the graph names no adopting body for: their ELI is the EU's
        ("http://data.europa.eu/eli/reg/2016/1624/oj", "eu"),
        # the drug conventions: CND and INCB are tied to no organisation in the graph
        ("https://w3id.org/thb-kg/id/instrument/single-convention-1961", NO_ORDER),
    ],
)
def test_known_instruments(site: Path, instrument: str, order: str) -> None:
    details = {
        d["iri"]: d["page"]
        for d in _json(site / "network.html", "thb-data")["details"]
        if d.get("page")
    }
    page = details[instrument]
    assert map_orders(site)[page] == overview_orders(site)[page] == order
