"""Veterans by tranche and cohort (M11): each cohort follows its contingent's flows exactly.

A contingent's persons are told apart by when they arrived (a tranche, or a year of
replacements). Summed over the cohorts, every stock and count must be the formation's; each
cohort must hold exactly who arrived in it; and a cohort's outcomes must move with its driver
(arriving later leaves less time to serve a tour; laborers bring no combat experience home).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pawns.analysis.outcomes import member_outcomes
from pawns.analysis.takes_home import COHORT_MEASURES, cohort_rows, takes_home
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

MEMBERS = np.arange(8)
RTOL = 1e-9  # the cohorts' sums differ from the formation's only by the order of additions


def _run(name: str, *overrides: str, members=MEMBERS):
    layout = Layout.from_scenario(load_scenario(name, list(overrides)))
    batch = simulate_batch(layout, members, seed=3, keep_series=False)
    return layout, batch, pd.DataFrame(member_outcomes(layout, batch.initial, batch.final, batch.matrix))


def _close(found: np.ndarray, expected: np.ndarray, what: str) -> None:
    scale = max(float(np.max(np.abs(expected))), 1.0)
    np.testing.assert_allclose(found, expected, rtol=0, atol=RTOL * scale, err_msg=what)


@pytest.mark.parametrize("name", ["ru-ua-2024", "ru-ua-2025", "ru-ua-2026"])
def test_the_cohorts_of_a_contingent_add_up_to_the_contingent_stock_by_stock(name: str) -> None:
    layout, batch, _ = _run(name)
    start, final = batch.initial, batch.final
    contingents = {q.formation for q in layout.cohorts}
    assert contingents == {f for f, info in enumerate(layout.formations) if info.contingent}
    for f in contingents:
        qs = [q for q, cohort in enumerate(layout.cohorts) if cohort.formation == f]
        _close(final.cohort_training[:, qs].sum(axis=1), final.training_stage[:, f], "training stages")
        _close(final.cohort_front[:, qs].sum(axis=1), final.front_stage[:, f], "front by sector and stage")
        _close(final.cohort_wounded[:, qs].sum(axis=1), final.sector_wounded[:, f], "wounded in care by sector")
        _close(final.cohort_labor[:, qs].sum(axis=1), final.labor[:, f], "laborers")
        _close(final.cohort_killed[:, qs].sum(axis=1), final.killed[:, f] - start.killed[:, f], "killed")
        _close(final.cohort_repatriated[:, qs].sum(axis=1), final.discharged[:, f] - start.discharged[:, f], "wounded sent home")
        _close(final.cohort_deserted[:, qs].sum(axis=1), final.deserted[:, f], "deserted")
        _close((final.cohort_rotated + final.cohort_labor_home)[:, qs].sum(axis=1), final.rotated[:, f], "rotated home")
        _close(final.cohort_combat_days[:, qs].sum(axis=1), final.veteran_combat_days[:, f], "combat days taken home")
        for field in ("cohort_training", "cohort_front", "cohort_wounded", "cohort_labor", "cohort_killed", "cohort_rotated"):
            assert np.all(getattr(final, field)[:, qs] >= -1e-9), field


def test_each_tranche_cohort_holds_exactly_its_tranche_and_replacements_hold_the_rest() -> None:
    layout, batch, outcomes = _run("ru-ua-2025")
    for cohort in layout.cohorts:
        formation = layout.formations[cohort.formation].name
        arrived = outcomes[f"{formation}_arrived_{cohort.key}"].to_numpy()
        if cohort.tranche >= 0:
            size = batch.matrix[:, layout.tranches[cohort.tranche].size_column]
            _close(arrived, size, cohort.key)
    replacements = [c for c in layout.cohorts if c.tranche < 0]
    assert [c.key for c in replacements] == ["replacements2025"]
    total = sum(outcomes[f"DPRK_arrived_{c.key}"].to_numpy() for c in layout.cohorts)
    _close(total, outcomes["DPRK_arrived"].to_numpy(), "all arrivals")
    assert np.all(outcomes["DPRK_arrived_replacements2025"] > 0)


def test_replacements_are_one_cohort_per_calendar_year_they_are_sent_in() -> None:
    layout = Layout.from_scenario(load_scenario("ru-ua-2025", ["contingents.DPRK.replenishment.end_date=2026-06-30",
                                                               "scenario.horizon_days=700"]))
    cohorts = [c for c in layout.cohorts if c.tranche < 0]
    assert [c.key for c in cohorts] == ["replacements2025", "replacements2026"]
    assert cohorts[0].last + 1 == cohorts[1].first  # no day is in two cohorts, none is left out
    start = load_scenario("ru-ua-2025").meta.start_date
    assert (start.toordinal() + cohorts[1].first) == pd.Timestamp("2026-01-01").toordinal()


def test_a_tranche_arriving_late_brings_fewer_veterans_home_than_one_arriving_early() -> None:
    tranches = ('contingents.DPRK.tranches=[{ date = 2024-10-15, size_persons = 3000, role = "combat" }, '
                '{ date = 2026-06-01, size_persons = 3000, role = "combat" }]')
    _, _, outcomes = _run("ru-ua-2024", tranches)
    early, late = outcomes["DPRK_veterans_home_tranche1"], outcomes["DPRK_veterans_home_tranche2"]
    assert np.all(early > late)
    # four months before the horizon (after a month of training) few of the late tranche have served a whole tour
    rotated = {k: outcomes[f"DPRK_veterans_home_tranche{k}"] - outcomes[f"DPRK_wounded_repatriated_tranche{k}"] for k in (1, 2)}
    assert np.all(rotated[2] < rotated[1]) and np.all(rotated[2] < 0.1 * 3000)


def test_laborers_bring_no_combat_experience_home() -> None:
    labor = 'contingents.DPRK.tranches=[{ date = 2024-10-15, size_persons = 5000, role = "labor" }]'
    _, _, outcomes = _run("ru-ua-2024", labor)
    assert np.all(outcomes["DPRK_laborers_home_tranche1"] > 0)
    for column in ("DPRK_veterans_home_tranche1", "DPRK_killed_tranche1", "DPRK_front_person_days_tranche1", "DPRK_veterans_home",
                   "DPRK_combat_years_home"):
        assert np.all(outcomes[column] == 0), column
    assert np.all(np.isnan(outcomes["DPRK_combat_days_per_veteran_tranche1"]))


def test_the_contributors_veterans_home_are_its_cohorts_veterans_home() -> None:
    layout, _, outcomes = _run("ru-ua-2024")
    total = sum(outcomes[f"DPRK_veterans_home_{c.key}"].to_numpy() for c in layout.cohorts)
    _close(outcomes["DPRK_veterans_home"].to_numpy(), total, "veterans home")


def test_cohorts_stay_within_their_arrivals_with_a_hundred_times_the_contingent_over_ten_years() -> None:
    layout, batch, outcomes = _run("ru-ua-2025", "contingents.DPRK.replenishment.target_persons=1100000",
                                   "scenario.horizon_days=3650", members=np.arange(3))
    for cohort in layout.cohorts:
        found = {key: outcomes[f"DPRK_{key}_{cohort.key}"].to_numpy() for key, _, _ in COHORT_MEASURES}
        assert np.all(np.isfinite(found["arrived"]))
        ways_out = found["killed"] + found["veterans_home"] + found["laborers_home"] + found["in_theatre"]
        assert np.all(ways_out <= found["arrived"] * (1 + 1e-9) + 1e-6), cohort.key
        # nobody serves more days at the front than the days since the run began
        assert np.all(found["front_person_days"] <= found["arrived"] * 3650 + 1e-6), cohort.key
    assert [c.key for c in layout.cohorts if c.tranche < 0] == ["replacements2025"]


def test_the_summary_and_the_tables_give_each_cohort_each_measure() -> None:
    layout, _, outcomes = _run("ru-ua-2024", "scenario.horizon_days=400")
    section = takes_home(layout, outcomes)
    assert list(section["cohorts"]) == [c.key for c in layout.cohorts]
    for cohort in section["cohorts"].values():
        assert cohort["label"].startswith("tranche")
        for key, _, unit in COHORT_MEASURES:
            assert cohort[key]["unit"] == unit
    columns, rows = cohort_rows(section)
    assert columns[2:] == [c["label"] for c in section["cohorts"].values()]
    assert len(rows) == len(COHORT_MEASURES) and all(len(row) == len(columns) for row in rows)
