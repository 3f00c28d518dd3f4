"""The channel decomposition as a user meets it: channels.csv and its table from `pawns run`, and `pawns compare --channels`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from pawns.analysis.channels import CSV_COLUMNS
from pawns.cli.main import app

runner = CliRunner()
SHORT = ["--set", "scenario.horizon_days=120"]
DPRK_CHANNELS = ["DPRK.troops", "DPRK.shells", "DPRK.missiles", "DPRK.artillery", "DPRK.payments"]


def test_run_writes_channels_csv_with_every_channel_all_and_the_interaction(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", "-n", "12", "--seed", "2", "--out", str(out), "-q", *SHORT])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "channels.csv")
    assert tuple(table.columns) == CSV_COLUMNS
    assert list(dict.fromkeys(table["channel"])) == [*DPRK_CHANNELS, "all", "interaction"]
    assert (table["q05"] <= table["median"] + 1e-9).all() and (table["median"] <= table["q95"] + 1e-9).all()
    assert "What each channel of the help buys RU" in result.output and "interaction" in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["channels"]["rows"]) == [*DPRK_CHANNELS, "all", "interaction"]
    # the variants of the decomposition are paired runs, not files of their own
    assert not any(path.name.startswith("outcomes_off-") for path in out.iterdir())


def test_a_scenario_without_contributors_has_no_decomposition(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", "ru-ua-2024-no-dprk", "-n", "5", "--out", str(out), "--json", "-q", *SHORT])
    assert result.exit_code == 0, result.output
    assert "channels" not in json.loads(result.output) and not (out / "channels.csv").exists()


def test_compare_with_channels_decomposes_each_scenario_with_contributors(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", "ru-ua-2024-no-dprk", "ru-ua-2024", "ru-ua-2024-no-dprk-troops", "-n", "10", "--channels",
                                 "--out", str(out), "--json", "-q", *SHORT])
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.output)
    assert set(comparison["channels"]) == {"ru-ua-2024", "ru-ua-2024-no-dprk-troops"}  # no-dprk has no channel to switch off
    assert list(comparison["channels"]["ru-ua-2024-no-dprk-troops"]["rows"]) == [*DPRK_CHANNELS[1:], "all", "interaction"]
    table = pd.read_csv(out / "channels.csv")
    assert tuple(table.columns) == ("scenario", *CSV_COLUMNS)
    # the decomposition's whole equals the comparison's paired difference of the same scenarios (common random numbers)
    whole = table[(table.scenario == "ru-ua-2024") & (table.channel == "all") & (table.outcome == "territory_km2")]["median"].item()
    treated, reference = (pd.read_csv(out / name) for name in ("outcomes_ru-ua-2024.csv", "outcomes.csv"))
    assert np.isclose(whole, np.median(treated["area_change_km2"] - reference["area_change_km2"]))


def test_compare_without_channels_writes_no_decomposition(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", "ru-ua-2024-no-dprk", "ru-ua-2024", "-n", "5", "--out", str(out), "--json", "-q", *SHORT])
    assert result.exit_code == 0, result.output
    assert "channels" not in json.loads(result.output) and not (out / "channels.csv").exists()
