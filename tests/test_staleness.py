"""`kg check-staleness` and kg.staleness: dated counts and time-relative claims to re-check."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

import kg as kg_api
from kg.cli import main
from kg.errors import QueryError
from kg.staleness import COLUMNS, stale_facts

ID = "https://w3id.org/thb-kg/id/"
GRAPH = "https://w3id.org/thb-kg/graph/"
PARTIES_2024 = ID + "observation/un-trafficking-protocol-parties-2024-04-20"
SIGNATORIES = ID + "observation/un-trafficking-protocol-signatories"
MOST_RECENT = ID + "claim/seed-dir-2011-36-most-recent"
CETS_PARTIES = ID + "observation/cets-197-parties"
PALERMO = ID + "observation/untoc-signatories-palermo-conference"


def rows(kg: kg_api.KnowledgeGraph, before: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()} for r in stale_facts(kg, before).as_dicts()]


def keys(kg: kg_api.KnowledgeGraph, before: str) -> set[tuple[str, str]]:
    return {(r["fact"], r["source"]) for r in rows(kg, before)}


@pytest.mark.parametrize(
    ("fact", "source", "as_at", "shown"),
    [
        (PARTIES_2024, "untc-xviii-12-a", "2024-04-20", "2024-04-20"),  # A14: 182 parties
        (SIGNATORIES, "untc-xviii-12-a", "2024-04-20", "2024-04-20"),  # A14: 117 signatories
        (PALERMO, "unis-cp-510", "2000-12-01", "2000-12"),  # "December 2000": the month
        (ID + "claim/atc-reporting-line-2010", "ip-10-1715", "2010-12-14", "2010-12-14"),
    ],
)
def test_a_dated_statement_is_listed_only_before_a_later_date(
    kg: kg_api.KnowledgeGraph, fact: str, source: str, as_at: str, shown: str
) -> None:
    day = date.fromisoformat(as_at)
    later = date.fromordinal(day.toordinal() + 1).isoformat()
    listed = {(r["fact"], r["source"]): r for r in rows(kg, later)}
    assert listed[(fact, GRAPH + source)]["asAt"] == shown
    assert (fact, GRAPH + source) not in keys(kg, as_at)  # not older than its own date


@pytest.mark.parametrize(
    ("fact", "source", "wording"),
    [
        (MOST_RECENT, "seed-article", "the most recent"),  # conflict 5
        (SIGNATORIES, "seed-article", "to date"),  # S18, conflict 3
        (ID + "claim/seed-enforcement-challenge", "seed-article", "still remains"),
        (CETS_PARTIES, "coe-anti-trafficking-convention", "parties listed on an undated page"),
        (ID + "claim/untoc-parties-today", "unconfirmed-claims", "today (undated pages)"),  # U01
        (ID + "claim/un-trafficking-protocol-parties-today", "unconfirmed-claims",
         "as of July 2025"),  # U02
    ],
)
@pytest.mark.parametrize("before", ["1990-01-01", "2026-11-28"])
def test_an_undated_time_relative_statement_is_always_listed(
    kg: kg_api.KnowledgeGraph, fact: str, source: str, wording: str, before: str
) -> None:
    listed = {(r["fact"], r["source"]): r for r in rows(kg, before)}
    row = listed[(fact, GRAPH + source)]
    assert "asAt" not in row
    assert row["kind"].startswith("time-relative ")
    assert wording in row["wording"].split("; ")


def test_each_source_keeps_its_own_date_for_the_same_node(kg: kg_api.KnowledgeGraph) -> None:
    """The signatories node: 'to date' (undated) in the seed, 117 as at 2024-04-20 at the UN."""
    got = {(r["source"], r.get("asAt"), r.get("value")) for r in rows(kg, "2025-01-01")
           if r["fact"] == SIGNATORIES}
    assert got == {(GRAPH + "seed-article", None, "147.0"),
                   (GRAPH + "untc-xviii-12-a", "2024-04-20", "117.0")}


def test_rows_carry_kind_value_unit_and_source_document(kg: kg_api.KnowledgeGraph) -> None:
    row = next(r for r in rows(kg, "2026-11-28") if r["fact"] == PARTIES_2024)
    assert row["kind"] == "count" and row["value"] == "182.0"
    assert row["unit"] == ID + "unit/countries"
    assert row["document"].startswith("https://treaties.un.org/")
    claim = next(r for r in rows(kg, "2026-11-28") if r["fact"] == MOST_RECENT)
    assert claim["kind"] == "time-relative claim" and claim["text"].startswith("The most recent")


def test_rows_name_the_indicator_instrument_and_confidence(kg: kg_api.KnowledgeGraph) -> None:
    got = {(r["fact"], r["source"]): r for r in rows(kg, "2026-11-28")}
    parties = got[(PARTIES_2024, GRAPH + "untc-xviii-12-a")]
    assert parties["indicator"] == ID + "concept/indicator/parties"
    assert parties["instrument"] == ID + "instrument/un-trafficking-protocol"
    assert parties["confidence"].endswith("#Confirmed")  # from the source's description
    quote = got[(ID + "claim/seed-europol-2011-conclusion", GRAPH + "seed-article")]
    assert quote["confidence"].endswith("#Unconfirmed")  # U09, on the claim itself
    assert "confidence" not in got[(MOST_RECENT, GRAPH + "seed-article")]
    u02 = got[(ID + "claim/un-trafficking-protocol-parties-today", GRAPH + "unconfirmed-claims")]
    assert u02["confidence"].endswith("#Unconfirmed") and "185" in u02["text"]


def test_dated_rows_come_oldest_first_and_undated_last(kg: kg_api.KnowledgeGraph) -> None:
    dates = [r.get("asAt") for r in rows(kg, "2026-11-28")]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated) and dated[0] == "2000-12"  # December 2000, to the month
    assert dates == dated + [None] * (len(dates) - len(dated))


def test_nothing_is_listed_twice_nor_from_the_system_graphs(kg: kg_api.KnowledgeGraph) -> None:
    got = rows(kg, "2026-11-28")
    assert len(got) == len({(r["fact"], r["source"], r.get("asAt")) for r in got})
    assert not any(r["source"].endswith(("/graph/inferred", "/graph/ontology")) for r in got)
    assert set().union(*(r.keys() for r in got)) <= set(COLUMNS)


def test_a_source_date_dates_a_time_relative_claim(tmp_path: Path, store: str) -> None:
    """A 'to date' claim with no thb:asOf takes the dct:date of its source."""
    (tmp_path / "s.trig").write_text(
        """@prefix src: <https://w3id.org/thb-kg/graph/> .
@prefix thb: <https://w3id.org/thb-kg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
src:note a thb:Source ; dct:title "A dated note"@en ; dct:date "2019-05-01"^^xsd:date ;
    prov:wasDerivedFrom <https://example.org/note> .
src:note { <https://w3id.org/thb-kg/id/claim/x> a thb:Claim ;
    rdf:value "To date, ten States have ratified."@en ; thb:timeRelative "to date"@en . }
""",
        encoding="utf-8",
    )
    g = kg_api.load(tmp_path, store=store)
    assert rows(g, "2019-05-01") == []
    (row,) = rows(g, "2019-05-02")
    assert (row["asAt"], row["wording"], row["document"]) == (
        "2019-05-01", "to date", "https://example.org/note")


def test_a_bad_date_is_one_sentence(kg: kg_api.KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="not a date: write YYYY-MM-DD"):
        stale_facts(kg, "2024-13-01")


# ---------------------------------------------------------------- the command


@pytest.mark.usefixtures("kg_cache_dir")
def test_command_lists_stale_rows_as_csv_with_a_summary(capsys: pytest.CaptureFixture) -> None:
    assert main(["check-staleness", "--before", "2024-04-21", "-f", "csv"]) == 0
    out, err = capsys.readouterr()
    got = list(csv.DictReader(io.StringIO(out)))
    assert (PARTIES_2024, "2024-04-20") in {(r["fact"], r["asAt"]) for r in got}
    undated = sum(1 for r in got if not r["asAt"])
    assert f"{len(got)} statements older than 2024-04-21 ({undated} undated)" in err
    assert main(["check-staleness", "--before", "2024-04-20", "-f", "csv"]) == 0
    out, _ = capsys.readouterr()
    assert PARTIES_2024 not in out


@pytest.mark.usefixtures("kg_cache_dir")
def test_command_table_uses_labels_and_strict_fails_on_findings(
    capsys: pytest.CaptureFixture,
) -> None:
    assert main(["check-staleness", "--before", "2026-11-28", "--strict"]) == 1
    out, _ = capsys.readouterr()
    assert "United Nations Treaty Collection" in out  # the source's title, not its IRI
    assert "countries" in out and "the most recent" in out


@pytest.mark.usefixtures("kg_cache_dir")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--before", "28/11/2026"], "is not a date"),
        (["--format", "pdf"], "Unknown result format"),
    ],
)
def test_command_bad_input_exits_2(
    capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    assert main(["check-staleness", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.usefixtures("kg_cache_dir")
def test_command_out_is_written_atomically(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "stale.json"
    out.write_text("old", encoding="utf-8")
    assert main(["check-staleness", "--before", "2000-01-01", "-f", "pdf", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "old"
    assert main(["check-staleness", "--before", "2000-01-01", "-f", "json", "-o", str(out)]) == 0
    assert '"head"' in out.read_text(encoding="utf-8")
