"""The answers to the brief's questions Q1–Q4 for one scenario, with 90% intervals.

A run of a scenario with foreign contingents is paired with three derived variants (no
contingents; all troops in combat; all as labor) that share its members' draws, so every
"days bought" figure is a paired difference, member by member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from pawns.analysis.outcomes import RACE_ABANDONMENT_FIRST, censored
from pawns.analysis.statistics import cost_per_day, interval, paired_difference, share
from pawns.analysis.variants import host_side, with_role, without_contingents

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from pawns.engine.ensemble import EnsembleResult
    from pawns.scenario.schema import Scenario

QUESTIONS = {
    "Q1": "How many days of endurance does the contingent buy its host?",
    "Q2": "Labor or combat: which use of the same contingent buys more time, at what cost in its lives?",
    "Q3": "How likely are the supporters to abandon their recipient before the host's endurance ends, with and without the contingent?",
    "Q4": "How much of the host's casualty burden shifts to foreigners, and what does the contingent's country get back?",
}


def endurance_days_bought(with_outcomes: "pd.DataFrame", without_outcomes: "pd.DataFrame", side: str, horizon: float) -> np.ndarray:
    """Per member: end-of-endurance day with contingents minus without, censored at the horizon."""
    return censored(with_outcomes[f"{side}_end_day"].to_numpy(), horizon) - censored(without_outcomes[f"{side}_end_day"].to_numpy(), horizon)


def tolerance_days_bought(with_outcomes: "pd.DataFrame", without_outcomes: "pd.DataFrame", side: str, horizon: float) -> np.ndarray:
    """Per member: days of the host's own weighted losses that the contingent absorbed.

    The host's weighted permanent losses avoided by the horizon, divided by its daily rate of
    such losses without the contingent: how much later the host reaches the same erosion of
    casualty tolerance. Unlike the endurance date it is defined when no collapse occurs.
    """
    end_without = without_outcomes[f"{side}_weighted_losses_end"].to_numpy()
    start = without_outcomes[f"{side}_weighted_losses_start"].to_numpy()
    avoided = end_without - with_outcomes[f"{side}_weighted_losses_end"].to_numpy()
    rate = (end_without - start) / horizon
    return np.where(rate > 0, avoided / np.maximum(rate, 1e-12), 0.0)


def race_probability(outcomes: "pd.DataFrame") -> float | None:
    """Share of members in which supporters abandon before the host's endurance ends (M10)."""
    return share(outcomes["race"].to_numpy() == RACE_ABANDONMENT_FIRST) if "race" in outcomes else None


def ledger(outcomes: "pd.DataFrame", contingent: str) -> dict[str, dict]:
    """M11: the contingent's casualties and what its country gets back."""
    keys = {
        "killed": "killed", "wounded": "wounded", "arrived": "arrived", "veterans_returned": "veterans",
        "veteran_combat_days": "veteran_combat_days", "payment_usd": "payment_usd", "materiel_technology_usd": "materiel_usd",
    }
    return {label: interval(outcomes[f"{contingent}_{column}"].to_numpy()) for label, column in keys.items()}


def variant_scenarios(scenario: "Scenario") -> dict[str, "Scenario"]:
    """The paired variants a summary needs (empty for a scenario without contingents)."""
    if not scenario.contingents:
        return {}
    return {"without": without_contingents(scenario), "combat": with_role(scenario, "combat"), "labor": with_role(scenario, "labor")}


def run_variants(result: "EnsembleResult", *, chunk_size: int, progress: Callable[[int], None] | None = None) -> dict[str, "pd.DataFrame"]:
    """Run the paired variants of a result's scenario with the same seed and members."""
    from pawns.engine.ensemble import run_ensemble

    outcomes = {}
    for label, variant in variant_scenarios(result.scenario).items():
        run = run_ensemble(variant, result.members.size, seed=result.seed, first_member=int(result.members[0]),
                           chunk_size=chunk_size, keep_series=False, progress=progress)
        outcomes[label] = run.outcomes
    return outcomes


def summarize(result: "EnsembleResult", variants: dict[str, "pd.DataFrame"]) -> dict:
    """Answer Q1–Q4 for a run (and its paired variants) as a JSON-ready dictionary."""
    sc = result.scenario
    horizon = float(sc.scenario.horizon_days)
    out = result.outcomes
    summary: dict = {
        "scenario": sc.scenario.name,
        "title": sc.scenario.title,
        "start_date": str(sc.scenario.start_date),
        "horizon_days": int(horizon),
        "members": int(result.members.size),
        "seed": int(result.seed),
        "endurance": {},
        "questions": {},
    }
    for side in result.layout.sides:
        ended = out[f"{side}_end_day"].to_numpy()
        causes = out[f"{side}_end_cause"].to_numpy()
        summary["endurance"][side] = {
            "p_end_by_horizon": share(~np.isnan(ended)),
            "end_day_if_ended": interval(ended),
            "cause_shares": {c: share(causes == c) for c in ("manpower", "materiel", "tolerance")},
            "tolerance_at_horizon": interval(out[f"{side}_tolerance_end"].to_numpy()),
        }
    summary["recruitment"] = {
        side: {"bonus_at_horizon_rub": interval(out[f"{side}_bonus_end_rub"].to_numpy()),
               "bonus_spending_rub": interval(out[f"{side}_bonus_spending_rub"].to_numpy())}
        for side, s in zip(result.layout.sides, sc.sides.values()) if s.recruitment is not None
    }
    if sc.territory is not None:
        summary["territory"] = {"attacker": sc.combat.attacker, "area_change_km2": interval(out["area_change_km2"].to_numpy())}
    if "abandon_day" in out and result.layout.supported_side is not None:
        summary["abandonment"] = {
            "supporter": result.layout.dynamic_supporter,
            "recipient": result.layout.sides[result.layout.supported_side],
            "p_by_horizon": share(~np.isnan(out["abandon_day"].to_numpy())),
            "day_if_abandoned": interval(out["abandon_day"].to_numpy()),
        }
    host = host_side(sc)
    questions = summary["questions"]
    if host is None or not variants:
        reason = "this scenario has no foreign contingents; compare it with one that has (pawns compare)"
        questions["Q1"] = {"question": QUESTIONS["Q1"], "not_applicable": reason}
        questions["Q2"] = {"question": QUESTIONS["Q2"], "not_applicable": reason}
        questions["Q3"] = {"question": QUESTIONS["Q3"], "p_abandon_first": race_probability(out)}
        questions["Q4"] = {"question": QUESTIONS["Q4"], "not_applicable": reason}
        return summary
    without, combat, labor = variants["without"], variants["combat"], variants["labor"]
    contingents = list(sc.contingents)
    questions["Q1"] = {
        "question": QUESTIONS["Q1"],
        "host": host,
        "endurance_days_bought": paired_difference(censored(without[f"{host}_end_day"].to_numpy(), horizon), censored(out[f"{host}_end_day"].to_numpy(), horizon)),
        "tolerance_days_bought": _with_positive(tolerance_days_bought(out, without, host, horizon)),
    }
    role_rows = {}
    for role, frame in (("combat", combat), ("labor", labor)):
        days = tolerance_days_bought(frame, without, host, horizon)
        killed = sum(frame[f"{c}_killed"].to_numpy() for c in contingents)
        role_rows[role] = {
            "endurance_days_bought": interval(endurance_days_bought(frame, without, host, horizon)),
            "tolerance_days_bought": interval(days),
            "contingent_killed": interval(killed),
            "contingent_killed_per_tolerance_day": cost_per_day(killed, days),
        }
    combat_days = tolerance_days_bought(combat, without, host, horizon)
    labor_days = tolerance_days_bought(labor, without, host, horizon)
    questions["Q2"] = {
        "question": QUESTIONS["Q2"],
        **role_rows,
        "combat_minus_labor_tolerance_days": paired_difference(labor_days, combat_days),
        "combat_minus_labor_endurance_days": paired_difference(
            censored(labor[f"{host}_end_day"].to_numpy(), horizon), censored(combat[f"{host}_end_day"].to_numpy(), horizon)),
    }
    p_with, p_without = race_probability(out), race_probability(without)
    questions["Q3"] = {
        "question": QUESTIONS["Q3"],
        "p_abandon_first_with": p_with,
        "p_abandon_first_without": p_without,
        "difference": None if p_with is None or p_without is None else p_with - p_without,
    }
    questions["Q4"] = {
        "question": QUESTIONS["Q4"],
        "foreign_share_of_host_casualties": interval(out[f"{host}_foreign_casualty_share"].to_numpy()),
        "ledger": {c: ledger(out, c) for c in contingents},
    }
    return summary


def _with_positive(values: np.ndarray) -> dict:
    result = interval(values)
    result["p_positive"] = share(values > 0)
    return result
