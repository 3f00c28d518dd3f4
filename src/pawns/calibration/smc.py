"""Sequential Monte Carlo with likelihood tempering, in the standard-normal space of the priors.

Every uncertain parameter is the quantile function of its prior applied to a uniform, and the
uniform is the normal CDF of a standard-normal ``z``: in ``z`` the prior is N(0, I) whatever the
distributions. The sampler moves a population of particles from the prior (temperature 0) to
the posterior (temperature 1) through intermediate targets ``prior x likelihood^beta``:

1. reweight: raise beta as far as keeps the effective sample size (ESS) at ``target_ess`` x N;
2. resample (systematic) when beta moved;
3. move each particle once with a preconditioned Crank-Nicolson proposal, coordinate by
   coordinate ``z'_j = sqrt(1 - rho_j^2) z_j + rho_j xi_j``, which leaves the N(0, I) prior
   invariant, so the Metropolis acceptance depends on the likelihood ratio alone, in any
   dimension. ``rho_j = min(1, k x sd_j)`` with ``sd_j`` the particles' spread in coordinate j:
   parameters the data pin down move in small steps, parameters they leave alone are redrawn
   almost afresh from the prior; ``k`` adapts to keep acceptance in a useful range.

Each generation is one batch of model runs. All random numbers come from the counter-based
generator, so a calibration is reproducible from its seed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy import special

from pawns.engine.rng import stream_key, uniforms
from pawns.errors import PawnsError

Evaluate = Callable[[np.ndarray, int], tuple[np.ndarray, dict[str, np.ndarray]]]

ESS_COLLAPSE_FRACTION = 0.1  # below this share of N after a forced final step, the posterior is a handful of particles
ACCEPTANCE_LOW, ACCEPTANCE_HIGH = 0.15, 0.45


class CalibrationError(PawnsError):
    """A calibration cannot produce a posterior (e.g. no member can produce the data)."""


class CalibrationWarning(UserWarning):
    """A calibration produced a posterior that should not be trusted as it stands."""


@dataclass(frozen=True)
class Generation:
    """What one generation of the sampler did."""

    index: int
    temperature: float
    ess: float
    acceptance: float
    moves: int
    step: float  # k: proposal scale per unit of the particles' spread
    unique: int


@dataclass
class SMCResult:
    """Final particles and the path that led to them."""

    z: np.ndarray
    loglik: np.ndarray
    extras: dict[str, np.ndarray]
    weights: np.ndarray
    generations: list[Generation]
    prior_loglik: np.ndarray
    prior_extras: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def temperature(self) -> float:
        return self.generations[-1].temperature if self.generations else 0.0


def ess(weights: np.ndarray) -> float:
    """Effective sample size ``(sum w)^2 / sum w^2`` of non-negative weights."""
    total = weights.sum()
    return float(total * total / np.sum(weights * weights)) if total > 0 else 0.0


def tempered_weights(loglik: np.ndarray, delta: float) -> np.ndarray:
    """Weights ``exp(delta x loglik)``, scaled for stability; zero where the likelihood is zero."""
    finite = np.isfinite(loglik)
    out = np.zeros_like(loglik)
    if finite.any():
        out[finite] = np.exp(delta * (loglik[finite] - loglik[finite].max()))
    return out


def next_increment(loglik: np.ndarray, remaining: float, target: float) -> float:
    """The largest temperature increment (at most ``remaining``) whose weights keep ESS >= ``target``."""
    if ess(tempered_weights(loglik, remaining)) >= target:
        return remaining
    low, high = 0.0, remaining
    for _ in range(60):
        mid = 0.5 * (low + high)
        if ess(tempered_weights(loglik, mid)) >= target:
            low = mid
        else:
            high = mid
    return max(low, 1e-12 * remaining)


def systematic_resample(weights: np.ndarray, u: float) -> np.ndarray:
    """Indices of a systematic resample of ``weights`` with offset ``u`` in (0, 1)."""
    n = weights.size
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, (np.arange(n) + u) / n, side="right").clip(0, n - 1)


def _normals(seed: int, n: int, d: int, name: str) -> np.ndarray:
    u = uniforms(seed, np.arange(n * d, dtype=np.int64), stream_key(name))
    return special.ndtri(u).reshape(n, d)


def temper(evaluate: Evaluate, z0: np.ndarray, *, seed: int, target_ess: float = 0.5, max_generations: int = 15,
           final_moves: int = 2, max_moves: int = 3, on_generation: Callable[[Generation], None] | None = None) -> SMCResult:
    """Run the tempering sampler from prior draws ``z0``.

    Parameters
    ----------
    evaluate
        ``evaluate(z, generation) -> (loglik, extras)``: runs the model for every particle and
        returns the log-likelihood ``(N,)`` and per-particle arrays to carry along (predictions).
    z0
        ``(N, d)`` prior draws in standard-normal space.
    seed
        Seed of the sampler's own random numbers (resampling, proposals, acceptance).
    target_ess
        Share of N the ESS is held at when the temperature rises.
    max_generations
        Tempering generations at most; if the temperature has not reached 1 by the last one, it
        is forced to 1 (with a :class:`CalibrationWarning` when that collapses the ESS).
    final_moves
        Further moves at temperature 1, to spread the copies that resampling made.
    max_moves
        Moves per generation at most; moves repeat until the acceptance rates add up to 1.
    on_generation
        Called after each generation (for progress reports).

    Raises
    ------
    CalibrationError
        When no particle of the prior can produce the data (every likelihood is zero).
    """
    n, d = z0.shape
    z = z0.copy()
    loglik, extras = evaluate(z, 0)
    prior_loglik, prior_extras = loglik.copy(), {k: v.copy() for k, v in extras.items()}
    if not np.isfinite(loglik).any():
        raise CalibrationError("every member of the prior has zero likelihood: the model cannot produce the observed data "
                               "(check the window, the observation models and the priors)")
    beta, step, batch = 0.0, 1.0, 0
    generations: list[Generation] = []
    moves_left = final_moves
    for g in range(1, max_generations + final_moves + 1):
        remaining = 1.0 - beta
        current_ess = float(n)
        if remaining > 0:
            delta = remaining if g == max_generations else next_increment(loglik, remaining, target_ess * n)
            weights = tempered_weights(loglik, delta)
            current_ess = ess(weights)
            if g == max_generations and current_ess < ESS_COLLAPSE_FRACTION * n:
                warnings.warn(CalibrationWarning(
                    f"ESS collapsed to {current_ess:.1f} of {n} particles when the temperature was forced to 1 after "
                    f"{max_generations} generations: the posterior rests on a few particles (raise --generations or --particles)"))
            beta = 1.0 if delta >= remaining else beta + delta
            index = systematic_resample(weights / weights.sum(), float(uniforms(seed, np.array([g]), stream_key("calibration.resample"))[0]))
            z, loglik = z[index], loglik[index]
            extras = {k: v[index] for k, v in extras.items()}
        else:
            moves_left -= 1
        rates = []
        for move in range(max_moves):
            # Several moves when acceptance is low, so that most particles move at least once.
            batch += 1
            z, loglik, extras, rate = _move(evaluate, z, loglik, extras, beta, step, seed, batch)
            rates.append(rate)
            step = _adapt(step, rate)
            if sum(rates) >= 1.0 or remaining <= 0:
                break
        rate = float(np.mean(rates))
        generation = Generation(g, beta, current_ess, rate, len(rates), step, int(np.unique(z, axis=0).shape[0]))
        generations.append(generation)
        if on_generation is not None:
            on_generation(generation)
        if max(rates) == 0.0:
            warnings.warn(CalibrationWarning(f"every proposal was rejected in generation {g}: the particles did not move "
                                             f"(the posterior holds {generation.unique} distinct draws)"))
        if beta >= 1.0 and moves_left <= 0:
            break
    return SMCResult(z, loglik, extras, np.full(n, 1.0 / n), generations, prior_loglik, prior_extras)


def _move(evaluate: Evaluate, z: np.ndarray, loglik: np.ndarray, extras: dict[str, np.ndarray], beta: float, step: float,
          seed: int, batch: int) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], float]:
    """One Metropolis move of every particle at temperature ``beta`` (one batch of model runs)."""
    n, d = z.shape
    rho = np.clip(step * z.std(axis=0), 0.01, 1.0)[None, :]
    proposal = np.sqrt(1.0 - rho * rho) * z + rho * _normals(seed, n, d, f"calibration.move.{batch}")
    new_loglik, new_extras = evaluate(proposal, batch)
    log_u = np.log(uniforms(seed, np.arange(n, dtype=np.int64), stream_key(f"calibration.accept.{batch}")))
    with np.errstate(invalid="ignore"):
        accept = np.isfinite(new_loglik) & (log_u < beta * (new_loglik - loglik))
    z = np.where(accept[:, None], proposal, z)
    loglik = np.where(accept, new_loglik, loglik)
    extras = {k: np.where(accept.reshape((-1,) + (1,) * (v.ndim - 1)), new_extras[k], v) for k, v in extras.items()}
    return z, loglik, extras, float(accept.mean())


def _adapt(step: float, rate: float) -> float:
    # Small steps accept often but move little; large steps are rejected: aim between.
    if rate < ACCEPTANCE_LOW:
        return max(step * 0.5, 0.01)
    if rate > ACCEPTANCE_HIGH:
        return min(step * 1.5, 2.0)
    return step
