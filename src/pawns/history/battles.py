"""Fitting the law across many battles that record only initial strengths and total casualties.

One likelihood serves every law, so square, linear, logarithmic and fitted-exponent forms are
compared on equal terms. For battle ``i`` the model's law is integrated over the battle's
duration from the initial strengths (:func:`pawns.history.laws.integrate_battles`), giving
predicted casualties ``Ĉ_a,i`` and ``Ĉ_b,i`` with coefficients ``k_a, k_b`` common to all battles.
What a common law cannot explain (terrain, leadership, era, how long the fighting really was) is
per-battle noise, lognormal and correlated between the two sides:

    (log C_a,i - log Ĉ_a,i, log C_b,i - log Ĉ_b,i) ~ N(0, [[s_a^2, r s_a s_b], [r s_a s_b, s_b^2]])

The correlation ``r`` lets a battle be bloodier or milder for both sides at once (a longer or
fiercer fight), so the data speak to the exponents through both the size of the casualties and
their ratio. The likelihood is maximized numerically; standard errors come from the observed
information (a numerical Hessian) and, optionally, from a bootstrap over battles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.optimize import minimize

from pawns.history.criteria import (Estimate, aic, bic, likelihood_ratio_pvalue, normal_interval, weights)
from pawns.history.laws import LAWS, UNIT, Law, integrate_battles

EXPONENT_BOUNDS = (-1.0, 3.0)
# Above |atanh r| = 3 (r = 0.995) the noise is all but one-dimensional and the likelihood degenerates.
CORRELATION_BOUND = 3.0


@dataclass(frozen=True)
class Battles:
    """Initial strengths (persons), total casualties and durations (days) of a set of battles."""

    strength_a: np.ndarray
    strength_b: np.ndarray
    casualties_a: np.ndarray
    casualties_b: np.ndarray
    duration_days: np.ndarray

    @classmethod
    def from_frame(cls, frame) -> "Battles":
        """From a frame with the columns of :func:`pawns.history.data.load_battles`."""
        return cls(*(frame[c].to_numpy(float) for c in ("strength_a", "strength_b", "casualties_a", "casualties_b", "duration_days")))

    def __len__(self) -> int:
        return len(self.strength_a)

    def take(self, rows: np.ndarray) -> "Battles":
        return Battles(self.strength_a[rows], self.strength_b[rows], self.casualties_a[rows], self.casualties_b[rows],
                       self.duration_days[rows])


def _unpack(theta: np.ndarray, law: Law) -> tuple[float, float, float, float, float, float, float]:
    """(log k_a, log k_b, p, q, log s_a, log s_b, atanh r) from the free parameters of ``law``."""
    if law.free:
        return tuple(float(x) for x in theta)  # type: ignore[return-value]
    return (float(theta[0]), float(theta[1]), float(law.fires_exponent), float(law.exposure_exponent),
            float(theta[2]), float(theta[3]), float(theta[4]))


def _pack(values: tuple[float, ...], law: Law) -> np.ndarray:
    log_k_a, log_k_b, p, q, log_sa, log_sb, z = values
    return np.array([log_k_a, log_k_b, p, q, log_sa, log_sb, z] if law.free else [log_k_a, log_k_b, log_sa, log_sb, z])


def negative_loglik(theta: np.ndarray, law: Law, battles: Battles) -> float:
    """Negative log-likelihood of the battles' casualties under ``law`` (see the module docstring)."""
    log_k_a, log_k_b, p, q, log_sa, log_sb, z = _unpack(theta, law)
    predicted_a, predicted_b = integrate_battles(battles.strength_a, battles.strength_b, battles.duration_days,
                                                 np.exp(log_k_a), np.exp(log_k_b), p, q)
    # Predicted casualties are positive for any finite coefficient; the floor guards the logarithm
    # against underflow when the optimizer tries an extreme coefficient.
    ra = (np.log(battles.casualties_a) - np.log(np.maximum(predicted_a, 1e-300))) / np.exp(log_sa)
    rb = (np.log(battles.casualties_b) - np.log(np.maximum(predicted_b, 1e-300))) / np.exp(log_sb)
    r = np.tanh(z)
    one_minus = 1.0 - r * r
    quadratic = (ra * ra - 2.0 * r * ra * rb + rb * rb) / one_minus
    n = len(battles)
    value = 0.5 * np.sum(quadratic) + n * (np.log(2.0 * np.pi) + log_sa + log_sb + 0.5 * np.log(one_minus))
    return float(value) if np.isfinite(value) else 1e300


def _moment_start(law: Law, battles: Battles, p: float, q: float) -> np.ndarray:
    """A starting point from the short-battle approximation ``C = k T F^p E^q`` (exact in logs)."""
    a, b, t = battles.strength_a / UNIT, battles.strength_b / UNIT, battles.duration_days
    ea = np.log(battles.casualties_a / UNIT / t) - p * np.log(b) - q * np.log(a)
    eb = np.log(battles.casualties_b / UNIT / t) - p * np.log(a) - q * np.log(b)
    r = float(np.clip(np.corrcoef(ea, eb)[0, 1], -0.9, 0.9))
    return _pack((ea.mean(), eb.mean(), p, q, np.log(ea.std()), np.log(eb.std()), np.arctanh(r)), law)


def _bounds(law: Law) -> list[tuple[float | None, float | None]]:
    free = [(None, None), (None, None)] + ([EXPONENT_BOUNDS, EXPONENT_BOUNDS] if law.free else [])
    return free + [(-5.0, 3.0), (-5.0, 3.0), (-CORRELATION_BOUND, CORRELATION_BOUND)]


def _maximize(law: Law, battles: Battles, starts: list[np.ndarray]) -> np.ndarray:
    """Best optimum (quasi-Newton, bounded) over the starting points."""
    best, best_value = None, np.inf
    for start in starts:
        result = minimize(negative_loglik, start, args=(law, battles), method="L-BFGS-B", bounds=_bounds(law))
        if result.fun < best_value:
            best, best_value = result.x, result.fun
    return np.asarray(best)


def _hessian(theta: np.ndarray, law: Law, battles: Battles, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of the negative log-likelihood (the observed information)."""
    width = theta.size
    hess = np.empty((width, width))
    f = lambda x: negative_loglik(x, law, battles)  # noqa: E731 - a local shorthand
    for i in range(width):
        for j in range(i, width):
            ei, ej = np.eye(width)[i] * step, np.eye(width)[j] * step
            hess[i, j] = hess[j, i] = (f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej) + f(theta - ei - ej)) / (4 * step * step)
    return hess


def _reported(theta: np.ndarray, law: Law) -> dict[str, float]:
    log_k_a, log_k_b, p, q, log_sa, log_sb, z = _unpack(theta, law)
    shift = (1.0 - p - q) * np.log(UNIT)
    return {"log_k_a": log_k_a + shift, "log_k_b": log_k_b + shift, "p": p, "q": q, "p+q": p + q, "q-p": q - p,
            "sigma_a": float(np.exp(log_sa)), "sigma_b": float(np.exp(log_sb)), "rho": float(np.tanh(z))}


def _standard_errors(theta: np.ndarray, law: Law, battles: Battles) -> dict[str, float]:
    """Delta-method standard errors of the reported parameters from the inverse observed information."""
    hess = _hessian(theta, law, battles)
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        return {}
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) < 0):
        return {}
    names = list(_reported(theta, law))
    jac = np.empty((len(names), theta.size))
    for j in range(theta.size):
        step = 1e-6 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += step
        down[j] -= step
        hi, lo = _reported(up, law), _reported(down, law)
        jac[:, j] = [(hi[n] - lo[n]) / (2 * step) for n in names]
    variances = np.einsum("ij,jk,ik->i", jac, cov, jac)
    return {n: float(np.sqrt(v)) if v > 0 else 0.0 for n, v in zip(names, variances)}


@dataclass
class BattleFit:
    """One law fitted across battles."""

    law: str
    battles: int
    parameters: dict[str, Estimate]
    loglik: float
    free_parameters: int
    bootstrap: int
    seed: int | None
    theta: np.ndarray = field(repr=False)
    aic: float = field(init=False)
    bic: float = field(init=False)

    def __post_init__(self) -> None:
        self.aic = aic(self.loglik, self.free_parameters)
        self.bic = bic(self.loglik, self.free_parameters, self.battles)

    def to_dict(self) -> dict:
        return {"law": self.law, "battles": self.battles, "parameters": {k: v.to_dict() for k, v in self.parameters.items()},
                "loglik": self.loglik, "free_parameters": self.free_parameters, "aic": self.aic, "bic": self.bic,
                "bootstrap": self.bootstrap, "seed": self.seed}


FIXED_BY_LAW = ("p", "q", "p+q", "q-p")


def fit_battles(battles: Battles, law: str = "fitted", *, bootstrap: int = 0, seed: int = 0,
                starts: list[tuple[float, float]] | None = None, progress: Callable[[int], None] | None = None) -> BattleFit:
    """Fit one law across battles by maximum likelihood.

    Parameters
    ----------
    battles
        The battles (see :meth:`Battles.from_frame`).
    law
        A key of :data:`pawns.history.laws.LAWS`.
    bootstrap
        Number of resamples of battles for 90% percentile intervals (0: normal intervals from the
        observed information instead).
    seed
        Seed of the bootstrap's resampling.
    starts
        Exponent pairs to start the fitted law from (default: the three named laws' exponents
        and their mean), so the free fit is never worse than a named law it nests.
    progress
        Called with 1 after each bootstrap resample (for a progress bar).
    """
    if law not in LAWS:
        raise KeyError(f"unknown law {law!r}; known: {list(LAWS)}")
    spec = LAWS[law]
    theta = _maximize(spec, battles, _starts(spec, battles, starts))
    point = _reported(theta, spec)
    ses = _standard_errors(theta, spec, battles)
    draws = _bootstrap(spec, battles, theta, bootstrap, seed, progress) if bootstrap > 0 else None
    parameters = {}
    for i, (name, value) in enumerate(point.items()):
        se = ses.get(name, float("nan"))
        if name in FIXED_BY_LAW and not spec.free:
            parameters[name] = Estimate(value, float("nan"), float("nan"), float("nan"))
        elif draws is not None:
            low, high = np.quantile(draws[:, i], [0.05, 0.95])
            parameters[name] = Estimate(value, se, float(low), float(high))
        else:
            parameters[name] = normal_interval(value, se)
    loglik = -negative_loglik(theta, spec, battles)
    return BattleFit(law, len(battles), parameters, loglik, theta.size, bootstrap, seed if bootstrap > 0 else None, theta)


def _starts(law: Law, battles: Battles, pairs: list[tuple[float, float]] | None) -> list[np.ndarray]:
    if not law.free:
        return [_moment_start(law, battles, law.fires_exponent, law.exposure_exponent)]
    if pairs is None:
        pairs = [(1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (2.0 / 3.0, 2.0 / 3.0)]
    return [_moment_start(law, battles, p, q) for p, q in pairs]


def _bootstrap(law: Law, battles: Battles, theta: np.ndarray, resamples: int, seed: int,
               progress: Callable[[int], None] | None) -> np.ndarray:
    """Refit on battles drawn with replacement, starting from the full-data optimum."""
    rng = np.random.default_rng(seed)
    n = len(battles)
    draws = []
    for _ in range(resamples):
        sample = battles.take(rng.integers(0, n, size=n))
        draws.append(list(_reported(_maximize(law, sample, [theta]), law).values()))
        if progress is not None:
            progress(1)
    return np.array(draws)


@dataclass
class BattleComparison:
    """Square, linear, logarithmic and fitted-exponent laws fitted to the same battles."""

    fits: dict[str, BattleFit]
    akaike_weights: dict[str, float]
    bic_probabilities: dict[str, float]
    lr_pvalues: dict[str, float]
    ratio_slope: Estimate

    @property
    def best_by_aic(self) -> str:
        return min(self.fits, key=lambda n: self.fits[n].aic)

    @property
    def best_named_by_aic(self) -> str:
        return min((n for n in self.fits if n != "fitted"), key=lambda n: self.fits[n].aic)

    def to_dict(self) -> dict:
        return {"fits": {k: v.to_dict() for k, v in self.fits.items()}, "akaike_weights": self.akaike_weights,
                "bic_probabilities": self.bic_probabilities, "lr_pvalue_vs_fitted": self.lr_pvalues,
                "casualty_ratio_slope": self.ratio_slope.to_dict(), "best_by_aic": self.best_by_aic}


def casualty_ratio_slope(battles: Battles) -> Estimate:
    """Slope of ``log(C_a/C_b)`` on ``log(S_a/S_b)`` by ordinary least squares, with its standard error.

    For short battles every law implies ``C_a/C_b = (k_a/k_b) (S_a/S_b)^(q-p)``, so the slope
    estimates ``q - p`` free of any battle's overall intensity: -1 for the square law, 0 for the
    linear law, +1 for the logarithmic law. A descriptive check beside the likelihood comparison.
    """
    x = np.log(battles.strength_a / battles.strength_b)
    y = np.log(battles.casualties_a / battles.casualties_b)
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    sigma2 = residual @ residual / (len(y) - 2)
    se = float(np.sqrt(sigma2 * np.linalg.inv(design.T @ design)[1, 1]))
    return normal_interval(float(coef[1]), se)


def compare_battle_laws(battles: Battles, *, bootstrap: int = 0, seed: int = 0,
                        progress: Callable[[int], None] | None = None) -> BattleComparison:
    """Fit every law of :data:`pawns.history.laws.LAWS` to the same battles and compare them.

    The fitted-exponent law starts from the best named law's exponents (and from p = q = 2/3), so
    it is never worse than the laws it nests. ``bootstrap`` (with ``seed``) applies to the fitted-exponent law only: the named laws'
    exponents are fixed.
    """
    fits = {name: fit_battles(battles, name) for name in LAWS if name != "fitted"}
    best = min(fits, key=lambda n: fits[n].aic)
    starts = [_unpack(fits[best].theta, LAWS[best])[2:4], (2 / 3, 2 / 3)]
    fits["fitted"] = fit_battles(battles, "fitted", bootstrap=bootstrap, seed=seed, starts=starts,
                                 progress=progress)
    names = list(fits)
    aw = weights(np.array([fits[n].aic for n in names]))
    bw = weights(np.array([fits[n].bic for n in names]))
    full = fits["fitted"]
    lr = {n: likelihood_ratio_pvalue(fits[n].loglik, full.loglik, full.free_parameters - fits[n].free_parameters)
          for n in names if n != "fitted"}
    return BattleComparison(fits, dict(zip(names, map(float, aw))), dict(zip(names, map(float, bw))), lr,
                            casualty_ratio_slope(battles))
