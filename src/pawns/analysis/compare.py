"""Paired comparison of scenarios run with common random numbers."""

from __future__ import annotations

from pawns.analysis.effects import paired_effects
from pawns.analysis.ensemble import EnsembleResult


def compare(baseline: EnsembleResult, others: list[EnsembleResult]) -> dict:
    """Paired effects of each of ``others`` against ``baseline``, member by member.

    Every scenario must have the same sides, horizon, seed and members. Each entry of
    ``against`` holds the effects of one scenario under the keys of
    :data:`pawns.analysis.effects.EFFECTS` (reference: the baseline; treated: that scenario).
    """
    horizon = float(baseline.layout.horizon_days)
    sides = list(baseline.layout.sides)
    contingents = list(dict.fromkeys(name for result in (baseline, *others) for name in result.scenario.contingents))
    result = {"baseline": baseline.scenario.meta.name, "members": int(baseline.members.size), "seed": int(baseline.seed),
              "horizon_days": int(horizon), "against": []}
    for other in others:
        effects = paired_effects(other.outcomes, baseline.outcomes, sides=sides, horizon=horizon, contingents=contingents)
        result["against"].append({"scenario": other.scenario.meta.name, "effects": effects.as_dict()})
    return result
