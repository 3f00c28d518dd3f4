"""Scores of probabilistic forecasts against observed values.

The ensemble functions take members shaped ``(N, T)`` (N members, T forecast days or cases) and
observations shaped ``(T,)``, and score each column; averaging is left to the caller. A normal
forecast (the random walk's) has its closed-form CRPS; a point forecast's CRPS is its absolute
error. A lower bound (the named dead: the deaths were at least this many) is scored one-sided by
the threshold-weighted CRPS with weight on ``(-inf, bound]``: only forecast mass below the bound
is penalised, whatever the true value above it.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def crps_ensemble(samples: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Continuous ranked probability score of an ensemble, per day (lower is better).

    ``CRPS = mean_i |x_i - y| - 1/(2 N^2) sum_ij |x_i - x_j|`` (the energy form, with the
    ensemble's empirical distribution), computed from sorted members:
    ``sum_ij |x_i - x_j| = 2 sum_k (2k - N - 1) x_(k)`` for k = 1..N.

    Parameters
    ----------
    samples
        ``(N, T)`` members (a 1-D array is one day).
    observed
        ``(T,)`` observed values (a scalar for one day).
    """
    x = np.asarray(samples, dtype=float)
    one_day = x.ndim == 1
    x = np.sort(x[:, None] if one_day else x, axis=0)
    y = np.atleast_1d(np.asarray(observed, dtype=float))
    n = x.shape[0]
    spread = np.sum((2 * np.arange(1, n + 1) - n - 1)[:, None] * x, axis=0) / (n * n)
    score = np.mean(np.abs(x - y[None, :]), axis=0) - spread
    return float(score[0]) if one_day else score


def crps_normal(mean: np.ndarray, sd: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """CRPS of a normal forecast: ``sd [z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)]``, ``z = (y - mean) / sd``.

    A zero ``sd`` is a point forecast, whose CRPS is the absolute error.
    """
    mean, sd, y = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (mean, sd, observed)))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (y - mean) / sd
        pdf = np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
        score = sd * (z * (2 * special.ndtr(z) - 1) + 2 * pdf - 1 / np.sqrt(np.pi))
    return np.where(sd > 0, score, np.abs(y - mean))


def crps_lower_bound(samples: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """One-sided CRPS of an ensemble against a lower bound on the truth, per column.

    ``integral over (-inf, bound] of F(x)^2 dx``: the threshold-weighted CRPS with weight on
    ``(-inf, bound]``, the same for every true value at or above the bound. It equals the CRPS of
    the members clipped at the bound against the bound itself; for one member ``x`` it is the
    shortfall ``max(bound - x, 0)``. A forecast wholly above the bound scores 0.
    """
    b = np.asarray(bound, dtype=float)
    return crps_ensemble(np.minimum(np.asarray(samples, dtype=float), b), b)


def crps_point(forecast: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """CRPS of a point forecast: its absolute error."""
    return np.abs(np.asarray(forecast, dtype=float) - np.asarray(observed, dtype=float))


def interval_coverage(samples: np.ndarray, observed: np.ndarray, level: float) -> float:
    """Share of days whose observation lies in the ensemble's central ``level`` interval (bounds included)."""
    return float(np.mean(inside_interval(samples, observed, level)))


def inside_interval(samples: np.ndarray, observed: np.ndarray, level: float) -> np.ndarray:
    """Per column: whether the observation lies in the ensemble's central ``level`` interval (bounds included)."""
    low, high = np.quantile(np.asarray(samples, dtype=float), [(1 - level) / 2, (1 + level) / 2], axis=0)
    y = np.asarray(observed, dtype=float)
    return (y >= low) & (y <= high)


def inside_normal_interval(mean: np.ndarray, sd: np.ndarray, observed: np.ndarray, level: float) -> np.ndarray:
    """Whether each observation lies in the normal forecast's central ``level`` interval."""
    half = special.ndtri((1 + level) / 2) * np.asarray(sd, dtype=float)
    return np.abs(np.asarray(observed, dtype=float) - np.asarray(mean, dtype=float)) <= half


def median_error(samples: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Ensemble median minus observation, per day (positive: the forecast was too high)."""
    return np.median(np.asarray(samples, dtype=float), axis=0) - np.asarray(observed, dtype=float)
