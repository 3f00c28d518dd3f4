"""Scoring functions and naive baselines against hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pawns.backtest.baselines import last_rate, linear_trend
from pawns.backtest.run import skill_summary
from pawns.backtest.scoring import crps_ensemble, crps_point, interval_coverage, median_error


def test_crps_of_a_three_member_ensemble_by_hand():
    # mean |x - y| = (1 + 0 + 1) / 3; pairwise sum |xi - xj| = 2 * (1 + 2 + 1) = 8, over 2 * 9
    assert crps_ensemble(np.array([1.0, 2.0, 3.0]), 2.0) == pytest.approx(2 / 3 - 8 / 18)
    # observation outside the ensemble: mean |x - 5| = 3
    assert crps_ensemble(np.array([3.0, 1.0, 2.0]), 5.0) == pytest.approx(3 - 8 / 18)


def test_crps_of_one_member_is_the_absolute_error():
    assert crps_ensemble(np.array([4.0]), 1.5) == pytest.approx(2.5)
    assert crps_point(np.array([4.0, -1.0]), np.array([1.5, 1.0])) == pytest.approx([2.5, 2.0])


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


def test_interval_coverage_and_median_error_by_hand():
    samples = np.repeat(np.arange(101.0)[:, None], 4, axis=1)  # quantiles 5% and 95% are 5 and 95
    observed = np.array([4.0, 5.0, 50.0, 96.0])
    assert interval_coverage(samples, observed, 0.9) == pytest.approx(0.5)
    assert interval_coverage(samples, observed, 0.5) == pytest.approx(0.25)  # [25, 75] holds only 50
    assert median_error(samples, observed) == pytest.approx([46.0, 45.0, 0.0, -46.0])


def test_last_rate_baseline_holds_the_recent_rate():
    history = np.concatenate([np.zeros(100), 3.0 * np.arange(1, 91)])  # 3 a day over the last 90 days
    assert last_rate(history, 4) == pytest.approx([3.0, 6.0, 9.0, 12.0])


def test_linear_trend_baseline_extrapolates_a_rising_rate():
    t = np.arange(400, dtype=float)
    history = np.cumsum(10.0 + 0.5 * t)  # daily change 10 + 0.5 t, exactly linear
    forecast = linear_trend(history, 3)
    rates = 10.0 + 0.5 * np.array([400.0, 401.0, 402.0])
    assert forecast == pytest.approx(np.cumsum(rates))


def test_skill_is_positive_when_the_model_beats_the_baseline():
    table = pd.DataFrame({
        "stream": ["s", "s", "s", "s"], "method": ["model", "naive", "model", "naive"],
        "crps": [1.0, 4.0, 3.0, 4.0], "coverage50": [0.5, np.nan, 0.5, np.nan], "coverage90": [0.9, np.nan, 0.9, np.nan],
        "median_abs_error": [1.0, 4.0, 3.0, 4.0],
    })
    skill = skill_summary(table).set_index("method")
    assert skill.loc["model", "crps"] == pytest.approx(2.0)
    assert skill.loc["naive", "model_skill"] == pytest.approx(0.5)
