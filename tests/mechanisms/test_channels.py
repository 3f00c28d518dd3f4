"""Each channel of a contributor's help, switched off on its own, changes only what flows through it (paired)."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.analysis.variants import switched_off
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.model.state import State

MEMBERS = np.arange(12)
HORIZON = ["scenario.horizon_days=120"]
WORKERS = ("contributors.DPRK.labor={ tranches = [{ date = 2024-10-15, size_persons = 15000 }], stay_days = 0, productivity = 0.7, "
           "defence_share = 0.3 }")
WORKER_PAY = "contributors.DPRK.payments.usd_per_worker_month=800"
DEFENCE_WORKFORCE = "sides.RU.labor.defence_workforce_persons=3500000"


def _final(scenario) -> State:
    return simulate_batch(Layout.from_scenario(scenario), MEMBERS, seed=3, keep_series=False).final


def _pair(channel: str, *overrides: str) -> tuple[State, State, Layout]:
    scenario = load_scenario("ru-ua-2024", [*HORIZON, *overrides])
    return _final(scenario), _final(switched_off(scenario, [f"DPRK.{channel}"])), Layout.from_scenario(scenario)


def _same(a: State, b: State, *fields: str) -> None:
    for name in fields:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def _dprk(layout: Layout) -> int:
    return layout.contributor_names.index("DPRK")


def _same_troops(a: State, b: State, layout: Layout) -> None:
    """The contingent's arrivals (its tranches: the troops channel) are the same."""
    f = layout.formation_names.index("DPRK")
    np.testing.assert_array_equal(a.inflow_total[:, f], b.inflow_total[:, f])


def test_without_shells_the_host_fires_less_and_the_other_channels_flow_as_before() -> None:
    on, off, layout = _pair("shells")
    c = _dprk(layout)
    assert np.all(on.shells_delivered[:, c] > 0) and np.all(off.shells_delivered[:, c] == 0)
    assert np.all(off.channel_payment_usd[:, c] == 0)  # paid per shell: nothing delivered, nothing paid
    assert np.all(off.fire_ratio_mean[:, 0] < on.fire_ratio_mean[:, 0])
    _same(on, off, "missiles_launched", "artillery_systems", "workers")  # the other channels' flows
    _same_troops(on, off, layout)


def test_without_missiles_nothing_is_struck_and_the_other_channels_flow_as_before() -> None:
    on, off, layout = _pair("missiles")
    c = _dprk(layout)
    assert np.all(on.missiles_launched[:, c] > 0) and np.all(off.missiles_launched[:, c] == 0)
    assert np.all(on.shells_lost[:, 1] > 0) and np.all(off.shells_lost[:, 1] == 0)
    _same(on, off, "shells_delivered", "artillery_systems", "channel_payment_usd")
    _same_troops(on, off, layout)


def test_without_artillery_the_host_fires_less_and_the_other_channels_flow_as_before() -> None:
    on, off, layout = _pair("artillery")
    c = _dprk(layout)
    assert np.all(on.artillery_systems[:, c] > 0) and np.all(off.artillery_systems[:, c] == 0)
    assert np.all(off.fire_ratio[:, 0] < on.fire_ratio[:, 0])
    _same(on, off, "shells_delivered", "missiles_launched", "channel_payment_usd")
    _same_troops(on, off, layout)


def test_without_troops_the_contingent_is_gone_and_the_other_channels_flow_as_before() -> None:
    scenario = load_scenario("ru-ua-2024", HORIZON)
    on, off = _final(scenario), _final(switched_off(scenario, ["DPRK.troops"]))
    assert "DPRK" not in Layout.from_scenario(switched_off(scenario, ["DPRK.troops"])).formation_names
    _same(on, off, "shells_delivered", "missiles_launched", "artillery_systems", "channel_payment_usd")
    assert np.all(on.salience > 0) and np.all(off.salience == 0)  # no contingent at the front: no bad news
    # the same as removing the contingent from the scenario (a switch is structural)
    removed = load_scenario("ru-ua-2024", HORIZON).model_copy(update={"contingents": {}})
    for name in ("front", "killed", "support", "area", "shells"):
        np.testing.assert_array_equal(getattr(off, name), getattr(_final(removed), name), err_msg=name)


def test_without_payments_only_the_ledger_changes() -> None:
    on, off, layout = _pair("payments")
    c, f = _dprk(layout), layout.formation_names.index("DPRK")
    assert np.all(on.channel_payment_usd[:, c] > 0) and np.all(off.channel_payment_usd[:, c] == 0)
    assert np.all(on.payment_usd[:, f] > 0) and np.all(off.payment_usd[:, f] == 0)  # the troops' pay is a payment too
    ledger = {"channel_payment_usd", "payment_usd"}
    _same(on, off, *(name for name in State._fields if name not in ledger))  # money to the DPRK moves nothing in the war


def test_without_workers_the_labor_gap_is_wider_and_defence_output_lower() -> None:
    on, off, layout = _pair("labor", WORKERS, WORKER_PAY, DEFENCE_WORKFORCE)
    c = _dprk(layout)
    assert np.all(on.workers[:, c] == pytest.approx(15_000)) and np.all(off.workers[:, c] == 0)
    assert np.all(off.labor_gap[:, 0] > on.labor_gap[:, 0])
    assert np.all(on.channel_payment_usd[:, c] > off.channel_payment_usd[:, c])  # paid per worker-month
    _same(on, off, "shells_delivered", "missiles_launched", "artillery_systems")


def test_workers_in_the_defence_industry_raise_its_output_beyond_easing_the_gap() -> None:
    scenario = load_scenario("ru-ua-2024", [*HORIZON, WORKERS, DEFENCE_WORKFORCE])
    none_in_defence = load_scenario("ru-ua-2024", [*HORIZON, WORKERS.replace("defence_share = 0.3", "defence_share = 0"), DEFENCE_WORKFORCE])
    with_defence, without = _final(scenario), _final(none_in_defence)
    np.testing.assert_array_equal(with_defence.labor_gap, without.labor_gap)  # the same gap eased
    assert np.all(with_defence.shells_fired[:, 0] + with_defence.shells[:, 0] > without.shells_fired[:, 0] + without.shells[:, 0])
