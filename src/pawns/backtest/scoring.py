"""Scores of probabilistic forecasts against observed values.

All functions take an ensemble shaped ``(N, T)`` (N members, T forecast days) and observations
shaped ``(T,)``, and score each day; averaging over days is left to the caller.
"""

from __future__ import annotations

import numpy as np


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


def crps_point(forecast: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """CRPS of a point forecast: its absolute error."""
    return np.abs(np.asarray(forecast, dtype=float) - np.asarray(observed, dtype=float))


def interval_coverage(samples: np.ndarray, observed: np.ndarray, level: float) -> float:
    """Share of days whose observation lies in the ensemble's central ``level`` interval (bounds included)."""
    low, high = np.quantile(np.asarray(samples, dtype=float), [(1 - level) / 2, (1 + level) / 2], axis=0)
    y = np.asarray(observed, dtype=float)
    return float(np.mean((y >= low) & (y <= high)))


def median_error(samples: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Ensemble median minus observation, per day (positive: the forecast was too high)."""
    return np.median(np.asarray(samples, dtype=float), axis=0) - np.asarray(observed, dtype=float)
