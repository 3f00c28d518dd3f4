"""Naive forecasts a model must beat, from the observed series alone.

Both forecast the change of a cumulative series after the cut-off:

* ``last-90-day rate``: the mean daily change over the 90 days before the cut-off, held constant.
* ``linear trend``: a straight line fitted (least squares) to the daily changes over the year
  before the cut-off, extrapolated; the forecast change is its running sum.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

RATE_WINDOW_DAYS = 90
TREND_WINDOW_DAYS = 365
BASELINES = ("last-90-day rate", "linear trend")


def daily_values(series: "object", first: dt.date, last: dt.date) -> np.ndarray:
    """Observed values for every day of ``[first, last]`` (last report carried forward)."""
    import pandas as pd

    days = pd.date_range(first, last, freq="D")
    return series.reindex(series.index.union(days)).ffill().reindex(days).to_numpy(dtype=float)  # type: ignore[attr-defined]


def last_rate(history: np.ndarray, horizon: int, window: int = RATE_WINDOW_DAYS) -> np.ndarray:
    """Forecast change after the last day of ``history`` for days 1..horizon: the recent mean rate."""
    window = min(window, history.size - 1)
    rate = (history[-1] - history[-1 - window]) / window
    return rate * np.arange(1, horizon + 1)


def linear_trend(history: np.ndarray, horizon: int, window: int = TREND_WINDOW_DAYS) -> np.ndarray:
    """Forecast change for days 1..horizon from a straight line fitted to the recent daily changes."""
    window = min(window, history.size - 1)
    changes = np.diff(history[-1 - window:])
    t = np.arange(-window + 1, 1, dtype=float)
    slope, intercept = np.polyfit(t, changes, 1)
    future = intercept + slope * np.arange(1, horizon + 1)
    return np.cumsum(future)


def baseline_forecasts(history: np.ndarray, horizon: int) -> dict[str, np.ndarray]:
    """Both baselines' forecast changes, by name."""
    return {"last-90-day rate": last_rate(history, horizon), "linear trend": linear_trend(history, horizon)}
