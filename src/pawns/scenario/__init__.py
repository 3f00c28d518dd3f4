"""Scenarios: TOML files validated by pydantic, with ``extends`` and ``--set`` overrides."""

from __future__ import annotations

from pawns.scenario.loader import builtin_names, load_scenario, resolve_scenario_source
from pawns.scenario.schema import Scenario

__all__ = ["Scenario", "builtin_names", "load_scenario", "resolve_scenario_source"]
