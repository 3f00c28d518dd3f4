"""The answers' keys, intervals, signs and reasons, on outcome tables built by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pawns.analysis import questions as qs


def _table(n: int, *, rmst: float, tolerance_end: float, p1: float, p2: float, front_days: float, shells: float,
           national: float, deployed: float, killed: float, wounded: float, race: str) -> pd.DataFrame:
    return pd.DataFrame({
        "RU_restricted_end_days": np.full(n, rmst), "RU_tolerance_end": np.full(n, tolerance_end),
        "RU_tolerance_start": np.full(n, 0.6), "RU_p_end_1y": np.full(n, p1), "RU_p_end_2y": np.full(n, p2),
        "RU_p_end_5y": np.full(n, np.nan), "RU_national_front_days": np.full(n, front_days), "RU_shells_produced": np.full(n, shells),
        "RU_national_casualties": np.full(n, national), "DPRK_deployed_person_days": np.full(n, deployed),
        "DPRK_killed": np.full(n, killed), "DPRK_wounded": np.full(n, wounded), "race": [race] * n,
    })


N, HORIZON = 50, 730.0
WITHOUT = _table(N, rmst=700.0, tolerance_end=0.4, p1=0.02, p2=0.08, front_days=1e8, shells=4e6, national=500_000.0,
                 deployed=0.0, killed=0.0, wounded=0.0, race="endurance first")
WITH = _table(N, rmst=703.0, tolerance_end=0.41, p1=0.018, p2=0.07, front_days=1.01e8, shells=4e6, national=498_000.0,
              deployed=365.0 * 10_000, killed=1_000.0, wounded=3_000.0, race="abandonment first")


def test_q1_reads_the_paired_measures_under_their_keys() -> None:
    found = qs.q1(WITH, {"without": WITHOUT, "dose-2x": WITH}, "RU", HORIZON, ["DPRK"], {})
    assert found["rmst_days_bought"]["median"] == pytest.approx(3.0)
    # the will falls 0.2 over 730 days without; 0.01 higher with is 36.5 days behind
    assert found["tolerance_shift_days"]["median"] == pytest.approx(36.5)
    assert found["p_end_change"]["2y"]["median"] == pytest.approx(-0.01)
    assert "not_applicable" in found["p_end_change"]["5y"]
    dose = found["dose_response"]
    assert list(dose) == ["1x", "2x"]
    assert dose["1x"]["rmst_days_bought_per_10k_troop_years"]["median"] == pytest.approx(3.0)
    for key in ("median", "q05", "q95", "p_positive", "straddles_zero", "reason"):
        assert key in found["rmst_days_bought"]


def test_q2_is_per_thousand_troop_months_for_each_role() -> None:
    found = qs.q2({"without": WITHOUT, "combat": WITH, "labor": WITHOUT.assign(DPRK_deployed_person_days=365.0 * 10_000)},
                  "RU", HORIZON, ["DPRK"])
    months = 365.0 * 10_000 / 30.44 / 1_000
    combat = found["combat_per_1000_troop_months"]
    assert combat["contingent_killed"]["median"] == pytest.approx(1_000.0 / months)
    assert combat["host_national_casualties_avoided"]["median"] == pytest.approx(2_000.0 / months)
    assert combat["freed_host_soldier_days_at_front"]["median"] == pytest.approx(1e6 / months)
    assert found["combat_minus_labor_rmst_days_bought_per_1000_troop_months"]["more_per_troop_month"] == "combat"


def test_q3_gives_the_change_with_a_bootstrap_interval() -> None:
    half = WITH.copy()
    half.loc[: N // 2 - 1, "race"] = "endurance first"
    found = qs.q3(half, {"without": WITHOUT}, {})
    assert found["p_abandon_first_with"] == pytest.approx(0.5) and found["p_abandon_first_without"] == 0.0
    change = found["p_abandon_first_change"]
    assert change["q05"] < 0.5 < change["q95"] and change["p_positive"] == 1.0 and not change["straddles_zero"]
    assert qs.q3(half, {"without": WITHOUT}, {}) == found  # deterministic


def test_q4_substitution_ratio_is_host_casualties_avoided_per_contingent_casualty() -> None:
    found = qs.q4(WITH, WITHOUT, "RU", ["DPRK"], {"the troops channel": 0.5})
    assert found["substitution_ratio"]["median"] == pytest.approx(2_000.0 / 4_000.0)
    assert "the troops channel" in found["substitution_ratio"]["reason"]


def test_a_reason_names_the_largest_contribution_and_an_unsettled_sign() -> None:
    unsettled = {"median": 1.0, "q05": -2.0, "q95": 5.0}
    text = qs.reason(unsettled, {"the posture loop": -3.0, "the tolerance loop": 1.0}, "days")
    assert "the posture loop" in text and "straddles zero" in text
    settled = qs.reason({"median": 1.0, "q05": 0.5, "q95": 5.0}, {}, "days")
    assert "straddles" not in settled and "no loop or channel" in settled
    assert qs.straddles_zero(unsettled) and not qs.straddles_zero({"q05": 0.0, "q95": 1.0})


def test_a_loops_contribution_is_the_answer_with_it_minus_without_it_and_the_largest_dominates() -> None:
    from pawns.analysis import loops

    # cutting posture leaves 1 day bought of the 3; cutting tolerance leaves 2.5
    variants = {"without": WITHOUT,
                "loop-posture": WITH.assign(RU_restricted_end_days=701.0), "loop-posture-without": WITHOUT,
                "loop-tolerance": WITH.assign(RU_restricted_end_days=702.5), "loop-tolerance-without": WITHOUT}
    found = loops.contributions(WITH, variants, ["posture", "tolerance", "support"], "RU", HORIZON, ["DPRK"])
    rmst = found["rmst_days_bought"]
    assert rmst[loops.LOOP_WORDS["posture"]] == pytest.approx(2.0)
    assert rmst[loops.LOOP_WORDS["tolerance"]] == pytest.approx(0.5)
    assert loops.LOOP_WORDS["support"] not in rmst  # not run: not attributed
    table = loops.dominance(found)
    assert table["rmst_days_bought"]["dominant"] == loops.LOOP_WORDS["posture"]
    assert "posture" in qs.answer(np.full(5, 3.0), rmst, "days")["reason"]


def test_every_feedback_loop_has_the_words_a_reason_uses() -> None:
    from pawns.analysis.loops import LOOP_WORDS
    from pawns.scenario.schema import LOOPS

    assert set(LOOP_WORDS) == set(LOOPS)
