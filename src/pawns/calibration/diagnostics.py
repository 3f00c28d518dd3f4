"""Diagnostics of a calibration: prior vs posterior per parameter, predictive checks per stream.

A predictive check compares each observation with the model's predictive distribution of it
(model prediction plus observation noise, drawn with the counter-based generator): the share of
observations inside the 90% predictive interval, and where the observed total over the window
falls among the predicted totals. The same check on the prior ensemble says whether the data lie
inside what the priors can produce at all.
"""

from __future__ import annotations

import warnings
from typing import Mapping

import numpy as np
from scipy import special

from pawns.calibration.data import NO_END, CalibrationData
from pawns.calibration.smc import CalibrationWarning
from pawns.engine.rng import stream_key, uniforms
from pawns.observations.models import AREA_STREAM, GS_STREAM, ObservationParams

PRIOR_PREDICTIVE_RANGE = (0.005, 0.995)


def parameter_table(names: list[str], prior: np.ndarray, posterior: np.ndarray, weights: np.ndarray) -> "object":
    """One row per parameter: prior and posterior median and 90% interval, and how much the interval shrank."""
    import pandas as pd

    rows = []
    for j, name in enumerate(names):
        p = np.quantile(prior[:, j], [0.05, 0.5, 0.95])
        q = weighted_quantiles(posterior[:, j], weights, [0.05, 0.5, 0.95])
        width = p[2] - p[0]
        rows.append({"parameter": name, "prior_q05": p[0], "prior_q50": p[1], "prior_q95": p[2],
                     "posterior_q05": q[0], "posterior_q50": q[1], "posterior_q95": q[2],
                     "interval_ratio": (q[2] - q[0]) / width if width > 0 else np.nan})
    return pd.DataFrame(rows)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, levels: list[float]) -> np.ndarray:
    """Quantiles of weighted draws (inverse of the weighted empirical CDF)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return values[order][np.searchsorted(cumulative, levels, side="left").clip(0, values.size - 1)]


def noisy(stream: str, predicted: np.ndarray, obs: ObservationParams, seed: int) -> np.ndarray:
    """Predicted observations with observation noise added (``predicted`` is ``(N, K)``)."""
    n, k = predicted.shape
    z = special.ndtri(uniforms(seed, np.arange(n * k, dtype=np.int64), stream_key(f"predictive.{stream}"))).reshape(n, k)
    if stream == GS_STREAM:
        return predicted * np.exp(obs.gs_log_sd[:, None] * z)
    if stream == AREA_STREAM:
        return predicted + obs.area_sd[:, None] * z
    if stream == "claims":
        return predicted * np.exp(obs.claims_log_sd[:, None] * z)
    return predicted


def observed_values(data: CalibrationData, stream: str) -> np.ndarray:
    """The observations of ``stream`` in the window, in the order of the predictions."""
    if stream == GS_STREAM:
        return data.gs.observed  # type: ignore[union-attr]
    if stream == AREA_STREAM:
        return data.area.observed  # type: ignore[union-attr]
    if stream == "russian_named_dead_bound":
        return data.named.observed  # type: ignore[union-attr]
    return np.array([c.value for c in data.claims.claims])


def predictive_check(data: CalibrationData, predicted: Mapping[str, np.ndarray], obs: ObservationParams, seed: int, label: str) -> list[dict]:
    """Per stream: observations, coverage of the 90% predictive interval, rank of the observed total."""
    rows = []
    for stream, values in predicted.items():
        if stream == NO_END:
            # an event that did not happen: report how likely the members made that
            survival = np.exp(-values.sum(axis=1))
            rows.append({"ensemble": label, "stream": stream, "observations": 1, "coverage90": np.nan, "observed_total": 1.0,
                         "predicted_total_q05": float(np.quantile(survival, 0.05)), "predicted_total_q50": float(np.quantile(survival, 0.5)),
                         "predicted_total_q95": float(np.quantile(survival, 0.95)), "total_rank": np.nan,
                         "members_within_bound": float(survival.mean())})
            continue
        observed = observed_values(data, stream)
        draws = noisy(stream, values, obs, seed)
        if stream == "russian_named_dead_bound":
            # a bound, not a prediction: report the share of members whose deaths stay above the names
            inside = float(np.mean(np.all(values >= observed[None, :], axis=1)))
            rows.append({"ensemble": label, "stream": stream, "observations": int(observed.size), "coverage90": np.nan,
                         "observed_total": float(observed[-1]), "predicted_total_q05": float(np.quantile(values[:, -1], 0.05)),
                         "predicted_total_q50": float(np.quantile(values[:, -1], 0.5)), "predicted_total_q95": float(np.quantile(values[:, -1], 0.95)),
                         "total_rank": float(np.mean(values[:, -1] < observed[-1])), "members_within_bound": inside})
            continue
        low, high = np.quantile(draws, [0.05, 0.95], axis=0)
        totals = draws.sum(axis=1) if stream != "claims" else draws[:, -1]
        observed_total = float(observed.sum() if stream != "claims" else observed[-1])
        rows.append({"ensemble": label, "stream": stream, "observations": int(observed.size),
                     "coverage90": float(np.mean((observed >= low) & (observed <= high))),
                     "observed_total": observed_total, "predicted_total_q05": float(np.quantile(totals, 0.05)),
                     "predicted_total_q50": float(np.quantile(totals, 0.5)), "predicted_total_q95": float(np.quantile(totals, 0.95)),
                     "total_rank": float(np.mean(totals < observed_total)), "members_within_bound": np.nan})
    return rows


def warn_outside_prior(rows: list[dict]) -> None:
    """Warn for each stream whose observed total lies outside the prior predictive range."""
    low, high = PRIOR_PREDICTIVE_RANGE
    for row in rows:
        if row["ensemble"] != "prior":
            continue
        if row["stream"] == NO_END:  # a probability, not a total: nothing lies outside it
            continue
        if row["stream"] == "russian_named_dead_bound":
            if row["members_within_bound"] == 0.0:
                warnings.warn(CalibrationWarning("no prior member has as many Russian deaths as the named-dead lists: "
                                                 "the data lie outside the prior predictive"))
            continue
        if not (low <= row["total_rank"] <= high):
            warnings.warn(CalibrationWarning(
                f"observed total of {row['stream']} ({row['observed_total']:,.0f}) lies outside the prior predictive "
                f"(90% of the prior between {row['predicted_total_q05']:,.0f} and {row['predicted_total_q95']:,.0f}, "
                f"rank {row['total_rank']:.3f}): the priors cannot produce the data; the posterior will sit at their edge"))
