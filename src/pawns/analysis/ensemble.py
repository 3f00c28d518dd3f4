"""One scenario's ensemble, run in memory: outcomes per member, and trajectories or sketches.

For scripts, tests and benchmarks. The command line's runs are stored on disk chunk by chunk
(:mod:`pawns.engine.store`); both go through the one run path, :func:`pawns.engine.plan.run_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from pawns.analysis.outcomes import chunk_outcomes
from pawns.engine.plan import DEFAULT_CHUNK, Ensemble, Evaluator, Plan, Reducer, Rows, keep_batch, run_plan
from pawns.engine.results import build_dataset
from pawns.engine.streaming import DailyQuantiles, merge_sketches, sketch_daily
from pawns.model.layout import Layout
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr


@dataclass
class EnsembleResult:
    """An ensemble's results.

    Attributes
    ----------
    scenario, layout
        The scenario that was run, laid out.
    seed
        The ensemble seed.
    members
        Global member indices.
    outcomes
        One row per member (:func:`pawns.analysis.outcomes.member_outcomes`).
    dataset
        Labelled trajectories and per-member outcomes (``None`` when series were not kept).
    daily_quantiles
        Per-day quantile sketches of the daily variables (``"daily_killed/RU"``, ...,
        ``"daily_area"``), when asked for; see :mod:`pawns.engine.streaming`.
    """

    scenario: Scenario
    layout: Layout
    seed: int
    members: np.ndarray
    outcomes: "pd.DataFrame"
    dataset: "xr.Dataset | None"
    daily_quantiles: dict[str, DailyQuantiles] | None = None


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
    evaluator: Evaluator | None = None,
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
        Members integrated together; affects memory only, never results.
    record_every
        Days between recorded points of the trajectories.
    keep_series
        Keep trajectories (False: outcomes only).
    progress
        Called with the number of member-steps just completed.
    daily_quantiles
        Also sketch per-day quantiles of the daily variables chunk by chunk (exact merge, at
        most 1.2% relative error), so that even outcomes-only runs of millions of members keep
        a summary of trajectories.
    evaluator
        Where chunks run (default: this process; see :func:`pawns.engine.distributed.use_scheduler`).
    """
    import pandas as pd

    layout = Layout.from_scenario(scenario)
    record = "trajectories" if keep_series else "daily" if daily_quantiles else "final"
    plan = Plan.of([Ensemble("main", layout, record=record)], members, seed=seed, first_member=first_member,
                   chunk_size=chunk_size, record_every=record_every)
    reducers: dict[str, Reducer] = {"outcomes": chunk_outcomes}
    if keep_series:
        reducers["batch"] = keep_batch
    if daily_quantiles:
        reducers["sketches"] = sketch_daily
    columns = Rows(plan.members.size)
    batches = []
    sketches: dict[str, DailyQuantiles] = {}
    for chunk, reduced in run_plan(plan, reducers, evaluator=evaluator, progress=progress):
        columns.put(chunk.rows, reduced["outcomes"])
        if keep_series:
            batches.append(reduced["batch"])
        if daily_quantiles:
            merge_sketches(sketches, reduced["sketches"])
    # copy=False: the columns are already whole; a copy into pandas' blocks would double the peak
    outcomes = pd.DataFrame({"member": plan.members.copy(), **columns.arrays}, copy=False)
    dataset = build_dataset(layout, batches, seed=seed) if keep_series else None
    return EnsembleResult(scenario, layout, seed, plan.members, outcomes, dataset, sketches if daily_quantiles else None)
