"""Loading and validating the ledger: the shipped files, each kind of defect, the vantage cut-off, grading."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from pawns.evidence.grading import grade_claim
from pawns.evidence.ledger import REQUIRED_FIELDS, LedgerError, load_ledger

QUANTITIES = """
[quantity.troops]
unit = "persons"
description = "troops"
subject = "RU"

[quantity.rate]
unit = "persons_per_day"
description = "a daily rate"
"""
GOOD = {
    "id": "T-001", "quantity": "troops", "low": "1000", "high": "1200", "unit": "persons", "bound": "estimate",
    "as_of": "2024-10", "published": "2024-11-05", "claimant": "Someone", "outlet": "Somewhere",
    "url": "https://example.org/a", "paraphrase": "Someone said so.", "about_enemy": "no", "reliability": "B", "credibility": "2",
}


def write_ledger(folder: Path, rows: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "quantities.toml").write_text(QUANTITIES, encoding="utf-8")
    with open(folder / "claims.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(REQUIRED_FIELDS))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_the_shipped_ledger_loads():
    ledger = load_ledger()
    ids = [c.id for c in ledger.claims]
    assert len(ids) == len(set(ids))
    assert sum(c.file == "claims_public_reporting.csv" for c in ledger.claims) == 349
    assert {"SA-001", "SA-003", "R-001", "R-011"} <= set(ids)  # seed article and reference facts
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\+sha256:[0-9a-f]{12}", ledger.version)
    assert all(c.quantity in ledger.quantities for c in ledger.claims)


def test_a_good_file_loads(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path / "ok", [GOOD]))
    claim = ledger.claim("T-001")
    assert claim is not None and (claim.low, claim.high, claim.grade) == (1000, 1200, "B2")


@pytest.mark.parametrize("field, value, expected", [
    ("as_of", "2024-13", "as_of"),
    ("published", "5 Nov 2024", "published"),
    ("url", "example.org/a", "url"),
    ("unit", "furlongs", "unit"),
    ("unit", "persons_per_day", "convertible"),
    ("low", "2000", "low <= high"),
    ("low", "many", "low"),
    ("quantity", "no_such_quantity", "quantity"),
    ("bound", "perhaps", "bound"),
    ("reliability", "G", "reliability"),
    ("credibility", "7", "credibility"),
    ("about_enemy", "maybe", "about_enemy"),
    ("claimant", "", "claimant"),
    ("id", "claim one", "id"),
])
def test_each_defect_is_named_with_file_and_row(tmp_path, field, value, expected):
    bad = dict(GOOD, id="T-002", **{field: value}) if field != "id" else dict(GOOD, id=value)
    folder = write_ledger(tmp_path / field, [GOOD, bad])
    with pytest.raises(LedgerError) as info:
        load_ledger(folder)
    message = str(info.value)
    assert "claims.csv: row 3" in message and expected in message


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(LedgerError, match="already used at claims.csv: row 2"):
        load_ledger(write_ledger(tmp_path / "dup", [GOOD, dict(GOOD)]))


def test_every_defect_is_reported_at_once(tmp_path):
    rows = [dict(GOOD, id="T-002", url="nope"), dict(GOOD, id="T-003", as_of="2024-00")]
    with pytest.raises(LedgerError) as info:
        load_ledger(write_ledger(tmp_path / "two", rows))
    assert len(info.value.problems) == 2


def test_hand_written_toml_claims_are_validated(tmp_path):
    folder = write_ledger(tmp_path / "toml", [GOOD])
    (folder / "extra.toml").write_text('[[claim]]\nid = "T-009"\nquantity = "rate"\nvalue = 30000\nunit = "persons_per_month"\n'
                                       'bound = "estimate"\nas_of = "2024-10"\npublished = "2024-10"\nclaimant = "X"\noutlet = "Y"\n'
                                       'url = "https://example.org/b"\nparaphrase = "p"\nabout_enemy = "no"\nreliability = "B"\n'
                                       'credibility = "9"\n', encoding="utf-8")
    with pytest.raises(LedgerError, match=r"extra.toml: claim #1 \(T-009\): field 'credibility'"):
        load_ledger(folder)


def test_vantage_cut_off_uses_the_latest_possible_publication_day(tmp_path):
    ledger = load_ledger(write_ledger(tmp_path / "v", [dict(GOOD, published="2024-11")]))
    assert ledger.claims_for("troops", dt.date(2024, 11, 29)) == []
    assert [c.id for c in ledger.claims_for("troops", dt.date(2024, 11, 30))] == ["T-001"]


def test_the_shipped_ledger_knows_only_what_was_published_by_a_date():
    ledger = load_ledger()
    by_october = {c.id for c in ledger.claims_for("ru_casualties_per_day", dt.date(2024, 10, 15))}
    assert "Q3-036" in by_october and "Q3-039" not in by_october  # Q3-039 was published 5 Dec 2024


@pytest.mark.parametrize("claimant, notes, enemy, grade", [
    ("UK MoD Defence Intelligence", "", False, "B2"),
    ("UK MoD (citing Ukrainian General Staff data)", "", False, "B3"),
    ("Ukraine General Staff", "partisan", True, "D4"),
    ("Mediazona & BBC Russian", "", False, "B2"),
    ("Unattributed (media summary)", "low-quality outlet; unclear sourcing", False, "F6"),
    ("Medvedev (via TASS)", "", False, "C3"),
    ("The Economist", "disputed by Zelensky", False, "C4"),
    ("DPRK state media (KCNA) ceremony", "", False, "C3"),
    ("Russian CGS Valery Gerasimov", "Russian claim; unverified", True, "D4"),
    ("DeepState", "", False, "B2"),
    ("Western officials via BBC", "", False, "C3"),
])
def test_grading_rule(claimant, notes, enemy, grade):
    result = grade_claim(claimant, notes, enemy)
    assert result.reliability + result.credibility == grade


def _importer():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tools" / "import_claims.py"
    spec = importlib.util.spec_from_file_location("import_claims", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_importer_renames_converts_and_reads_bounds():
    importer = _importer()
    quantities = importer.read_quantities()
    row = {"id": "Q9-901", "quantity": "ru_recruitment_per_month", "value_low": "30000", "value_high": "30000",
           "unit": "persons_per_month", "as_of_date": "2024-10", "claimant": "Ukraine (Kyiv estimate)", "outlet": "O",
           "published_date": "2024-10", "url": "https://example.org/c", "quote_paraphrase": "at least 30,000 a month", "notes": ""}
    out = importer.convert_row(row, quantities)
    assert out["quantity"] == "ru_recruits_per_day" and out["unit"] == "persons_per_day"
    assert float(out["low"]) == pytest.approx(30000 * 12 / 365.25, rel=1e-5)
    assert out["bound"] == "lower" and out["about_enemy"] == "yes" and out["reliability"] + out["credibility"] == "D4"
    assert out["source_quantity"] == "ru_recruitment_per_month" and out["source_value_low"] == "30000"
    assert "at least" in out["paraphrase"] and out["paraphrase"] != row["quote_paraphrase"]


SHARED_CLAIMS = Path(__file__).resolve().parents[2] / "shared" / "data" / "claims_public_reporting.csv"


@pytest.mark.skipif(not SHARED_CLAIMS.is_file(), reason="shared starter data not present")
def test_the_shipped_import_is_what_the_importer_writes_today():
    importer = _importer()
    quantities = importer.read_quantities()
    with open(SHARED_CLAIMS, newline="", encoding="utf-8") as handle:
        expected = [importer.convert_row(row, quantities) for row in csv.DictReader(handle)]
    shipped = list(csv.DictReader(Path(importer.TARGET).read_text(encoding="utf-8").splitlines()))
    assert shipped == expected


def test_importer_refuses_ids_that_would_change_meaning(tmp_path, monkeypatch):
    importer = _importer()
    quantities = importer.read_quantities()
    shared = {"id": "Q9-901", "quantity": "ru_recruitment_per_month", "value_low": "30000", "value_high": "30000",
              "unit": "persons_per_month", "as_of_date": "2024-10", "claimant": "UK MoD", "outlet": "O",
              "published_date": "2024-10", "url": "https://example.org/c", "quote_paraphrase": "30,000 a month", "notes": ""}
    before = [importer.convert_row(shared, quantities)]
    assert importer.changed_ids(before, before) == []
    renumbered = importer.convert_row(dict(shared, quantity="ua_mobilization_per_month", value_low="25000", value_high="25000"), quantities)
    [problem] = importer.changed_ids(before, [renumbered])
    assert problem.startswith("Q9-901: source_quantity 'ru_recruitment_per_month' -> 'ua_mobilization_per_month'")
    assert importer.changed_ids(before, []) == ["Q9-901: no longer in the shared table"]
    # The command writes nothing when it refuses.
    target = tmp_path / "claims.csv"
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=importer.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(before)
    source = tmp_path / "shared.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(shared), lineterminator="\n")
        writer.writeheader()
        writer.writerow(dict(shared, quantity="ua_mobilization_per_month"))
    monkeypatch.setattr(importer, "TARGET", target)
    written = target.read_bytes()
    with pytest.raises(SystemExit, match="1 claim id"):
        importer.main(source)
    assert target.read_bytes() == written
