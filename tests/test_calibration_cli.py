"""``pawns calibrate`` and ``pawns backtest`` end to end on short windows, and their warning paths."""

from __future__ import annotations

import json

import pandas as pd
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.evidence import load_scenario

RUNNER = CliRunner()


def test_calibrate_writes_a_usable_posterior(tmp_path):
    out, post = tmp_path / "cal", tmp_path / "post.csv"
    args = ["calibrate", "ru-ua-2023", "--until", "2023-04-01", "-n", "40", "--generations", "3", "-q", "-o", str(out), "--posterior-out", str(post)]
    result = RUNNER.invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("posterior.csv", "particles.csv", "parameters.csv", "predictive.csv", "generations.csv", "calibration.json", "COMPLETE"):
        assert (out / name).exists(), name
    transfer = load_scenario("ru-ua-2023").calibration.transfer
    assert list(pd.read_csv(post).columns) == transfer + ["weight"]
    assert pd.read_csv(post).equals(pd.read_csv(out / "posterior.csv"))
    info = json.loads((out / "calibration.json").read_text())
    assert info["observations"]["ua_gs_russian_personnel_cumulative"] == 3 and info["final_temperature"] == 1.0
    # the same command again gives the same posterior
    again = RUNNER.invoke(app, args[:-2] + ["--posterior-out", str(tmp_path / "again.csv")])
    assert again.exit_code == 0
    assert (tmp_path / "again.csv").read_bytes() == post.read_bytes()


def test_data_outside_the_prior_predictive_is_a_warning(tmp_path):
    scenario = tmp_path / "biased.toml"
    scenario.write_text('[scenario]\nname = "biased"\nextends = "ru-ua-2023"\n\n[observations]\nua_gs_reporting_factor = 20\n', encoding="utf-8")
    result = RUNNER.invoke(app, ["calibrate", str(scenario), "--until", "2023-04-01", "-n", "30", "--generations", "2", "-q", "-o", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert "warning: observed total of ua_gs_russian_personnel_cumulative" in result.output
    assert "outside the prior predictive" in result.output
    assert "outside the prior predictive" in (tmp_path / "c" / "calibration.json").read_text()


def test_bad_windows_are_clear_errors(tmp_path):
    for until in ("2022-06-01", "2023-01-20"):  # before the start (and no run-up), or too soon after it
        result = RUNNER.invoke(app, ["calibrate", "ru-ua-2023", "--until", until, "-q", "-o", str(tmp_path / "x")])
        assert result.exit_code == 2 and "at least 30 days after the scenario start" in " ".join(result.output.split()), result.output
    result = RUNNER.invoke(app, ["calibrate", "ru-ua-2023", "--until", "June 2024", "-q"])
    assert result.exit_code == 2 and "ISO date" in result.output
    result = RUNNER.invoke(app, ["backtest", "ru-ua-2023", "--cutoff", "2023-01-20", "--horizon", "90", "-q", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "at least 30 days after the scenario start" in result.output
    result = RUNNER.invoke(app, ["backtest", "ru-ua-2023", "--cutoff", "2025-12-31", "--horizon", "90", "-q", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "nothing to score" in result.output
    result = RUNNER.invoke(app, ["backtest", "ru-ua-2023", "--origins", "monthly:2024-01..2024-03", "--cutoff", "2024-06-30", "-q"])
    assert result.exit_code == 2 and "either --origins" in result.output
    assert not (tmp_path / "x").exists()
