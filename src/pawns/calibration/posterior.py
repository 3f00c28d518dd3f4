"""Write posterior files: the calibrated draws later scenarios reuse (``posterior = "FILE"``).

The format (one column per parameter, an optional ``weight`` column, one row per draw) is
read by :mod:`pawns.scenario.posterior`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from pawns.scenario.posterior import WEIGHT_COLUMN


def write_posterior(path: str | Path, names: list[str], values: np.ndarray, weights: np.ndarray) -> Path:
    """Write weighted draws to ``path`` atomically (a temporary file renamed into place)."""
    import pandas as pd

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(np.asarray(values, dtype=float), columns=list(names))
    frame[WEIGHT_COLUMN] = np.asarray(weights, dtype=float) / float(np.sum(weights))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            frame.to_csv(handle, index=False, float_format="%.10g")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
