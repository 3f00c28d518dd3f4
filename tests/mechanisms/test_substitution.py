"""M5 — substitution: a contingent's exposure displaces its host's in its sector, and frees host units for main.

The paired runs share their members' draws (common random numbers). To see substitution
itself, the Kursk sector is held static (no ground changes hands there, so what is left to
fight for stays whole), and two loops are cut: the attacker's posture (which would follow the
force ratio the freed units change) and the bonus ratchet (whose monthly threshold turns a
difference of a few soldiers into a step of the bonus). Western support ignores bad news, so
the contingent reaches the other side only through the fighting.
"""

from __future__ import annotations

import numpy as np
import pytest
from mechanism_runs import Run, run, scaled, scenario

from pawns.scenario.schema import Scenario

MEMBERS = 40
CUT = ("posture", "recruitment")
STATIC_KURSK = ("sectors.kursk.gain_km2_per_day_at_start=0.0", "supporters.west.blocs.US.bad_news_sensitivity=0.0", "supporters.west.blocs.Europe.bad_news_sensitivity=0.0",
                'contingents.DPRK.role="combat"')
# Pawns like the host's own: same quality, the exposure of an average host soldier, no learning
# gap, and (below) the host's killed share and wound-return fraction.
LIKE_THE_HOST = ("contingents.DPRK.quality_initial=1.0", "contingents.DPRK.quality_trained=1.0",
                 "contingents.DPRK.exposure_multiplier_initial=1.0", "contingents.DPRK.exposure=1.0")


def _like_the_host(base: Scenario) -> Scenario:
    """The contingent dies and returns from care as its host does (the schema's defaults: its side's shares)."""
    dprk = base.contingents["DPRK"].model_copy(update={"killed_share": None, "wounded_return_fraction": None})
    return base.model_copy(update={"contingents": {"DPRK": dprk}})


def _killed(r: Run, formations: list[int], sector: int | None = None) -> np.ndarray:
    final, start = r.batch.final, r.batch.initial
    if sector is None:
        return (final.killed - start.killed)[:, formations].sum(axis=1)
    return final.sector_killed[:, formations, sector].sum(axis=1)


def _host_in_kursk(r: Run) -> np.ndarray:
    """Russia's own soldiers at the front in Kursk, every recorded day (members, time)."""
    return r.batch.series["sector_front"][:, :, r.domestic("RU"), r.sector("kursk")].sum(axis=2)


@pytest.fixture(scope="module")
def additive() -> tuple[Run, Run]:
    base = scenario("contingents.DPRK.substitution_share=0.0", "scenario.horizon_days=240", *STATIC_KURSK)
    return run(base, MEMBERS, cut=CUT, without=True), run(base, MEMBERS, cut=CUT)


def test_no_substitution_leaves_the_host_in_place_and_adds_the_contingent(additive: tuple[Run, Run]) -> None:
    # sigma = 0 is the additive behaviour of a single theatre: the host keeps the soldiers it
    # would keep without the contingent (within 2%: only its casualties there differ), and the
    # contingent's exposure comes on top of theirs.
    without, with_ = additive
    host_without, host_with = _host_in_kursk(without), _host_in_kursk(with_)
    np.testing.assert_allclose(host_with, host_without, rtol=0.02)
    assert np.all(with_.batch.final.redeploying.sum(axis=(1, 2)) <= without.batch.final.redeploying.sum(axis=(1, 2)) + 1.0)
    dprk = with_.formation("DPRK")
    assert with_.batch.series["sector_front"][:, -1, dprk, with_.sector("kursk")].min() > 0


@pytest.fixture(scope="module")
def one_for_one() -> dict[float, tuple[Run, Run]]:
    base = _like_the_host(scenario("contingents.DPRK.substitution_share=1.0", *STATIC_KURSK, *LIKE_THE_HOST))
    without = run(base, MEMBERS, cut=CUT, without=True, record_every=30)
    return {factor: (without, run(scaled(base, factor), MEMBERS, cut=CUT, record_every=30)) for factor in (1.0, 3.0, 10.0)}


def test_one_for_one_substitution_spares_the_host_in_the_contingents_sector(one_for_one: dict[float, tuple[Run, Run]]) -> None:
    # sigma = 1 with pawns like the host's: the sector's exposure and fires are unchanged, so its
    # casualties fall on the contingent instead of the host. The host's killed in Kursk fall by
    # at least 0.7 of the contingent's killed in 90% of members, at every size; a 10x contingent
    # outnumbers the host's whole requirement there, and what it adds beyond that is additive.
    for factor, (without, with_) in one_for_one.items():
        ru, kursk, dprk = with_.domestic("RU"), with_.sector("kursk"), with_.formation("DPRK")
        avoided = _killed(without, ru, kursk) - _killed(with_, ru, kursk)
        contingent = _killed(with_, [dprk])
        assert np.all(contingent > 0)
        assert np.mean(avoided >= 0.7 * contingent) >= 0.9, (factor, np.quantile(avoided / contingent, [0.05, 0.5, 0.95]))


def test_host_lives_spared_grow_with_the_contingents_size(one_for_one: dict[float, tuple[Run, Run]]) -> None:
    # Over the whole run and every sector, freed units fight on at main, so fewer lives are spared
    # than in Kursk alone; but more are spared the larger the contingent.
    spared = []
    for factor, (without, with_) in sorted(one_for_one.items()):
        ru = with_.domestic("RU")
        spared.append(_killed(without, ru) - _killed(with_, ru))
    medians = [float(np.median(s)) for s in spared]
    assert 0 < medians[0] < medians[1] < medians[2], medians
    assert np.mean((spared[1] > spared[0]) & (spared[2] > spared[1])) >= 0.8


def test_substitution_frees_host_units_that_reach_main_after_the_delay(one_for_one: dict[float, tuple[Run, Run]]) -> None:
    # While the contingent is at the front (day 120, near its peak), the host keeps fewer of its
    # own soldiers in Kursk, and those it freed passed through the redeploying stock to main.
    # (At the end of two years the contingent has rotated home, and the host is back in Kursk.)
    without, with_ = one_for_one[3.0]
    ru, kursk, dprk = with_.domestic("RU"), with_.sector("kursk"), with_.formation("DPRK")
    t = int(np.searchsorted(with_.batch.record_days, 120))
    front_with, front_without = with_.batch.series["sector_front"][:, t], without.batch.series["sector_front"][:, t]
    assert np.all(front_with[:, dprk, kursk] > 0)
    assert np.all(front_with[:, ru, kursk].sum(axis=1) < front_without[:, ru, kursk].sum(axis=1))
    assert np.all(front_with[:, ru, 0].sum(axis=1) > front_without[:, ru, 0].sum(axis=1))
    redeployed = with_.batch.series["redeploying"][:, 1:t + 1][:, :, ru, kursk].sum(axis=2)
    assert np.all(redeployed.max(axis=1) > without.batch.series["redeploying"][:, 1:t + 1][:, :, ru, kursk].sum(axis=2).max(axis=1))
