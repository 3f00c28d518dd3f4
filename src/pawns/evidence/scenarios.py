"""Load a scenario with its evidence: the file, its ``extends`` chain, ``--set``, the ledger.

Loading is two steps in two layers: :mod:`pawns.scenario.loader` reads and merges the tables,
then the parameters written ``{dist = "ledger", evidence = ...}`` are bound to the evidence
ledger here (:func:`pawns.evidence.bindings.resolve_ledger_params`) before the whole is
validated. The ledger step lives above the scenario layer, so it points downward.
"""

from __future__ import annotations

from typing import Iterable

from pawns.evidence.bindings import resolve_ledger_params
from pawns.scenario.loader import DEFAULT_SCENARIO, load_raw, validate_raw
from pawns.scenario.schema import Scenario


def load_scenario(name_or_path: str = DEFAULT_SCENARIO, overrides: Iterable[str] = ()) -> Scenario:
    """Load, merge, override, bind to the ledger and validate a scenario.

    Parameters
    ----------
    name_or_path
        A built-in scenario name (see :func:`pawns.scenario.loader.builtin_names`) or a path to
        a TOML file.
    overrides
        ``key=value`` strings, applied after ``extends`` is resolved. Parameters written
        ``{dist = "ledger", evidence = ...}`` are then reconciled from the evidence ledger.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        On any malformed, unknown, wrongly typed, out-of-range or cyclic input.
    """
    label, raw = load_raw(name_or_path, overrides)
    return validate_raw(label, resolve_ledger_params(label, raw))
