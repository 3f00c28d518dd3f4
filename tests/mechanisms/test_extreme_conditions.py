"""Extreme conditions: zero forces, zero supply, a 10-year horizon, a 100x contingent.

Whatever the inputs, every stock stays finite, non-negative and within its bounds, and the
measures of the end of endurance stay probabilities and times within the horizon.
"""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.variants import switched_off, with_contingents_scaled
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.model.state import State
from pawns.scenario.schema import Scenario

STOCKS = ("training", "front", "wounded", "killed", "discharged", "deserted", "rotated", "labor", "shells", "pool",
          "weighted_losses", "cumulative_hazard", "restricted_days", "support", "delivered", "national_front_days", "shells_produced")
PROBABILITIES = ("end_probability_1y", "end_probability_2y", "end_probability_5y")


def _run(scenario: Scenario, members: int = 3) -> tuple[Layout, State, State]:
    layout = Layout.from_scenario(scenario)
    batch = simulate_batch(layout, np.arange(members), seed=4, keep_series=False)
    return layout, batch.initial, batch.final


def _assert_bounded(layout: Layout, start: State, final: State) -> None:
    for name in STOCKS:
        values = getattr(final, name)
        assert np.all(np.isfinite(values)), name
        assert np.all(values >= 0), name
    for name in PROBABILITIES:
        values = getattr(final, name)
        known = values[~np.isnan(values)]
        assert np.all((known >= 0) & (known <= 1)), name
    assert np.all(final.restricted_days <= layout.horizon_days + 1e-9)
    assert np.all(np.isfinite(final.tolerance))
    assert np.all(final.bonus <= np.maximum(start.bonus, final.bonus.max()))  # the ratchet stops at its ceiling
    ended = ~np.isnan(final.end_day)
    assert np.all(final.end_day[ended] <= layout.horizon_days)
    # personnel is conserved: every person is in exactly one stock
    held = sum(getattr(final, name) for name in ("training", "front", "wounded", "killed", "discharged", "deserted", "rotated", "labor"))
    held = held + final.redeploying.sum(axis=2)  # host soldiers between sectors
    assert held == pytest.approx(final.initial_total + final.inflow_total, rel=1e-9, abs=1e-6)


def test_zero_forces_on_the_defending_side() -> None:
    overrides = ["scenario.horizon_days=120"] + [f"sides.UA.formations.{f}.{key}=0" for f in ("ua_mobilized", "ua_volunteer")
                                                 for key in ("front_persons", "intake_per_day")]
    layout, start, final = _run(load_scenario("ru-ua-2024", overrides))
    _assert_bounded(layout, start, final)
    assert np.all(final.front[:, 2:4] == 0)


def test_zero_supply_of_shells() -> None:
    overrides = ["scenario.horizon_days=365"] + [f"sides.{side}.materiel.{key}=0" for side in ("RU", "UA")
                                                 for key in ("shells_stock", "shells_production_per_day")]
    overrides += [f"supporters.west.blocs.{bloc}.shells_per_day_at_start=0" for bloc in ("US", "Europe")]
    layout, start, final = _run(switched_off(load_scenario("ru-ua-2024", overrides), ["DPRK.shells"]))
    _assert_bounded(layout, start, final)
    assert np.all(final.shells == 0) and np.all(final.end_hazard > 0)


def test_a_ten_year_horizon() -> None:
    layout, start, final = _run(load_scenario("ru-ua-2024", ["scenario.horizon_days=3650"]), members=2)
    _assert_bounded(layout, start, final)
    assert not np.any(np.isnan(final.end_probability_5y))
    assert np.all(final.end_probability_5y >= final.end_probability_2y)
    assert np.all(final.end_probability_2y >= final.end_probability_1y)


def test_a_hundred_times_the_contingent() -> None:
    base = load_scenario("ru-ua-2024", ["scenario.horizon_days=365"])
    layout, start, final = _run(with_contingents_scaled(base, 100.0))
    _assert_bounded(layout, start, final)
    dprk = layout.formation_names.index("DPRK")
    assert final.inflow_total[:, dprk].min() > 500_000
