"""Daily fits of the combat law: known answers, recovery of planted exponents, the Ardennes fit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pawns.history.daily import ardennes_series, compare_daily, fit_daily
from pawns.history.data import load_ardennes
from pawns.history.laws import LAWS
from pawns.history.synthetic import synthetic_daily


def test_fit_through_the_model_law_equals_least_squares_on_logs():
    # The law is linear in logs, so the nonlinear fit through combat_casualties must land on the
    # ordinary least-squares solution of the stacked log-linear regression.
    frame = synthetic_daily(0.7, 0.4, days=40, seed=3)
    series = ardennes_series(frame)
    fit = fit_daily(series, "fitted", bootstrap=0)
    rows = []
    targets = []
    for i, s in enumerate(series):
        design = np.zeros((len(s.own), 4))
        design[:, i] = 1.0
        design[:, 2] = np.log(s.enemy)
        design[:, 3] = np.log(s.own)
        rows.append(design)
        targets.append(np.log(s.casualties))
    coef, *_ = np.linalg.lstsq(np.vstack(rows), np.concatenate(targets), rcond=None)
    assert fit.parameters["p"].value == pytest.approx(coef[2], abs=1e-6)
    assert fit.parameters["q"].value == pytest.approx(coef[3], abs=1e-6)
    assert fit.parameters["log_k_Allies"].value == pytest.approx(coef[0], abs=1e-4)
    assert fit.parameters["log_k_Germans"].value == pytest.approx(coef[1], abs=1e-4)


def test_normal_intervals_cover_the_planted_exponents_at_about_the_nominal_rate():
    p, q = 0.8, 0.3
    hits = {"p": 0, "q": 0}
    replicates = 40
    for seed in range(replicates):
        fit = fit_daily(ardennes_series(synthetic_daily(p, q, days=30, noise_sd=0.3, seed=seed)), "fitted", bootstrap=0)
        for name, truth in (("p", p), ("q", q)):
            estimate = fit.parameters[name]
            hits[name] += estimate.low <= truth <= estimate.high
    # 90% intervals: with 40 replicates fewer than 30 hits would happen by chance well under 1% of the time.
    assert 30 <= hits["p"] <= replicates
    assert 30 <= hits["q"] <= replicates


def test_bootstrap_intervals_agree_with_least_squares_and_are_reproducible():
    series = ardennes_series(synthetic_daily(0.5, 0.5, days=40, seed=11))
    first = fit_daily(series, "fitted", bootstrap=100, seed=0)
    second = fit_daily(series, "fitted", bootstrap=100, seed=0)
    other = fit_daily(series, "fitted", bootstrap=100, seed=1)
    assert first.parameters == second.parameters
    assert first.parameters["p"].low != other.parameters["p"].low
    for name in ("p", "q"):
        e = first.parameters[name]
        assert e.low < e.value < e.high
        # With iid noise the bootstrap over days and the least-squares covariance measure the
        # same spread: the 90% widths agree within sampling error of 100 resamples.
        assert 0.6 < (e.high - e.low) / (2 * 1.645 * e.se) < 1.6
        assert abs(e.value - 0.5) < 3 * e.se


@pytest.mark.parametrize("law", ["square", "linear", "logarithmic"])
def test_daily_comparison_ranks_the_generating_law_first_among_named_laws(law):
    spec = LAWS[law]
    series = ardennes_series(synthetic_daily(spec.fires_exponent, spec.exposure_exponent, days=40, seed=5))
    result = compare_daily(series, bootstrap=0)
    named = {n: f.aic for n, f in result.fits.items() if n != "fitted"}
    assert min(named, key=named.get) == law
    # The named law generated the data: freeing the exponents should not be significant at 1%.
    assert result.lr_pvalues[law] > 0.01
    assert sum(result.akaike_weights.values()) == pytest.approx(1.0)


def test_ardennes_fit_gives_finite_estimates_with_intervals():
    series = ardennes_series(load_ardennes())
    assert [s.name for s in series] == ["Allies", "Germans"]
    result = compare_daily(series, bootstrap=50, seed=0)
    fitted = result.fits["fitted"]
    assert fitted.observations == 64
    for name, estimate in fitted.parameters.items():
        assert math.isfinite(estimate.value) and math.isfinite(estimate.se), name
        assert estimate.low < estimate.value < estimate.high, name
    assert 0.0 < fitted.r2_pooled < 1.0
    # The fitted law nests every named law: its likelihood can be no lower.
    for law in ("square", "linear", "logarithmic"):
        assert result.fits[law].loglik <= fitted.loglik + 1e-9
        assert math.isnan(result.fits[law].parameters["p"].se)
