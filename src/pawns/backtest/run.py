"""Back-test a scenario: calibrate before a cut-off, forecast after it, score against the data.

Cumulative streams are scored by their change since the cut-off: the model's level at the
cut-off need not match the observed level exactly, and the naive baselines forecast changes too.
The model's forecast spread comes from the posterior ensemble; observation noise is not added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from pawns.backtest.baselines import BASELINES, baseline_forecasts, daily_values
from pawns.backtest.scoring import crps_ensemble, crps_point, interval_coverage, median_error
from pawns.calibration.run import CalibrationResult, calibrate, window_scenario
from pawns.calibration.smc import CalibrationError
from pawns.engine.draws import draw_parameters
from pawns.engine.plan import DEFAULT_CHUNK, Ensemble, Evaluator, Plan, run_stacked
from pawns.engine.simulate import BatchResult
from pawns.model.layout import Layout
from pawns.observations.catalog import load_observed
from pawns.observations.models import AREA_STREAM, GS_STREAM, StartOffsets, model_streams
from pawns.scenario.schema import Scenario

SCORED_STREAMS = (GS_STREAM, AREA_STREAM)
MODEL = "model"
HISTORY_DAYS = 400  # observed days before the cut-off the baselines may use (their windows are 90 and 365)
FORECAST_MEMBER_OFFSET = 1 << 40  # forecast runs use member indices apart from the calibration's


@dataclass
class StreamForecast:
    """One stream's forecast change after the cut-off, the observed change and the baselines."""

    stream: str
    dates: list[dt.date]
    observed: np.ndarray
    ensemble: np.ndarray
    baselines: dict[str, np.ndarray]


@dataclass
class BacktestResult:
    """Scores of one cut-off."""

    scenario: str
    cutoff: dt.date
    horizon: int
    forecasts: list[StreamForecast]
    table: "object"
    calibration: CalibrationResult
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ObservedStreams:
    """A reducer of the run path: a chunk's noise-free observed streams, ``(N, H + 1)`` each."""

    offsets: StartOffsets

    def __call__(self, layout: Layout, batch: BatchResult) -> dict[str, np.ndarray]:
        return model_streams(layout, batch.daily_series, batch.matrix, self.offsets)


def score_rows(forecast: StreamForecast, cutoff: dt.date) -> list[dict]:
    """Scores of the model and each baseline for one stream, averaged over the forecast days."""
    rows = [{
        "cutoff": str(cutoff), "stream": forecast.stream, "method": MODEL,
        "crps": float(np.mean(crps_ensemble(forecast.ensemble, forecast.observed))),
        "coverage50": interval_coverage(forecast.ensemble, forecast.observed, 0.5),
        "coverage90": interval_coverage(forecast.ensemble, forecast.observed, 0.9),
        "median_abs_error": float(np.mean(np.abs(median_error(forecast.ensemble, forecast.observed)))),
        "final_error": float(median_error(forecast.ensemble, forecast.observed)[-1]),
    }]
    for name, values in forecast.baselines.items():
        errors = values - forecast.observed
        rows.append({"cutoff": str(cutoff), "stream": forecast.stream, "method": name,
                     "crps": float(np.mean(crps_point(values, forecast.observed))), "coverage50": np.nan, "coverage90": np.nan,
                     "median_abs_error": float(np.mean(np.abs(errors))), "final_error": float(errors[-1])})
    return rows


def check_window(scenario: Scenario, cutoff: dt.date, horizon: int) -> None:
    """The cut-off and horizon must fall inside the scenario and the observed data."""
    start = scenario.meta.start_date
    end = start + dt.timedelta(days=scenario.meta.horizon_days)
    if horizon < 1:
        raise CalibrationError("--horizon must be at least 1 day")
    if cutoff + dt.timedelta(days=horizon) > end:
        raise CalibrationError(f"--cutoff {cutoff} + {horizon} days runs past the scenario's end ({end})")
    data_end = min(load_observed(s).index[-1].date() for s in SCORED_STREAMS)
    if cutoff + dt.timedelta(days=horizon) > data_end:
        raise CalibrationError(f"--cutoff {cutoff} + {horizon} days runs past the observed data (last day {data_end})")


def posterior_matrix(layout: Layout, calibration: CalibrationResult, members: np.ndarray, seed: int) -> np.ndarray:
    """Parameter matrix of the forecast: calibrated columns from the posterior particles, the rest from the priors."""
    matrix = draw_parameters(layout.space, members, seed=seed)
    rows = np.arange(members.size) % calibration.posterior.shape[0]
    for j, name in enumerate(calibration.names):
        if name in layout.space.names:
            matrix[:, layout.space.index(name)] = calibration.posterior[rows, j]
    return matrix


def backtest(scenario: Scenario, cutoff: dt.date, horizon: int, *, particles: int = 500, seed: int = 0,
             generations: int = 15, progress: Callable[[int], None] | None = None, chunk_size: int = DEFAULT_CHUNK,
             evaluator: Evaluator | None = None) -> BacktestResult:
    """Calibrate ``scenario`` on data up to ``cutoff``, forecast ``horizon`` days after it and score.

    The calibration's and the forecast's runs go through the run path, in chunks of
    ``chunk_size`` members, in this process or on the Dask workers of ``evaluator``.

    Raises
    ------
    CalibrationError
        When the cut-off and horizon do not fit the scenario or the data, or calibration fails.
    """
    import warnings

    check_window(scenario, cutoff, horizon)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        calibration = calibrate(scenario, cutoff, particles=particles, seed=seed, generations=generations, progress=progress,
                                chunk_size=chunk_size, evaluator=evaluator)
    forecast_scenario = window_scenario(scenario, cutoff + dt.timedelta(days=horizon))
    layout = Layout.from_scenario(forecast_scenario)
    members = FORECAST_MEMBER_OFFSET + np.arange(particles, dtype=np.int64)
    matrix = posterior_matrix(layout, calibration, members, seed)
    start = scenario.meta.start_date
    plan = Plan.of([Ensemble("forecast", layout, matrix, record="daily")], members, seed=seed, chunk_size=chunk_size)
    streams = run_stacked(plan, ObservedStreams(StartOffsets.at(start)), evaluator=evaluator)["forecast"]
    c = (cutoff - start).days
    forecasts = []
    for name in SCORED_STREAMS:
        series = load_observed(name)
        history = daily_values(series, max(cutoff - dt.timedelta(days=HISTORY_DAYS), series.index[0].date()), cutoff)
        future = daily_values(series, cutoff, cutoff + dt.timedelta(days=horizon))
        ensemble = streams[name][:, c + 1: c + horizon + 1] - streams[name][:, [c]]
        dates = [cutoff + dt.timedelta(days=d) for d in range(1, horizon + 1)]
        forecasts.append(StreamForecast(name, dates, future[1:] - future[0], ensemble, baseline_forecasts(history, horizon)))
    import pandas as pd

    table = pd.DataFrame([row for f in forecasts for row in score_rows(f, cutoff)])
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return BacktestResult(scenario.meta.name, cutoff, horizon, forecasts, table, calibration, messages)


def rolling_cutoffs(scenario: Scenario, horizon: int, *, first_after_days: int = 365, every_days: int | None = None) -> list[dt.date]:
    """Cut-offs from ``first_after_days`` after the start, every ``every_days`` (default: the horizon), while data remain."""
    start = scenario.meta.start_date
    end = min(start + dt.timedelta(days=scenario.meta.horizon_days), min(load_observed(s).index[-1].date() for s in SCORED_STREAMS))
    step = every_days or horizon
    cutoffs, cutoff = [], start + dt.timedelta(days=first_after_days)
    while cutoff + dt.timedelta(days=horizon) <= end:
        cutoffs.append(cutoff)
        cutoff += dt.timedelta(days=step)
    return cutoffs


def skill_summary(table: "object") -> "object":
    """Mean scores per stream and method over cut-offs, with the model's CRPS skill over each baseline.

    Skill = 1 - CRPS(model) / CRPS(baseline): positive when the model beats the baseline.
    """
    frame = table.groupby(["stream", "method"], sort=False)[["crps", "coverage50", "coverage90", "median_abs_error"]].mean().reset_index()  # type: ignore[attr-defined]
    model = frame[frame["method"] == MODEL].set_index("stream")["crps"]
    frame["model_skill"] = [1.0 - model[s] / c if m != MODEL and c > 0 else np.nan for s, m, c in zip(frame["stream"], frame["method"], frame["crps"])]
    return frame


def forecasts_frame(results: list[BacktestResult]) -> "object":
    """Daily forecast quantiles, observed change and baselines of every cut-off and stream."""
    import pandas as pd

    frames = []
    for result in results:
        for f in result.forecasts:
            q = np.quantile(f.ensemble, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
            frame = pd.DataFrame({"cutoff": str(result.cutoff), "stream": f.stream, "date": [str(d) for d in f.dates],
                                  "observed_change": f.observed, "q05": q[0], "q25": q[1], "q50": q[2], "q75": q[3], "q95": q[4]})
            for name in BASELINES:
                frame[name] = f.baselines[name]
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)
