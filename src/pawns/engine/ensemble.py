"""Run an ensemble: members in chunks, parameters drawn per member, labelled results.

Chunking changes only memory use: member i's draws depend on (seed, i) and members never
interact, so results are bit-identical whatever the chunk size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from pawns.analysis.outcomes import member_outcomes
from pawns.engine.distributed import active_client, map_chunks
from pawns.engine.simulate import DAILY_MEMBER_SERIES, DAILY_SIDE_SERIES, BatchResult, simulate_batch
from pawns.engine.streaming import DailyQuantiles
from pawns.model.layout import Layout
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

DEFAULT_CHUNK = 2000


@dataclass
class EnsembleResult:
    """An ensemble's results.

    Attributes
    ----------
    scenario
        The scenario that was run.
    seed
        The ensemble seed.
    dataset
        Labelled trajectories and per-member outcomes (``None`` when series were not kept).
    outcomes
        One row per member.
    daily_quantiles
        Per-day quantile sketches of the daily series (``"daily_killed/RU"``, ...,
        ``"daily_area"``), when asked for; see :mod:`pawns.engine.streaming`.
    """

    scenario: Scenario
    layout: Layout
    seed: int
    members: np.ndarray
    outcomes: "pd.DataFrame"
    dataset: "xr.Dataset | None"
    daily_quantiles: "dict[str, DailyQuantiles] | None" = None


def run_ensemble(
    scenario: Scenario,
    members: int = 1000,
    *,
    seed: int = 0,
    first_member: int = 0,
    chunk_size: int = DEFAULT_CHUNK,
    record_every: int = 7,
    keep_series: bool = True,
    progress: Callable[[int], None] | None = None,
    daily_quantiles: bool = False,
) -> EnsembleResult:
    """Run ``members`` members of ``scenario``.

    Parameters
    ----------
    scenario
        A validated scenario.
    members
        Ensemble size N.
    seed
        Seed (keyword-only; 0 is a seed like any other).
    first_member
        Global index of the first member (to extend an ensemble without changing it).
    chunk_size
        Members integrated together; affects memory only, never results. Inside
        :func:`pawns.engine.distributed.use_scheduler`, chunks run on a Dask cluster's workers.
    record_every
        Days between recorded points of the trajectories.
    keep_series
        Keep trajectories (False: outcomes only).
    progress
        Called with the number of member-steps just completed.
    daily_quantiles
        Also sketch per-day quantiles of the daily series chunk by chunk (exact merge, at most
        1.2% relative error), so that even outcomes-only runs of millions of members keep a
        summary of trajectories.

    Returns
    -------
    EnsembleResult
    """
    import pandas as pd

    if members < 1:
        raise ValueError("members must be at least 1")
    layout = Layout.from_scenario(scenario)
    indices = np.arange(first_member, first_member + members, dtype=np.int64)
    batches: list[BatchResult] = []
    rows: list[dict[str, np.ndarray]] = []
    record = keep_series or daily_quantiles
    sketches = daily_sketches(layout) if daily_quantiles else None
    for outcome_columns, batch in run_chunks(layout, member_chunks(indices, chunk_size), seed=seed,
                                             record_every=recording_interval(layout, record_every, keep_series),
                                             keep_series=record, progress=progress):
        rows.append(outcome_columns)
        if sketches is not None:
            add_daily(layout, batch, sketches)
        if keep_series:  # outcomes-only runs stream: a chunk's states are dropped once its outcomes are out
            batches.append(batch)
    columns = {key: np.concatenate([row[key] for row in rows]) for key in rows[0]}
    outcomes = pd.DataFrame({"member": indices, **columns})
    dataset = None
    if keep_series:
        from pawns.engine.results import build_dataset

        dataset = build_dataset(layout, batches, seed=seed)
    return EnsembleResult(scenario, layout, seed, indices, outcomes, dataset, sketches)


def recording_interval(layout: Layout, record_every: int, keep_series: bool) -> int:
    """Days between recorded points of the trajectories a chunk records.

    A run kept only as quantile sketches reads each chunk's daily series, never its weekly
    points, so it records those at the start and the horizon only (half the chunk's memory).
    """
    return int(record_every) if keep_series else int(layout.scenario.scenario.horizon_days)


def member_chunks(indices: np.ndarray, chunk_size: int) -> list[np.ndarray]:
    """Consecutive chunks of at most ``chunk_size`` member indices."""
    step = max(int(chunk_size), 1)
    return [indices[start : start + step] for start in range(0, indices.size, step)]


def run_chunks(
    layout: Layout,
    chunks: list[np.ndarray],
    *,
    seed: int,
    record_every: int,
    keep_series: bool,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[dict[str, np.ndarray], BatchResult]]:
    """Simulate ``chunks`` of members in order and yield each chunk's outcome columns and batch.

    Inside :func:`pawns.engine.distributed.use_scheduler` the chunks run on the cluster's
    workers (the batch is ``None`` when series are not kept); otherwise in this process, one
    after the other. Either way a chunk is yielded as soon as it and all before it are done, so
    callers can store it and let it go.
    """
    client = active_client()
    if client is not None:
        results = map_chunks(client, layout, chunks, seed=seed, record_every=record_every, keep_series=keep_series)
        for outcome_columns, batch in results:
            if progress is not None:
                progress(outcome_columns["abandon_day"].size * layout.steps)
            yield outcome_columns, batch
        return
    for chunk in chunks:
        step_callback = None
        if progress is not None:
            done = [0]

            def step_callback(step: int, size: int = chunk.size, done: list[int] = done) -> None:
                progress((step - done[0]) * size)
                done[0] = step

        batch = simulate_batch(layout, chunk, seed=seed, record_every=record_every, on_step=step_callback, keep_series=keep_series)
        yield member_outcomes(layout, batch.initial, batch.final), batch


def daily_sketches(layout: Layout) -> "dict[str, DailyQuantiles]":
    days = layout.scenario.scenario.horizon_days + 1
    names = [f"{name}/{side}" for name in DAILY_SIDE_SERIES for side in layout.sides] + list(DAILY_MEMBER_SERIES)
    return {name: DailyQuantiles(days) for name in names}


def add_daily(layout: Layout, batch: BatchResult, sketches: "dict[str, DailyQuantiles]") -> None:
    """Add a chunk's daily series to the sketches."""
    for name in DAILY_SIDE_SERIES:
        for s, side in enumerate(layout.sides):
            sketches[f"{name}/{side}"].add(batch.daily_series[name][:, :, s])
    for name in DAILY_MEMBER_SERIES:
        sketches[name].add(batch.daily_series[name])
