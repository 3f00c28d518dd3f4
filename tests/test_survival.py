"""Censored-time measures against their analytic values."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.survival import (
    horizontal_shift_days, kaplan_meier, per_exposure, rmst_constant_hazard, rmst_from_hazard, rmst_kaplan_meier,
)


def test_rmst_of_a_constant_hazard_is_the_exponential_formula() -> None:
    h, horizon = 0.002, 730
    path = np.full(horizon, h)
    assert rmst_from_hazard(path) == pytest.approx((1 - np.exp(-h * horizon)) / h, rel=1e-12)
    assert rmst_constant_hazard(h, horizon) == pytest.approx(rmst_from_hazard(path), rel=1e-12)


def test_rmst_without_hazard_is_the_horizon_and_with_a_huge_one_nearly_zero() -> None:
    assert rmst_from_hazard(np.zeros((3, 100))) == pytest.approx(np.full(3, 100.0))
    assert rmst_constant_hazard(0.0, 100) == 100.0
    assert rmst_from_hazard(np.full(100, 50.0)) < 0.03


def test_rmst_of_a_step_hazard_adds_the_two_pieces() -> None:
    # hazard a for 100 days, then b: S(t) = exp(-a t), then exp(-100 a - b (t - 100))
    a, b = 0.001, 0.01
    path = np.concatenate([np.full(100, a), np.full(200, b)])
    expected = (1 - np.exp(-100 * a)) / a + np.exp(-100 * a) * (1 - np.exp(-200 * b)) / b
    assert rmst_from_hazard(path) == pytest.approx(expected, rel=1e-12)


def test_kaplan_meier_without_censoring_is_the_empirical_survival_and_its_area_the_mean() -> None:
    days = np.array([10.0, 20.0, 20.0, 40.0])
    times, survival = kaplan_meier(days, 100)
    assert times.tolist() == [10.0, 20.0, 40.0]
    assert survival == pytest.approx([0.75, 0.25, 0.0])
    assert rmst_kaplan_meier(days, 100) == pytest.approx(days.mean())


def test_kaplan_meier_rmst_counts_members_without_an_end_as_the_horizon() -> None:
    days = np.array([50.0, np.nan, np.nan, np.nan])
    assert rmst_kaplan_meier(days, 200) == pytest.approx((50 + 3 * 200) / 4)
    assert rmst_kaplan_meier(np.full(5, np.nan), 200) == 200.0


def test_realised_end_days_agree_with_the_hazard_rmst() -> None:
    # Draws from a known hazard path: their Kaplan-Meier RMST converges to the hazard's.
    rng = np.random.default_rng(1)
    path = np.concatenate([np.full(365, 0.0005), np.full(365, 0.003)])
    cumulative = np.cumsum(path)
    exposure = rng.exponential(size=200_000)
    day = np.searchsorted(cumulative, exposure) + 1.0
    day[day > 730] = np.nan
    assert rmst_kaplan_meier(day, 730) == pytest.approx(rmst_from_hazard(path), rel=2e-3)


def test_horizontal_shift_of_parallel_trajectories_is_their_lag() -> None:
    horizon, slope, lag = 730.0, 0.0004, 30.0
    start = np.array([0.6])
    reference_end = start - slope * horizon
    treated_end = start - slope * (horizon - lag)  # the treated run is 30 days behind
    assert horizontal_shift_days(treated_end, reference_end, start, horizon) == pytest.approx([lag])
    assert horizontal_shift_days(reference_end - 0.01, reference_end, start, horizon)[0] < 0
    assert horizontal_shift_days(np.array([0.7]), start, start, horizon).tolist() == [0.0]


def test_per_exposure_scales_to_the_unit_and_leaves_no_troops_undefined() -> None:
    effect = np.array([10.0, 10.0, 3.0])
    person_days = np.array([365.0 * 5_000, 365.0 * 20_000, 0.0])
    found = per_exposure(effect, person_days, 365.0, 10_000)
    assert found[:2] == pytest.approx([20.0, 5.0])
    assert np.isnan(found[2])
