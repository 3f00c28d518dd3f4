"""Posterior files: calibrated parameter draws that scenarios reuse (``posterior = "FILE"``).

A posterior file is a CSV with one column per parameter (dotted names, as in
:class:`~pawns.model.parameters.ParameterSpace`) and an optional ``weight`` column; each row
is one draw. A member picks its row with the counter-based generator, so its draws depend
only on (seed, member): the same in any chunk and in every scenario that shares the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from pawns.engine.rng import stream_key, uniforms
from pawns.errors import ScenarioError

WEIGHT_COLUMN = "weight"
PARAMETER_NAME = re.compile(r"[A-Za-z_][\w-]*(\.[\w-]+)+")
POSTERIOR_STREAM = stream_key("posterior")


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

    def rows_for(self, members: np.ndarray, *, seed: int) -> np.ndarray:
        """Row index of each member: inverse CDF of the weights at the member's own uniform."""
        u = uniforms(seed, np.asarray(members, dtype=np.int64), POSTERIOR_STREAM)
        cumulative = np.cumsum(self.weights)
        cumulative[-1] = 1.0  # guard the last bin against rounding
        return np.searchsorted(cumulative, u, side="right").clip(0, len(self.weights) - 1)


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


def posterior_csv(names: list[str], values: np.ndarray, weights: np.ndarray) -> str:
    """Weighted draws as the text of a posterior file (weights normalised to sum to 1)."""
    import pandas as pd

    frame = pd.DataFrame(np.asarray(values, dtype=float), columns=list(names))
    frame[WEIGHT_COLUMN] = np.asarray(weights, dtype=float) / float(np.sum(weights))
    return frame.to_csv(index=False, float_format="%.10g")


def is_posterior_file(path: Path) -> bool:
    """Whether ``path`` looks like a posterior file pawns wrote: dotted parameter names, then ``weight``."""
    try:
        with open(path, encoding="utf-8") as handle:
            header = handle.readline(65_536).strip()
    except (OSError, UnicodeDecodeError):
        return False
    columns = header.split(",")
    return len(columns) >= 2 and columns[-1] == WEIGHT_COLUMN and all(PARAMETER_NAME.fullmatch(c) for c in columns[:-1])
