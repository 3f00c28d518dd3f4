"""The log-likelihood of a batch of members given the observations of a calibration window.

Independent errors per observation (docs/calibration.md):

* General Staff claims, 30-day changes: ``log(observed) ~ Normal(log(factor x model casualties), ua_gs_log_sd)``.
* Russian-controlled area, 30-day changes: ``observed ~ Normal(model change, area_sd_km2)``.
* Named dead: a one-sided bound. Names since the start must not exceed the model's deaths of
  Russian nationals since the start; within the bound the likelihood is flat, above it it falls
  as a half-normal on the log ratio with sd ``NAMED_DEAD_TOLERANCE``.
* Dated claims (DPRK casualties, deployments): ``log(claim) ~ Normal(log(model value), claims_log_sd)``.
* The war went on (``fought_on``): neither side's endurance ended in the window, whose
  probability under a member's end-of-endurance hazard (M8) is ``exp(-H_RU - H_UA)``, with
  ``H_s`` the side's cumulative hazard at the window's end; its log is ``-(H_RU + H_UA)``.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from pawns.calibration.data import NO_END, BlockChanges, CalibrationData
from pawns.model.layout import Layout
from pawns.observations.models import AREA_STREAM, GS_STREAM, ObservationParams, model_streams

# Named-dead lists can hold a few duplicates and misattributed deaths: a 5% excess over the
# model's deaths costs one unit of log-likelihood scale, not an outright rejection.
NAMED_DEAD_TOLERANCE = 0.05
_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _normal_logpdf(x: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    return -0.5 * ((x - mean) / sd) ** 2 - np.log(sd) - _HALF_LOG_2PI


def _changes(series: np.ndarray, blocks: BlockChanges) -> np.ndarray:
    return series[:, blocks.end_days] - series[:, blocks.start_days]


def predictions(layout: Layout, data: CalibrationData, daily: Mapping[str, np.ndarray], matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Noise-free model counterparts of every observation, ``(N, K)`` per stream."""
    streams = model_streams(layout, daily, matrix, data.offsets)
    out: dict[str, np.ndarray] = {}
    if data.gs is not None and GS_STREAM in streams:
        out[GS_STREAM] = _changes(streams[GS_STREAM], data.gs)
    if data.area is not None:
        out[AREA_STREAM] = _changes(streams[AREA_STREAM], data.area)
    if data.named is not None and GS_STREAM in streams:
        side = layout.sides.index("RU")
        domestic = np.asarray(daily["daily_killed"][:, :, side], dtype=float) - np.asarray(daily["daily_foreign_killed"][:, :, side], dtype=float)
        out["russian_named_dead_bound"] = domestic[:, data.named.end_days]
    claims = [(c, day) for c, day in zip(data.claims.claims, data.claims.days) if c.stream in streams]
    if claims and len(claims) == len(data.claims.claims):
        out["claims"] = np.column_stack([streams[c.stream][:, day] for c, day in claims])
    return out


def log_likelihood(data: CalibrationData, predicted: Mapping[str, np.ndarray], obs: ObservationParams) -> dict[str, np.ndarray]:
    """Per-stream log-likelihood, ``(N,)`` each; ``-inf`` where the model cannot produce the data."""
    parts: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        if GS_STREAM in predicted:
            model = predicted[GS_STREAM]
            ll = _normal_logpdf(np.log(data.gs.observed)[None, :], np.log(model), obs.gs_log_sd[:, None]).sum(axis=1)  # type: ignore[union-attr]
            parts[GS_STREAM] = np.where(np.all(model > 0, axis=1), ll, -np.inf)
        if AREA_STREAM in predicted:
            parts[AREA_STREAM] = _normal_logpdf(data.area.observed[None, :], predicted[AREA_STREAM], obs.area_sd[:, None]).sum(axis=1)  # type: ignore[union-attr]
        if "russian_named_dead_bound" in predicted:
            model = np.maximum(predicted["russian_named_dead_bound"], 1.0)
            excess = np.maximum(np.log(data.named.observed[None, :] / model), 0.0)  # type: ignore[union-attr]
            parts["russian_named_dead_bound"] = (-0.5 * (excess / NAMED_DEAD_TOLERANCE) ** 2).sum(axis=1)
        if NO_END in predicted:  # (N, S) cumulative hazards of the end of endurance at the window's end
            parts[NO_END] = -np.sum(predicted[NO_END], axis=1)
        if "claims" in predicted:
            observed = np.array([c.value for c in data.claims.claims])
            model = np.maximum(predicted["claims"], 1.0)
            parts["claims"] = _normal_logpdf(np.log(observed)[None, :], np.log(model), obs.claims_log_sd[:, None]).sum(axis=1)
    for name, values in parts.items():
        parts[name] = np.where(np.isnan(values), -np.inf, values)
    return parts
