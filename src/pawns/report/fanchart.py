"""Fan charts: the ensemble's median with its 50% and 90% bands over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

# Quantiles drawn: 90% band (5–95), 50% band (25–75), median.
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def fan_quantiles(samples: np.ndarray) -> np.ndarray:
    """Quantiles across members of an ``(member, time)`` array.

    Returns
    -------
    numpy.ndarray
        Shape ``(5, time)``: the 5th, 25th, 50th, 75th and 95th percentiles at each time,
        ignoring members with no value there (NaN).
    """
    values = np.asarray(samples, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"expected a (member, time) array, got shape {values.shape}")
    finite = np.isfinite(values)
    if finite.all():  # the usual case, and many times faster than the NaN-aware path (the same numbers)
        return np.quantile(values, FAN_QUANTILES, axis=0)
    out = np.full((len(FAN_QUANTILES), values.shape[1]), np.nan)
    has_data = finite.any(axis=0)
    if has_data.any():
        out[:, has_data] = np.nanquantile(values[:, has_data], FAN_QUANTILES, axis=0)
    return out


def draw_fan(ax: "Axes", x: np.ndarray, samples: np.ndarray, colour: str, label: str | None = None) -> np.ndarray:
    """Draw a fan chart on ``ax`` and return the quantiles it drew (see :func:`fan_quantiles`)."""
    q = fan_quantiles(samples)
    draw_bands(ax, x, q, colour, label)
    return q


def draw_bands(ax: "Axes", x: np.ndarray, quantiles: np.ndarray, colour: str, label: str | None = None) -> None:
    """Draw a fan chart from quantiles already known, shape ``(5, time)`` in ``FAN_QUANTILES`` order."""
    q = quantiles
    ax.fill_between(x, q[0], q[4], color=colour, alpha=0.18, linewidth=0, label=None if label is None else f"{label}: 90% band")
    ax.fill_between(x, q[1], q[3], color=colour, alpha=0.35, linewidth=0, label=None if label is None else f"{label}: 50% band")
    ax.plot(x, q[2], color=colour, linewidth=1.8, label=None if label is None else f"{label}: median")
