"""M6 — sectors: each with its own forces, posture and bounded territory; the host's allocation between them."""

from __future__ import annotations

import numpy as np
import pytest
from mechanism_runs import Run, run, scaled, scenario

from pawns.model import equations as eq
from pawns.model.state import State

MEMBERS = 24


def test_a_sector_without_forces_has_no_casualties() -> None:
    # Ukraine sends no one to Kursk (and so no casualties are anchored there): Russians there
    # face no fire, and no one is hurt in the sector.
    base = scenario("sectors.kursk.front_share.UA=0.0", "sectors.kursk.casualty_share_at_start.UA=0.0",
                    "sectors.kursk.casualty_share_at_start.RU=0.0", "scenario.horizon_days=120")
    r = run(base, 8)
    kursk = r.sector("kursk")
    assert np.all(r.batch.series["sector_front"][:, :, r.domestic("UA"), kursk] == 0)
    assert np.all(r.batch.final.sector_killed[:, :, kursk] == 0)
    assert np.all(r.batch.final.sector_wounded[:, :, kursk] == 0)
    # and the main sector still fights
    assert np.all(r.batch.final.sector_killed[:, :, 0].sum(axis=1) > 0)


@pytest.fixture(scope="module")
def huge() -> Run:
    # A contingent 100 times the reported one, over ten years.
    return run(scaled(scenario("scenario.horizon_days=3650"), 100.0), MEMBERS, record_every=10)


def test_territory_stays_within_each_sectors_bounds(huge: Run) -> None:
    series = huge.batch.series["sector_area"]
    for z, name in enumerate(huge.layout.sector_names):
        start = huge.column(f"sectors.{name}.initial_area_km2")[:, None]
        stake = huge.column(f"sectors.{name}.area_at_stake_km2")[:, None]
        retake = huge.column(f"sectors.{name}.retake_limit_km2")[:, None]
        gained = series[:, :, z] - start
        assert np.all(gained <= stake * (1 + 1e-6)), name
        assert np.all(gained >= -retake * (1 + 1e-6) - 1e-3), name
    # Kursk: the area Ukraine holds, within [0, what it held at the start]
    kursk = huge.sector("kursk")
    held = huge.column("sectors.kursk.area_at_stake_km2")[:, None] - series[:, :, kursk]
    assert np.all(held >= -1e-3) and np.all(held <= huge.column("sectors.kursk.area_at_stake_km2")[:, None] + 1e-3)


def test_a_hundredfold_contingent_gains_ground_at_a_bounded_rate(huge: Run) -> None:
    gain = huge.batch.series["sector_gain"]
    for z, name in enumerate(huge.layout.sector_names):
        g0 = huge.column(f"sectors.{name}.gain_km2_per_day_at_start")
        multiple = huge.column(f"sectors.{name}.max_gain_multiple")
        ceiling = g0 * multiple / eq.gain_norm(multiple) * np.exp(eq.DRIFT_LOG_BOUND)  # the pace's drift at most quadruples it
        assert np.all(np.abs(gain[:, :, z]) <= ceiling[:, None] * (1 + 1e-9)), name
    # the stake in Kursk is exhausted, and the fight for it has stopped
    kursk = huge.sector("kursk")
    assert np.allclose(gain[:, -1, kursk], 0.0, atol=1e-6)


def test_ten_years_keep_every_stock_finite_and_non_negative(huge: Run) -> None:
    final = huge.batch.final
    stocks = ("training", "front", "wounded", "killed", "discharged", "deserted", "rotated", "labor", "sector_front",
              "front_stage", "training_stage", "sector_wounded", "redeploying", "sector_killed", "sector_area")
    for name in stocks:
        values = getattr(final, name)
        assert np.all(np.isfinite(values)), name
        assert np.all(values >= 0), name
    for name in State._fields:
        values = np.asarray(getattr(final, name), dtype=float)
        assert not np.any(np.isinf(values)), name
    total = sum(getattr(final, n) for n in stocks[:8]) + final.redeploying.sum(axis=2)
    np.testing.assert_allclose(total, final.initial_total + final.inflow_total, rtol=1e-9)


def test_the_main_advance_slows_with_defended_depth() -> None:
    shallow = run(scenario("sectors.main.defended_depth_km2=2000.0", "scenario.horizon_days=365"), MEMBERS, record_every=365)
    deep = run(scenario("sectors.main.defended_depth_km2=1000000.0", "scenario.horizon_days=365"), MEMBERS, record_every=365)
    gained = [r.batch.final.area - r.batch.initial.area for r in (shallow, deep)]
    advancing = gained[1] > 500  # members where Russia advances at all
    assert advancing.sum() >= MEMBERS // 2
    assert np.all(gained[0][advancing] < gained[1][advancing])


def test_a_sector_whose_stake_is_gone_releases_its_forces_to_main() -> None:
    # Kursk retaken: what is left to fight for falls to nothing, so both sides' requirement there
    # falls with it and their soldiers leave (the host's via the redeploying stock to main).
    r = run(scenario("sectors.kursk.area_at_stake_km2=100.0", "scenario.horizon_days=365"), MEMBERS, record_every=5)
    kursk = r.sector("kursk")
    front = r.batch.series["sector_front"]
    for side in ("RU", "UA"):
        start, end = front[:, 0, r.domestic(side), kursk].sum(axis=1), front[:, -1, r.domestic(side), kursk].sum(axis=1)
        assert np.all(end < 0.05 * start), side
    assert np.all(r.batch.series["redeploying"][:, 1:, r.domestic("RU"), kursk].sum(axis=(1, 2)) > 0)


def test_contest_is_one_at_the_start_and_nothing_when_all_is_taken() -> None:
    assert eq.contest(np.array(1.0)) == pytest.approx(1.0)
    assert eq.contest(np.array(0.0)) == 0.0
    remaining = np.linspace(0.0, 1.0, 101)
    assert np.all(np.diff(eq.contest(remaining)) > 0)
