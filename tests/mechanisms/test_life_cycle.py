"""M1, M3 — the contingent's life cycle: training, the front by sector, a tour before rotation, its own wounded and dead."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from mechanism_runs import Run, run, scenario
from scipy import stats

MEMBERS = 24
ARRIVAL = dt.date(2024, 10, 28)  # the third and largest tranche


def _day(r: Run, date: dt.date) -> int:
    return (date - r.layout.scenario.meta.start_date).days


@pytest.fixture(scope="module")
def lone_tranche() -> Run:
    # One tranche, all combat, into a sector where no one fights: the delays alone move it.
    base = scenario("sectors.kursk.front_share.UA=0.0", "sectors.kursk.casualty_share_at_start.UA=0.0",
                    "sectors.kursk.casualty_share_at_start.RU=0.0", 'contingents.DPRK.role="combat"',
                    "contingents.DPRK.training_days=30.0", "contingents.DPRK.tour_days=270.0", "scenario.horizon_days=600")
    dprk = base.contingents["DPRK"]
    lone = dprk.model_copy(update={"tranches": [dprk.tranches[2]]})
    return run(base.model_copy(update={"contingents": {"DPRK": lone}}), MEMBERS, record_every=1)


def test_training_is_an_erlang_delay_with_its_mean(lone_tranche: Run) -> None:
    r, f = lone_tranche, lone_tranche.formation("DPRK")
    front, training = r.batch.series["front"][:, :, f], r.batch.series["training"][:, :, f]
    size = r.column("contingents.DPRK.tranches.0.size_persons")
    arrival = _day(r, ARRIVAL)
    assert np.all(front[:, arrival + 1] == 0)  # no one at the front on the day after arrival
    # three stages, mean 30 days; recorded at the end of each day, so `days` days after arrival is
    # entry arrival + 1 + days (the daily steps make it a negative binomial, within 2% of the Erlang)
    erlang = stats.gamma(3, scale=30.0 / 3)
    for days in (3, 14, 30, 60):
        reached = 1.0 - training[:, arrival + 1 + days] / size
        np.testing.assert_allclose(reached, erlang.cdf(days), atol=0.02)


def test_rotation_home_waits_for_the_tour(lone_tranche: Run) -> None:
    r, f = lone_tranche, lone_tranche.formation("DPRK")
    rotated = r.batch.series["rotated"][:, :, f]
    size = r.column("contingents.DPRK.tranches.0.size_persons")
    arrival = _day(r, ARRIVAL)
    # Training (3 stages, 30 days) then a tour (6 stages, 270 days): 0.4% home 100 days after
    # arrival (a first-order tour would have sent 23% home by then), 88% after 435 days.
    assert np.all(rotated[:, arrival + 100] < 0.015 * size)
    assert np.all(rotated[:, arrival + 435] > 0.8 * size)


@pytest.fixture(scope="module")
def default() -> Run:
    return run(scenario("scenario.horizon_days=300"), MEMBERS, record_every=5)


def test_the_contingent_fights_only_in_the_sectors_it_was_sent_to(default: Run) -> None:
    f = default.formation("DPRK")
    assert np.all(default.batch.series["sector_front"][:, :, f, default.sector("main")] == 0)
    assert default.batch.final.sector_killed[:, f, default.sector("kursk")].min() > 0


def test_the_contingent_has_its_own_killed_share_and_evacuates_its_wounded(default: Run) -> None:
    f = default.formation("DPRK")
    final, start = default.batch.final, default.batch.initial
    killed = final.killed[:, f] - start.killed[:, f]
    casualties = killed + final.wounded_total[:, f]
    np.testing.assert_allclose(killed / casualties, default.column("contingents.DPRK.killed_share"), rtol=1e-9)
    # the wounded who left care: the returning share went back to the front, the rest home
    left_care = final.wounded_total[:, f] - final.wounded[:, f]
    evacuated = final.discharged[:, f] - start.discharged[:, f]
    np.testing.assert_allclose(evacuated / left_care, 1.0 - default.column("contingents.DPRK.wounded_return_fraction"), rtol=1e-9)


def test_replacements_restore_the_target_strength_and_never_pass_it() -> None:
    rule = "{target_persons = 9000, lag_days = 20, start_date = 2025-01-01, end_date = 2025-06-30}"
    base = scenario(f"contingents.DPRK.replenishment={rule}", "scenario.horizon_days=400")
    with_rule, without = run(base, MEMBERS), run(scenario("scenario.horizon_days=400"), MEMBERS)
    f = with_rule.formation("DPRK")
    series = with_rule.batch.series

    def strength(r: Run) -> np.ndarray:
        s = r.batch.series
        return s["training"][:, :, f] + s["front"][:, :, f] + s["wounded"][:, :, f]

    days = with_rule.batch.record_days
    before = days < _day(with_rule, dt.date(2025, 1, 1))
    np.testing.assert_array_equal(series["front"][:, before, f], without.batch.series["front"][:, before, f])
    active = (days > _day(with_rule, dt.date(2025, 3, 1))) & (days <= _day(with_rule, dt.date(2025, 6, 30)))
    assert np.all(strength(with_rule)[:, active] <= 9000 * 1.001)
    assert np.all(strength(with_rule)[:, active] > strength(without)[:, active])
    # after the rule ends, no more replacements arrive
    arrived = with_rule.batch.final.inflow_total[:, f]
    end = _day(with_rule, dt.date(2025, 7, 1))
    assert np.all(with_rule.batch.series["training"][:, -1, f] <= with_rule.batch.series["training"][:, days >= end][:, 0, f])
    assert np.all(arrived > without.batch.final.inflow_total[:, f])
