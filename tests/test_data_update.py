"""``pawns data update``: newer public files into the user data directory, checked, atomic, read everywhere.

Every input here is a small fixture the test writes (the one DeepState snapshot of
``tests/data`` is a real day, 2024-10-01, to pin the geodesic area); nothing touches a network.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.evidence.ledger import load_ledger
from pawns.observations.catalog import load_observed, load_shipped
from pawns.observations.deepstate import SnapshotError, occupied_area_km2, snapshot_date
from pawns.user_data import using_data_dir

runner = CliRunner()
SNAPSHOT_2024_10_01 = Path(__file__).parent / "data" / "deepstatemap_data_20241001.geojson"
PERSONNEL_FIRST_RECORDS = Path(__file__).parent / "data" / "russia_losses_personnel_first5.json"  # the public file's first 5 days
GS = "ua_gs_russian_personnel_cumulative"
DEEPSTATE = "russian_occupied_area_km2_deepstate"
SHIPPED_END = dt.date(2025, 12, 31)


# -- fixtures the tests write ----------------------------------------------------------------------
def rectangle(lon0: float, lon1: float, lat0: float, lat1: float) -> list[list[float]]:
    return [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]


def snapshot(folder: Path, day: str, *polygons: list, crs: str | None = "urn:ogc:def:crs:OGC:1.3:CRS84") -> Path:
    """A DeepState-style FeatureCollection with one Polygon feature per ring list."""
    collection: dict = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": rings}} for rings in polygons]}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path = folder / f"deepstatemap_data_{day}.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


# A rectangle of about 116,300 km2: a plausible occupied area for early 2026 (2025-12-31: 116,203).
PLAUSIBLE = [rectangle(30.0, 34.63, 46.0, 49.0)]


def personnel(folder: Path, records: list[dict], name: str = "russia_losses_personnel.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def shipped_tail(days: int) -> list[dict]:
    """The last ``days`` shipped General Staff claims, as the public JSON writes them."""
    series = load_shipped(GS).iloc[-days:]
    return [{"date": str(stamp.date()), "day": 0, "personnel": int(value), "personnel*": "about"} for stamp, value in series.items()]


def claims_file(folder: Path, rows: list[dict], name: str = "claims.csv") -> Path:
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


NEW_CLAIM = {"id": "U-001", "quantity": "dprk_troops_in_russia", "low": "11000", "high": "11000", "unit": "persons",
             "bound": "estimate", "as_of": "2026-01-15", "published": "2026-01-20", "claimant": "ROK NIS", "outlet": "Yonhap",
             "url": "https://example.org/nis-2026", "paraphrase": "ROK NIS: about 11,000 DPRK troops in Russia.",
             "about_enemy": "no", "reliability": "B", "credibility": "2"}


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (empty if the folder does not exist)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def update(folder: Path, *files: Path, extra: tuple[str, ...] = ()) -> object:
    return runner.invoke(app, ["data", "update", *map(str, files), "--data-dir", str(folder), *extra])


# -- the DeepState area --------------------------------------------------------------------------------
def test_the_area_of_a_real_snapshot_is_the_published_figure():
    assert snapshot_date(SNAPSHOT_2024_10_01) == dt.date(2024, 10, 1)
    assert occupied_area_km2(SNAPSHOT_2024_10_01) == pytest.approx(110_256, abs=0.5)
    assert load_shipped(DEEPSTATE)[str(dt.date(2024, 10, 1))] == pytest.approx(110_256, abs=0.5)


def test_overlapping_polygons_count_once_and_holes_are_left_out(tmp_path):
    # Edges are geodesics, so the whole must have the same corners as the union of the halves.
    ring = [[30, 46], [31.5, 46], [32.5, 46], [34, 46], [34, 49], [32.5, 49], [31.5, 49], [30, 49], [30, 46]]
    whole = occupied_area_km2(snapshot(tmp_path, "20260101", [ring]))
    halves = occupied_area_km2(snapshot(tmp_path, "20260102", [rectangle(30, 32.5, 46, 49)], [rectangle(31.5, 34, 46, 49)]))
    assert halves == pytest.approx(whole, rel=1e-9)
    assert halves < occupied_area_km2(snapshot(tmp_path, "20260107", [rectangle(30, 32.5, 46, 49)])) \
        + occupied_area_km2(snapshot(tmp_path, "20260108", [rectangle(31.5, 34, 46, 49)]))
    clockwise = occupied_area_km2(snapshot(tmp_path, "20260103", [ring[::-1]]))
    assert clockwise == pytest.approx(whole, rel=1e-9)
    hole = rectangle(31, 32, 47, 48)
    holed = occupied_area_km2(snapshot(tmp_path, "20260104", [ring, hole[::-1]]))
    assert holed == pytest.approx(whole - occupied_area_km2(snapshot(tmp_path, "20260105", [hole])), rel=1e-9)


@pytest.mark.parametrize("day, polygons, crs, expected", [
    ("20260106", [[rectangle(46, 49, 30, 34.63)]], None, "polygons inside Ukraine's region"),  # latitude and longitude swapped
    ("20260106", [[rectangle(30, 34.63, 46, 49)]], "urn:ogc:def:crs:EPSG::3857", "coordinates in CRS84"),
    ("20260106", [], None, "at least one Polygon or MultiPolygon"),
    ("nodate", [PLAUSIBLE[0:1]], None, "a file name holding the snapshot's day"),
])
def test_snapshots_that_are_not_occupied_areas_in_crs84_are_refused(tmp_path, day, polygons, crs, expected):
    path = snapshot(tmp_path, day, *polygons, crs=crs)
    with pytest.raises(SnapshotError, match=expected):
        snapshot_date(path)
        occupied_area_km2(path)


# -- round trips ------------------------------------------------------------------------------------------
def test_new_days_of_both_streams_round_trip_and_are_read_everywhere(tmp_path):
    folder = tmp_path / "user"
    records = shipped_tail(3) + [{"date": "2026-01-01", "personnel": 1_208_900}, {"date": "2026-01-02", "personnel": 1_209_950}]
    gs = personnel(tmp_path, records)
    area = snapshot(tmp_path, "20260105", PLAUSIBLE)
    result = update(folder, gs, area)
    assert result.exit_code == 0, result.output
    assert "ua_gs_russian_personnel_cumulative" in result.output and "Written to" in result.output
    with using_data_dir(folder):
        claims = load_observed(GS)
        assert claims.index[-1].date() == dt.date(2026, 1, 2) and claims.iloc[-1] == 1_209_950
        assert claims.loc[: str(SHIPPED_END)].equals(load_shipped(GS))  # the shipped days are untouched
        assert load_observed(DEEPSTATE)["2026-01-05"] == pytest.approx(occupied_area_km2(area), abs=0.05)
        # the stream's readers see the new rows: the forecast offsets and the calibration data
        from pawns.calibration.data import block_changes
        from pawns.observations.models import StartOffsets

        assert StartOffsets.at(dt.date(2026, 1, 2)).gs_claimed == 1_209_950
        assert block_changes(GS, dt.date(2025, 12, 3), 30).observed[-1] == 1_209_950 - load_shipped(GS)["2025-12-03"]
    # only the rows that differ from the shipped ones are kept, with a log of what came from where
    kept = (folder / "observations" / f"{GS}.csv").read_text(encoding="utf-8").splitlines()
    assert kept == ["date,value", "2026-01-01,1208900", "2026-01-02,1209950"]
    log = list(csv.DictReader((folder / "imports.csv").read_text(encoding="utf-8").splitlines()))
    assert [(row["target"], row["added"]) for row in log] == [(GS, "2"), (DEEPSTATE, "1")]
    assert all(len(row["sha256"]) == 64 for row in log)
    # the same files again change nothing
    before = files_in(folder)
    again = update(folder, gs, area)
    assert again.exit_code == 0 and "Nothing new" in again.output
    assert files_in(folder) == before
    shown = runner.invoke(app, ["--data-dir", str(folder), "data", "show"])
    assert shown.exit_code == 0 and "imported 2026-01-01..2026-01-02 (2 rows)" in " ".join(shown.output.split())


def test_the_public_files_agree_with_the_shipped_series(tmp_path):
    folder = tmp_path / "user"
    result = update(folder, PERSONNEL_FIRST_RECORDS, SNAPSHOT_2024_10_01)
    assert result.exit_code == 0, result.output
    assert "Nothing new" in result.output and not folder.exists()
    rows = {line.split()[0]: line.split()[1:4] for line in result.output.splitlines() if line.strip().startswith(("ua_gs", "russian_"))}
    assert rows == {GS: ["0", "0", "5"], DEEPSTATE: ["0", "0", "1"]}


def test_a_revised_day_is_counted_as_changed_and_overrides_the_shipped_value(tmp_path):
    folder = tmp_path / "user"
    records = shipped_tail(3)
    records[1]["personnel"] += 10  # still between its neighbours
    result = update(folder, personnel(tmp_path, records), extra=("--dry-run",))
    assert result.exit_code == 0 and "Dry run" in result.output
    assert not folder.exists()
    row = next(line for line in result.output.splitlines() if "ua_gs_russian" in line).split()
    assert row[1:4] == ["0", "1", "2"]  # added, changed, unchanged
    assert update(folder, personnel(tmp_path, records)).exit_code == 0
    with using_data_dir(folder):
        assert load_observed(GS)[records[1]["date"]] == records[1]["personnel"]


def test_new_claims_join_the_ledger_under_the_vantage_rule(tmp_path):
    folder = tmp_path / "user"
    known = next(c for c in load_ledger().claims if c.id == "Q1-009")
    same = {"id": known.id, "quantity": known.quantity, "low": "1500", "high": "1500", "unit": known.unit, "bound": known.bound,
            "as_of": known.as_of.text, "published": known.published.text, "claimant": known.claimant, "outlet": known.outlet,
            "url": known.url, "paraphrase": known.paraphrase, "about_enemy": "no", "reliability": known.reliability,
            "credibility": known.credibility, "grade_reason": known.grade_reason, "notes": known.notes}
    result = update(folder, claims_file(tmp_path, [NEW_CLAIM, {k: same.get(k, "") for k in NEW_CLAIM}]))
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "evidence ledger claims" in line).split()
    assert row[3:6] == ["1", "0", "1"]  # the package's own claim, repeated exactly, is already known
    with using_data_dir(folder):
        ledger = load_ledger()
        assert ledger.claim("U-001").low == 11_000 and ledger.version != load_ledger(extra_files=[]).version
        assert "U-001" not in {c.id for c in ledger.claims_for("dprk_troops_in_russia", dt.date(2025, 12, 31))}
        assert "U-001" in {c.id for c in ledger.claims_for("dprk_troops_in_russia", dt.date(2026, 1, 31))}
        check = runner.invoke(app, ["evidence", "--check"])
        assert check.exit_code == 0, check.output


# -- refusals: one line naming the file, exit 2, nothing written ------------------------------------------
def refused(tmp_path: Path, *files: Path, expected: str) -> None:
    folder = tmp_path / "user"
    assert update(folder, personnel(tmp_path, shipped_tail(2) + [{"date": "2026-01-01", "personnel": 1_208_900}], "seed.json")).exit_code == 0
    before = files_in(folder)
    result = update(folder, *files)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {files[-1]}") and expected in lines[0], result.output
    assert files_in(folder) == before


def test_a_decreasing_cumulative_claim_is_refused(tmp_path):
    bad = personnel(tmp_path, [{"date": "2026-01-02", "personnel": 1_200_000}])
    refused(tmp_path, bad, expected="expected a cumulative count that never decreases")


def test_an_implausible_daily_rise_is_refused(tmp_path):
    bad = personnel(tmp_path, [{"date": "2026-01-02", "personnel": 1_208_900 + 50_000}])
    refused(tmp_path, bad, expected="expected at most 10,000 persons a day")


@pytest.mark.parametrize("record, expected", [
    ({"date": "2026-01-02", "personnel": "about"}, "key 'personnel': expected a whole number of persons"),
    ({"date": "2026-01-02", "personnel": 1_209_000.5}, "key 'personnel': expected a whole number of persons"),
    ({"date": "02/01/2026", "personnel": 1_209_000}, "key 'date': expected a day written YYYY-MM-DD"),
    ({"date": "2099-01-02", "personnel": 1_209_000}, "key 'date': expected a day from 2022-02-24 to today"),
    ({"personnel": 1_209_000}, "key 'date': expected a day written YYYY-MM-DD"),
])
def test_malformed_records_are_refused(tmp_path, record, expected):
    refused(tmp_path, personnel(tmp_path, [record], "bad.json"), expected=expected)


def test_an_area_below_crimea_and_a_jump_are_refused(tmp_path):
    small = snapshot(tmp_path, "20260105", [rectangle(33, 34, 45, 46)])  # ~8,700 km2
    refused(tmp_path, small, expected="expected an occupied area from 40,000 to 603,628 km2")
    jump = snapshot(tmp_path, "20260101", [rectangle(30, 36, 46, 49)])  # ~150,000 km2 the day after 116,203
    refused(tmp_path, jump, expected="expected at most 3,000 km2 a day")


def test_one_bad_file_among_good_ones_writes_nothing(tmp_path):
    good = snapshot(tmp_path, "20260105", PLAUSIBLE)
    bad = personnel(tmp_path, [{"date": "2026-01-02", "personnel": 5}], "bad.json")
    refused(tmp_path, good, bad, expected="never decreases")


@pytest.mark.parametrize("change, expected", [
    ({"id": "Q1-009"}, "expected a new id: Q1-009 is the package's claim"),
    ({"unit": "furlongs"}, "field 'unit': expected one of the ledger units"),
    ({"quantity": "dprk_morale"}, "field 'quantity': expected a quantity of quantities.toml"),
    ({"published": "2099-01-01"}, "field 'published': expected a date not after today"),
    ({"as_of": "2026-13-01"}, "field 'as_of'"),
])
def test_bad_claims_are_refused(tmp_path, change, expected):
    refused(tmp_path, claims_file(tmp_path, [dict(NEW_CLAIM, **change)]), expected=expected)


def test_files_of_no_known_kind_are_refused(tmp_path):
    odd = tmp_path / "odd.json"
    odd.write_text('{"type": "Feature"}', encoding="utf-8")
    refused(tmp_path, odd, expected="expected a JSON list of daily losses or a GeoJSON FeatureCollection")
    refused(tmp_path, tmp_path / "missing.json", expected="expected a file to import")


def test_a_directory_that_is_not_pawns_data_is_never_replaced(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = update(folder, snapshot(tmp_path, "20260105", PLAUSIBLE))
    assert result.exit_code == 2 and "holds files pawns did not write (notes.txt)" in result.output
    assert files_in(folder) == {"notes.txt": b"mine"}


# -- what a calibration reads -------------------------------------------------------------------------
def test_observations_as_of_a_date_leave_out_what_came_later():
    named = load_observed("russian_named_dead_monthly", as_of=dt.date(2025, 1, 1))
    assert named.index[-1].date() == dt.date(2024, 12, 1)  # December 2024 is over by 1 January 2025
    assert load_observed("russian_named_dead_monthly", as_of=dt.date(2024, 12, 30)).index[-1].date() == dt.date(2024, 11, 1)
    assert load_observed(GS, as_of=dt.date(2025, 1, 1)).index[-1].date() == dt.date(2025, 1, 1)


def test_the_named_dead_a_calibration_uses_do_not_depend_on_later_compilations():
    from pawns.calibration.data import named_dead_bound

    start, until = dt.date(2023, 1, 1), dt.date(2024, 9, 30)
    as_of_end = named_dead_bound(start, until, 180, as_of=dt.date(2025, 1, 1))  # ru-ua-2023 ends on 2025-01-01
    everything = named_dead_bound(start, until, 180)
    # months complete 180 days before the data of 2025-01-01 end: through June 2024; with today's data, through August
    assert len(as_of_end.end_days) == 18 and len(everything.end_days) == 20
