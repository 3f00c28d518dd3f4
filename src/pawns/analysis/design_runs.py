"""Run a design -- an explicit matrix of parameter values, one row per run -- through the run path.

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

from pawns.analysis.outcomes import outcome_tables
from pawns.analysis.variants import without_contingents
from pawns.engine.plan import DEFAULT_CHUNK, Ensemble, Evaluator, Plan
from pawns.errors import ScenarioError
from pawns.model.layout import Layout, step_count
from pawns.model.space import ParameterSpace
from pawns.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


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
    matrix = space.central(values.shape[0])
    for column, name in enumerate(names):
        matrix[:, space.index(name)] = values[:, column]
    return matrix


def unit_to_values(space: ParameterSpace, names: Sequence[str], unit: np.ndarray) -> np.ndarray:
    """Map uniforms in (0, 1) for the parameters ``names`` to their values (each spec's quantile function)."""
    unit = np.clip(np.asarray(unit, dtype=np.float64), 1e-12, 1.0 - 1e-12)  # ppf of an unbounded tail at exactly 0 or 1 is infinite
    return np.column_stack([space.specs[space.index(name)].ppf(unit[:, j]) for j, name in enumerate(names)])


def run_design(
    scenario: Scenario,
    matrix: np.ndarray,
    *,
    seed: int,
    paired: bool,
    members: np.ndarray | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
    evaluator: Evaluator | None = None,
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
    evaluator
        Where chunks run (default: this process).
    """
    layout = Layout.from_scenario(scenario)
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(layout.space):
        raise ValueError(f"expected an (N, {len(layout.space)}) parameter matrix, got shape {matrix.shape}")
    members = np.arange(matrix.shape[0], dtype=np.int64) if members is None else np.asarray(members, dtype=np.int64)
    if members.shape != (matrix.shape[0],):
        raise ValueError("expected one member index per row of the matrix")
    ensembles = [Ensemble("design", layout, matrix)]
    if paired:
        variant = Layout.from_scenario(without_contingents(scenario))
        columns = _columns_by_name(layout.space, variant.space, scenario.meta.name)
        ensembles.append(Ensemble("without", variant, matrix[:, columns]))
    plan = Plan.of(ensembles, members, seed=seed, chunk_size=chunk_size)
    tables = outcome_tables(plan, evaluator=evaluator, progress=progress)
    return DesignOutcomes(tables["design"], tables.get("without"))


def _columns_by_name(space: ParameterSpace, subset: ParameterSpace, scenario_name: str) -> list[int]:
    missing = [name for name in subset.names if name not in space.names]
    if missing:
        raise ScenarioError(scenario_name, missing[0], "a parameter shared with the scenario's variant without contingents")
    return [space.index(name) for name in subset.names]


def run_steps(scenario: Scenario, rows: int, paired: bool) -> int:
    """Row-steps a design of ``rows`` rows costs (for a progress bar's total)."""
    return rows * step_count(scenario) * (2 if paired else 1)
