"""Scoring functions, naive baselines, origins and the back-test table against known answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from pawns.backtest.baselines import RANDOM_WALK, TREND, last_trend, random_walk
from pawns.backtest.origins import parse_horizons, parse_origins
from pawns.backtest.run import CANDIDATE
from pawns.backtest.scoring import (
    crps_ensemble, crps_lower_bound, crps_normal, crps_point, inside_interval, inside_normal_interval, interval_coverage, median_error,
)
from pawns.backtest.table import goal, summary_table
from pawns.errors import PawnsError


def test_crps_of_a_three_member_ensemble_by_hand():
    # mean |x - y| = (1 + 0 + 1) / 3; pairwise sum |xi - xj| = 2 * (1 + 2 + 1) = 8, over 2 * 9
    assert crps_ensemble(np.array([1.0, 2.0, 3.0]), 2.0) == pytest.approx(2 / 3 - 8 / 18)
    # observation outside the ensemble: mean |x - 5| = 3
    assert crps_ensemble(np.array([3.0, 1.0, 2.0]), 5.0) == pytest.approx(3 - 8 / 18)


def test_crps_of_a_point_mass_is_the_absolute_error():
    assert crps_ensemble(np.array([4.0]), 1.5) == pytest.approx(2.5)
    assert crps_ensemble(np.full(50, 4.0), 1.5) == pytest.approx(2.5)  # many equal members: still a point mass
    assert crps_point(np.array([4.0, -1.0]), np.array([1.5, 1.0])) == pytest.approx([2.5, 2.0])
    assert crps_normal(4.0, 0.0, 1.5) == pytest.approx(2.5)


def test_crps_equals_the_integral_of_the_squared_cdf_difference():
    rng = np.random.default_rng(3)
    samples = rng.normal(size=(7, 2))
    observed = np.array([0.3, -2.0])
    grid = np.linspace(-8, 8, 200_001)
    for day in range(2):
        cdf = np.searchsorted(np.sort(samples[:, day]), grid, side="right") / 7
        step = (grid >= observed[day]).astype(float)
        integral = np.sum((cdf - step) ** 2) * (grid[1] - grid[0])
        assert crps_ensemble(samples, observed)[day] == pytest.approx(integral, abs=1e-3)


def test_crps_of_a_normal_by_its_closed_form_and_its_definition():
    # at the mean: sd (2 phi(0) - 1/sqrt(pi)) = sd (sqrt(2) - 1) / sqrt(pi)
    assert crps_normal(0.0, 2.0, 0.0) == pytest.approx(2.0 * (np.sqrt(2) - 1) / np.sqrt(np.pi))
    for mean, sd, y in [(1.0, 0.5, 2.2), (-3.0, 4.0, 5.0), (10.0, 1.0, 10.0)]:
        cdf = stats.norm(mean, sd).cdf
        below = integrate.quad(lambda x: cdf(x) ** 2, mean - 40 * sd, y, limit=200)[0]
        above = integrate.quad(lambda x: (1 - cdf(x)) ** 2, y, mean + 40 * sd, limit=200)[0]
        assert crps_normal(mean, sd, y) == pytest.approx(below + above, rel=1e-6)
    # a large ensemble drawn from the normal scores nearly the same
    draws = stats.norm(1.0, 0.5).ppf((np.arange(20_000) + 0.5) / 20_000)
    assert crps_ensemble(draws, 2.2) == pytest.approx(crps_normal(1.0, 0.5, 2.2), rel=1e-3)


def test_one_sided_crps_of_a_lower_bound():
    # a point forecast: its shortfall below the bound, nothing above it
    assert crps_lower_bound(np.array([3.0]), 5.0) == pytest.approx(2.0)
    assert crps_lower_bound(np.array([7.0]), 5.0) == pytest.approx(0.0)
    # an ensemble wholly above the bound scores 0, whatever the bound's distance
    assert crps_lower_bound(np.array([6.0, 8.0, 30.0]), 5.0) == pytest.approx(0.0)
    # the integral of F(x)^2 below the bound: members 0 and 10, bound 5: F = 1/2 on [0, 5) -> 5 / 4
    assert crps_lower_bound(np.array([0.0, 10.0]), 5.0) == pytest.approx(1.25)
    # and it never exceeds the two-sided CRPS at any truth above the bound
    members = np.random.default_rng(1).normal(size=40)
    for truth in (0.5, 1.0, 3.0):
        assert crps_lower_bound(members, 0.5) <= crps_ensemble(members, truth) + 1e-12


def test_coverage_counts_observations_inside_the_interval():
    samples = np.repeat(np.arange(101.0)[:, None], 4, axis=1)  # quantiles 5% and 95% are 5 and 95
    observed = np.array([4.0, 5.0, 50.0, 96.0])
    assert inside_interval(samples, observed, 0.9).tolist() == [False, True, True, False]
    assert interval_coverage(samples, observed, 0.9) == pytest.approx(0.5)
    assert interval_coverage(samples, observed, 0.5) == pytest.approx(0.25)  # [25, 75] holds only 50
    assert median_error(samples, observed) == pytest.approx([46.0, 45.0, 0.0, -46.0])
    # a normal's 90% interval is mean +- 1.645 sd
    assert inside_normal_interval(0.0, 1.0, np.array([1.64, 1.65, -1.64, -1.65]), 0.9).tolist() == [True, False, True, False]


def test_trend_baseline_continues_the_slope_of_the_last_90_days():
    t = np.arange(-200, 1, dtype=float)
    y = np.where(t < -90, 0.0, 3.0 * (t + 90))  # flat, then 3 a day over the last 90 days
    forecast = last_trend(t, y, np.array([1.0, 10.0]))
    assert forecast.mean == pytest.approx([270 + 3, 270 + 30])
    assert forecast.sd == pytest.approx([0.0, 0.0])
    assert last_trend(np.array([0.0]), np.array([5.0]), np.array([3.0])) is None  # one day: no line


def test_random_walk_with_drift_fits_drift_and_variance():
    t = np.arange(-365, 1, dtype=float)
    y = 2.0 * t + np.where(np.arange(t.size) % 2 == 0, 0.0, 1.0)  # drift 2 a day, steps alternating 3 and 1
    forecast = random_walk(t, y, np.array([4.0]))
    drift = (y[-1] - y[0]) / 365
    variance = np.mean((np.diff(y) - drift) ** 2)
    assert forecast.mean[0] == pytest.approx(y[-1] + 4 * drift)
    assert forecast.sd[0] == pytest.approx(np.sqrt(variance * 4 + variance * 16 / 365))
    # irregular points (dated claims): drift from first to last, variance per day of the gaps
    claims = random_walk(np.array([-30.0, -20.0, 0.0]), np.array([100.0, 200.0, 300.0]), np.array([10.0]))
    drift = 200 / 30
    variance = np.mean([(100 - 10 * drift) ** 2 / 10, (100 - 20 * drift) ** 2 / 20])
    assert claims.mean[0] == pytest.approx(300 + 10 * drift)
    assert claims.sd[0] == pytest.approx(np.sqrt(variance * 10 + variance * 100 / 30))


def test_origins_and_horizons():
    cutoffs = parse_origins("monthly:2024-01..2025-12")
    assert len(cutoffs) == 24 and cutoffs[0] == dt.date(2023, 12, 31) and cutoffs[1] == dt.date(2024, 1, 31)
    assert cutoffs[-1] == dt.date(2025, 11, 30)
    assert parse_origins("2024-06-30, 2024-03-31,2024-06-30") == [dt.date(2024, 3, 31), dt.date(2024, 6, 30)]
    assert parse_horizons("365,30,90,30") == [30, 90, 365]
    for bad in ("monthly:2024-13..2025-01", "monthly:2025-01..2024-01", "quarterly", "2024-02-30", ""):
        with pytest.raises(PawnsError, match="--origins"):
            parse_origins(bad)
    for bad in ("0", "30,-1", "1e3", "1.5", "", "30,,90", str(10**7)):
        with pytest.raises(PawnsError, match="--horizons"):
            parse_horizons(bad)


def _scores(model: list[float], trend: list[float], walk: list[float], covered: list[float], stream: str = "s", horizon: int = 90) -> pd.DataFrame:
    rows = []
    for i, (m, t, w, c) in enumerate(zip(model, trend, walk, covered)):
        base = {"cutoff": f"2024-01-{i + 1:02d}", "stream": stream, "kind": "change", "horizon": horizon, "target": ""}
        rows += [{**base, "method": CANDIDATE, "crps": m, "covered90": c}, {**base, "method": TREND, "crps": t, "covered90": np.nan},
                 {**base, "method": RANDOM_WALK, "crps": w, "covered90": 1.0}]
    return pd.DataFrame(rows)


def test_table_ratios_verdicts_and_coverage_counting():
    table = summary_table(_scores([2.0, 4.0] * 3, [1.0, 2.0] * 3, [6.0, 6.0] * 3, [1.0, 0.0] * 3)).set_index("method")
    model = table.loc[CANDIDATE]
    assert model["crps"] == pytest.approx(3.0) and model["coverage90"] == pytest.approx(0.5)
    assert model["crps_ratio_best"] == pytest.approx(2.0)  # 3 against the trend's 1.5
    assert model["crps_ratio_random_walk_with_drift"] == pytest.approx(0.5)
    assert model["verdict"] == "LOSES to the last-90-day trend (CRPS 2.00x); 90% interval too narrow (covers 50%)"
    few = summary_table(_scores([2.0, 4.0], [1.0, 2.0], [6.0, 6.0], [1.0, 0.0])).set_index("method").loc[CANDIDATE, "verdict"]
    assert few == "LOSES to the last-90-day trend (CRPS 2.00x); only 2 observations: coverage not judged"
    assert np.isnan(table.loc[TREND, "coverage90"]) and table.loc[TREND, "verdict"] == ""
    winning = summary_table(_scores([1.0] * 5, [2.0] * 5, [3.0] * 5, [1, 1, 1, 1, 0])).set_index("method").loc[CANDIDATE, "verdict"]
    assert winning == "beats every baseline (CRPS 0.50x the best)"


def test_goal_is_met_only_where_every_part_is_measured_and_met():
    good = [_scores([1.0] * 10, [2.0] * 10, [3.0] * 10, [1.0] * 9 + [0.0], stream=s, horizon=h)
            for s in ("ua_gs_russian_personnel_cumulative", "russian_occupied_area_km2_deepstate") for h in (90, 180)]
    assert goal(summary_table(pd.concat(good, ignore_index=True)))["met"]
    assert not goal(summary_table(pd.concat(good[:3], ignore_index=True)))["met"]  # one stream-horizon not measured
    close = good[:3] + [_scores([1.7] * 10, [2.0] * 10, [3.0] * 10, [1.0] * 9 + [0.0], stream="russian_occupied_area_km2_deepstate", horizon=180)]
    result = goal(summary_table(pd.concat(close, ignore_index=True)))
    assert not result["met"] and [c["met"] for c in result["checks"]] == [True, True, True, False]


def test_the_model_is_compared_with_a_baseline_only_on_the_targets_both_scored():
    scores = _scores([1.0, 1.0, 10.0], [2.0, 2.0, 2.0], [5.0, 5.0, 5.0], [1.0, 1.0, 1.0])
    scores = scores[~((scores["method"] == TREND) & (scores["cutoff"] == "2024-01-03"))]  # no trend at the third cut-off
    model = summary_table(scores).set_index("method").loc[CANDIDATE]
    assert model["crps"] == pytest.approx(4.0)  # the model's own mean, over all three
    assert model["crps_ratio_last_90_day_trend"] == pytest.approx(0.5)  # 1 against 2 on the two shared cut-offs
    assert model["crps_ratio_random_walk_with_drift"] == pytest.approx(0.8)  # 4 against 5
    # the ratio that counts is the least favourable paired one (unpaired, the model's 4 against the trend's 2 would read as a loss)
    assert model["crps_ratio_best"] == pytest.approx(0.8) and model["verdict"].startswith("beats every baseline (CRPS 0.80x")
