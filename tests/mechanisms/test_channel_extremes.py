"""The channels under extreme conditions: zero deliveries, a hundred times the deliveries, a 10-year horizon — bounded."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.variants import switched_off
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.model.state import State

MEMBERS = np.arange(6)
YEAR = "scenario.horizon_days=365"
# channel -> (the key of its first delivery, the scenario's range of it)
DELIVERIES = {"shells": ("shells.deliveries.0.shells_per_day", 5_000, 9_000), "missiles": ("missiles.deliveries.0.missiles", 20, 80),
              "artillery": ("artillery.deliveries.0.systems", 70, 120)}
RU_MOST_FIRED_PER_DAY = 2.0 * 20_000  # sides.RU.materiel: max_fire_multiple <= 2, shells_desired_per_day <= 20,000


def _final(scenario) -> State:
    return simulate_batch(Layout.from_scenario(scenario), MEMBERS, seed=9, keep_series=False).final


def _times(channel: str, factor: float) -> str:
    key, low, high = DELIVERIES[channel]
    return f'contributors.DPRK.{key}={{ dist = "uniform", low = {low * factor}, high = {high * factor}, assumption = "test" }}'


def _ua_killed(state: State) -> np.ndarray:
    layout = Layout.from_scenario(load_scenario("ru-ua-2024"))
    return state.killed[:, [f for f, info in enumerate(layout.formations) if info.side == 1]].sum(axis=1)


def test_zero_deliveries_are_the_channels_switched_off() -> None:
    overrides = [YEAR, *(_times(channel, 0) for channel in DELIVERIES)]
    zero = _final(load_scenario("ru-ua-2024", overrides))
    off = _final(switched_off(load_scenario("ru-ua-2024", overrides), [f"DPRK.{channel}" for channel in DELIVERIES]))
    for name in State._fields:
        np.testing.assert_array_equal(getattr(zero, name), getattr(off, name), err_msg=name)


def test_a_hundred_times_the_shells_are_stored_not_fired() -> None:
    tenfold = _final(load_scenario("ru-ua-2024", [YEAR, _times("shells", 10)]))
    hundredfold = _final(load_scenario("ru-ua-2024", [YEAR, _times("shells", 100)]))
    assert np.all(hundredfold.shells_fired[:, 0] <= RU_MOST_FIRED_PER_DAY)  # the guns fire at most their multiple of the desired rate
    assert np.all(hundredfold.shells[:, 0] > 5 * tenfold.shells[:, 0])  # the rest waits in depots
    assert np.all(hundredfold.shells_fired[:, 0] < 1.2 * tenfold.shells_fired[:, 0])


def test_a_hundred_times_the_artillery_adds_no_more_than_ten_times() -> None:
    """The value of fire above the desired rate saturates: ten times the guns already buy nearly all it can."""
    tenfold = _final(load_scenario("ru-ua-2024", [YEAR, _times("artillery", 10)]))
    hundredfold = _final(load_scenario("ru-ua-2024", [YEAR, _times("artillery", 100)]))
    assert np.all(hundredfold.fire_ratio[:, 0] > 3 * tenfold.fire_ratio[:, 0])  # the guns fire, the value does not follow
    np.testing.assert_allclose(_ua_killed(hundredfold), _ua_killed(tenfold), rtol=0.02)


def test_a_hundred_times_the_missiles_destroy_no_more_than_the_enemy_holds() -> None:
    hundredfold = _final(load_scenario("ru-ua-2024", [YEAR, _times("missiles", 100)]))
    tenfold = _final(load_scenario("ru-ua-2024", [YEAR, _times("missiles", 10)]))
    assert np.all(hundredfold.shells_lost[:, 1] > tenfold.shells_lost[:, 1])
    assert np.all(hundredfold.shells[:, 1] >= 0) and np.all(hundredfold.shells_fired[:, 1] >= 0)
    assert np.all(hundredfold.missiles_launched[:, 0] <= 100 * 80)  # never more launched than delivered


@pytest.fixture(scope="module")
def ten_years() -> State:
    return _final(load_scenario("ru-ua-2024", ["scenario.horizon_days=3650"]))


def test_ten_years_of_channels_stay_finite_and_in_their_ranges(ten_years: State) -> None:
    undefined = {"labor_gap", "end_day", "abandon_day", "technology_day"}  # NaN by design: no labor market, no end, no abandonment, no transfer yet
    for name in State._fields:
        if name not in undefined:
            assert np.all(np.isfinite(getattr(ten_years, name))), name
    assert np.all((ten_years.salience >= 0) & (ten_years.salience < 1))
    assert np.all(ten_years.bloc_support >= 0) and np.all(ten_years.support >= 0) and np.all(ten_years.bloc_delivered >= 0)
    assert np.all(ten_years.shells >= 0) and np.all(ten_years.missiles >= 0)
    assert np.all(ten_years.missiles_launched[:, 0] <= 80)  # the scenario delivers at most 80
    assert np.all(ten_years.policy_changed[:, 0] <= 1)
    # aid allocated: at most the blocs' yearly aid at their largest (45 + 60 EUR bn) for ten years, on top of the start (88 + 125)
    assert np.all(ten_years.aid_allocated_eur_bn.sum(axis=1) <= 88 + 125 + 10 * (45 + 60) * np.maximum(1.0, ten_years.support.max()))
