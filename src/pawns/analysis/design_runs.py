"""Run a design -- an explicit matrix of parameter values, one row per run -- through the engine.

Sensitivity analysis and scenario discovery choose the parameter values themselves (a SALib
design, or the ensemble's own draws) and need the outcomes of every row, optionally paired
with the same rows run without the foreign contingents.

Each row runs as a member whose index selects only the stream of stochastic events inside a
run (the nuclear-threat events of M9), since the parameter values come from the matrix. By
default row ``i`` is member ``i``; a design may give rows the same member index on purpose
(common random numbers within a Sobol' block or a Morris trajectory). Rows never interact, so
chunking changes memory use, never results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from pawns.analysis.outcomes import member_outcomes
from pawns.analysis.variants import without_contingents
from pawns.engine.simulate import simulate_batch
from pawns.errors import ScenarioError
from pawns.model.layout import Layout
from pawns.model.parameters import ParameterSpace

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pawns.scenario.schema import Scenario

DEFAULT_CHUNK = 2000


@dataclass
class DesignOutcomes:
    """Member outcomes of every row of a design.

    Attributes
    ----------
    outcomes
        One row per design row, the columns of :func:`~pawns.analysis.outcomes.member_outcomes`.
    without
        The same rows run without the foreign contingents (``None`` when not asked for).
    """

    outcomes: "pd.DataFrame"
    without: "pd.DataFrame | None"


def full_matrix(space: ParameterSpace, names: Sequence[str], values: np.ndarray) -> np.ndarray:
    """Expand values of the parameters ``names`` to a full ``(N, D)`` matrix.

    Every parameter not in ``names`` is held at its central value: a fixed parameter at its
    value, an uncertain one at the median of its distribution.
    """
    values = np.asarray(values, dtype=np.float64)
    matrix = np.tile(np.array([spec.central() for spec in space.specs]), (values.shape[0], 1))
    for column, name in enumerate(names):
        matrix[:, space.index(name)] = values[:, column]
    return matrix


def unit_to_values(space: ParameterSpace, names: Sequence[str], unit: np.ndarray) -> np.ndarray:
    """Map uniforms in (0, 1) for the parameters ``names`` to their values (each spec's quantile function)."""
    unit = np.clip(np.asarray(unit, dtype=np.float64), 1e-12, 1.0 - 1e-12)  # ppf of an unbounded tail at exactly 0 or 1 is infinite
    return np.column_stack([space.specs[space.index(name)].ppf(unit[:, j]) for j, name in enumerate(names)])


def run_design(
    scenario: "Scenario",
    matrix: np.ndarray,
    *,
    seed: int,
    paired: bool,
    members: np.ndarray | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> DesignOutcomes:
    """Run every row of a full parameter ``matrix`` of ``scenario`` (and, if ``paired``, without contingents).

    Parameters
    ----------
    scenario
        The scenario; ``matrix`` has one column per parameter of its :class:`ParameterSpace`.
    matrix
        ``(N, D)`` parameter values.
    seed
        Seed of the stochastic event stream.
    paired
        Also run the same rows without the foreign contingents (the variant's parameters are a
        subset of the scenario's, selected by name).
    members
        Member index of each row (selects its stream of stochastic events); default ``0 .. N-1``.
    chunk_size
        Rows integrated together (memory only).
    progress
        Called with the number of row-steps just completed.
    """
    layout = Layout.from_scenario(scenario)
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(layout.space):
        raise ValueError(f"expected an (N, {len(layout.space)}) parameter matrix, got shape {matrix.shape}")
    members = np.arange(matrix.shape[0], dtype=np.int64) if members is None else np.asarray(members, dtype=np.int64)
    if members.shape != (matrix.shape[0],):
        raise ValueError("expected one member index per row of the matrix")
    outcomes = _run_layout(layout, matrix, members, seed=seed, chunk_size=chunk_size, progress=progress)
    without = None
    if paired:
        variant = Layout.from_scenario(without_contingents(scenario))
        columns = _columns_by_name(layout.space, variant.space, scenario.scenario.name)
        without = _run_layout(variant, matrix[:, columns], members, seed=seed, chunk_size=chunk_size, progress=progress)
    return DesignOutcomes(outcomes, without)


def _columns_by_name(space: ParameterSpace, subset: ParameterSpace, scenario_name: str) -> list[int]:
    missing = [name for name in subset.names if name not in space.names]
    if missing:
        raise ScenarioError(scenario_name, missing[0], "a parameter shared with the scenario's variant without contingents")
    return [space.index(name) for name in subset.names]


def _run_layout(layout: Layout, matrix: np.ndarray, members: np.ndarray, *, seed: int, chunk_size: int,
                progress: Callable[[int], None] | None) -> "pd.DataFrame":
    import pandas as pd

    rows = matrix.shape[0]
    parts: list[dict[str, np.ndarray]] = []
    chunk_size = max(int(chunk_size), 1)
    for start in range(0, rows, chunk_size):
        chunk = members[start : start + chunk_size]
        on_step = None
        if progress is not None:
            done = [0]

            def on_step(step: int, size: int = chunk.size, done: list[int] = done) -> None:
                progress((step - done[0]) * size)
                done[0] = step

        batch = simulate_batch(layout, chunk, seed=seed, matrix=matrix[start : start + chunk_size], on_step=on_step, keep_series=False)
        parts.append(member_outcomes(layout, batch.initial, batch.final))
    columns = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    return pd.DataFrame({"member": members, **columns})


def run_steps(scenario: "Scenario", rows: int, paired: bool) -> int:
    """Row-steps a design of ``rows`` rows costs (for a progress bar's total)."""
    steps = int(round(scenario.scenario.horizon_days / scenario.scenario.step_days))
    return rows * steps * (2 if paired else 1)
