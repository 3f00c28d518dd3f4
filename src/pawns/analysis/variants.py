"""Counterfactual variants of a scenario, derived by transformation (never by copying files).

Variants keep every parameter name they share with the original, so the engine's common
random numbers pair their members: member i of a variant differs from member i of the
original only by what the variant changes.
"""

from __future__ import annotations

from pawns.scenario.distributions import ParamSpec
from pawns.scenario.schema import Scenario


def without_contingents(scenario: Scenario) -> Scenario:
    """The same scenario with no foreign contingents (the counterfactual of Q1 and Q3)."""
    meta = scenario.meta.model_copy(update={"name": f"{scenario.meta.name}:without-contingents"})
    return scenario.model_copy(update={"contingents": {}, "meta": meta})


def with_role(scenario: Scenario, role: str) -> Scenario:
    """The same contingents, every tranche used in one role: ``"combat"`` or ``"labor"`` (Q2)."""
    if role not in {"combat", "labor"}:
        raise ValueError("role must be 'combat' or 'labor'")
    contingents = {name: c.model_copy(update={"role": role}) for name, c in scenario.contingents.items()}
    meta = scenario.meta.model_copy(update={"name": f"{scenario.meta.name}:all-{role}"})
    return scenario.model_copy(update={"contingents": contingents, "meta": meta})


def host_side(scenario: Scenario) -> str | None:
    """The side foreign contingents fight for (the first contingent's), if any."""
    return next((c.side for c in scenario.contingents.values()), None)


def switched_off(scenario: Scenario, channels: list[str]) -> Scenario:
    """The same scenario with ``channels`` (``CONTRIBUTOR.CHANNEL``) switched off, structurally (the channel decomposition)."""
    off = list(dict.fromkeys([*scenario.switches.channels_off, *channels]))
    switches = scenario.switches.model_copy(update={"channels_off": off})
    suffix = "all-channels-off" if len(channels) > 1 else f"{channels[0]}-off"
    meta = scenario.meta.model_copy(update={"name": f"{scenario.meta.name}:{suffix}"})
    return scenario.model_copy(update={"switches": switches, "meta": meta})


def loop_cut(scenario: Scenario, loops: list[str]) -> Scenario:
    """The same scenario with feedback ``loops`` (``"support"``, ``"materiel"``) cut, structurally (loop dominance)."""
    cut = list(dict.fromkeys([*scenario.switches.loops_off, *loops]))
    switches = scenario.switches.model_copy(update={"loops_off": cut})
    meta = scenario.meta.model_copy(update={"name": f"{scenario.meta.name}:{'-'.join(loops)}-loop-cut"})
    return scenario.model_copy(update={"switches": switches, "meta": meta})


# Fields of a parameter specification that carry its scale (sigma, alpha and beta are shapes).
_SCALE_FIELDS = ("value", "low", "high", "mode", "mean", "sd", "median")


def scaled_spec(spec: ParamSpec, factor: float) -> ParamSpec:
    """``spec`` with every value it can take multiplied by ``factor`` (same name: each member's draw scales exactly)."""
    return spec.model_copy(update={name: getattr(spec, name) * factor for name in _SCALE_FIELDS if getattr(spec, name) is not None})


def with_contingents_scaled(scenario: Scenario, factor: float) -> Scenario:
    """The same contingents, every tranche ``factor`` times its size (Q1's dose response)."""
    if factor <= 0:
        raise ValueError("the factor must be positive")
    contingents = {}
    for name, c in scenario.contingents.items():
        update: dict = {"tranches": [t.model_copy(update={"size_persons": scaled_spec(t.size_persons, factor)}) for t in c.tranches]}
        if c.replenishment is not None:  # replacements restore the scaled strength
            update["replenishment"] = c.replenishment.model_copy(update={"target_persons": scaled_spec(c.replenishment.target_persons, factor)})
        contingents[name] = c.model_copy(update=update)
    meta = scenario.meta.model_copy(update={"name": f"{scenario.meta.name}:contingents-x{factor:g}"})
    return scenario.model_copy(update={"contingents": contingents, "meta": meta})
