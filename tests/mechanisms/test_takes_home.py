"""What the DPRK takes home (M11, M12): each indicator moves with its driver, and stays bounded.

Paired runs (common random numbers) of the default scenario with one driver changed: more
tranches, no troops, a technology's hazard. Indicators are the outcome columns the summary's
section ``dprk_takes_home`` reduces (:mod:`pawns.analysis.takes_home`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pawns.analysis.outcomes import member_outcomes
from pawns.analysis.takes_home import BALANCE, LEDGER, takes_home
from pawns.analysis.variants import switched_off
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
from pawns.scenario.schema import TECHNOLOGIES

MEMBERS = np.arange(12)
TRANCHE = '{{ date = {date}, size_persons = {size}, role = "split", combat_share = 0.85 }}'
TWO_TRANCHES = [("2024-10-13", 1_500), ("2024-10-23", 1_500)]
FOUR_TRANCHES = TWO_TRANCHES + [("2024-10-28", 7_000), ("2024-12-19", 1_200)]
WORKERS = ("contributors.DPRK.labor={ tranches = [{ date = 2024-10-15, size_persons = 5000 }], stay_days = 0, productivity = 0.7, "
           "defence_share = 0.3 }")
WORKER_PAY = "contributors.DPRK.payments.usd_per_worker_month=800"
ACTIVE_LOW = 1_100_000  # the lowest DPRK active personnel the default scenario draws
NO_TECHNOLOGY = [f"contributors.DPRK.technology.{name}_per_year=0" for name in TECHNOLOGIES]


def _tranches(tranches: list[tuple[str, int]], scale: float = 1.0) -> str:
    return "contingents.DPRK.tranches=[" + ", ".join(TRANCHE.format(date=d, size=int(s * scale)) for d, s in tranches) + "]"


def _run(scenario, members=MEMBERS):
    layout = Layout.from_scenario(scenario)
    batch = simulate_batch(layout, members, seed=7, keep_series=False)
    return pd.DataFrame(member_outcomes(layout, batch.initial, batch.final, batch.matrix)), batch.final, layout


def _outcomes(*overrides: str, members=MEMBERS) -> pd.DataFrame:
    return _run(load_scenario("ru-ua-2024", list(overrides)), members)[0]


def test_more_tranches_bring_more_veterans_home_with_more_combat_experience() -> None:
    fewer = _outcomes(_tranches(TWO_TRANCHES))
    more = _outcomes(_tranches(FOUR_TRANCHES))
    for column in ("DPRK_veterans_home", "DPRK_veterans_per_1000_active", "DPRK_combat_years_home", "DPRK_revenue_troops_usd"):
        assert np.all(more[column] > fewer[column]), column
    assert np.all(more["DPRK_killed"] > fewer["DPRK_killed"])  # the price of it


def test_without_troops_there_is_no_combat_experience_while_worker_and_munitions_revenue_remain() -> None:
    scenario = load_scenario("ru-ua-2024", [WORKERS, WORKER_PAY])
    with_troops = _run(scenario)[0]
    without, _, layout = _run(switched_off(scenario, ["DPRK.troops"]))
    for column in ("DPRK_veterans_home", "DPRK_veterans_per_1000_active", "DPRK_combat_years_home", "DPRK_revenue_troops_usd"):
        assert np.all(without[column] == 0), column
        assert np.all(with_troops[column] > 0), column
    assert np.all(with_troops["DPRK_evacuated"] > 0) and "DPRK_evacuated" not in without  # no contingent, no wounded to send home
    # workers and munitions are paid as before: their channels do not depend on the troops
    for column in ("DPRK_revenue_workers_usd", "DPRK_revenue_munitions_usd"):
        assert np.all(without[column] > 0), column
    np.testing.assert_allclose(without["DPRK_revenue_workers_usd"], with_troops["DPRK_revenue_workers_usd"], rtol=1e-12)
    np.testing.assert_allclose(without["DPRK_revenue_usd"],
                               without["DPRK_revenue_workers_usd"] + without["DPRK_revenue_munitions_usd"], rtol=1e-12)
    section = takes_home(layout, without)
    assert section["indicators"]["combat_years_home"]["median"] == 0
    assert section["ledger"]["killed"]["median"] == 0  # no contingent: nobody to lose
    assert section["ledger"]["wounded_repatriated"]["median"] == 0
    assert section["ledger"]["revenue_workers_usd_bn"]["q05"] > 0


@pytest.mark.parametrize("name", sorted(TECHNOLOGIES))
def test_a_technology_whose_hazard_is_zero_never_happens_and_one_with_a_high_hazard_always_does(name: str) -> None:
    k = list(TECHNOLOGIES).index(name)
    never = _run(load_scenario("ru-ua-2024", [f"contributors.DPRK.technology.{name}_per_year=0"]))[1]
    assert np.all(np.isnan(never.technology_day[:, :, k]))
    always = _run(load_scenario("ru-ua-2024", [f"contributors.DPRK.technology.{name}_per_year=50", "scenario.horizon_days=365"]))[1]
    assert np.all(always.technology_day[:, :, k] >= 1) and np.all(always.technology_day[:, :, k] <= 365)


def test_technology_events_follow_their_hazard_and_change_nothing_in_the_war() -> None:
    members = np.arange(400)
    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=60"])
    on, on_state, _ = _run(scenario, members)
    off, off_state, _ = _run(load_scenario("ru-ua-2024", ["scenario.horizon_days=60", *NO_TECHNOLOGY]), members)
    assert np.all(off["DPRK_technology_events"] == 0)
    # the share of members with an air-defence transfer within 60 days is that of a hazard drawn from 0.5-2.5 a year
    expected = 1.0 - np.mean(np.exp(-np.linspace(0.5, 2.5, 1001) * 60 / 365))
    assert abs(np.mean(~np.isnan(on["DPRK_technology_air_defence_day"])) - expected) < 0.06
    for field in on_state._fields:  # nothing that the DPRK takes home feeds back into the war (same uniforms, same draws)
        if field != "technology_day":
            np.testing.assert_array_equal(getattr(on_state, field), getattr(off_state, field), err_msg=field)


def test_indicators_stay_bounded_with_a_hundred_times_the_contingent_over_ten_years() -> None:
    members = np.arange(4)
    found = _outcomes(_tranches(FOUR_TRANCHES, 100.0), "scenario.horizon_days=3650", members=members)
    for column in ("DPRK_veterans_home", "DPRK_combat_years_home", "DPRK_revenue_usd", "DPRK_revenue_gdp_share_per_year",
                   "DPRK_revenue_military_share_per_year"):
        assert np.all(np.isfinite(found[column])) and np.all(found[column] >= 0), column
    # veterans home are persons who arrived: never more than the arrivals, whatever the size
    assert np.all(found["DPRK_veterans_home"] <= found["DPRK_arrived"] * (1 + 1e-9))
    assert np.all(found["DPRK_veterans_per_1000_active"] <= 1000 * found["DPRK_arrived"] / ACTIVE_LOW + 1e-9)
    # combat years home: at most ten years for each person who arrived
    assert np.all(found["DPRK_combat_years_home"] <= found["DPRK_arrived"] * 10)
    assert np.all(found["DPRK_technology_events"] <= len(TECHNOLOGIES))


def test_the_summary_section_gives_each_indicator_a_median_and_90_percent_interval_with_its_unit() -> None:
    outcomes, _, layout = _run(load_scenario("ru-ua-2024", ["scenario.horizon_days=120"]))
    section = takes_home(layout, outcomes)
    assert set(section["indicators"]) == {i.key for i in BALANCE} and set(section["ledger"]) == {i.key for i in LEDGER}
    for found in [*section["indicators"].values(), *section["ledger"].values()]:
        assert found["unit"] and found["driver"]
        assert found["q05"] <= found["median"] <= found["q95"]
    assert set(section["technology"]) == set(TECHNOLOGIES)
    assert all(0 <= t["probability"] <= 1 and t["effect"] for t in section["technology"].values())
    assert section["limits"]
    without_dprk = Layout.from_scenario(load_scenario("ru-ua-2024-no-dprk"))
    assert "not_applicable" in takes_home(without_dprk, outcomes)
