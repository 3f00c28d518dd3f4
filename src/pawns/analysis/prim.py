"""PRIM, the Patient Rule Induction Method (Friedman and Fisher, 1999), for scenario discovery.

Given sampled inputs ``X`` (one row per run) and a yes/no outcome ``y`` (the condition of
interest held in that run), PRIM looks for a box -- lower and upper bounds on a few inputs --
inside which the condition holds far more often than overall. It *peels*: at each step it
removes the slice of the current box, a share ``alpha`` of its points at the low or high end
of one input, that leaves the highest share of cases inside. The sequence of boxes is the
*peeling trajectory*, a trade-off between

* **coverage**: the share of all cases (runs where ``y`` holds) that fall inside the box, and
* **density**: the share of the runs inside the box that are cases.

An analyst picks a box on the trajectory; :func:`choose_box` takes the densest box whose
coverage is at least a threshold. Optional *pasting* then widens the chosen box's bounds again
wherever that does not lower its density, taking back cases that peeling cut off. A box restricts an input when its bounds are narrower than
the input's sampled range; each restriction gets a quasi p-value (one-sided binomial test of the
box's density against the density of the same box without that restriction), as is customary
in the scenario-discovery literature, to flag restrictions that may be chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

DEFAULT_ALPHA = 0.05
DEFAULT_MIN_MASS = 0.05
DEFAULT_MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class Box:
    """Inclusive bounds on every input: a run is inside when ``low <= x <= high`` in every column."""

    low: np.ndarray
    high: np.ndarray

    def contains(self, X: np.ndarray) -> np.ndarray:
        """Boolean mask of the rows of ``X`` inside the box."""
        return np.all((X >= self.low) & (X <= self.high), axis=1)

    def with_bound(self, column: int, low: float | None = None, high: float | None = None) -> "Box":
        """A copy with one bound changed."""
        new_low, new_high = self.low.copy(), self.high.copy()
        if low is not None:
            new_low[column] = low
        if high is not None:
            new_high[column] = high
        return Box(new_low, new_high)


@dataclass(frozen=True)
class BoxStats:
    """A box on the trajectory and how it does.

    Attributes
    ----------
    box
        The bounds.
    coverage
        Cases inside / all cases.
    density
        Cases inside / runs inside.
    mass
        Runs inside / all runs.
    n
        Runs inside.
    restricted
        Columns whose bounds are narrower than the sampled range.
    """

    box: Box
    coverage: float
    density: float
    mass: float
    n: int
    restricted: tuple[int, ...]


@dataclass(frozen=True)
class Restriction:
    """One restricted input of a box, in the input's own units."""

    column: int
    name: str
    low: float
    high: float
    sample_low: float
    sample_high: float
    qp_value: float

    @property
    def sides(self) -> str:
        """``"low"``, ``"high"`` or ``"both"``: which bound the box moved."""
        lower, upper = self.low > self.sample_low, self.high < self.sample_high
        return "both" if lower and upper else ("low" if lower else "high")


@dataclass(frozen=True)
class PrimResult:
    """A peeling trajectory and the box chosen on it."""

    names: tuple[str, ...]
    trajectory: tuple[BoxStats, ...]
    chosen: int
    chosen_stats: BoxStats
    restrictions: tuple[Restriction, ...]
    cases: int
    runs: int


def box_stats(X: np.ndarray, y: np.ndarray, box: Box, full: Box) -> BoxStats:
    """Coverage, density and mass of ``box`` over the runs ``X`` with cases ``y``."""
    inside = box.contains(X)
    n = int(inside.sum())
    cases = int(y.sum())
    hits = int(y[inside].sum())
    restricted = tuple(int(j) for j in np.flatnonzero((box.low > full.low) | (box.high < full.high)))
    return BoxStats(box, hits / cases if cases else 0.0, hits / n if n else 0.0, n / len(y), n, restricted)


def peel(X: np.ndarray, y: np.ndarray, *, alpha: float = DEFAULT_ALPHA, min_mass: float = DEFAULT_MIN_MASS) -> list[BoxStats]:
    """The peeling trajectory, from the box around all runs to the last box of mass >= ``min_mass``.

    Each step removes about ``alpha`` of the runs in the box (at least one) from the low or the
    high end of one input, whichever leaves the highest density; ties go to the peel that
    removes fewer runs, then to the earlier column. Peeling stops when no peel raises the
    density or the next box would hold fewer than ``min_mass`` of all runs.
    """
    X, y = _check(X, y)
    if not 0 < alpha < 1:
        raise ValueError("alpha must be in (0, 1)")
    full = Box(X.min(axis=0), X.max(axis=0))
    box = full
    inside = np.ones(len(y), dtype=bool)
    trajectory = [box_stats(X, y, box, full)]
    while True:
        best = _best_peel(X, y, inside, box, alpha)
        if best is None:
            break
        new_box, new_inside = best
        if new_inside.sum() < min_mass * len(y) or y[new_inside].mean() <= y[inside].mean():
            break
        box, inside = new_box, new_inside
        trajectory.append(box_stats(X, y, box, full))
    return trajectory


def _best_peel(X: np.ndarray, y: np.ndarray, inside: np.ndarray, box: Box, alpha: float) -> tuple[Box, np.ndarray] | None:
    best: tuple[float, int, Box, np.ndarray] | None = None
    n = int(inside.sum())
    k = max(int(np.floor(alpha * n)), 1)
    for j in range(X.shape[1]):
        values = np.sort(X[inside, j])
        if values[0] == values[-1] or n <= k:
            continue
        for candidate in (box.with_bound(j, low=values[k]), box.with_bound(j, high=values[n - 1 - k])):
            kept = inside & (X[:, j] >= candidate.low[j]) & (X[:, j] <= candidate.high[j])
            size = int(kept.sum())
            if size == n or size == 0:
                continue  # ties: this peel removes nothing (or everything)
            density = float(y[kept].mean())
            if best is None or density > best[0] or (density == best[0] and size > best[1]):
                best = (density, size, candidate, kept)
    return None if best is None else (best[2], best[3])


def paste(X: np.ndarray, y: np.ndarray, box: Box, *, alpha: float = DEFAULT_ALPHA) -> Box:
    """Widen ``box`` again, one bound at a time, while that does not lower its density.

    Each candidate moves one bound outwards to take in about ``alpha`` of the box's runs from
    the runs just outside that bound (those inside every other bound).
    """
    X, y = _check(X, y)
    while True:
        inside = box.contains(X)
        n = int(inside.sum())
        current = float(y[inside].mean()) if n else 0.0
        k = max(int(np.floor(alpha * n)), 1)
        best: tuple[float, int, Box] | None = None
        for j in range(X.shape[1]):
            others = np.all(np.delete((X >= box.low) & (X <= box.high), j, axis=1), axis=1)
            below = np.sort(X[others & (X[:, j] < box.low[j]), j])[::-1]
            above = np.sort(X[others & (X[:, j] > box.high[j]), j])
            candidates = []
            if below.size:
                candidates.append(box.with_bound(j, low=below[min(k, below.size) - 1]))
            if above.size:
                candidates.append(box.with_bound(j, high=above[min(k, above.size) - 1]))
            for candidate in candidates:
                taken = candidate.contains(X)
                density, size = float(y[taken].mean()), int(taken.sum())
                # Keep density (a box of pure cases stays pure) while taking in more runs.
                if density >= current and (best is None or (density, size) > best[:2]):
                    best = (density, size, candidate)
        if best is None:
            return box
        box = best[2]


def choose_box(trajectory: Sequence[BoxStats], min_coverage: float = DEFAULT_MIN_COVERAGE) -> int:
    """Index of the densest box with coverage >= ``min_coverage`` (the first box if none qualifies).

    Among equally dense boxes the one with the higher coverage (the earlier one) wins.
    """
    eligible = [i for i, s in enumerate(trajectory) if s.coverage >= min_coverage]
    if not eligible:
        return 0
    return max(eligible, key=lambda i: (trajectory[i].density, trajectory[i].coverage))


def restrictions(X: np.ndarray, y: np.ndarray, box: Box, names: Sequence[str]) -> tuple[Restriction, ...]:
    """The restricted inputs of ``box``, each with its bounds and quasi p-value."""
    from scipy.stats import binomtest

    X, y = _check(X, y)
    full = Box(X.min(axis=0), X.max(axis=0))
    inside = box.contains(X)
    n, hits = int(inside.sum()), int(y[inside].sum())
    found = []
    for j in np.flatnonzero((box.low > full.low) | (box.high < full.high)):
        relaxed = box.with_bound(int(j), low=full.low[j], high=full.high[j]).contains(X)
        baseline = float(y[relaxed].mean())
        p = binomtest(hits, n, baseline, alternative="greater").pvalue if n and 0 < baseline < 1 else 1.0
        found.append(Restriction(int(j), str(names[j]), float(box.low[j]), float(box.high[j]), float(full.low[j]),
                                 float(full.high[j]), float(p)))
    return tuple(found)


def prim(
    X: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    *,
    alpha: float = DEFAULT_ALPHA,
    min_mass: float = DEFAULT_MIN_MASS,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    pasting: bool = False,
) -> PrimResult:
    """Peel, choose a box on the trajectory, optionally paste it, and describe its restrictions.

    Parameters
    ----------
    X
        ``(N, D)`` inputs, one row per run, in their own units.
    y
        ``N`` yes/no outcomes (the condition of interest).
    names
        The ``D`` input names.
    alpha
        Share of the box's runs each peel removes.
    min_mass
        Smallest share of all runs a box may hold.
    min_coverage
        The chosen box is the densest with at least this coverage.
    pasting
        Widen the chosen box again where that does not lower its density.
    """
    X, y = _check(X, y)
    if len(names) != X.shape[1]:
        raise ValueError(f"expected {X.shape[1]} names, got {len(names)}")
    if not y.any():
        raise ValueError("the condition holds in no run: there is nothing to find a box for")
    trajectory = peel(X, y, alpha=alpha, min_mass=min_mass)
    chosen = choose_box(trajectory, min_coverage)
    stats = trajectory[chosen]
    if pasting:
        full = Box(X.min(axis=0), X.max(axis=0))
        stats = box_stats(X, y, paste(X, y, stats.box, alpha=alpha), full)
    return PrimResult(tuple(names), tuple(trajectory), chosen, stats, restrictions(X, y, stats.box, names), int(y.sum()), len(y))


def _check(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if y.dtype != bool:
        if not np.all(np.isin(y, (0, 1))):
            raise ValueError("y must be yes/no (booleans or 0/1)")
        y = y.astype(bool)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X must be (N, D) with N = len(y); got {X.shape} and {y.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite")
    return X, y
