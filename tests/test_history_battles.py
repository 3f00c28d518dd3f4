"""The law across battles: integration, recovery of planted exponents, ranking of the generating law."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.history.battles import Battles, casualty_ratio_slope, compare_battle_laws, fit_battles
from pawns.history.laws import LAWS, UNIT, coefficient_in_persons, integrate_battles
from pawns.history.synthetic import synthetic_battles
from pawns.model.equations import combat_casualties


def test_short_battles_lose_the_law_rate_times_duration():
    a, b = np.array([10_000.0, 50_000.0]), np.array([20_000.0, 5_000.0])
    k_a, k_b, p, q = 0.002, 0.003, 0.6, 0.5
    lost_a, lost_b = integrate_battles(a, b, np.array([1e-4, 1e-4]), k_a, k_b, p, q)
    # The law in persons: k_persons * F^p * E^q (the thousand-person unit converted back).
    rate_a = coefficient_in_persons(k_a, p, q) * b ** p * a ** q
    rate_b = coefficient_in_persons(k_b, p, q) * a ** p * b ** q
    np.testing.assert_allclose(lost_a, rate_a * 1e-4, rtol=1e-3)
    np.testing.assert_allclose(lost_b, rate_b * 1e-4, rtol=1e-3)
    # ... which is what the model's own function gives at the start.
    start = combat_casualties(np.array([[k_a, k_b]]), np.ones((1, 2)), np.array([[b[0], a[0]]]) / UNIT,
                              np.array([[a[0], b[0]]]) / UNIT, np.array([p]), np.array([q]))
    np.testing.assert_allclose(start[0] * UNIT * 1e-4, [lost_a[0], lost_b[0]], rtol=1e-3)


def test_square_law_battle_conserves_the_quadratic_invariant():
    # Square law with equal coefficients: a^2 - b^2 is constant along the exact solution.
    a, b = np.array([30_000.0]), np.array([20_000.0])
    lost_a, lost_b = integrate_battles(a, b, np.array([1.0]), 0.05, 0.05, 1.0, 0.0, substeps=2000)
    before = a[0] ** 2 - b[0] ** 2
    after = (a[0] - lost_a[0]) ** 2 - (b[0] - lost_b[0]) ** 2
    assert after == pytest.approx(before, rel=2e-3)


def test_no_side_loses_more_than_it_has():
    a, b = np.array([1_000.0, 100_000.0]), np.array([100_000.0, 1_000.0])
    lost_a, lost_b = integrate_battles(a, b, np.array([5.0, 5.0]), 0.5, 0.5, 1.0, 0.0)
    assert np.all(lost_a <= a) and np.all(lost_b <= b)
    assert lost_a[0] == pytest.approx(a[0], rel=1e-6)


@pytest.mark.parametrize(("p", "q"), [(1.0, 0.0), (0.4, 0.6)])
def test_fitted_exponents_recover_the_planted_truth(p, q):
    battles = Battles.from_frame(synthetic_battles(p, q, battles=200, seed=2))
    fit = fit_battles(battles, "fitted", starts=[(0.5, 0.5)])
    for name, truth in (("p", p), ("q", q), ("p+q", p + q), ("q-p", q - p)):
        estimate = fit.parameters[name]
        assert estimate.se > 0
        # Within 3 standard errors (a 99.7% statement) and within 0.1 in absolute terms.
        assert abs(estimate.value - truth) < 3 * estimate.se, name
        assert abs(estimate.value - truth) < 0.1, name
    assert fit.parameters["sigma_a"].value == pytest.approx(0.5, abs=0.08)
    assert fit.parameters["rho"].value == pytest.approx(0.5, abs=0.15)


def test_battle_bootstrap_is_reproducible_and_brackets_the_estimate():
    battles = Battles.from_frame(synthetic_battles(0.5, 0.5, battles=60, seed=4))
    first = fit_battles(battles, "fitted", bootstrap=4, seed=0, starts=[(0.5, 0.5)])
    second = fit_battles(battles, "fitted", bootstrap=4, seed=0, starts=[(0.5, 0.5)])
    assert first.parameters == second.parameters
    assert first.parameters["p"].low < first.parameters["p"].high


@pytest.mark.parametrize("law", ["square", "linear", "logarithmic"])
def test_comparison_ranks_the_generating_law_first(law):
    spec = LAWS[law]
    battles = Battles.from_frame(synthetic_battles(spec.fires_exponent, spec.exposure_exponent, battles=150, seed=7))
    result = compare_battle_laws(battles)
    assert result.best_named_by_aic == law
    others = [n for n in ("square", "linear", "logarithmic") if n != law]
    # Clear margins: an AIC gap of 10 is a likelihood ratio of about 150 to 1.
    assert all(result.fits[law].aic < result.fits[other].aic - 10 for other in others)
    assert result.lr_pvalues[law] > 0.01
    for other in others:
        assert result.lr_pvalues[other] < 1e-6
    # The fitted law nests the named ones and is started from their optima.
    assert all(result.fits["fitted"].loglik >= f.loglik - 1e-6 for f in result.fits.values())


def test_casualty_ratio_slope_estimates_q_minus_p():
    battles = Battles.from_frame(synthetic_battles(0.9, 0.2, battles=400, sigma=0.3, seed=9, typical_fraction=0.02))
    slope = casualty_ratio_slope(battles)
    assert slope.value == pytest.approx(0.2 - 0.9, abs=3 * slope.se + 0.02)
