"""Paired runs of the default scenario for the mechanism tests: variants that share their members' draws.

Every variant is a transformation of ``ru-ua-2024`` (overrides, loops cut, a scaled
contingent) run with the engine pawns chooses (compiled once `pawns warmup` has run, as
scripts/test.sh does; numpy before: the two agree to the bit, tests/test_engine_fast.py). Members are paired: member ``i`` of every variant draws the same
values for the parameters the variants share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pawns.analysis.variants import with_contingents_scaled, without_contingents
from pawns.engine.simulate import BatchResult, simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
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
    return with_contingents_scaled(base, factor)


def run(base: Scenario, members: int, *, seed: int = 11, cut: tuple[str, ...] = (), record_every: int = 5,
        without: bool = False) -> Run:
    """Run ``base`` (without its contingents if asked) for ``members`` members."""
    variant = without_contingents(base) if without else base
    layout = Layout.from_scenario(variant).with_loops_cut(*cut)
    return Run(layout, simulate_batch(layout, np.arange(members), seed=seed, record_every=record_every))
