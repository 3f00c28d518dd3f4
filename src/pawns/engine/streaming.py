"""Quantiles over members of daily series, accumulated chunk by chunk without keeping them.

A million members' daily trajectories would not fit in memory; their quantiles per day do.
:class:`DailyQuantiles` counts each day's values in fixed log-spaced bins. Counts add up
exactly, so the result is the same whatever the chunk size, order or number of workers; the
price is resolution: a quantile is known to within one bin, a relative error of at most
``10 ** (1 / bins_per_decade) - 1`` (1.2% with the default 200 bins per decade) for values
between ``low`` and ``high``. Values at or below ``low`` (zeros included) count in one bottom
bin and read back as 0; the series summarized this way (cumulative casualties, controlled
area) are never negative.
"""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np

from pawns.engine.simulate import BatchResult
from pawns.model.layout import Layout
from pawns.model.recorded import DAILY, MEMBER, Recorded, recorded


class DailyQuantiles:
    """Per-day quantile sketch of a non-negative series over members.

    Parameters
    ----------
    days
        Number of days (columns) of the series.
    low, high
        The range resolved by log-spaced bins; values outside fall in the bottom or top bin.
    bins_per_decade
        Resolution: the relative width of a bin is ``10 ** (1 / bins_per_decade) - 1``.
    """

    def __init__(self, days: int, *, low: float = 1.0, high: float = 1e9, bins_per_decade: int = 200) -> None:
        if not (0 < low < high):
            raise ValueError("need 0 < low < high")
        self.days = int(days)
        self.low, self.high, self.bins_per_decade = float(low), float(high), int(bins_per_decade)
        self._inner = int(np.ceil(np.log10(high / low) * bins_per_decade))
        # bottom, inner bins, top; 32 bits count up to two billion members and halve what a run of
        # a million holds (13 sketches of 731 days x 1,802 bins: 69 MB instead of 137 MB, twice while merging)
        self.counts = np.zeros((self.days, self._inner + 2), dtype=np.int32)

    @property
    def members(self) -> int:
        """How many members have been added."""
        return int(self.counts[0].sum()) if self.days else 0

    def add(self, values: np.ndarray) -> None:
        """Count a chunk of members' series, shape ``(members, days)``."""
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 2 or values.shape[1] != self.days:
            raise ValueError(f"expected values shaped (members, {self.days}), got {values.shape}")
        # In place, one temporary: a chunk's series are tens of millions of values.
        with np.errstate(divide="ignore", invalid="ignore"):
            position = np.log10(values / self.low)
        position *= self.bins_per_decade
        np.floor(position, out=position)
        np.clip(position, 0, self._inner, out=position)
        position += 1
        position[~(values > self.low)] = 0  # at or below low, and NaN, count in the bottom bin
        flat = position.astype(np.int64)
        flat += np.arange(self.days, dtype=np.int64)[None, :] * self.counts.shape[1]
        self.counts += np.bincount(flat.ravel(), minlength=self.counts.size).reshape(self.counts.shape)

    def merge(self, other: "DailyQuantiles") -> None:
        """Add another sketch's counts (same days and bins)."""
        if other.counts.shape != self.counts.shape or (other.low, other.high, other.bins_per_decade) != (self.low, self.high, self.bins_per_decade):
            raise ValueError("sketches differ in days or bins")
        self.counts += other.counts

    def quantile(self, q: float) -> np.ndarray:
        """The ``q`` quantile of each day (geometric centre of the bin holding it), shape ``(days,)``."""
        if not 0.0 <= q <= 1.0:
            raise ValueError("q must be within [0, 1]")
        total = self.counts.sum(axis=1)
        rank = np.maximum(np.ceil(q * total), 1)
        index = np.argmax(np.cumsum(self.counts, axis=1) >= rank[:, None], axis=1)
        edges = self.low * 10.0 ** (np.arange(self._inner + 1) / self.bins_per_decade)
        centres = np.concatenate([[0.0], np.sqrt(edges[:-1] * edges[1:]), [self.high]])
        return np.where(total > 0, centres[index], np.nan)


def sketch_daily(layout: Layout, batch: BatchResult) -> dict[str, DailyQuantiles]:
    """Sketches of a chunk's daily variables: ``NAME/SIDE`` per side (or formation), ``NAME`` per member.

    A reducer for :func:`pawns.engine.plan.run_plan`; chunks' sketches add up with
    :func:`merge_sketches`.
    """
    sketches = {}
    for name, variable, index in daily_columns(layout.sides, layout.formation_names, layout.sector_names):
        values = batch.daily_series[variable.name]
        sketches[name] = DailyQuantiles(layout.horizon_days + 1)
        sketches[name].add(values if index is None else values[:, :, index])
    return sketches


def daily_columns(sides: Sequence[str], formations: Sequence[str],
                  sectors: Sequence[str] = ("main",)) -> Iterator[tuple[str, Recorded, int | None]]:
    """``(sketch name, variable, index)`` of every daily variable of :data:`pawns.model.recorded.RECORDED`."""
    labels = {"side": sides, "formation": formations, "sector": sectors}
    for variable in recorded(DAILY):
        if variable.per == MEMBER:
            yield variable.name, variable, None
        else:
            for index, label in enumerate(labels[variable.per]):
                yield f"{variable.name}/{label}", variable, index


def merge_sketches(into: dict[str, DailyQuantiles], sketches: dict[str, DailyQuantiles]) -> dict[str, DailyQuantiles]:
    """Add ``sketches`` to ``into`` (taking over those ``into`` lacks); returns ``into``."""
    for name, sketch in sketches.items():
        if name in into:
            into[name].merge(sketch)
        else:
            into[name] = sketch
    return into
