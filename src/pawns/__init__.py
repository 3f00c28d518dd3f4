"""pawns: an executable, evidence-grounded model of a war of attrition and the foreign troops that feed it.

The package is layered the way a run flows::

    scenario  ->  evidence  ->  model  ->  engine  ->  analysis  ->  report / cli

``import pawns`` stays light: heavy libraries (scipy, xarray, pandas) load only when a
run needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
