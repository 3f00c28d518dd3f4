"""Paired comparison of scenarios run with common random numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pawns.analysis.outcomes import censored
from pawns.analysis.statistics import cost_per_day, interval, paired_difference
from pawns.analysis.summary import race_probability, tolerance_days_bought

if TYPE_CHECKING:  # pragma: no cover
    from pawns.engine.ensemble import EnsembleResult


def foreign_killed(result: "EnsembleResult") -> np.ndarray:
    """Killed among foreign contingents, per member (zeros without contingents)."""
    total = np.zeros(result.members.size)
    for info in result.layout.formations:
        if info.foreign:
            total = total + result.outcomes[f"{info.name}_killed"].to_numpy()
    return total


def compare(baseline: "EnsembleResult", others: list["EnsembleResult"]) -> dict:
    """Paired differences of each of ``others`` against ``baseline``, member by member.

    Every scenario must have the same sides, horizon, seed and members.
    """
    horizon = float(baseline.scenario.scenario.horizon_days)
    sides = list(baseline.layout.sides)
    result = {"baseline": baseline.scenario.scenario.name, "members": int(baseline.members.size), "seed": int(baseline.seed),
              "horizon_days": int(horizon), "against": []}
    base = baseline.outcomes
    for other in others:
        out = other.outcomes
        effects: dict[str, object] = {}
        for side in sides:
            effects[f"{side} endurance days (censored at horizon)"] = paired_difference(
                censored(base[f"{side}_end_day"].to_numpy(), horizon), censored(out[f"{side}_end_day"].to_numpy(), horizon))
            effects[f"{side} days of own casualty erosion avoided"] = _with_share(tolerance_days_bought(out, base, side, horizon))
        endurance = {side: censored(out[f"{side}_end_day"].to_numpy(), horizon) - censored(base[f"{side}_end_day"].to_numpy(), horizon) for side in sides}
        killed = foreign_killed(other) - foreign_killed(baseline)
        effects["foreign contingent killed"] = paired_difference(np.zeros_like(killed), killed)
        for side in sides:
            # given only where the days bought are credibly positive (see cost_per_day)
            per_erosion_day = cost_per_day(killed, tolerance_days_bought(out, base, side, horizon))
            if per_erosion_day is not None:
                effects[f"foreign killed per day of {side} erosion avoided"] = per_erosion_day
            per_endurance_day = cost_per_day(killed, endurance[side])
            if per_endurance_day is not None:
                effects[f"foreign killed per {side} endurance day bought"] = per_endurance_day
        if "area_change_km2" in out:
            effects["attacker's territorial gain (km2)"] = paired_difference(base["area_change_km2"].to_numpy(), out["area_change_km2"].to_numpy())
        p_base, p_other = race_probability(base), race_probability(out)
        if p_base is not None and p_other is not None:
            effects["P(abandonment before the opponent's endurance ends), baseline"] = p_base
            effects["P(abandonment before the opponent's endurance ends), this scenario"] = p_other
            effects["P(abandonment first): difference"] = p_other - p_base
        result["against"].append({"scenario": other.scenario.scenario.name, "effects": effects})
    return result


def _with_share(values: np.ndarray) -> dict:
    stats = interval(values)
    stats["p_positive"] = float((values > 0).mean()) if values.size else None
    return stats
