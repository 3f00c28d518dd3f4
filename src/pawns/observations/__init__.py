"""Observed series carried into the project, with their sources and caveats, and the observation
models that say what each would show given a model run (:mod:`pawns.observations.models`)."""

from __future__ import annotations

from pawns.observations.catalog import CATALOG, ObservedStream, load_observed

__all__ = ["CATALOG", "ObservedStream", "load_observed"]
