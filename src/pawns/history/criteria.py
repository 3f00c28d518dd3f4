"""Model-comparison arithmetic shared by the daily and the battle fits.

Laws are compared by the Akaike and Bayesian information criteria of their maximized
likelihoods. Akaike weights and BIC model probabilities (the Schwarz approximation to posterior
model probabilities under equal prior odds) turn the criteria into shares that sum to one; a
likelihood-ratio test asks whether freeing the exponents improves on a named law by more than
chance would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its standard error and a 90% interval (``nan`` when not available)."""

    value: float
    se: float
    low: float
    high: float

    def to_dict(self) -> dict[str, float | None]:
        return {key: (None if not np.isfinite(v) else float(v))
                for key, v in (("value", self.value), ("se", self.se), ("q05", self.low), ("q95", self.high))}


def normal_interval(value: float, se: float) -> Estimate:
    """A 90% interval ``value -/+ 1.645 se`` (a normal approximation)."""
    z = stats.norm.ppf(0.95)
    return Estimate(float(value), float(se), float(value - z * se), float(value + z * se))


def aic(loglik: float, parameters: int) -> float:
    """Akaike information criterion ``2 k - 2 log L``."""
    return 2.0 * parameters - 2.0 * loglik


def bic(loglik: float, parameters: int, observations: int) -> float:
    """Bayesian information criterion ``k log n - 2 log L``."""
    return parameters * np.log(observations) - 2.0 * loglik


def weights(criteria: np.ndarray) -> np.ndarray:
    """Relative weights ``exp(-Delta/2)`` normalized to one (Akaike weights, or BIC probabilities)."""
    delta = np.asarray(criteria, dtype=float) - np.min(criteria)
    raw = np.exp(-0.5 * delta)
    return raw / raw.sum()


def likelihood_ratio_pvalue(loglik_restricted: float, loglik_full: float, extra_parameters: int) -> float:
    """p-value of the likelihood-ratio test of a restricted law against the full one (chi-squared)."""
    statistic = max(0.0, 2.0 * (loglik_full - loglik_restricted))
    return float(stats.chi2.sf(statistic, extra_parameters)) if extra_parameters > 0 else float("nan")
