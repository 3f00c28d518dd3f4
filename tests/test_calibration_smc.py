"""The tempering sampler on problems with known answers, and its warning paths."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.calibration.smc import CalibrationError, CalibrationWarning, ess, next_increment, systematic_resample, temper
from pawns.engine.rng import stream_key, uniforms
from scipy import special


def prior_draws(n: int, d: int, seed: int = 0) -> np.ndarray:
    return special.ndtri(uniforms(seed, np.arange(n * d, dtype=np.int64), stream_key("test.prior")).reshape(n, d))


def gaussian(mean: float, sd: float):
    def evaluate(z: np.ndarray, generation: int):
        return -0.5 * ((z[:, 0] - mean) / sd) ** 2, {"z": z[:, 0].copy()}
    return evaluate


def test_ess_of_equal_and_degenerate_weights():
    assert ess(np.ones(10)) == pytest.approx(10)
    assert ess(np.array([1.0, 0, 0, 0])) == pytest.approx(1)


def test_next_increment_meets_the_target_ess():
    loglik = np.linspace(-50, 0, 200)
    delta = next_increment(loglik, 1.0, 100)
    w = np.exp(delta * (loglik - loglik.max()))
    assert ess(w) == pytest.approx(100, rel=1e-3)


def test_systematic_resampling_keeps_proportions():
    index = systematic_resample(np.array([0.5, 0.25, 0.25, 0.0]), 0.5)  # points 1/8, 3/8, 5/8, 7/8
    assert np.bincount(index, minlength=4).tolist() == [2, 1, 1, 0]
    index = systematic_resample(np.array([0.1, 0.0, 0.9]), 0.37)
    assert 1 not in index


def test_gaussian_posterior_is_recovered():
    # prior N(0, 1), likelihood N(z; 1.5, 0.5^2): posterior N(1.5 * 1 / 1.25, 0.2)
    result = temper(gaussian(1.5, 0.5), prior_draws(2000, 1), seed=4, max_generations=20, final_moves=4)
    z = result.z[:, 0]
    assert result.temperature == 1.0
    assert z.mean() == pytest.approx(1.2, abs=0.05)
    assert z.var() == pytest.approx(0.2, abs=0.04)
    assert np.array_equal(result.extras["z"], z)  # carried predictions move with their particles


def test_same_seed_same_posterior():
    a = temper(gaussian(1.0, 0.3), prior_draws(300, 2), seed=7)
    b = temper(gaussian(1.0, 0.3), prior_draws(300, 2), seed=7)
    assert np.array_equal(a.z, b.z)


def test_zero_likelihood_everywhere_is_an_error():
    def evaluate(z, generation):
        return np.full(z.shape[0], -np.inf), {}
    with pytest.raises(CalibrationError, match="every member of the prior has zero likelihood"):
        temper(evaluate, prior_draws(50, 1), seed=0)


def test_forced_final_step_warns_of_ess_collapse():
    with pytest.warns(CalibrationWarning, match="ESS collapsed"):
        temper(gaussian(3.0, 0.01), prior_draws(200, 1), seed=0, max_generations=1, final_moves=0)


def test_all_proposals_rejected_warns():
    def evaluate(z, generation):
        ll = -0.5 * z[:, 0] ** 2
        return (ll if generation == 0 else np.full(z.shape[0], -np.inf)), {}
    with pytest.warns(CalibrationWarning, match="every proposal was rejected"):
        temper(evaluate, prior_draws(50, 1), seed=0, max_generations=2, final_moves=0)
