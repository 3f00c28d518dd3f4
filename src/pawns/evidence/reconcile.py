"""The reconciliation rule: from the claims about a quantity to a prior distribution.

The rule, in five steps (docs/evidence.md argues each choice):

1. **Which claims count.** Only claims published on or before the vantage date. Qualitative
   quantities are never reconciled.
2. **Units and bias.** Each claim is converted to the quantity's unit. A belligerent's claim
   about its enemy is divided by the quantity's ``enemy_bias`` (1 unless the registry says).
3. **Weights.** weight = grade weight (Admiralty reliability x credibility, A1 = 1)
   x recency (halves every ``half_life_days`` between the claim's as-of date and the scenario
   start) x 0.5 for a belligerent speaking of its enemy.
4. **Estimates.** Every point or range claim is a log-normal component: centred on its value (a
   range on its geometric middle, read as a 90% interval), with log-sd
   ``sqrt(spread^2 + (ln(high/low) / 3.29)^2)``. The prior density is the weighted mixture.
5. **Bounds.** A lower bound L ("at least L") with strength s = grade weight x recency (x 0.5 for
   an enemy's claim) removes the share s of the density below L; an upper bound likewise above.
   An A1 bound truncates outright; a weak one barely moves the prior. Bounds alone make no prior.

The result is reported as quantiles of this mixture and, for the engine, as the log-normal with
the same median and 5-95% span, truncated to the mixture's 0.5-99.5% range.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from pawns.errors import PawnsError
from pawns.evidence import units
from pawns.evidence.claims import Claim, Quantity
from pawns.evidence.grading import ENEMY_CLAIM_WEIGHT, grade_weight
from pawns.scenario.distributions import ParamSpec

Z90 = 1.6448536269514722  # standard normal 95% point: a 90% interval spans +-Z90 sd
GRID_POINTS = 4001
TAIL = 0.005  # the engine's log-normal is truncated to the mixture's [TAIL, 1 - TAIL] range


class EvidenceError(PawnsError):
    """The claims bound to a parameter cannot be reconciled into a prior."""


@dataclass(frozen=True)
class Contribution:
    """How one claim entered the prior.

    Attributes
    ----------
    claim
        The claim.
    role
        ``estimate``, ``lower`` or ``upper`` bound, or ``excluded`` (with the reason in ``note``).
    low, high
        The claim's value in the quantity's unit, after any bias correction.
    weight
        Its weight (estimates) or strength (bounds), in [0, 1].
    note
        Why it was excluded, or what was done to it.
    """

    claim: Claim
    role: str
    low: float
    high: float
    weight: float
    note: str = ""


@dataclass(frozen=True)
class Prior:
    """A reconciled prior: the mixture on a log grid, and the claims that shaped it."""

    quantity: Quantity
    reference: dt.date
    vantage: dt.date
    grid: np.ndarray
    cdf: np.ndarray
    contributions: tuple[Contribution, ...]

    @property
    def claim_ids(self) -> list[str]:
        """Ids of the claims that shaped the prior (estimates and bounds with weight > 0)."""
        return [c.claim.id for c in self.contributions if c.role != "excluded" and c.weight > 0]

    def quantile(self, q: float | np.ndarray) -> np.ndarray:
        """Quantiles of the reconciled prior (in the quantity's unit)."""
        return np.exp(np.interp(q, self.cdf, self.grid))

    def probability_below(self, value: float) -> float:
        """P(X < value) under the reconciled prior."""
        return float(np.interp(math.log(value), self.grid, self.cdf)) if value > 0 else 0.0

    def histogram(self, bins: int = 12) -> tuple[np.ndarray, np.ndarray]:
        """Probability mass in ``bins`` log-spaced bins between the 1% and 99% quantiles."""
        edges = np.geomspace(*self.quantile(np.array([0.01, 0.99])), bins + 1) if bins else np.array([])
        cdf_at = np.interp(np.log(edges), self.grid, self.cdf)
        return edges, np.diff(cdf_at)

    def spec(self, source: str | None = None) -> ParamSpec:
        """The engine's concrete distribution: a truncated log-normal matching the prior."""
        q05, q50, q95, lo, hi = self.quantile(np.array([0.05, 0.5, 0.95, TAIL, 1 - TAIL]))
        sigma = max((math.log(q95) - math.log(q05)) / (2 * Z90), 1e-3)
        return ParamSpec(dist="lognormal", median=_round(q50), sigma=round(sigma, 4), low=_round(lo), high=_round(hi),
                         evidence=self.quantity.id, source=source)


def _round(value: float) -> float:
    return float(f"{value:.4g}")


def _bounded_mixture_cdf(x: np.ndarray, centres: np.ndarray, sds: np.ndarray, weights: np.ndarray,
                         bounds: list[Contribution]) -> np.ndarray:
    """Unnormalised CDF, at log-values ``x``, of the weighted normal mixture thinned by the bounds.

    Exact: between consecutive bound positions the thinning factor is constant, so the mass of
    each segment is the factor times the mixture's mass there (normal CDFs, no quadrature).
    """
    from scipy.special import ndtr

    def mixture(points: np.ndarray) -> np.ndarray:
        return (weights[:, None] * ndtr((points[None, :] - centres[:, None]) / sds[:, None])).sum(axis=0)

    positions = sorted({math.log(b.low if b.role == "lower" else b.high) for b in bounds})
    edges = np.array([-np.inf, *positions, np.inf])
    total = np.zeros_like(x)
    for left, right in zip(edges[:-1], edges[1:]):
        middle = (left + right) / 2 if np.isfinite(left) and np.isfinite(right) else (right - 1 if np.isfinite(right) else left + 1)
        factor = 1.0
        for bound in bounds:
            limit = math.log(bound.low if bound.role == "lower" else bound.high)
            if (bound.role == "lower" and middle < limit) or (bound.role == "upper" and middle > limit):
                factor *= 1.0 - bound.weight
        if factor > 0:
            base = mixture(np.array([left]))[0] if np.isfinite(left) else 0.0
            total += factor * (mixture(np.clip(x, left, right)) - base)
    return total


def recency_weight(as_of: dt.date, reference: dt.date, half_life_days: float) -> float:
    """2 ** (-|as_of - reference| / half_life): 1 at the reference date, 1/2 one half-life away."""
    return 2.0 ** (-abs((as_of - reference).days) / half_life_days)


def contributions(quantity: Quantity, claims: list[Claim], *, reference: dt.date, vantage: dt.date) -> list[Contribution]:
    """Steps 1-3 of the rule: which claims count, in which unit, with which weight."""
    out = []
    for claim in claims:
        if claim.quantity != quantity.id:
            continue
        if not claim.published_by(vantage):
            out.append(Contribution(claim, "excluded", claim.low, claim.high, 0.0, f"published {claim.published} after the vantage date {vantage}"))
            continue
        low = units.convert(claim.low, claim.unit, quantity.unit)
        high = units.convert(claim.high, claim.unit, quantity.unit)
        weight = grade_weight(claim.reliability, claim.credibility) * recency_weight(claim.as_of.middle, reference, quantity.half_life_days)
        note = f"converted from {units.label(claim.unit)}" if claim.unit != quantity.unit else ""
        if claim.about_enemy:
            weight *= ENEMY_CLAIM_WEIGHT
            if quantity.enemy_bias != 1.0:
                low, high = low / quantity.enemy_bias, high / quantity.enemy_bias
                note = "; ".join(filter(None, [note, f"divided by enemy bias {quantity.enemy_bias:g}"]))
        if low <= 0:
            out.append(Contribution(claim, "excluded", low, high, 0.0, "zero value: no place on a log scale"))
            continue
        out.append(Contribution(claim, claim.bound, low, high, weight, note))
    return out


def reconcile(quantity: Quantity, claims: list[Claim], *, reference: dt.date, vantage: dt.date | None = None) -> Prior:
    """Turn the claims about ``quantity`` into a prior.

    Parameters
    ----------
    quantity
        The ledger quantity.
    claims
        Claims (those about other quantities are ignored).
    reference
        The scenario's start date: recency weights are measured from it.
    vantage
        Only claims published on or before this date count (default: ``reference``).

    Raises
    ------
    EvidenceError
        If the quantity is qualitative, no estimate counts, or the bounds leave no mass.
    """
    vantage = vantage or reference
    if quantity.kind != "quantitative":
        raise EvidenceError(f"quantity {quantity.id} is qualitative: its claims are listed, never reconciled")
    parts = contributions(quantity, claims, reference=reference, vantage=vantage)
    estimates = [c for c in parts if c.role == "estimate" and c.weight > 0]
    bounds = [c for c in parts if c.role in ("lower", "upper") and c.weight > 0]
    if not estimates:
        what = "only bounds" if bounds else "no claims"
        raise EvidenceError(f"quantity {quantity.id}: {what} published by {vantage}; a prior needs at least one estimate")
    centres = np.array([0.5 * (math.log(c.low) + math.log(c.high)) for c in estimates])
    sds = np.array([math.hypot(quantity.spread, (math.log(c.high) - math.log(c.low)) / (2 * Z90)) for c in estimates])
    weights = np.array([c.weight for c in estimates])
    limits = [math.log(c.low if c.role == "lower" else c.high) for c in bounds]
    grid = np.linspace(min([*(centres - 6 * sds), *limits]) - 0.1, max([*(centres + 6 * sds), *limits]) + 0.1, GRID_POINTS)
    cdf = _bounded_mixture_cdf(grid, centres, sds, weights, bounds)
    if not cdf[-1] > 1e-12 * weights.sum():
        raise EvidenceError(f"quantity {quantity.id}: the bounds exclude every estimate; the claims contradict each other")
    cdf /= cdf[-1]
    return Prior(quantity, reference, vantage, grid, cdf, tuple(parts))
