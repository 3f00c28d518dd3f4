"""Forecasts of the observed streams from a run: ``observables.csv``.

Every run forecasts what the observers would report, so anyone can score it against data
the project does not have: one row per day and stream with the 5/25/50/75/95% quantiles
across members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pawns.engine.simulate import BatchResult
from pawns.engine.streaming import DailyQuantiles, sketch_daily
from pawns.model.layout import Layout
from pawns.model.recorded import DAILY, recorded
from pawns.observations.models import (
    AREA_STREAM, DEEPSTATE_STREAM, DPRK_CASUALTIES, DPRK_FRONT, DPRK_KILLED, DPRK_WEEKLY, GS_STREAM, KURSK_HELD, NAMED_STREAM,
    StartOffsets, model_streams,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

FORECAST_STREAMS = (GS_STREAM, DEEPSTATE_STREAM, AREA_STREAM, DPRK_CASUALTIES, DPRK_KILLED, NAMED_STREAM, DPRK_WEEKLY, DPRK_FRONT,
                    KURSK_HELD)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
COLUMNS = ("date", "stream", "q05", "q25", "q50", "q75", "q95")


def daily_from_dataset(dataset: "xr.Dataset") -> dict[str, np.ndarray]:
    """The daily variables of a results dataset, as plain arrays."""
    return {variable.name: np.asarray(dataset[variable.name].values) for variable in recorded(DAILY)}


def stream_quantiles(values: np.ndarray) -> np.ndarray:
    """``(H + 1, 5)`` quantiles across members of an ``(N, H + 1)`` stream."""
    return np.quantile(values, QUANTILES, axis=0).T


def forecast_observables(layout: Layout, dataset: "xr.Dataset") -> "pd.DataFrame":
    """Daily quantiles of every forecast stream over the whole horizon.

    Parameters
    ----------
    layout
        The scenario's layout.
    dataset
        The run's results with their trajectories (``results.nc``).

    Returns
    -------
    pandas.DataFrame
        Columns ``date, stream, q05, q25, q50, q75, q95``; ISO dates, one row per day and stream.
        Streams the scenario cannot say anything about are left out: all but the areas when it
        has no side ``RU``, the General Staff's claim when it starts before the claims began, the
        DeepState area when it starts before either map reports the area, Ukraine's area in Kursk
        when it has no Kursk sector.
    """
    streams = forecast_streams(layout, daily_from_dataset(dataset), np.asarray(dataset["parameters"].values))
    return quantile_table({name: stream_quantiles(values) for name, values in streams.items()}, layout)


def forecast_streams(layout: Layout, daily: dict[str, np.ndarray], matrix: np.ndarray) -> dict[str, np.ndarray]:
    """The forecast streams of a batch of members, ``(N, H + 1)`` each, in ``FORECAST_STREAMS`` order."""
    offsets = StartOffsets.at(layout.scenario.meta.start_date)
    streams = model_streams(layout, daily, matrix, offsets)
    if offsets.gs_claimed is None:  # a start before the claims began: no claimed level to continue
        streams.pop(GS_STREAM, None)
    return {name: streams[name] for name in FORECAST_STREAMS if name in streams}


def sketch_forecasts(layout: Layout, daily: dict[str, np.ndarray], matrix: np.ndarray) -> dict[str, DailyQuantiles]:
    """Quantile sketches of a chunk's forecast streams (merge chunks with ``DailyQuantiles.merge``)."""
    sketches = {}
    for name, values in forecast_streams(layout, daily, matrix).items():
        sketches[name] = DailyQuantiles(values.shape[1])
        sketches[name].add(values)
    return sketches


def chunk_sketches(layout: Layout, batch: BatchResult) -> dict[str, DailyQuantiles]:
    """Sketches of a chunk's daily variables and forecast streams: the run path's reducer for ``--outcomes-only`` runs."""
    return {**sketch_daily(layout, batch), **sketch_forecasts(layout, batch.daily_series, batch.matrix)}


def quantile_table(quantiles: dict[str, np.ndarray], layout: Layout) -> "pd.DataFrame":
    """``observables.csv`` from each stream's ``(H + 1, 5)`` daily quantiles."""
    import pandas as pd

    dates = pd.date_range(layout.scenario.meta.start_date, periods=layout.horizon_days + 1, freq="D").strftime("%Y-%m-%d")
    frames = []
    for name, q in quantiles.items():
        frame = pd.DataFrame(q, columns=list(COLUMNS[2:]))
        frame.insert(0, "stream", name)
        frame.insert(0, "date", dates)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def sketched_quantiles(sketches: dict[str, DailyQuantiles]) -> dict[str, np.ndarray]:
    """Each sketch's ``(H + 1, 5)`` daily quantiles at ``QUANTILES``."""
    return {name: np.stack([sketch.quantile(q) for q in QUANTILES], axis=1) for name, sketch in sketches.items()}
