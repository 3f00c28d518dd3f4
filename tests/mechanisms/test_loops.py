"""Loop switches: structural flags of the layout that cut a feedback loop in a variant.

The test the issue asks for — a contingent placed only in Kursk changes the main front only
through the host units it frees — holds the cross-sector loops fixed with them: the bonus
ratchet (Kursk losses would change everyone's intake) and Western support's reaction to bad
news (set to nothing here; the channels work adds a `support` switch).
"""

from __future__ import annotations

import numpy as np
import pytest
from mechanism_runs import Run, run, scenario

from pawns.scenario.schema import LOOPS

MEMBERS = 16
KURSK_ONLY = ('contingents.DPRK.role="combat"', "supporters.west.blocs.US.bad_news_sensitivity=0.0", "supporters.west.blocs.Europe.bad_news_sensitivity=0.0", "scenario.horizon_days=365")
MAIN_FIELDS = ("sector_front", "front_stage", "sector_wounded", "sector_killed", "experience")


def _main(r: Run, name: str) -> np.ndarray:
    """The main sector's values of a per-(formation, sector) field; a tour's stages summed (layouts differ in their count)."""
    values = getattr(r.batch.final, name)
    if values.ndim == 4:
        values = values.sum(axis=3)
    return values[:, :, 0] if values.ndim >= 3 else values


def test_a_contingent_in_kursk_changes_main_only_through_the_host_units_it_frees() -> None:
    base = scenario(*KURSK_ONLY)
    cut = ("recruitment", "allocation")
    without, with_ = run(base, MEMBERS, cut=cut, without=True), run(base, MEMBERS, cut=cut)
    # With no host unit moved between sectors, the main front is exactly what it was without the contingent ...
    domestic = without.domestic("RU") + without.domestic("UA")
    for name in MAIN_FIELDS:
        np.testing.assert_array_equal(_main(with_, name)[:, domestic], _main(without, name)[:, domestic], err_msg=name)
    for name in ("area", "gain_mean", "shells", "bonus"):
        np.testing.assert_array_equal(getattr(with_.batch.final, name), getattr(without.batch.final, name), err_msg=name)
    # ... while Kursk is not.
    kursk = with_.sector("kursk")
    assert not np.array_equal(with_.batch.final.sector_area[:, kursk], without.batch.final.sector_area[:, kursk])
    # With the host's allocation working, the units the contingent frees strengthen Russia's main front.
    freed = run(base, MEMBERS, cut=("recruitment",))
    unfreed = run(base, MEMBERS, cut=("recruitment",), without=True)
    ru = with_.domestic("RU")
    gained = freed.batch.final.sector_front[:, ru, 0].sum(axis=1) - unfreed.batch.final.sector_front[:, ru, 0].sum(axis=1)
    assert np.median(gained) > 0


@pytest.fixture(scope="module")
def full() -> Run:
    return run(scenario("scenario.horizon_days=365"), MEMBERS)


def test_recruitment_cut_keeps_the_bonus_at_its_start(full: Run) -> None:
    cut = run(scenario("scenario.horizon_days=365"), MEMBERS, cut=("recruitment",))
    np.testing.assert_array_equal(cut.batch.series["bonus"], np.repeat(cut.batch.series["bonus"][:, :1], cut.batch.series["bonus"].shape[1], axis=1))
    assert np.any(full.batch.final.bonus > full.batch.initial.bonus)


def test_tolerance_cut_leaves_losses_alone_to_erode_tolerance() -> None:
    base = scenario("scenario.horizon_days=200")
    quiet = run(scenario("scenario.horizon_days=200", *(f"sides.{s}.tolerance.{k}=0.0" for s in ("RU", "UA")
                                                       for k in ("trend_sensitivity", "momentum_sensitivity"))), MEMBERS)
    cut = run(base, MEMBERS, cut=("tolerance",))
    np.testing.assert_allclose(cut.batch.series["tolerance"], quiet.batch.series["tolerance"], rtol=1e-12)


def test_posture_cut_keeps_the_attacker_at_full_assault(full: Run) -> None:
    # Whatever the force ratio does, a full posture costs the attacker at least what the ramp would.
    cut = run(scenario("scenario.horizon_days=365"), MEMBERS, cut=("posture",))
    ru = full.domestic("RU")
    killed_full = full.batch.series["sector_killed"][:, 12, ru, 0].sum(axis=1)  # the first two months, before the runs drift apart
    killed_cut = cut.batch.series["sector_killed"][:, 12, ru, 0].sum(axis=1)
    assert np.all(killed_cut >= killed_full * (1 - 1e-9))


def test_loops_are_named_and_unknown_ones_refused() -> None:
    assert {"posture", "recruitment", "tolerance", "allocation"} <= set(LOOPS)
    layout = run(scenario("scenario.horizon_days=2"), 1).layout
    with pytest.raises(ValueError, match="unknown feedback loops"):
        layout.with_loops_cut("gravity")
    assert layout.with_loops_cut("posture").cut_loops == frozenset({"posture"})
