"""Back-tests end to end on a few cut-offs with small ensembles: honest origins, targets, baselines, outputs."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pawns.backtest.baselines import RANDOM_WALK, TREND, last_trend
from pawns.backtest.run import CANDIDATE, UNFILTERED, backtest_origin
from pawns.backtest.targets import NAMED_BOUND
from pawns.cli.main import app
from pawns.evidence import load_scenario
from pawns.observations import catalog
from pawns.observations.catalog import load_observed

GS = "ua_gs_russian_personnel_cumulative"
DEEPSTATE = "russian_occupied_area_km2_deepstate"
CUTOFF = dt.date(2024, 10, 31)
SMALL = {"particles": 12, "seed": 1, "generations": 1}


def scenario_at(cutoff: dt.date):
    return load_scenario("ru-ua-2023", [f"scenario.vantage_date={cutoff}"])


@pytest.fixture(scope="module")
def origin():
    return pd.DataFrame(backtest_origin(scenario_at(CUTOFF), CUTOFF, [30, 90], **SMALL).rows)


def test_targets_are_what_was_observed_after_the_cutoff(origin):
    gs = load_observed(GS)
    for horizon in (30, 90):
        row = origin[(origin["stream"] == GS) & (origin["horizon"] == horizon)].iloc[0]
        assert row["observed"] == gs[str(CUTOFF + dt.timedelta(days=horizon))] - gs[str(CUTOFF)]
    named = load_observed("russian_named_dead_monthly")
    bound = origin[(origin["stream"] == NAMED_BOUND) & (origin["horizon"] == 90)].iloc[0]
    assert bound["observed"] == named["2024-11-01":"2025-01-01"].sum() and bound["day"] == 92  # Nov-Jan end on 31 Jan
    assert set(origin.loc[origin["stream"] == NAMED_BOUND, "method"]) == {CANDIDATE, UNFILTERED}  # a bound has no naive baseline
    assert set(origin["method"]) == {CANDIDATE, TREND, RANDOM_WALK, UNFILTERED}


def test_baselines_fit_only_what_was_known_at_the_cutoff(origin):
    known = load_observed(GS, as_of=CUTOFF)
    window = known[str(CUTOFF - dt.timedelta(days=90)):]
    t = np.asarray((window.index - pd.Timestamp(CUTOFF)).days, dtype=float)
    expected = last_trend(t, window.to_numpy(dtype=float), np.array([30.0])).mean[0] - known.iloc[-1]
    row = origin[(origin["stream"] == GS) & (origin["horizon"] == 30) & (origin["method"] == TREND)].iloc[0]
    assert row["q50"] == pytest.approx(expected)
    assert row["crps"] == pytest.approx(abs(expected - row["observed"]))  # a point forecast: its absolute error
    assert np.isnan(row["covered90"])
    model = origin[origin["method"] == CANDIDATE]
    inside = (model["observed"] >= model["q05"]) & (model["observed"] <= model["q95"])
    changes = model["stream"] != NAMED_BOUND
    assert (model.loc[changes, "covered90"] == inside[changes].astype(float)).all()
    assert (model.loc[~changes, "covered90"] == (model["observed"] <= model["q95"])[~changes].astype(float)).all()


def test_data_published_after_the_cutoff_do_not_change_the_forecast(monkeypatch, origin):
    """The vantage rule for data: double every value after the cut-off; only the observed targets move."""
    shipped = catalog.load_shipped

    def later_doubled(name):
        series = shipped(name).copy()
        later = series.index > pd.Timestamp(CUTOFF)
        series[later] = series[later] * 2
        return series

    monkeypatch.setattr(catalog, "load_shipped", later_doubled)
    altered = pd.DataFrame(backtest_origin(scenario_at(CUTOFF), CUTOFF, [30, 90], **SMALL).rows)
    forecast = ["q05", "q50", "q95"]
    pd.testing.assert_frame_equal(altered[forecast], origin[forecast])
    assert not np.allclose(altered["observed"], origin["observed"])


def test_a_cutoff_before_the_deepstate_series_scores_no_deepstate_change():
    rows = pd.DataFrame(backtest_origin(scenario_at(dt.date(2024, 3, 31)), dt.date(2024, 3, 31), [30], **SMALL).rows)
    assert DEEPSTATE not in set(rows["stream"]) and GS in set(rows["stream"])


def test_backtest_command_writes_its_table_and_flags_a_forecast_that_loses(tmp_path):
    out = tmp_path / "bt"
    args = ["backtest", "ru-ua-2023", "--origins", "2024-09-30,2024-10-31", "--horizons", "30,90", "-n", "12", "--generations", "1",
            "-q", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("scores.csv", "table.csv", "table.md", "backtest.json", "figure.png", "COMPLETE"):
        assert (out / name).exists(), name
    table = pd.read_csv(out / "table.csv")
    model = table[table["method"] == CANDIDATE]
    info = json.loads((out / "backtest.json").read_text())
    assert info["cutoffs"] == ["2024-09-30", "2024-10-31"] and info["horizons_days"] == [30, 90]
    assert info["goal"]["met"] is False and info["goal_sentence"].startswith("Goal NOT met")
    # wherever the model loses to a baseline, its verdict says so: in table.csv, backtest.json and the terminal
    losing = model[model["crps_ratio_best"] > 1]
    assert not losing.empty and losing["verdict"].str.startswith("LOSES to").all()
    assert sum(v["verdict"].startswith("LOSES") for v in info["verdicts"]) == len(losing)
    assert "LOSES to" in result.output and "Goal NOT met" in result.output
    assert "LOSES to" in (out / "table.md").read_text()
    # the vantage rule for priors: hand-set priors citing later claims are named, not hidden
    assert "2024-09-30" not in info["later_claims"] and "cite claims published after the cut-off" not in result.output
    # and the run report that shows the back-test's chart says it too
    run = tmp_path / "run"
    assert CliRunner().invoke(app, ["run", "ru-ua-2024", "-n", "12", "--set", "scenario.horizon_days=20", "-q", "-o", str(run)]).exit_code == 0
    report = CliRunner().invoke(app, ["report", str(run), "--backtest", str(out), "-q"])
    assert report.exit_code == 0, report.output
    page = (run / "report.html").read_text(encoding="utf-8")
    assert "Back-test: forecasts against what was observed" in page and "The model LOSES to a naive baseline here" in page
    assert [p.read_bytes() for p in (run / "report-figures").glob("*-backtest.png")] == [(out / "figure.png").read_bytes()]
    refused = CliRunner().invoke(app, ["report", str(run), "--backtest", str(run), "-q", "-o", str(tmp_path / "other.html")])
    assert refused.exit_code == 2 and "back-test" in refused.output and not (tmp_path / "other.html").exists()


def test_earlier_cutoffs_name_the_priors_that_cite_later_claims(tmp_path):
    later = backtest_origin(scenario_at(dt.date(2024, 6, 30)), dt.date(2024, 6, 30), [30], **SMALL).later_claims
    assert "sides.RU.formations.ru_contract.initial_killed_persons" in later  # it cites Q3-078, published 2024-07


def test_calibration_area_takes_deepstate_changes_after_liveuamap_ends():
    from pawns.calibration.data import area_block_changes, block_changes

    start = dt.date(2024, 1, 1)
    area = area_block_changes(start, 700)
    liveuamap = block_changes("russian_controlled_area_km2", start, 700)
    deepstate = block_changes(DEEPSTATE, start, 700)
    n = len(liveuamap.observed)
    assert np.array_equal(area.observed[:n], liveuamap.observed)  # Liveuamap's blocks while its series lasts
    later = deepstate.start_days >= liveuamap.end_days[-1]
    assert np.array_equal(area.observed[n:], deepstate.observed[later]) and later.sum() > 10
    assert np.all(area.start_days[1:] >= area.end_days[:-1])  # no block counted twice
    # as observed before DeepState's series began, the area is Liveuamap's alone
    early = area_block_changes(start, 700, as_of=dt.date(2024, 7, 1))
    assert np.array_equal(early.observed, block_changes("russian_controlled_area_km2", start, 700, as_of=dt.date(2024, 7, 1)).observed)


def test_a_scenario_without_a_contingent_is_not_calibrated_to_claims_about_one():
    from pawns.calibration.run import calibrate

    result = calibrate(scenario_at(dt.date(2025, 1, 31)).model_copy(), dt.date(2024, 12, 31), particles=10, generations=1, seed=0)
    assert result.data.count()["claims"] == 0 and not any("claims" in w for w in result.warnings)
    with_dprk = calibrate(load_scenario("ru-ua-2024"), dt.date(2024, 12, 31), particles=10, generations=1, seed=0)
    assert with_dprk.data.count()["claims"] > 0


def test_a_claim_published_after_the_cutoff_is_neither_fitted_nor_calibrated_on(monkeypatch):
    """The vantage rule for dated claims: what counts is when a claim was published, not the day it speaks of."""
    from pawns.backtest import targets
    from pawns.calibration import data
    from pawns.observations.claims import DatedClaim

    claims = [DatedClaim("T-1", "dprk_killed_cumulative", 100.0, dt.date(2024, 11, 1), "test", dt.date(2024, 11, 2)),
              DatedClaim("T-2", "dprk_killed_cumulative", 300.0, dt.date(2024, 12, 1), "test", dt.date(2024, 12, 20)),
              DatedClaim("T-3", "dprk_killed_cumulative", 500.0, dt.date(2025, 1, 1), "test", dt.date(2025, 1, 2))]
    monkeypatch.setattr(targets, "load_claims", lambda: claims)
    monkeypatch.setattr(data, "load_claims", lambda: claims)
    cutoff = dt.date(2024, 12, 10)  # T-2 speaks of 1 Dec but was published on 20 Dec
    t, y = targets.history("dprk_killed_cumulative", cutoff)
    assert list(y) == [100.0] and list(t) == [-39.0]
    assert [c.id for c in data.claims_in_window(dt.date(2024, 10, 1), cutoff, as_of=cutoff).claims] == ["T-1"]
    assert [c.id for c in data.claims_in_window(dt.date(2024, 10, 1), cutoff, as_of=dt.date(2024, 12, 20)).claims] == ["T-1", "T-2"]
    # the targets are the claims dated after the cut-off, each read on its own day
    assert [(c.label, c.day, c.observed) for c in targets.claim_targets(cutoff, [30])] == [("T-3", 22, 500.0)]
    # with one known claim no baseline can be fitted (a line needs two points); once T-2 is out, both can
    from pawns.backtest.baselines import baseline_forecasts

    assert all(f is None for f in baseline_forecasts(t, y, np.array([30.0])).values())
    later = targets.history("dprk_killed_cumulative", dt.date(2024, 12, 20))
    assert later[1].tolist() == [100.0, 300.0]
    assert all(f is not None for f in baseline_forecasts(*later, np.array([30.0])).values())
