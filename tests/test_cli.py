"""The command line as a user meets it: run, compare, scenarios, show, help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.evidence import load_scenario

# The parameters the default scenario draws from its posterior: what its calibration scenario transfers.
TRANSFERRED = len(load_scenario("ru-ua-2023").calibration.transfer)

runner = CliRunner()
SHORT = ["--set", "scenario.horizon_days=120"]


def test_run_writes_a_complete_labelled_result(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", "-n", "25", "--seed", "3", "--out", str(out), "-q", *SHORT])
    assert result.exit_code == 0, result.output
    for name in ("results.nc", "outcomes.csv", "outcomes_without.csv", "outcomes_combat.csv", "outcomes_labor.csv",
                 "summary.json", "scenario.json", "COMPLETE"):
        assert (out / name).is_file(), name
    assert "Q1" in result.output and "Q4" in result.output
    ds = xr.open_dataset(out / "results.nc")
    assert set(ds.front.dims) == {"member", "time", "formation"}
    assert ds.front.attrs["units"] == "persons"
    assert ds.tolerance.dims == ("member", "time", "side")
    assert "parameter_source" in ds.coords
    assert ds.sizes["member"] == 25 and ds.attrs["seed"] == 3
    outcomes = pd.read_csv(out / "outcomes.csv")
    assert len(outcomes) == 25 and "RU_end_day" in outcomes and "race" in outcomes
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["questions"]) == {"Q1", "Q2", "Q3", "Q4"}
    q1 = summary["questions"]["Q1"]["tolerance_days_bought"]
    assert q1["q05"] <= q1["median"] <= q1["q95"]


def test_run_json_matches_the_written_summary(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", "-n", "10", "--out", str(out), "--json", "-q", *SHORT])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads((out / "summary.json").read_text())


def test_core_answers_leave_out_the_dose_response_and_the_loop_cuts_and_change_nothing_else(tmp_path: Path) -> None:
    common = ["run", "-n", "12", "--seed", "2", "-q", "--json", "--set", "scenario.horizon_days=60"]
    full = runner.invoke(app, [*common, "--out", str(tmp_path / "full")])
    core = runner.invoke(app, [*common, "--answers", "core", "--out", str(tmp_path / "core")])
    assert full.exit_code == 0 and core.exit_code == 0, (full.output, core.output)
    for name in ("outcomes.csv", "outcomes_without.csv", "outcomes_combat.csv", "outcomes_labor.csv", "channels.csv", "observables.csv"):
        assert (tmp_path / "core" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    full_summary, core_summary = json.loads(full.output), json.loads(core.output)
    assert (full_summary["answers_depth"], core_summary["answers_depth"]) == ("full", "core")
    assert "loop_dominance" in full_summary and "loop_dominance" not in core_summary
    # the dose response keeps the scenario's own size (1x) only
    assert set(full_summary["questions"]["Q1"]["dose_response"]) == {"0.5x", "1x", "2x", "5x"}
    assert set(core_summary["questions"]["Q1"]["dose_response"]) == {"1x"}
    for key in ("Q2", "Q4"):
        assert core_summary["questions"][key].keys() <= full_summary["questions"][key].keys()
    q1_full, q1_core = full_summary["questions"]["Q1"]["rmst_days_bought"], core_summary["questions"]["Q1"]["rmst_days_bought"]
    assert (q1_core["median"], q1_core["q05"], q1_core["q95"]) == (q1_full["median"], q1_full["q05"], q1_full["q95"])
    refused = runner.invoke(app, [*common, "--answers", "deep", "--out", str(tmp_path / "deep")])
    assert refused.exit_code == 2 and "--answers deep: expected one of full, core" in refused.output
    assert not (tmp_path / "deep").exists()


def test_scenario_without_contingents_says_q1_needs_a_comparison(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "ru-ua-2024-no-dprk", "-n", "10", "--out", str(tmp_path / "r"), "--json", "-q", *SHORT])
    summary = json.loads(result.output)
    assert "not_applicable" in summary["questions"]["Q1"]


def test_compare_gives_paired_differences(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", "ru-ua-2024-no-dprk", "ru-ua-2024", "-n", "20", "--out", str(out), "--json", "-q", *SHORT])
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.output)
    effects = comparison["against"][0]["effects"]
    killed = effects["contingent_killed"]
    assert killed["median"] > 0 and killed["p_positive"] == 1.0
    assert set(effects["endurance_days_bought"]) == {"RU", "UA"}
    assert set(effects["abandon_first"]) == {"reference", "treated", "difference"}
    assert (out / "COMPLETE").is_file()


def test_compare_needs_two_scenarios(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", "ru-ua-2024", "-n", "5", "--out", str(tmp_path / "c")])
    assert result.exit_code == 2
    assert "at least two scenarios" in result.output


def test_scenarios_and_show_list_sources() -> None:
    listing = runner.invoke(app, ["scenarios"])
    assert listing.exit_code == 0
    for name in ("ru-ua-2024", "ru-ua-2024-no-dprk", "ru-ua-2024-dprk-labor", "ru-ua-2024-dprk-combat"):
        assert name in listing.output
    shown = runner.invoke(app, ["show", "ru-ua-2024"], terminal_width=250)
    assert shown.exit_code == 0
    assert "sides.RU.killed_share" in shown.output


@pytest.mark.parametrize("width", [80, 250])
def test_show_prints_every_key_whole_and_what_it_is_drawn_from(width: int) -> None:
    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    space = Layout.from_scenario(load_scenario("ru-ua-2024")).space
    shown = runner.invoke(app, ["show", "ru-ua-2024"], env={"COLUMNS": str(width)})
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    # Each key stands whole on one line, so it can be copied into --set.
    for name in space.names:
        assert any(name in line for line in lines), name
    calibrated = space.calibrated()
    assert len(calibrated) == TRANSFERRED
    for name in calibrated:
        prior = space.specs[space.index(name)].describe()
        assert space.drawn_from(name) == f"posterior (prior {prior})"
    if width == 250:  # wide enough for a table row per parameter
        row = next(line for line in lines if "combat.fires_exponent" in line)
        assert "posterior (prior uniform(0.5, 1))" in row
    else:
        assert "drawn from: posterior (prior uniform(0.5, 1))" in shown.output


def test_every_command_has_a_manual() -> None:
    for command in ("run", "compare", "scenarios", "show", "validate"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert len(result.output) > 200, command


def test_import_and_help_stay_light() -> None:
    # `import pawns` and `pawns --help` must not pull in the heavy scientific stack.
    code = "import sys, pawns.cli.main; print(','.join(m for m in ('xarray', 'scipy', 'pandas', 'matplotlib') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
