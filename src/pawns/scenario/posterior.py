"""Posterior files: calibrated parameter draws that scenarios reuse (``posterior = "FILE"``).

A posterior file is a CSV with one column per parameter (dotted names, as in
:mod:`pawns.scenario.parameters`) and an optional ``weight`` column; each row is one draw.
``pawns calibrate`` writes them (:func:`pawns.calibration.posterior.write_posterior`); a
scenario that names one has its members draw their rows from it
(:func:`pawns.engine.draws.draw_parameters`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from pawns.errors import ScenarioError
from pawns.scenario.parameters import iter_params
from pawns.scenario.schema import Scenario

WEIGHT_COLUMN = "weight"


@dataclass(frozen=True, eq=False)
class Posterior:
    """Weighted draws of named parameters.

    Attributes
    ----------
    path
        Where the draws were read from (for messages).
    names
        Parameter names, one per column of ``values``.
    values
        ``(R, K)`` draws.
    weights
        ``(R,)`` non-negative weights summing to 1.
    """

    path: str
    names: tuple[str, ...]
    values: np.ndarray
    weights: np.ndarray


def scenario_posterior(scenario: Scenario) -> Posterior | None:
    """The posterior draws ``scenario`` names (``[scenario] posterior``), checked; None if it names none."""
    if scenario.meta.posterior is None:
        return None
    return read_posterior(scenario.meta.posterior, (name for name, _ in iter_params(scenario)))


def read_posterior(path: str | Path, known: Iterable[str]) -> Posterior:
    """Read and check a posterior file.

    Parameters
    ----------
    path
        The CSV file.
    known
        Parameter names of the scenario that uses it; any other column is an error.

    Raises
    ------
    ScenarioError
        When the file is missing or unreadable, a column is not a parameter of the scenario,
        a value is not a finite number, or the weights are negative or sum to zero.
    """
    import pandas as pd

    label = str(path)
    if Path(path).exists() and not Path(path).is_file():
        raise ScenarioError(label, "", "a posterior file (a CSV file, not a folder, device or pipe)")
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise ScenarioError(label, "", "an existing posterior file (scenario.posterior)") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(label, "", "a CSV file of parameter draws", str(exc).splitlines()[0] if str(exc) else None) from None
    known = set(known)
    names = [c for c in frame.columns if c != WEIGHT_COLUMN]
    if not names or frame.empty:
        raise ScenarioError(label, "", "at least one parameter column and one row of draws")
    for column in names:
        if column not in known:
            raise ScenarioError(label, column, "a column named after a parameter of the scenario (see `pawns show`)")
    for column in frame.columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        if not np.all(np.isfinite(values.to_numpy(dtype=float))):
            bad = int(np.flatnonzero(~np.isfinite(values.to_numpy(dtype=float)))[0]) + 2
            raise ScenarioError(label, column, f"finite numbers in every row (row {bad} is not)")
    if WEIGHT_COLUMN in frame.columns:
        weights = frame[WEIGHT_COLUMN].to_numpy(dtype=float)
        if np.any(weights < 0) or weights.sum() <= 0:
            raise ScenarioError(label, WEIGHT_COLUMN, "non-negative weights with a positive sum")
    else:
        weights = np.ones(len(frame))
    return Posterior(label, tuple(names), frame[names].to_numpy(dtype=float), weights / weights.sum())
