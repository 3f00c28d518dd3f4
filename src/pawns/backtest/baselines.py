"""Naive forecasts a model must beat, from what was observed by the cut-off alone.

Both take a series as points ``(t, y)``: days relative to the cut-off (``t <= 0``) and observed
levels, daily or irregular (dated claims), and forecast the level ``ahead`` days after the cut-off:

* ``last-90-day trend``: a straight line fitted (least squares) to the levels of the last 90
  days, its slope continued from the last observation. A point forecast.
* ``random walk with drift``: the level as a random walk (Brownian motion with drift, for
  irregular points) fitted to the last year: drift = change over the year / its days, variance
  per day from the increments. Its forecast is normal, with the drift's own uncertainty added:
  ``mean = y_last + drift s``, ``var = sigma^2 s + sigma^2 s^2 / T`` (``s`` days after the last
  point, ``T`` the days fitted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

TREND = "last-90-day trend"
RANDOM_WALK = "random walk with drift"
BASELINES = (TREND, RANDOM_WALK)
TREND_WINDOW_DAYS = 90
WALK_WINDOW_DAYS = 365


@dataclass(frozen=True)
class NormalForecast:
    """A forecast of levels: means and standard deviations (zero for a point forecast)."""

    mean: np.ndarray
    sd: np.ndarray


def points_before(series: "object", cutoff: dt.date, window_days: int) -> tuple[np.ndarray, np.ndarray]:
    """The points of ``series`` (a date-indexed pandas Series) dated within ``window_days`` up to ``cutoff``.

    Returns days relative to the cut-off (``-window_days..0``) and the values.
    """
    import pandas as pd

    stamp = pd.Timestamp(cutoff)
    kept = series[(series.index <= stamp) & (series.index >= stamp - pd.Timedelta(days=window_days))]  # type: ignore[index, operator]
    return np.asarray((kept.index - stamp).days, dtype=float), kept.to_numpy(dtype=float)


def last_trend(t: np.ndarray, y: np.ndarray, ahead: np.ndarray, window: int = TREND_WINDOW_DAYS) -> NormalForecast | None:
    """The last-90-day trend's forecast levels ``ahead`` days after the cut-off (``None``: fewer than two days to fit)."""
    keep = t >= -window
    if np.unique(t[keep]).size < 2:
        return None
    slope = np.polyfit(t[keep], y[keep], 1)[0]
    last = np.argmax(t)
    mean = y[last] + slope * (np.asarray(ahead, dtype=float) - t[last])
    return NormalForecast(mean, np.zeros_like(mean))


def random_walk(t: np.ndarray, y: np.ndarray, ahead: np.ndarray, window: int = WALK_WINDOW_DAYS) -> NormalForecast | None:
    """The random walk with drift's forecast ``ahead`` days after the cut-off (``None``: fewer than two days to fit)."""
    keep = t >= -window
    order = np.argsort(t[keep], kind="stable")
    times, values = t[keep][order], y[keep][order]
    span = times[-1] - times[0] if times.size else 0.0
    if span <= 0:
        return None
    drift = (values[-1] - values[0]) / span
    gaps = np.diff(times)
    steps = gaps > 0
    variance = float(np.mean((np.diff(values)[steps] - drift * gaps[steps]) ** 2 / gaps[steps]))
    s = np.asarray(ahead, dtype=float) - times[-1]
    return NormalForecast(values[-1] + drift * s, np.sqrt(variance * s + variance * s * s / span))


def baseline_forecasts(t: np.ndarray, y: np.ndarray, ahead: np.ndarray) -> dict[str, NormalForecast | None]:
    """Both baselines' forecasts, by name (``None`` where the points cannot fit one)."""
    return {TREND: last_trend(t, y, ahead), RANDOM_WALK: random_walk(t, y, ahead)}
