"""Write posterior files: the calibrated draws later scenarios reuse (``posterior = "FILE"``).

The format (one column per parameter, an optional ``weight`` column, one row per draw) is
read by :mod:`pawns.scenario.posterior`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from pawns.scenario.posterior import WEIGHT_COLUMN

PARAMETER_NAME = re.compile(r"[A-Za-z_][\w-]*(\.[\w-]+)+")


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
