"""Packaged battle data, its importer, and the ``pawns history`` command."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.history import data as history_data
from pawns.history.data import BATTLE_COLUMNS, HistoryDataError, load_ardennes, load_battles

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/data/battles")


def test_packaged_data_have_the_expected_sizes_and_positive_values():
    ardennes = load_ardennes()
    assert list(ardennes["day"]) == list(range(2, 34))
    assert ardennes.loc[0, "strength_allies"] == 835178 and ardennes.loc[0, "casualties_germans"] == 2656
    rubio = load_battles("rubio")
    assert len(rubio) == 1079 and (rubio["duration_days"] == 1.0).all()
    cdb90 = load_battles("cdb90")
    assert 600 < len(cdb90) <= 660
    for frame in (rubio, cdb90):
        assert set(BATTLE_COLUMNS) <= set(frame.columns)
        assert (frame[["strength_a", "strength_b", "casualties_a", "casualties_b", "duration_days"]] > 0).all().all()


def test_unknown_set_and_bad_rows_are_clear_errors(tmp_path, monkeypatch):
    with pytest.raises(HistoryDataError, match="unknown battle set"):
        load_battles("waterloo")
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "cdb90.csv").write_text("battle,year,strength_a,casualties_a,strength_b,casualties_b,duration_days\n"
                                   "1,1800,100,10,200,-5,1\n", encoding="utf-8")
    monkeypatch.setattr(history_data.resources, "files", lambda package: tmp_path)
    with pytest.raises(HistoryDataError, match=r"cdb90.csv: row 2, column 'casualties_b'"):
        load_battles("cdb90")


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared starter data not present")
def test_importer_reproduces_the_packaged_files(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("import_battles", ROOT / "tools" / "import_battles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "TARGET", tmp_path)
    module.main(SHARED)
    packaged = ROOT / "src" / "pawns" / "history" / "data"
    for name in ("ardennes_1944_daily.csv", "rubio_campillo_1620_1905.csv", "cdb90.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (packaged / name).read_text(encoding="utf-8"), name


def test_history_command_prints_json_and_tables():
    runner = CliRunner()
    result = runner.invoke(app, ["history", "--battles", "ardennes", "--bootstrap", "20", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["battles"] == "ardennes"
    assert set(payload["fits"]) == {"square", "linear", "logarithmic", "fitted"}
    assert payload["fits"]["fitted"]["parameters"]["p"]["q05"] is not None
    assert payload["fits"]["square"]["parameters"]["p"] == {"value": 1.0, "se": None, "q05": None, "q95": None}
    tables = runner.invoke(app, ["history", "--bootstrap", "0"])
    assert tables.exit_code == 0 and "logarithmic" in tables.output and "p+q" in tables.output


def test_history_command_rejects_an_unknown_set():
    result = CliRunner().invoke(app, ["history", "--battles", "waterloo"])
    assert result.exit_code == 2
    assert "expected one of ardennes, cdb90, rubio" in result.output
