"""Counterfactual variants of a scenario, derived by transformation (never by copying files).

Variants keep every parameter name they share with the original, so the engine's common
random numbers pair their members: member i of a variant differs from member i of the
original only by what the variant changes.
"""

from __future__ import annotations

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
