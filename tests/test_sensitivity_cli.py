"""``pawns sensitivity`` and ``pawns discover`` end to end on a short horizon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.analysis.explore_results import figure_paths, read_discovery, read_sensitivity
from pawns.cli.main import app
from pawns.errors import RunDirectoryError
from pawns.evidence import load_scenario

# The parameters the default scenario draws from its posterior: what its calibration scenario transfers.
TRANSFERRED = len(load_scenario("ru-ua-2023").calibration.transfer)

runner = CliRunner()
SHORT = ["--set", "scenario.horizon_days=60", "-q"]
FEW = ["--vary", "contingents.DPRK.*", "--vary", "combat.*"]


def test_sensitivity_writes_indices_tables_and_charts(tmp_path: Path) -> None:
    out = tmp_path / "sens"
    args = ["sensitivity", *SHORT, *FEW, "--method", "sobol", "--samples", "4", "--seed", "1",
            "-y", "tolerance_days_bought", "-y", "DPRK_killed", "-y", "UA_end_day", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("sensitivity.json", "sensitivity.csv", "sensitivity.md", "sensitivity_tolerance_days_bought.png",
                 "sensitivity_DPRK_killed.png", "COMPLETE"):
        assert (out / name).is_file(), name
    data = json.loads((out / "sensitivity.json").read_text())
    assert data["kind"] == "pawns-sensitivity" and data["method"] == "sobol" and data["paired"] is True
    # The calibrated scenario's design draws posterior particles: the 15 calibrated parameters are one factor.
    assert data["design"] == "posterior"
    factors = data["factors"]
    calibrated = [p["name"] for p in data["calibrated_parameters"]]
    assert len(calibrated) == TRANSFERRED and "sides.RU.killed_share" in calibrated  # --vary combat.* matched the block: it varies whole
    assert factors == data["parameters_varied"] - len(calibrated) + 1
    assert data["runs"] == 2 * 4 * (factors + 2)
    assert [p["name"] for p in data["parameters"]][-1] == "posterior"
    assert all(p["distribution"].startswith("posterior (prior ") for p in data["calibrated_parameters"])
    outcomes = {o["name"]: o for o in data["outcomes"]}
    assert set(outcomes) == {"tolerance_days_bought", "DPRK_killed", "UA_end_day"}
    assert len(outcomes["DPRK_killed"]["indices"]) == factors
    assert {"parameter", "S1", "S1_conf", "ST", "ST_conf"} <= set(outcomes["DPRK_killed"]["indices"][0])
    assert sorted(r["parameter"] for r in outcomes["DPRK_killed"]["within_posterior"]) == sorted(calibrated)
    assert "posterior (" in result.output and "inside the posterior factor" in result.output
    # No side's endurance ends within 60 days: the outcome is constant and says so instead of dividing by zero.
    assert outcomes["UA_end_day"]["note"] and outcomes["UA_end_day"]["figure"] is None
    again = runner.invoke(app, [*args[:-1], str(tmp_path / "again")])
    assert again.exit_code == 0
    assert (tmp_path / "again" / "sensitivity.csv").read_text() == (out / "sensitivity.csv").read_text()
    assert read_sensitivity(out) == data
    assert [p.name for p in figure_paths(out, data)] == ["sensitivity_tolerance_days_bought.png", "sensitivity_DPRK_killed.png"]
    with pytest.raises(RunDirectoryError, match="a pawns sensitivity analysis .*expected a scenario discovery"):
        read_discovery(out)
    (out / "COMPLETE").unlink()
    with pytest.raises(RunDirectoryError, match="COMPLETE"):
        read_sensitivity(out)


def test_discover_finds_a_box_for_a_paired_condition(tmp_path: Path) -> None:
    out = tmp_path / "disc"
    result = runner.invoke(app, ["discover", *SHORT, "-n", "300", "--where", "tolerance_days_bought > 0.3 and DPRK_killed > 250",
                                 "--boxes", "2", "--paste", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("discovery.json", "discovery.md", "discovery_box1.png", "COMPLETE"):
        assert (out / name).is_file(), name
    data = read_discovery(out)
    assert data["kind"] == "pawns-discovery" and data["runs"] == 300 and 0 < data["cases"] < 300
    box = data["boxes"][0]
    assert box["density"] > data["share_of_runs"]  # the box concentrates the cases
    assert box["restrictions"] and all(r["sample_low"] <= r["low"] <= r["high"] <= r["sample_high"] for r in box["restrictions"])
    assert box["trajectory"][0]["coverage"] == 1.0


def test_unknown_outcomes_and_bad_conditions_exit_2_listing_valid_names(tmp_path: Path) -> None:
    out = tmp_path / "never"
    bad_output = runner.invoke(app, ["sensitivity", *SHORT, "-y", "days_bought", "--out", str(out)])
    assert bad_output.exit_code == 2
    assert "unknown outcome 'days_bought'" in bad_output.output and "endurance_days_bought" in bad_output.output
    bad_where = runner.invoke(app, ["discover", *SHORT, "--where", "abandon_day <", "--out", str(out)])
    assert bad_where.exit_code == 2 and "bad condition" in bad_where.output
    unknown_where = runner.invoke(app, ["discover", *SHORT, "--where", "foo > 1", "--out", str(out)])
    assert unknown_where.exit_code == 2 and "abandon_before_RU_end" in unknown_where.output
    never = runner.invoke(app, ["discover", *SHORT, "-n", "30", "--where", "RU_ended", "--out", str(out)])
    assert never.exit_code == 2 and "holds in none" in never.output
    assert not out.exists()
    assert "Traceback" not in bad_output.output + bad_where.output + never.output


def test_discover_draws_posterior_particles_unless_asked_for_the_prior_design(tmp_path: Path) -> None:
    common = ["discover", *SHORT, "-n", "200", "--where", "DPRK_killed > 150"]
    posterior = runner.invoke(app, [*common, "--out", str(tmp_path / "posterior")])
    prior = runner.invoke(app, [*common, "--design", "prior", "--out", str(tmp_path / "prior")])
    assert posterior.exit_code == 0 and prior.exit_code == 0, posterior.output + prior.output
    with_posterior, without = read_discovery(tmp_path / "posterior"), read_discovery(tmp_path / "prior")
    assert with_posterior["design"] == "posterior" and with_posterior["calibrated"] == TRANSFERRED
    assert without["design"] == "prior" and without["calibrated"] == 0
    assert f"{TRANSFERRED} of them drawn together from posterior particles" in " ".join(posterior.output.split())
    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    calibrated = set(Layout.from_scenario(load_scenario("ru-ua-2024")).space.calibrated())
    drawn = {r["parameter"]: r["distribution"] for box in with_posterior["boxes"] for r in box["restrictions"]}
    assert drawn and all(text.startswith("posterior (prior ") == (name in calibrated) for name, text in drawn.items())
    assert not any(r["distribution"].startswith("posterior") for box in without["boxes"] for r in box["restrictions"])
    bad = runner.invoke(app, [*common, "--design", "joint", "--out", str(tmp_path / "bad")])
    assert bad.exit_code == 2 and "valid designs: posterior, prior" in bad.output


def test_a_drifts_path_is_one_factor_in_the_morris_tables(tmp_path: Path) -> None:
    out = tmp_path / "drift"
    result = runner.invoke(app, ["sensitivity", "--set", "scenario.horizon_days=120", "-q", "--vary", "drift.*_innovations.*",
                                 "--vary", "contingents.DPRK.*", "--method", "morris", "--samples", "2", "-y", "area_change_km2",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "sensitivity.json").read_text())
    groups = {p["name"]: p for p in data["parameters"] if p["name"].startswith("drift.")}
    assert set(groups) == {"drift.casualty_innovations", "drift.gain_innovations"}
    assert groups["drift.gain_innovations"]["parameters"] == [f"drift.gain_innovations.{k}" for k in range(3)]
    assert data["factors"] == len(data["parameters"]) and data["runs"] == 2 * (data["factors"] + 1)
    indices = {r["parameter"]: r for r in data["outcomes"][0]["indices"]}
    assert indices["drift.gain_innovations"]["sigma"] is None and indices["drift.gain_innovations"]["mu_star"] is not None
    assert "| drift.gain_innovations | 3 parameters" in (out / "sensitivity.md").read_text()
