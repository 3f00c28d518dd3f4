"""Per-member outcomes of a run: endurance, the race, casualty burden, the contingent ledger.

These are the quantities the brief's questions are about (Q1–Q4): the columns
:data:`pawns.model.recorded.OUTCOMES` declares, laid out for a scenario's sides and
formations. They are computed from a batch's state at the start and at the end, so they need
no stored trajectories and stream at any ensemble size.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from pawns.engine.plan import Evaluator, Plan, run_stacked
from pawns.engine.simulate import BatchResult
from pawns.model.parameter_table import fill
from pawns.model.layout import Layout
from pawns.model.recorded import OUTCOMES, Outcome, RunEnd
from pawns.model.state import State

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def outcome_columns(layout: Layout) -> Iterator[tuple[str, Outcome, int | tuple[int, int]]]:
    """``(column, outcome, index)`` of every outcome column of ``layout``, in table order.

    Outcomes per side repeat for each side (``RU_end_day``, ...), per formation for each
    formation (contingent ones for foreign contingents only), per contingent and sector for
    each pair (``DPRK_killed_kursk``; index ``(formation, sector)``), per cohort of a contingent's
    arrivals for each (``DPRK_killed_tranche1``; index: the cohort), per contributor and per
    donor bloc for each; consecutive outcomes of one kind form one block, side by side.
    """
    axis = {"side": "side", "member": "member", "formation": "formation", "contingent": "formation",
            "contingent_sector": "contingent_sector", "cohort": "cohort", "contributor": "contributor", "bloc": "bloc"}
    for kind, block in groupby(OUTCOMES, key=lambda o: axis[o.per]):
        block = list(block)
        if kind == "contingent_sector":
            for f, info in enumerate(layout.formations):
                for z, sector in enumerate(layout.sector_names):
                    for outcome in block:
                        if info.contingent:
                            yield f"{info.name}_{outcome.name}_{sector}", outcome, (f, z)
        elif kind == "cohort":
            for q, cohort in enumerate(layout.cohorts):
                for outcome in block:
                    yield f"{layout.formations[cohort.formation].name}_{outcome.name}_{cohort.key}", outcome, q
        elif kind == "member":
            for outcome in block:
                if layout.supported_side is not None or not outcome.needs_race:
                    yield outcome.name, outcome, -1
        elif kind == "side":
            for s, side in enumerate(layout.sides):
                for outcome in block:
                    yield f"{side}_{outcome.name}", outcome, s
        elif kind in ("contributor", "bloc"):
            names = layout.contributor_names if kind == "contributor" else [b.name for b in layout.blocs]
            for index, name in enumerate(names):
                for outcome in block:
                    yield f"{name}_{outcome.name}", outcome, index
        else:
            for f, info in enumerate(layout.formations):
                for outcome in block:
                    if outcome.per == "formation" or info.contingent:
                        yield f"{info.name}_{outcome.name}", outcome, f


def member_outcomes(layout: Layout, start: State, final: State, matrix: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Outcome columns for every member of a batch (one value per member each).

    Day columns hold days since the start, NaN where the event did not occur by the horizon.
    ``matrix`` (the members' parameters) gives the measures M12 reads (a contributor's GDP,
    military spending and forces); without it those outcomes are NaN.
    """
    opponent = 1 - layout.supported_side if layout.supported_side is not None else None
    names = [info.name for info in layout.formations]
    troops = tuple(names.index(c.name) if "troops" in c.channels and c.name in names else -1 for c in layout.contributors)
    p = fill(layout, matrix) if matrix is not None else None  # M12 reads table parameters only
    end = RunEnd(start, final, layout.formation_side, layout.foreign, opponent, troops=troops,
                 years=layout.horizon_days / 365.0, parameters=p, cohort_formation=tuple(q.formation for q in layout.cohorts))
    return {column: outcome.value(end, index) for column, outcome, index in outcome_columns(layout)}


def chunk_outcomes(layout: Layout, batch: BatchResult) -> dict[str, np.ndarray]:
    """The outcome columns of a simulated chunk: the run path's reducer for outcome tables."""
    return member_outcomes(layout, batch.initial, batch.final, batch.matrix)


def outcome_tables(plan: Plan, *, evaluator: Evaluator | None = None,
                   progress: Callable[[int], None] | None = None) -> dict[str, "pd.DataFrame"]:
    """Run a plan for its outcomes only: one table per ensemble, one row per member of the plan."""
    import pandas as pd

    columns = run_stacked(plan, chunk_outcomes, evaluator=evaluator, progress=progress)
    return {label: pd.DataFrame({"member": plan.members.copy(), **found}, copy=False) for label, found in columns.items()}


def censored(days: np.ndarray, horizon: float) -> np.ndarray:
    """Event days with 'not by the horizon' counted as the horizon (restricted mean convention)."""
    return np.where(np.isnan(days), horizon, np.minimum(days, horizon))
