"""Scenarios: TOML files validated by pydantic, with ``extends`` and ``--set`` overrides.

A scenario is loaded with its evidence by :func:`pawns.evidence.load_scenario` (the ledger
binds some of its parameters, a layer above this one).
"""

from __future__ import annotations

from pawns.scenario.loader import builtin_names, resolve_scenario_source
from pawns.scenario.schema import Scenario

__all__ = ["Scenario", "builtin_names", "resolve_scenario_source"]
