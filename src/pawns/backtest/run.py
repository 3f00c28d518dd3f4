"""Back-test a scenario from rolling cut-offs: calibrate on what was known, forecast, score.

At each cut-off, honestly:

1. the scenario is loaded with its vantage date moved to the cut-off, so ledger-bound priors
   reconcile only claims published by then; parameters whose stated sources cite later claims
   (hand-set priors cannot be re-derived) are listed, not hidden;
2. it is calibrated on the data as observed by the cut-off (``as_of``: daily values dated by
   then, months over by then, claims published by then; the named dead of the last
   ``named_dead_lag_days`` left out as before);
3. the posterior particles run from the scenario's start (its hand-set state: no filtering)
   on past the cut-off, to its longest horizon — past the scenario's own horizon if need be;
4. the forecast is scored against what was observed later (:mod:`pawns.backtest.targets`),
   beside the naive baselines fitted to the data observed by the cut-off.

Every model run goes through the run path (``run_stacked``), in this process or on Dask.
The model's forecast spread comes from the posterior ensemble; observation noise is not added.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from pawns.backtest.baselines import NormalForecast, baseline_forecasts
from pawns.backtest.scoring import crps_ensemble, crps_lower_bound, crps_normal, inside_interval, inside_normal_interval
from pawns.backtest.targets import BOUND, CHANGE, CLAIM, DEATHS, Target, history, targets_after
from pawns.calibration.run import CalibrationResult, calibrate, window_scenario
from pawns.calibration.smc import CalibrationError
from pawns.engine.draws import draw_parameters
from pawns.engine.plan import DEFAULT_CHUNK, Ensemble, Evaluator, Plan, run_stacked
from pawns.engine.simulate import BatchResult
from pawns.evidence.check import check_loaded
from pawns.evidence.ledger import load_ledger
from pawns.model.layout import Layout
from pawns.observations.models import StartOffsets, model_streams, side_index
from pawns.scenario.schema import Scenario

# The candidate: calibrated on the data observed by the cut-off, its particles run through the
# window (so each reaches the cut-off in the state its fit gives it, its drift at the window's
# last level) and on. Its third baseline: the scenario as shipped, its priors and posterior file
# run from its hand-set start, with nothing learned from the data after the scenario was written.
MODEL = "model"
UNFILTERED = "model without filtering"
CANDIDATE = MODEL
LEVEL = 0.9  # the interval whose coverage is scored
FORECAST_MEMBER_OFFSET = 1 << 40  # forecast runs use member indices apart from the calibration's
MIN_CALIBRATION_DAYS = 30


@dataclass(frozen=True)
class ObservedStreams:
    """A reducer of the run path: a chunk's noise-free observed streams and Russian deaths, ``(N, H + 1)`` each."""

    offsets: StartOffsets

    def __call__(self, layout: Layout, batch: BatchResult) -> dict[str, np.ndarray]:
        return observed_streams(layout, batch.daily_series, batch.matrix, self.offsets)


def observed_streams(layout: Layout, daily: Mapping[str, np.ndarray], matrix: np.ndarray, offsets: StartOffsets) -> dict[str, np.ndarray]:
    """Every observed stream (:func:`pawns.observations.models.model_streams`) and the deaths of Russian nationals."""
    streams = model_streams(layout, daily, matrix, offsets)
    side = side_index(layout)
    if side is not None:  # what the named dead bound from below
        streams[DEATHS] = np.asarray(daily["daily_killed"][:, :, side], dtype=float) - np.asarray(daily["daily_foreign_killed"][:, :, side], dtype=float)
    return streams


@dataclass
class OriginResult:
    """What one cut-off produced: score rows, and what the run could not know or do."""

    cutoff: dt.date
    rows: list[dict]
    later_claims: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def as_known_by(scenario: Scenario, cutoff: dt.date, until: dt.date) -> Scenario:
    """The scenario run on at least to ``until`` (its horizon lengthened if it ends before), without tranches dated after the cut-off.

    A deployment after the cut-off had not happened yet: the forecast does not know of it.
    """
    meta = scenario.meta
    days = max(meta.horizon_days, (until - meta.start_date).days)
    known = {name: c.model_copy(update={"tranches": [t for t in c.tranches if t.date <= cutoff]}) for name, c in scenario.contingents.items()}
    return scenario.with_horizon(days).model_copy(update={"contingents": known})


def has_foreign_contingent(scenario: Scenario) -> bool:
    """Whether the scenario sends a foreign contingent to Russia's side (whose casualties the DPRK claims count)."""
    return any(c.side == "RU" for c in scenario.contingents.values())


def posterior_matrix(layout: Layout, calibration: CalibrationResult, members: np.ndarray, seed: int) -> np.ndarray:
    """Parameter matrix of the forecast: calibrated columns from the posterior particles, the rest from the priors."""
    matrix = draw_parameters(layout.space, members, seed=seed)
    rows = np.arange(members.size) % calibration.posterior.shape[0]
    for j, name in enumerate(calibration.names):
        if name in layout.space.names:
            matrix[:, layout.space.index(name)] = calibration.posterior[rows, j]
    return matrix


def filtered_forecast(scenario: Scenario, calibration: CalibrationResult, until: dt.date, *, particles: int, seed: int,
                      chunk_size: int, evaluator: Evaluator | None, progress: Callable[[int], None] | None) -> dict[str, np.ndarray]:
    """The posterior particles run from the scenario's start to ``until``: every stream, ``(N, days + 1)`` from the start."""
    layout = Layout.from_scenario(window_scenario(scenario, until))
    members = FORECAST_MEMBER_OFFSET + np.arange(particles, dtype=np.int64)
    return _forecast(layout, posterior_matrix(layout, calibration, members, seed), members, seed=seed, chunk_size=chunk_size,
                     evaluator=evaluator, progress=progress)


def unfiltered_forecast(scenario: Scenario, until: dt.date, *, particles: int, seed: int, chunk_size: int,
                        evaluator: Evaluator | None, progress: Callable[[int], None] | None) -> dict[str, np.ndarray]:
    """The scenario as shipped (its priors and posterior file) run from its start to ``until``, nothing refitted."""
    shipped = scenario.with_horizon((until - scenario.meta.start_date).days)
    layout = Layout.from_scenario(shipped)
    members = FORECAST_MEMBER_OFFSET + np.arange(particles, dtype=np.int64)
    return _forecast(layout, draw_parameters(layout.space, members, seed=seed), members, seed=seed, chunk_size=chunk_size,
                     evaluator=evaluator, progress=progress)


def _forecast(layout: Layout, matrix: np.ndarray, members: np.ndarray, *, seed: int, chunk_size: int,
              evaluator: Evaluator | None, progress: Callable[[int], None] | None) -> dict[str, np.ndarray]:
    """Every observed stream of ``matrix``'s members run over ``layout``, ``(N, days + 1)`` from its start."""
    plan = Plan.of([Ensemble("forecast", layout, matrix, record="daily")], members, seed=seed, chunk_size=chunk_size)
    offsets = StartOffsets.at(layout.scenario.meta.start_date)
    return run_stacked(plan, ObservedStreams(offsets), evaluator=evaluator, progress=progress)["forecast"]


def model_values(target: Target, streams: dict[str, np.ndarray], cutoff_day: int) -> np.ndarray:
    """The members' forecast of a target: a level on a claim's day, else the change since the cut-off (deaths for a bound)."""
    series = streams[target.model_stream]
    value = series[:, cutoff_day + target.day]
    return value if target.kind == CLAIM else value - series[:, cutoff_day]


def score_model(target: Target, values: np.ndarray) -> dict:
    """CRPS and 90% coverage of an ensemble; a lower bound scores one-sided and 'covers' when it stays below the 95th percentile."""
    low, median, high = np.quantile(values, [(1 - LEVEL) / 2, 0.5, (1 + LEVEL) / 2])
    if target.kind == BOUND:
        crps, covered = float(crps_lower_bound(values, target.observed)), bool(target.observed <= high)
    else:
        crps, covered = float(crps_ensemble(values, target.observed)), bool(inside_interval(values, target.observed, LEVEL))
    return {"q05": low, "q50": median, "q95": high, "crps": crps, "covered90": float(covered)}


def score_baseline(target: Target, forecast: NormalForecast, offset: float) -> dict:
    """CRPS and 90% coverage of a baseline (a point forecast has no interval: coverage NaN)."""
    mean, sd = float(forecast.mean[0]) - offset, float(forecast.sd[0])
    half = 1.6448536269514722 * sd
    covered = float(inside_normal_interval(mean, sd, target.observed, LEVEL)) if sd > 0 else np.nan
    return {"q05": mean - half, "q50": mean, "q95": mean + half, "crps": float(crps_normal(mean, sd, target.observed)), "covered90": covered}


def score_targets(targets: list[Target], cutoff: dt.date, forecasts: dict[str, dict[str, np.ndarray]], cutoff_day: int) -> list[dict]:
    """One row per target and method: the model forecasts (by method name) and the baselines that can be fitted.

    A lower bound is scored for the models only: the baselines would extrapolate the names, not
    the deaths they bound.
    """
    rows = []
    for target in targets:
        head = {"cutoff": str(cutoff), "stream": target.stream, "kind": target.kind, "horizon": target.horizon,
                "target": target.label, "day": target.day, "observed": target.observed}
        for method, streams in forecasts.items():
            if target.model_stream in streams:
                rows.append({**head, "method": method, **score_model(target, model_values(target, streams, cutoff_day))})
        if target.kind == BOUND:
            continue
        t, y = history(target.stream, cutoff)
        if t.size == 0:
            continue
        offset = float(y[np.argmax(t)]) if target.kind == CHANGE else 0.0  # a change is forecast from the last observation
        for method, forecast in baseline_forecasts(t, y, np.array([target.day])).items():
            if forecast is not None:
                rows.append({**head, "method": method, **score_baseline(target, forecast, offset)})
    return rows


def backtest_origin(scenario: Scenario, cutoff: dt.date, horizons: list[int], *, particles: int, seed: int, generations: int,
                    chunk_size: int = DEFAULT_CHUNK, evaluator: Evaluator | None = None,
                    progress: Callable[[int], None] | None = None) -> OriginResult:
    """Calibrate on the data observed by ``cutoff``, forecast to its longest horizon, score every target.

    Raises
    ------
    CalibrationError
        When the cut-off is too close to the scenario's start, or the calibration fails.
    """
    start = scenario.meta.start_date
    if (cutoff - start).days < MIN_CALIBRATION_DAYS:
        raise CalibrationError(f"cut-off {cutoff} must be at least {MIN_CALIBRATION_DAYS} days after the scenario start {start}")
    later = sorted({f.parameter for f in check_loaded(scenario, load_ledger()) if f.level == "error"})
    targets = targets_after(cutoff, horizons, claims=has_foreign_contingent(scenario))
    if not targets:
        return OriginResult(cutoff, [], later, [f"cut-off {cutoff}: no observation falls within the horizons; nothing scored"])
    until = cutoff + dt.timedelta(days=max(t.day for t in targets))
    scenario = as_known_by(scenario, cutoff, until)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        calibration = calibrate(scenario, cutoff, particles=particles, seed=seed, generations=generations, progress=progress,
                                chunk_size=chunk_size, evaluator=evaluator, as_of=cutoff)
    run = dict(particles=particles, seed=seed, chunk_size=chunk_size, evaluator=evaluator, progress=progress)
    forecasts = {MODEL: filtered_forecast(scenario, calibration, until, **run), UNFILTERED: unfiltered_forecast(scenario, until, **run)}
    rows = score_targets(targets, cutoff, forecasts, (cutoff - start).days)
    messages = [f"cut-off {cutoff}: {w.message}" for w in caught if issubclass(w.category, UserWarning)]
    return OriginResult(cutoff, rows, later, messages)


def member_days(scenario: Scenario, cutoffs: list[dt.date], horizons: list[int], particles: int, generations: int) -> int:
    """An upper bound on the member-days a back-test runs (for its progress bar): up to 3 moves a generation, then two forecasts."""
    start = scenario.meta.start_date
    steps_per_day = int(round(1 / scenario.meta.step_days))
    calibration = sum((3 * generations + 3) * (c - start).days for c in cutoffs)
    forecast = 2 * sum((c - start).days + max(horizons) for c in cutoffs)  # the filtered model and the model without filtering
    return particles * steps_per_day * max(calibration + forecast, 1)


def backtest(load: Callable[[dt.date], Scenario], cutoffs: list[dt.date], horizons: list[int], *, particles: int = 500,
             seed: int = 0, generations: int = 15, chunk_size: int = DEFAULT_CHUNK, evaluator: Evaluator | None = None,
             progress: Callable[[int], None] | None = None) -> list[OriginResult]:
    """Back-test from every cut-off; ``load(cutoff)`` gives the scenario as it could be written then (its vantage date).

    Raises
    ------
    CalibrationError
        When a cut-off does not fit the scenario, or a calibration fails.
    """
    return [backtest_origin(load(cutoff), cutoff, horizons, particles=particles, seed=seed, generations=generations,
                            chunk_size=chunk_size, evaluator=evaluator, progress=progress) for cutoff in cutoffs]


def scores_frame(results: list[OriginResult]) -> "object":
    """Every score row of every cut-off, as a table."""
    import pandas as pd

    columns = ["cutoff", "stream", "kind", "horizon", "target", "day", "observed", "method", "q05", "q50", "q95", "crps", "covered90"]
    return pd.DataFrame([row for r in results for row in r.rows], columns=columns)

