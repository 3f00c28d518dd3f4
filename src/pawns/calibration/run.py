"""Calibrate a scenario: the window's data, the sampler and the model runs put together.

``calibrate(scenario, until)`` runs the scenario from its start to ``until`` for every particle
of the sampler (one plan per generation, through the run path: in this process or on Dask
workers), scores each run with the observation models, and returns the posterior over the
scenario's uncertain parameters with its diagnostics. ``write_calibration`` writes it all to a
directory atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
from scipy import special

from pawns.calibration.data import NO_END, CalibrationData, build_data
from pawns.calibration.diagnostics import parameter_table, predictive_check, warn_outside_prior
from pawns.calibration.likelihood import log_likelihood, predictions
from pawns.calibration.posterior import posterior_csv
from pawns.calibration.smc import CalibrationError, Generation, SMCResult, temper
from pawns.calibration.state import STATE_PREFIX, check_start_state, read_start_state
from pawns.engine.draws import draw_parameters
from pawns.engine.plan import DEFAULT_CHUNK, Ensemble, Evaluator, Plan, run_stacked
from pawns.engine.rng import stream_key, uniforms
from pawns.engine.simulate import BatchResult
from pawns.errors import ScenarioError
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.observations.models import ObservationParams
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    from pawns.outputs import Output

DEFAULT_PARTICLES = 1000
DEFAULT_GENERATIONS = 15
_U_CLIP = 1e-12


@dataclass
class CalibrationResult:
    """A posterior and how it was reached."""

    scenario: Scenario
    until: dt.date
    seed: int
    names: list[str]
    prior: np.ndarray
    posterior: np.ndarray
    weights: np.ndarray
    transfer: list[str]
    data: CalibrationData
    smc: SMCResult
    parameters: "object"
    predictive: "object"
    warnings: list[str] = field(default_factory=list)
    start_state: dict[str, np.ndarray] = field(default_factory=dict)  # carried parameters: each posterior particle's state at ``until``

    @property
    def generations(self) -> list[Generation]:
        return self.smc.generations


@dataclass(frozen=True)
class Predictions:
    """A reducer of the run path: a chunk's noise-free counterparts of the window's observations,
    and the start parameters it carries to the next scenario (``STATE_PREFIX`` + name), read at its end."""

    data: CalibrationData
    start_state: tuple[str, ...] = ()

    def __call__(self, layout: Layout, batch: BatchResult) -> dict[str, np.ndarray]:
        found = predictions(layout, self.data, batch.daily_series, batch.matrix)
        if self.data.fought_on:
            found[NO_END] = np.asarray(batch.final.cumulative_hazard, dtype=np.float64)
        return {**found, **read_start_state(list(self.start_state), layout, batch.matrix, batch.initial, batch.final)}


def calibrated_scenario(scenario: Scenario, until: dt.date) -> Scenario:
    """What calibrating ``scenario`` to ``until`` runs: itself, or, for a day before its start, its run-up.

    A scenario that starts after its data (``ru-ua-2026``) names the scenario that runs up to
    its start (``[calibration] run_up``); calibrating it to the day before its start calibrates
    the run-up, whose posterior carries the state at that day as this scenario's start.
    """
    meta = scenario.meta
    if until >= meta.start_date:
        return scenario
    run_up_name = scenario.calibration.run_up if scenario.calibration is not None else None
    if run_up_name is None:
        raise CalibrationError(f"--until {until} is before the start of {meta.name} ({meta.start_date}): a calibration needs at least "
                               "30 days after the scenario start, and it names no [calibration] run_up to calibrate instead")
    run_up = load_scenario(run_up_name)
    if until != meta.start_date - dt.timedelta(days=1):
        raise CalibrationError(f"--until {until}: {meta.name} starts on {meta.start_date}, so its run-up {run_up.meta.name} is calibrated "
                               f"to the day before, {meta.start_date - dt.timedelta(days=1)}")
    carried = run_up.calibration.start_state if run_up.calibration is not None else []
    if not carried:
        raise CalibrationError(f"the run-up {run_up.meta.name} of {meta.name} carries no start state ([calibration] start_state)")
    return run_up


def window_scenario(scenario: Scenario, until: dt.date) -> Scenario:
    """The scenario from its start to ``until``, drawing from its priors (any posterior file is dropped)."""
    meta = scenario.meta
    days = (until - meta.start_date).days
    if days < 30:
        raise CalibrationError(f"--until {until} must be at least 30 days after the scenario start {meta.start_date}")
    if days > meta.horizon_days:
        end = meta.start_date + dt.timedelta(days=meta.horizon_days)
        raise CalibrationError(f"--until {until} is after the end of the scenario's horizon ({end})")
    tranches_ok = {name: c.model_copy(update={"tranches": [t for t in c.tranches if t.date <= until]})
                   for name, c in scenario.contingents.items()}
    return scenario.with_horizon(days, posterior=None).model_copy(update={"contingents": tranches_ok})


def calibrate(scenario: Scenario, until: dt.date, *, particles: int = DEFAULT_PARTICLES, seed: int = 0,
              generations: int = DEFAULT_GENERATIONS, target_ess: float = 0.5, final_moves: int = 2,
              progress: Callable[[int], None] | None = None, data: CalibrationData | None = None,
              chunk_size: int = DEFAULT_CHUNK, evaluator: Evaluator | None = None, as_of: dt.date | None = None) -> CalibrationResult:
    """Sample the posterior of ``scenario``'s uncertain parameters given the data up to ``until``.

    Parameters
    ----------
    scenario
        The scenario; its priors are the starting point (a ``posterior`` file it names is ignored).
    until
        Last day of data used.
    particles
        Particles (members per generation).
    seed
        Seed of the model runs and of the sampler.
    generations
        Most generations of the sampler (one batch of ``particles`` model runs each, plus one for the prior).
    target_ess
        Share of the particles the effective sample size is held at while tempering.
    final_moves
        Moves at temperature 1 after tempering ends.
    progress
        Called with the number of member-steps just completed.
    data
        Observations to use instead of the observed series of the window (e.g. data simulated
        by the model itself, to check that calibration recovers known parameters).
    chunk_size, evaluator
        Particles simulated together, and where (default: this process); neither changes results.
    as_of
        Read the data as observed by this day (default: the scenario's end). A back-test passes
        its cut-off, so that nothing published after it informs the forecast.

    Warns
    -----
    CalibrationWarning
        Data outside the prior predictive, a collapsed ESS, or a generation where every proposal was rejected.
    """
    if particles < 10:
        raise CalibrationError("--particles must be at least 10")
    window = window_scenario(scenario, until)
    layout = Layout.from_scenario(window)
    space = layout.space
    names = space.uncertain()
    if not names:
        raise CalibrationError(f"scenario {scenario.meta.name} has no uncertain parameters to calibrate")
    transfer = _transfer_names(scenario, space, names)
    start_state = list(scenario.calibration.start_state) if scenario.calibration is not None else []
    check_start_state(scenario.meta.name, start_state, layout)
    columns = [space.index(name) for name in names]
    specs = [space.specs[c] for c in columns]
    base = draw_parameters(space, np.arange(particles, dtype=np.int64), seed=seed)
    lag = space.specs[space.index("observations.named_dead_lag_days")].central()
    # The data as observed by the scenario's end: what was published later does not change it.
    end = as_of or scenario.meta.start_date + dt.timedelta(days=scenario.meta.horizon_days)
    # The DPRK claims observe a contingent: without one in the window the model has nothing to compare with them.
    data = data if data is not None else build_data(window.meta.start_date, until, lag, as_of=end, with_claims=bool(layout.tranches))
    if sum(data.count().values()) == 0:
        raise CalibrationError(f"no observations between {window.meta.start_date} and {until}")
    obs_seed = seed
    predict = Predictions(data, tuple(start_state))

    def to_matrix(z: np.ndarray) -> np.ndarray:
        matrix = base.copy()
        u = np.clip(special.ndtr(z), _U_CLIP, 1.0 - _U_CLIP)
        for j, (column, spec) in enumerate(zip(columns, specs)):
            matrix[:, column] = spec.ppf(u[:, j])
        return matrix

    def evaluate(z: np.ndarray, generation: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        matrix = to_matrix(z)
        plan = Plan.of([Ensemble("particles", layout, matrix, record="daily")], particles, seed=seed,
                       first_member=generation * particles, chunk_size=chunk_size)
        found = run_stacked(plan, predict, evaluator=evaluator, progress=progress)["particles"]
        predicted = {k: v for k, v in found.items() if not k.startswith(STATE_PREFIX)}
        parts = log_likelihood(data, predicted, ObservationParams.from_matrix(layout, matrix))
        total = np.sum(list(parts.values()), axis=0) if parts else np.zeros(particles)
        carried = {k: v for k, v in found.items() if k.startswith(STATE_PREFIX)}
        return total, {**{f"pred:{k}": v for k, v in predicted.items()}, **carried}

    z0 = special.ndtri(np.column_stack([uniforms(seed, np.arange(particles, dtype=np.int64), stream_key(n)) for n in names]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = temper(evaluate, z0, seed=seed, target_ess=target_ess, max_generations=generations, final_moves=final_moves)
        prior_matrix, post_matrix = to_matrix(z0), to_matrix(result.z)
        prior_pred = {k[5:]: v for k, v in result.prior_extras.items() if k.startswith("pred:")}
        post_pred = {k[5:]: v for k, v in result.extras.items() if k.startswith("pred:")}
        rows = predictive_check(data, prior_pred, ObservationParams.from_matrix(layout, prior_matrix), obs_seed, "prior")
        rows += predictive_check(data, post_pred, ObservationParams.from_matrix(layout, post_matrix), obs_seed, "posterior")
        warn_outside_prior(rows)
    import pandas as pd

    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    for w in caught:  # re-emit, so callers see them too
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    prior_values, post_values = prior_matrix[:, columns], post_matrix[:, columns]
    table = parameter_table(names, prior_values, post_values, result.weights)
    carried = {name: result.extras[STATE_PREFIX + name] for name in start_state}
    return CalibrationResult(scenario, until, seed, names, prior_values, post_values, result.weights, transfer, data,
                             result, table, pd.DataFrame(rows), messages, carried)


def _transfer_names(scenario: Scenario, space: "object", uncertain: list[str]) -> list[str]:
    """The calibrated parameters a posterior file hands on: the scenario's transfer list, or all.

    A listed parameter the scenario (or a ``--set``) fixes has no posterior and is left out.
    """
    if scenario.calibration is None or not scenario.calibration.transfer:
        return list(uncertain)
    for name in scenario.calibration.transfer:
        if name not in space.names:  # type: ignore[attr-defined]
            raise ScenarioError(scenario.meta.name, "calibration.transfer", "names of parameters of the scenario (see `pawns show`)", name)
    return [name for name in scenario.calibration.transfer if name in uncertain]


def summary(result: CalibrationResult) -> dict:
    """Settings, data counts, sampler path and warnings, as JSON-ready values."""
    last = result.generations[-1]
    return {
        "scenario": result.scenario.meta.name,
        "start_date": str(result.data.start),
        "until": str(result.until),
        "seed": result.seed,
        "particles": int(result.posterior.shape[0]),
        "parameters": len(result.names),
        "observations": result.data.count(),
        "generations": [g.__dict__ for g in result.generations],
        "final_temperature": last.temperature,
        "final_ess": last.ess,
        "distinct_particles": last.unique,
        "transfer": result.transfer,
        "start_state": list(result.start_state),
        "warnings": result.warnings,
    }


def write_calibration(output: "Output", result: CalibrationResult, posterior: "Output | None" = None) -> Path:
    """Write a calibration folder (checked and claimed ``output``); also the posterior file to ``posterior`` if given.

    Files: ``posterior.csv`` (the transferable parameters and the start state carried from the
    window's end, with weights, for ``posterior = "FILE"``), ``particles.csv`` (every calibrated
    parameter), ``parameters.csv`` (prior vs posterior), ``predictive.csv`` (prior and posterior
    predictive checks), ``generations.csv``, ``calibration.json`` (settings, data counts,
    warnings), then the manifest and ``COMPLETE``.
    """
    import pandas as pd

    particles = pd.DataFrame(result.posterior, columns=result.names)
    particles["weight"] = result.weights
    posterior_text = posterior_file_text(result)
    files = {
        "posterior.csv": posterior_text,
        "particles.csv": particles.to_csv(index=False, float_format="%.10g"),
        "parameters.csv": result.parameters.to_csv(index=False, float_format="%.6g"),  # type: ignore[attr-defined]
        "predictive.csv": result.predictive.to_csv(index=False, float_format="%.6g"),  # type: ignore[attr-defined]
        "generations.csv": pd.DataFrame([g.__dict__ for g in result.generations]).to_csv(index=False, float_format="%.6g"),
        "calibration.json": json.dumps(summary(result), indent=2) + "\n",
    }
    target = output.write_files(files)
    if posterior is not None:
        posterior.write_bytes(posterior_text.encode("utf-8"))
    return target


def posterior_file_text(result: CalibrationResult) -> str:
    """The posterior file: the transferred parameters, then the carried start state, one row per particle."""
    keep = [result.names.index(n) for n in result.transfer]
    names = result.transfer + list(result.start_state)
    values = np.column_stack([result.posterior[:, keep], *result.start_state.values()]) if names else np.empty((len(result.weights), 0))
    return posterior_csv(names, values, result.weights)
