"""Forecasts of the observed streams from a run: ``observables.csv``.

Every run forecasts what the observers would report, so anyone can score it against data
the project does not have: one row per day and stream with the 5/25/50/75/95% quantiles
across members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pawns.observations.models import (
    AREA_STREAM, DPRK_CASUALTIES, DPRK_KILLED, GS_STREAM, NAMED_STREAM, StartOffsets, model_streams,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pawns.engine.ensemble import EnsembleResult

FORECAST_STREAMS = (GS_STREAM, AREA_STREAM, DPRK_CASUALTIES, DPRK_KILLED, NAMED_STREAM)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
COLUMNS = ("date", "stream", "q05", "q25", "q50", "q75", "q95")


def daily_from_dataset(dataset: object) -> dict[str, np.ndarray]:
    """The daily cumulative series of a results dataset, as plain arrays."""
    names = ("daily_casualties", "daily_killed", "daily_foreign_casualties", "daily_foreign_killed", "daily_area")
    return {name: np.asarray(dataset[name].values) for name in names}  # type: ignore[index]


def stream_quantiles(values: np.ndarray) -> np.ndarray:
    """``(H + 1, 5)`` quantiles across members of an ``(N, H + 1)`` stream."""
    return np.quantile(values, QUANTILES, axis=0).T


def forecast_observables(result: "EnsembleResult") -> "pd.DataFrame":
    """Daily quantiles of every forecast stream over the whole horizon.

    Parameters
    ----------
    result
        An ensemble run with its series kept (``result.dataset`` not ``None``).

    Returns
    -------
    pandas.DataFrame
        Columns ``date, stream, q05, q25, q50, q75, q95``; ISO dates, one row per day and stream.
        Streams the scenario cannot say anything about are left out: all but the area when it
        has no side ``RU``, the General Staff's claim when it starts before the claims began.
    """
    import pandas as pd

    if result.dataset is None:
        raise ValueError("forecast_observables needs a run with its series kept")
    ds = result.dataset
    start = result.scenario.scenario.start_date
    matrix = np.asarray(ds["parameters"].values)
    offsets = StartOffsets.at(start)
    streams = model_streams(result.layout, daily_from_dataset(ds), matrix, offsets)
    if offsets.gs_claimed is None:  # a start before the claims began: no claimed level to continue
        streams.pop(GS_STREAM, None)
    dates = pd.to_datetime(ds["date"].values).strftime("%Y-%m-%d")
    frames = []
    for name in FORECAST_STREAMS:
        if name not in streams:
            continue
        q = stream_quantiles(streams[name])
        frame = pd.DataFrame(q, columns=list(COLUMNS[2:]))
        frame.insert(0, "stream", name)
        frame.insert(0, "date", dates)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
