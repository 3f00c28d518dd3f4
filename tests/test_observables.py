"""Forecasts of the observed streams: observables.csv in every run directory."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pawns.analysis.ensemble import run_ensemble
from pawns.cli.main import app
from pawns.evidence import load_scenario
from pawns.observations import load_observed
from pawns.observations.forecast import FORECAST_STREAMS, forecast_observables

REQUIRED = {"ua_gs_russian_personnel_cumulative", "russian_occupied_area_km2_deepstate", "russian_controlled_area_km2",
            "dprk_casualties_cumulative", "dprk_killed_cumulative", "russian_named_dead_cumulative", "dprk_casualties_weekly",
            "dprk_front_strength", "ua_held_area_kursk_km2"}


@pytest.fixture(scope="module")
def forecast():
    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=60"])
    return run_ensemble(scenario, 40, seed=3, record_every=30), scenario


def test_every_required_stream_daily_over_the_horizon(forecast):
    result, scenario = forecast
    frame = forecast_observables(result.layout, result.dataset)
    assert list(frame.columns) == ["date", "stream", "q05", "q25", "q50", "q75", "q95"]
    assert set(frame["stream"]) == REQUIRED and set(FORECAST_STREAMS) == REQUIRED
    for _, rows in frame.groupby("stream"):
        assert len(rows) == 61
        assert rows["date"].iloc[0] == str(scenario.meta.start_date)
        assert rows["date"].iloc[-1] == "2024-11-30"
        assert pd.to_datetime(rows["date"]).diff().dropna().eq(pd.Timedelta(days=1)).all()
    q = frame[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert np.all(np.diff(q, axis=1) >= 0)


def test_claimed_and_named_streams_continue_the_observed_totals(forecast):
    result, _ = forecast
    frame = forecast_observables(result.layout, result.dataset).set_index(["stream", "date"])
    start_claim = load_observed("ua_gs_russian_personnel_cumulative").loc["2024-10-01"]
    assert frame.loc[("ua_gs_russian_personnel_cumulative", "2024-10-01"), "q50"] == pytest.approx(start_claim)
    named_before = load_observed("russian_named_dead_monthly").loc[:"2024-09-01"].sum()
    assert frame.loc[("russian_named_dead_cumulative", "2024-10-01"), "q50"] == pytest.approx(named_before)
    named = frame.loc["russian_named_dead_cumulative", "q50"].to_numpy()
    assert np.all(np.diff(named) > 0)
    gs = frame.loc["ua_gs_russian_personnel_cumulative", "q50"].to_numpy()
    assert np.all(np.diff(gs) > 0)
    # DeepState's area continues the map's own level and moves with the model's area
    assert frame.loc[("russian_occupied_area_km2_deepstate", "2024-10-01"), "q50"] == pytest.approx(
        load_observed("russian_occupied_area_km2_deepstate").loc["2024-10-01"])
    moved = frame.loc["russian_occupied_area_km2_deepstate", "q50"].to_numpy() - frame.loc["russian_occupied_area_km2_deepstate", "q50"].iloc[0]
    area = frame.loc["russian_controlled_area_km2", "q50"].to_numpy()
    assert moved == pytest.approx(area - area[0], abs=1e-6)
    killed = frame.loc["dprk_killed_cumulative", "q50"].to_numpy()
    casualties = frame.loc["dprk_casualties_cumulative", "q50"].to_numpy()
    assert np.all(killed <= casualties + 1e-6)


def test_pawns_run_writes_observables_csv(tmp_path):
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", "ru-ua-2024", "-n", "12", "--set", "scenario.horizon_days=20", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "observables.csv")
    assert set(frame["stream"]) == REQUIRED
    assert len(frame) == 21 * len(REQUIRED)


def test_a_start_before_the_deepstate_series_takes_liveuamap_on_deepstate_basis():
    scenario = load_scenario("ru-ua-2023", ["scenario.horizon_days=10"])
    result = run_ensemble(scenario, 5, seed=0, record_every=10)
    frame = forecast_observables(result.layout, result.dataset).set_index(["stream", "date"])
    deepstate, liveuamap = load_observed("russian_occupied_area_km2_deepstate"), load_observed("russian_controlled_area_km2")
    basis = (deepstate - liveuamap).dropna().median()
    assert -500 < basis < 0  # DeepState reads a few hundred km2 below Liveuamap
    assert frame.loc[("russian_occupied_area_km2_deepstate", "2023-01-01"), "q50"] == pytest.approx(liveuamap.loc["2023-01-01"] + basis)


def test_a_start_before_the_claims_began_leaves_the_claim_stream_out():
    scenario = load_scenario("ru-ua-2024", ["scenario.start_date=2021-06-01", "scenario.horizon_days=10"])
    result = run_ensemble(scenario, 5, seed=0, record_every=10)
    frame = forecast_observables(result.layout, result.dataset)
    # before both the General Staff's series and either map: neither claimed level nor DeepState's level is known
    assert set(frame["stream"]) == REQUIRED - {"ua_gs_russian_personnel_cumulative", "russian_occupied_area_km2_deepstate"}
    assert frame.loc[frame["stream"] == "russian_named_dead_cumulative", "q50"].iloc[0] == 0.0
