"""Fitting the law to a daily record of a campaign (the Ardennes 1944-45).

Each day gives, for both sides, the strengths at hand and the casualties suffered. The law
predicts a side's casualties from the enemy's strength (fires) and its own (exposure); the fit is

    log C_s(t) = log k_s + p log F_s'(t) + q log E_s(t) + e_s(t),   e ~ N(0, sigma^2) iid

by nonlinear least squares on the logarithms, with every prediction made by the model's own
function (:func:`pawns.history.laws.side_rates`). Both sides share the exponents ``p, q`` as they
do in the model; each has its own coefficient ``k_s``. Uncertainty comes two ways: the
least-squares covariance (standard errors) and a bootstrap over days (90% percentile intervals).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from pawns.history.criteria import Estimate, aic, bic, likelihood_ratio_pvalue, normal_interval, weights
from pawns.history.laws import LAWS, UNIT, Law, side_rates

LOG_UNIT = float(np.log(UNIT))
# Exponents reported after the coefficients: p and q, their sum (how casualties scale with the
# size of the fight) and q - p (how the casualty ratio moves with the force ratio).
EXPONENTS = ("p", "q", "p+q", "q-p")


@dataclass(frozen=True)
class DailySeries:
    """One side's daily record: strengths (persons) and casualties per day."""

    name: str
    own: np.ndarray
    enemy: np.ndarray
    casualties: np.ndarray


def ardennes_series(frame) -> list[DailySeries]:
    """Both sides of the Ardennes table as :class:`DailySeries` (Allies first)."""
    allies, germans = frame["strength_allies"].to_numpy(float), frame["strength_germans"].to_numpy(float)
    return [DailySeries("Allies", allies, germans, frame["casualties_allies"].to_numpy(float)),
            DailySeries("Germans", germans, allies, frame["casualties_germans"].to_numpy(float))]


@dataclass
class DailyFit:
    """The law fitted to daily records of one or more sides.

    ``parameters`` holds ``log_k_<side>``, ``p``, ``q``, ``p+q`` and ``q-p`` (natural log of the coefficient with
    strengths in persons); for a named law ``p`` and ``q`` are fixed and carry no error.
    """

    law: str
    sides: list[str]
    observations: int
    parameters: dict[str, Estimate]
    loglik: float
    free_parameters: int
    residual_sd: float
    r2: dict[str, float]
    r2_pooled: float
    bootstrap: int
    seed: int | None
    aic: float = field(init=False)
    bic: float = field(init=False)

    def __post_init__(self) -> None:
        self.aic = aic(self.loglik, self.free_parameters)
        self.bic = bic(self.loglik, self.free_parameters, self.observations)

    def to_dict(self) -> dict:
        return {"law": self.law, "sides": self.sides, "observations": self.observations,
                "parameters": {k: v.to_dict() for k, v in self.parameters.items()}, "loglik": self.loglik,
                "free_parameters": self.free_parameters, "aic": self.aic, "bic": self.bic,
                "residual_sd": self.residual_sd, "r2": self.r2, "r2_pooled": self.r2_pooled,
                "bootstrap": self.bootstrap, "seed": self.seed}


def _unpack(theta: np.ndarray, law: Law, sides: int) -> tuple[np.ndarray, float, float]:
    log_k = theta[:sides]
    if law.free:
        return log_k, float(theta[sides]), float(theta[sides + 1])
    return log_k, float(law.fires_exponent), float(law.exposure_exponent)


def _residuals(theta: np.ndarray, law: Law, series: list[DailySeries], rows: np.ndarray) -> np.ndarray:
    """Log observed minus log predicted casualties, side after side, on the selected days."""
    log_k, p, q = _unpack(theta, law, len(series))
    out = []
    for i, s in enumerate(series):
        predicted = side_rates(np.exp(log_k[i]), s.own[rows] / UNIT, s.enemy[rows] / UNIT, p, q) * UNIT
        out.append(np.log(s.casualties[rows]) - np.log(predicted))
    return np.concatenate(out)


def _start(law: Law, series: list[DailySeries], rows: np.ndarray) -> np.ndarray:
    p, q = (0.5, 0.5) if law.free else (law.fires_exponent, law.exposure_exponent)
    log_k = [np.mean(np.log(s.casualties[rows] / UNIT) - p * np.log(s.enemy[rows] / UNIT) - q * np.log(s.own[rows] / UNIT))
             for s in series]
    return np.array(log_k + ([p, q] if law.free else []))


def _solve(law: Law, series: list[DailySeries], rows: np.ndarray):
    return least_squares(_residuals, _start(law, series, rows), args=(law, series, rows), method="lm", xtol=1e-12, ftol=1e-12)


def _reported(theta: np.ndarray, law: Law, sides: int) -> np.ndarray:
    """Parameters as reported: log k in persons (``log k + (1 - p - q) log UNIT``), then p, q."""
    log_k, p, q = _unpack(theta, law, sides)
    return np.concatenate([log_k + (1.0 - p - q) * LOG_UNIT, [p, q, p + q, q - p]])


def _reporting_jacobian(law: Law, sides: int) -> np.ndarray:
    """d(reported)/d(theta): the reported log k depends on p and q when they are free."""
    width = sides + (2 if law.free else 0)
    jac = np.zeros((sides + 4, width))
    jac[:sides, :sides] = np.eye(sides)
    if law.free:
        jac[:sides, sides] = jac[:sides, sides + 1] = -LOG_UNIT
        jac[sides, sides] = jac[sides + 1, sides + 1] = 1.0
        jac[sides + 2, sides] = jac[sides + 2, sides + 1] = 1.0  # p + q
        jac[sides + 3, sides], jac[sides + 3, sides + 1] = -1.0, 1.0  # q - p
    return jac


def fit_daily(series: list[DailySeries], law: str = "fitted", *, bootstrap: int = 500, seed: int = 0) -> DailyFit:
    """Fit one law to daily records, with least-squares standard errors and bootstrap intervals.

    Parameters
    ----------
    series
        The sides' daily records (e.g. :func:`ardennes_series`); all must cover the same days.
    law
        A key of :data:`pawns.history.laws.LAWS`.
    bootstrap
        Number of resamples of days (the same days for every side, so a day's two records stay
        together); 0 gives normal intervals from the standard errors instead.
    seed
        Seed of the bootstrap's resampling.
    """
    if law not in LAWS:
        raise KeyError(f"unknown law {law!r}; known: {list(LAWS)}")
    spec, days = LAWS[law], len(series[0].casualties)
    rows = np.arange(days)
    solution = _solve(spec, series, rows)
    residuals = solution.fun
    n, width = residuals.size, solution.x.size
    rss = float(residuals @ residuals)
    # Least-squares covariance sigma^2 (J'J)^-1, carried to the reported parameters.
    sigma2 = rss / max(n - width, 1)
    jac = solution.jac
    cov_theta = sigma2 * np.linalg.pinv(jac.T @ jac)
    to_reported = _reporting_jacobian(spec, len(series))
    cov = to_reported @ cov_theta @ to_reported.T
    point = _reported(solution.x, spec, len(series))
    draws = _bootstrap(spec, series, bootstrap, seed) if bootstrap > 0 else None
    names = [f"log_k_{s.name}" for s in series] + list(EXPONENTS)
    parameters = {}
    for i, name in enumerate(names):
        se = float(np.sqrt(max(cov[i, i], 0.0)))
        if name in EXPONENTS and not spec.free:
            parameters[name] = Estimate(float(point[i]), float("nan"), float("nan"), float("nan"))
        elif draws is not None:
            low, high = np.quantile(draws[:, i], [0.05, 0.95])
            parameters[name] = Estimate(float(point[i]), se, float(low), float(high))
        else:
            parameters[name] = normal_interval(point[i], se)
    sigma2_ml = rss / n
    loglik = -0.5 * n * (np.log(2.0 * np.pi * sigma2_ml) + 1.0)
    r2, start = {}, 0
    for s in series:
        part = residuals[start:start + days]
        centred = np.log(s.casualties) - np.log(s.casualties).mean()
        r2[s.name] = float(1.0 - part @ part / (centred @ centred))
        start += days
    observed = np.concatenate([np.log(s.casualties) for s in series])
    pooled = float(1.0 - rss / np.sum((observed - observed.mean()) ** 2))
    return DailyFit(law, [s.name for s in series], n, parameters, float(loglik), width + 1, float(np.sqrt(sigma2)),
                    r2, pooled, bootstrap, seed if bootstrap > 0 else None)


def _bootstrap(law: Law, series: list[DailySeries], resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    days = len(series[0].casualties)
    draws = np.empty((resamples, len(series) + len(EXPONENTS)))
    for b in range(resamples):
        rows = rng.integers(0, days, size=days)
        draws[b] = _reported(_solve(law, series, rows).x, law, len(series))
    return draws


@dataclass
class DailyComparison:
    """Every law fitted to the same daily records, with criteria and likelihood-ratio tests."""

    fits: dict[str, DailyFit]
    akaike_weights: dict[str, float]
    bic_probabilities: dict[str, float]
    lr_pvalues: dict[str, float]

    def to_dict(self) -> dict:
        return {"fits": {k: v.to_dict() for k, v in self.fits.items()}, "akaike_weights": self.akaike_weights,
                "bic_probabilities": self.bic_probabilities, "lr_pvalue_vs_fitted": self.lr_pvalues}


def compare_daily(series: list[DailySeries], *, bootstrap: int = 500, seed: int = 0) -> DailyComparison:
    """Fit square, linear, logarithmic and fitted-exponent laws to the same daily records."""
    fits = {name: fit_daily(series, name, bootstrap=bootstrap, seed=seed) for name in LAWS}
    names = list(fits)
    aw = weights(np.array([fits[n].aic for n in names]))
    bw = weights(np.array([fits[n].bic for n in names]))
    full = fits["fitted"]
    lr = {n: likelihood_ratio_pvalue(fits[n].loglik, full.loglik, full.free_parameters - fits[n].free_parameters)
          for n in names if n != "fitted"}
    return DailyComparison(fits, dict(zip(names, map(float, aw))), dict(zip(names, map(float, bw))), lr)
