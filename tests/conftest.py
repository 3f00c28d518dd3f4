"""Shared fixtures: small hand-made scenarios for analytic tests and fast runs."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest

from pawns.scenario.loader import validate_raw
from pawns.scenario.schema import Scenario

START = dt.date(2024, 1, 1)


@pytest.fixture(autouse=True, scope="session")
def no_user_data(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Tests read the shipped data only, never a user data directory left by `pawns data update`."""
    from pawns.user_data import ENV_VAR

    before = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(tmp_path_factory.mktemp("user-data") / "pawns")
    yield
    if before is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = before


@pytest.fixture(autouse=True, scope="session")
def one_compile_cache() -> Any:
    """Every test, and every command a test starts, uses this machine's compiled model, wherever a test moves HOME.

    Tests that move HOME (to check what pawns writes there) would otherwise find no compiled
    model and compile one beside their runs, into their sandbox. Tests of the cache itself set
    their own NUMBA_CACHE_DIR.
    """
    from pawns import compile_cache

    before = os.environ.get(compile_cache.ENV_VAR)
    os.environ[compile_cache.ENV_VAR] = str(compile_cache.cache_root())
    yield
    if before is None:
        os.environ.pop(compile_cache.ENV_VAR, None)
    else:
        os.environ[compile_cache.ENV_VAR] = before


def duel(
    *,
    red: float,
    blue: float,
    red_coefficient: float,
    blue_coefficient: float,
    fires_exponent: float,
    exposure_exponent: float,
    horizon_days: int = 10,
    step_days: float = 0.01,
    extra: dict[str, Any] | None = None,
) -> Scenario:
    """A two-sided Lanchester duel with every other mechanism switched off.

    All casualties are killed (no wounded), no posture effect, no materiel, no recruitment,
    tolerance, aid or territory: the combat law alone moves the stocks.
    """

    def side(name: str, strength: float, coefficient: float) -> dict[str, Any]:
        return {
            "nationality": name,
            "population_persons": 1e9,
            "casualty_coefficient": coefficient,
            "killed_share": 1.0,
            "wounded_return_fraction": 0.0,
            "wounded_recovery_days": 1.0,
            "formations": {f"{name.lower()}_force": {"category": "contract", "front_persons": strength, "quality": 1.0, "exposure": 1.0}},
        }

    raw: dict[str, Any] = {
        "scenario": {"name": "duel", "start_date": START, "horizon_days": horizon_days, "step_days": step_days},
        "combat": {"fires_exponent": fires_exponent, "exposure_exponent": exposure_exponent, "attacker": "RED",
                   "attacker_posture_multiplier": 1.0},
        "sides": {"RED": side("RED", red, red_coefficient), "BLUE": side("BLUE", blue, blue_coefficient)},
    }
    for key, value in (extra or {}).items():
        raw[key] = value
    return validate_raw("<duel>", raw)


@pytest.fixture
def short_overrides() -> list[str]:
    """Overrides that shrink the default scenario for fast tests (90 days)."""
    return ["scenario.horizon_days=90"]
