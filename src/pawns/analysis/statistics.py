"""Small, pure summary statistics used by summaries and comparisons."""

from __future__ import annotations

import numpy as np


def interval(values: np.ndarray) -> dict[str, float | None]:
    """Median and 90% interval (5th and 95th percentiles) of the finite values, plus their mean."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return {"median": None, "q05": None, "q95": None, "mean": None, "n": 0}
    q05, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95])
    return {"median": float(q50), "q05": float(q05), "q95": float(q95), "mean": float(x.mean()), "n": int(x.size)}


def finite_mean(values: np.ndarray) -> float:
    """The mean of the finite values; NaN where there are none (e.g. a run too short for any troop-month)."""
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return float(finite.mean()) if finite.size else float("nan")


def share(mask: np.ndarray) -> float:
    """Share of members for which ``mask`` holds."""
    mask = np.asarray(mask, dtype=bool)
    return float(mask.mean()) if mask.size else float("nan")


def effect_interval(effects: np.ndarray) -> dict[str, float | None]:
    """Interval of per-member effects (paired differences) and the share of members where they are positive."""
    effects = np.asarray(effects, dtype=np.float64)
    result = interval(effects)
    finite = effects[np.isfinite(effects)]
    result["p_positive"] = float((finite > 0).mean()) if finite.size else None
    return result


def cost_per_day(cost: np.ndarray, days: np.ndarray) -> float | None:
    """Mean cost per mean day bought (e.g. contingent killed per day), or None when undefined.

    A ratio of means is only meaningful when the days bought are credibly positive: it is
    given when the 5th percentile of the paired days is above zero, and None otherwise (a
    tiny or uncertain denominator would make any ratio, however large, look precise).
    """
    days = np.asarray(days, dtype=np.float64)
    finite = days[np.isfinite(days)]
    if finite.size == 0 or np.quantile(finite, 0.05) <= 0:
        return None
    return float(np.mean(cost)) / float(np.mean(finite))


SPIKE_SHARE = 0.95  # values with one value in this share of members are a spike: report why, not a histogram or indices


def spike(values: np.ndarray) -> tuple[float | None, float]:
    """The most frequent finite value and the share of all values equal to it (``(None, 0.0)`` when none is finite).

    A share near 1 says the values are a single spike (e.g. days bought that are 0 in nearly
    every member): their median and interval then say little, and their spread comes from a few.
    """
    x = np.asarray(values, dtype=np.float64)
    finite = x[np.isfinite(x)]
    if finite.size == 0:
        return None, 0.0
    distinct, counts = np.unique(finite, return_counts=True)
    top = int(np.argmax(counts))
    return float(distinct[top]), float(counts[top] / x.size)
