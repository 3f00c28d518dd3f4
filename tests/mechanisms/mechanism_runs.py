"""Paired runs of the default scenario for the mechanism tests: variants that share their members' draws.

Every variant is a transformation of ``ru-ua-2024`` (overrides, loops cut, a scaled
contingent) run with the numpy engine, so the tests read the equations as written and never
wait for the compiled kernel. Members are paired: member ``i`` of every variant draws the same
values for the parameters the variants share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pawns.analysis.variants import without_contingents
from pawns.engine.simulate import BatchResult, simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.scenario.distributions import ParamSpec
from pawns.scenario.schema import Scenario


@dataclass(frozen=True)
class Run:
    """A variant's layout and its batch."""

    layout: Layout
    batch: BatchResult

    def column(self, name: str) -> np.ndarray:
        """The members' values of parameter ``name``."""
        return self.batch.matrix[:, self.layout.space.index(name)]

    def formation(self, name: str) -> int:
        return self.layout.formation_names.index(name)

    def sector(self, name: str) -> int:
        return self.layout.sector_names.index(name)

    def domestic(self, side: str) -> list[int]:
        """Formations of ``side`` that are not contingents."""
        s = self.layout.sides.index(side)
        return [f for f, info in enumerate(self.layout.formations) if info.side == s and not info.contingent]


def scenario(*overrides: str) -> Scenario:
    return load_scenario("ru-ua-2024", list(overrides))


def scaled(base: Scenario, factor: float) -> Scenario:
    """``base`` with every tranche of every contingent ``factor`` times as large (same parameter names, so still paired)."""
    contingents = {}
    for name, contingent in base.contingents.items():
        tranches = [t.model_copy(update={"size_persons": _times(t.size_persons, factor)}) for t in contingent.tranches]
        contingents[name] = contingent.model_copy(update={"tranches": tranches})
    return base.model_copy(update={"contingents": contingents})


def _times(spec: ParamSpec, factor: float) -> ParamSpec:
    """A size distribution scaled by ``factor`` (uniform, triangular or fixed: a member's draw scales with it)."""
    shape = {key: getattr(spec, key) * factor for key in ("value", "low", "high", "mode") if getattr(spec, key) is not None}
    return spec.model_copy(update=shape)


def run(base: Scenario, members: int, *, seed: int = 11, cut: tuple[str, ...] = (), record_every: int = 5,
        without: bool = False) -> Run:
    """Run ``base`` (without its contingents if asked) for ``members`` members with the numpy engine."""
    variant = without_contingents(base) if without else base
    layout = Layout.from_scenario(variant).with_loops_cut(*cut)
    return Run(layout, simulate_batch(layout, np.arange(members), seed=seed, record_every=record_every, engine="numpy"))
