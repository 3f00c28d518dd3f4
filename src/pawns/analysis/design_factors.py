"""What a sensitivity design varies, and how a row of uniforms becomes a row of parameters.

Sobol' and Morris designs need *independent* inputs. A scenario calibrated by ``pawns
calibrate`` draws some parameters jointly from posterior particles (correlated, one particle
per member, as ``pawns run`` draws them), and the rest independently from their own
distributions. Two designs follow:

* **posterior** (the default where the scenario names a posterior): every uncertain parameter
  outside the posterior is one factor, and the calibrated parameters together are one more
  factor, ``posterior``, whose uniform picks a particle by the inverse CDF of the particles'
  weights -- the rule :func:`pawns.engine.draws.posterior_rows` uses for members. The factors
  are independent of each other, so the block's Sobol' indices are exact group indices. Which
  calibrated parameter inside the block matters is told by a first-order index from the given
  data (:func:`given_data_first_order`), which correlated inputs allow.
* **prior**: every uncertain parameter is a factor over its own distribution, the posterior
  ignored (the calibration's priors stand in for the calibrated parameters).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal, Sequence

import numpy as np

from pawns.analysis.design_runs import full_matrix, unit_to_values
from pawns.engine.draws import particle_rows
from pawns.engine.rng import stream_key, uniforms
from pawns.errors import PawnsError
from pawns.model.space import ParameterSpace
from pawns.scenario.schema import parameter_group

DesignName = Literal["posterior", "prior"]
DESIGNS = ("posterior", "prior")
POSTERIOR_FACTOR = "posterior"  # the factor that picks a posterior particle for the calibrated block
_MORRIS_PARTICLES = stream_key("morris posterior particles")


@dataclass(frozen=True)
class Factors:
    """The independent factors of a design over a scenario's parameter space.

    Attributes
    ----------
    design
        ``"posterior"`` or ``"prior"``.
    space
        The parameter space (with its posterior in the posterior design, without it in the prior design).
    parameters
        Uncertain parameters varied one factor each, over their own distributions.
    calibrated
        Parameters drawn together from one posterior particle per row, the factor ``posterior``
        (empty in the prior design, or when ``--vary`` leaves the block out).
    held
        Uncertain parameters held at their medians (the calibrated ones at their posterior medians).
    """

    design: DesignName
    space: ParameterSpace
    parameters: tuple[str, ...]
    calibrated: tuple[str, ...]
    held: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The design's columns: one per independent parameter, then ``posterior`` for the calibrated block."""
        return self.parameters + ((POSTERIOR_FACTOR,) if self.calibrated else ())

    @property
    def groups(self) -> tuple[str, ...]:
        """The factor of each column: its own name, or its group's (a drift's innovations: :func:`~pawns.scenario.schema.parameter_group`)."""
        return tuple(parameter_group(name) for name in self.names)

    def grouped(self) -> dict[str, list[str]]:
        """The independent parameters by factor, in design order (a group lists its members)."""
        found: dict[str, list[str]] = {}
        for name in self.parameters:
            found.setdefault(parameter_group(name), []).append(name)
        return found

    def matrix(self, unit: np.ndarray, *, method: str, seed: int, samples: int) -> np.ndarray:
        """The full ``(rows, D)`` parameter matrix of a design's uniforms (one column per factor).

        In a Morris design the block's four levels are equal-probability bins of the particles'
        weights; each trajectory draws its own place inside the bins (seeded), so the design
        visits two particles per trajectory rather than the same four particles everywhere.
        """
        unit = np.asarray(unit, dtype=np.float64)
        matrix = full_matrix(self.space, self.parameters, unit_to_values(self.space, self.parameters, unit[:, :len(self.parameters)]))
        posterior = self.space.posterior
        if posterior is None:
            return matrix
        columns = [self.space.index(name) for name in self.calibrated]
        sources = [posterior.names.index(name) for name in self.calibrated]
        if self.calibrated:
            u = unit[:, len(self.parameters)]
            if method == "morris":
                u = _morris_particle_uniforms(u, rows_per_trajectory=unit.shape[0] // samples, seed=seed)
            matrix[:, columns] = posterior.values[particle_rows(posterior.weights, u)][:, sources]
        held = [name for name in self.held if name in posterior.names]
        for name in held:
            matrix[:, self.space.index(name)] = weighted_median(posterior.values[:, posterior.names.index(name)], posterior.weights)
        return matrix

    def describe_posterior(self) -> str:
        """The ``posterior`` factor in words."""
        posterior = self.space.posterior
        if posterior is None or not self.calibrated:
            return ""
        return (f"one particle of the calibrated posterior ({len(posterior.weights):,} weighted draws) gives all "
                f"{len(self.calibrated)} calibrated parameters together")


def design_space(space: ParameterSpace, design: str | None, scenario_name: str) -> ParameterSpace:
    """The parameter space a design draws from: with its posterior (``"posterior"``), or without (``"prior"``).

    ``design`` None is posterior where the scenario names one and prior otherwise; asking for
    ``"posterior"`` of a scenario without calibrated parameters is an error.
    """
    if design is not None and design not in DESIGNS:
        raise PawnsError(f"unknown design '{design}'; valid designs: {', '.join(DESIGNS)}")
    if design == "posterior" and not space.calibrated():
        raise PawnsError(f"--design posterior: scenario '{scenario_name}' draws no parameter from a calibrated posterior; "
                         "use --design prior")
    return dataclasses.replace(space, posterior=None) if design == "prior" or not space.calibrated() else space


def choose_factors(space: ParameterSpace, design: str | None, vary: Sequence[str] | None, scenario_name: str) -> Factors:
    """The factors of a design: which parameters vary alone, which as the posterior block, which are held.

    Parameters
    ----------
    space
        The scenario's parameter space, with its posterior if it names one.
    design
        ``"posterior"``, ``"prior"``, or None for posterior where the scenario has one (:func:`design_space`).
    vary
        Glob patterns of the uncertain parameters to vary (all when empty). In the posterior
        design a pattern matching any calibrated parameter varies the whole block.
    """
    space = design_space(space, design, scenario_name)
    calibrated = space.calibrated()
    chosen: DesignName = "posterior" if calibrated else "prior"
    uncertain = space.uncertain()
    selected = set(select_parameters(uncertain, vary))
    block = tuple(calibrated) if any(name in selected for name in calibrated) else ()
    parameters = tuple(name for name in uncertain if name in selected and name not in calibrated)
    held = tuple(name for name in uncertain if name not in parameters and name not in block)
    if len(parameters) + (1 if block else 0) < 2:
        raise PawnsError(f"sensitivity analysis needs at least 2 factors to vary, got {len(parameters) + (1 if block else 0)} "
                         f"({', '.join(parameters + ((POSTERIOR_FACTOR,) if block else ())) or 'none'}); widen --vary")
    return Factors(chosen, space, parameters, block, held)


def select_parameters(uncertain: Sequence[str], patterns: Sequence[str] | None) -> list[str]:
    """The uncertain parameters matching any of ``patterns`` (all of them when none are given)."""
    if not patterns:
        return list(uncertain)
    chosen = [name for name in uncertain if any(fnmatchcase(name, p) for p in patterns)]
    for pattern in patterns:
        if not any(fnmatchcase(name, pattern) for name in uncertain):
            raise PawnsError(f"--vary '{pattern}' matches no uncertain parameter; `pawns show SCENARIO --uncertain` lists them")
    return chosen


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The median of weighted draws (the smallest value with half the weight at or below it)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64)[order])
    return float(values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


def _morris_particle_uniforms(unit: np.ndarray, rows_per_trajectory: int, seed: int) -> np.ndarray:
    """Spread a Morris factor's level midpoints over their bins, one random offset per trajectory."""
    levels = np.floor(unit * 4.0)  # unit = (level + 0.5) / 4 in a Morris design
    trajectory = np.arange(unit.size) // max(rows_per_trajectory, 1)
    offset = uniforms(seed, trajectory.astype(np.int64), _MORRIS_PARTICLES)
    return np.clip((levels + offset) / 4.0, 1e-12, 1.0 - 1e-12)


def given_data_first_order(x: np.ndarray, y: np.ndarray, clusters: np.ndarray, *, resamples: int, confidence: float,
                           seed: int) -> tuple[float, float]:
    """First-order index of ``x`` for ``y`` from given data, with a bootstrap half-interval.

    The share of ``y``'s variance explained by the mean of ``y`` in equal-count classes of ``x``
    (SALib's given-data estimator, ``sobol_first`` of ``SALib.analyze.delta``): defined for
    correlated inputs, where it includes what ``x`` carries of the parameters it is correlated
    with. A design's rows repeat each particle within a Sobol' block or a Morris trajectory
    (``clusters``), so the number of classes follows SALib's rule for the number of *distinct*
    values of ``x`` (more classes than that would explain noise), and the bootstrap resamples
    whole clusters.
    """
    from scipy.stats import norm
    from SALib.analyze.delta import sobol_first

    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if np.ptp(y) == 0 or np.ptp(x) == 0:
        return float("nan"), float("nan")
    estimate = float(sobol_first(y, x, _classes(np.unique(x).size, y.size)))
    labels, members = np.unique(np.asarray(clusters), return_inverse=True)
    rows_of = [np.flatnonzero(members == k) for k in range(labels.size)]
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        pick = np.concatenate([rows_of[k] for k in rng.integers(0, labels.size, labels.size)])
        draws.append(sobol_first(y[pick], x[pick], _classes(np.unique(x[pick]).size, pick.size)))
    return estimate, float(norm.ppf(0.5 + confidence / 2) * np.std(draws, ddof=1))


def _classes(distinct: int, rows: int) -> np.ndarray:
    """Class boundaries by rank over ``rows`` values: SALib's count of classes for ``distinct`` draws (as in delta.analyze)."""
    m = int(np.round(min(int(np.ceil(distinct ** (2.0 / (7.0 + np.tanh((1500.0 - distinct) / 500.0))))), 48)))
    return np.linspace(0, rows, max(m, 2) + 1)
