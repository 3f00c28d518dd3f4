"""Observed series carried into the project, with their sources and caveats."""

from __future__ import annotations

from pawns.observations.catalog import CATALOG, ObservedStream, load_observed

__all__ = ["CATALOG", "ObservedStream", "load_observed"]
